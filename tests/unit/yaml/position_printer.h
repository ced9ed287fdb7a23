#pragma once

// Lets Catch print a Position in a failed check ("3:12" instead of "{?}").
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/core/diagnostic.h"

namespace Catch {
template <>
struct StringMaker<meshctl::Position> {
  static std::string convert(const meshctl::Position& position) {
    return std::to_string(position.line) + ":" + std::to_string(position.column);
  }
};
}  // namespace Catch
