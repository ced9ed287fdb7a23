#pragma once

// For implementations of Store: what both stores write into a deprecation's two nullable columns.

#include <optional>
#include <string>

#include "meshctl/catalog/types.h"

namespace meshctl::registry {

inline std::optional<std::string> sunset_of(const std::optional<Deprecation>& deprecation) {
  return deprecation ? std::optional<std::string>(deprecation->sunset) : std::nullopt;
}
inline std::optional<std::string> reason_of(const std::optional<Deprecation>& deprecation) {
  return deprecation ? std::optional<std::string>(deprecation->reason) : std::nullopt;
}

}  // namespace meshctl::registry
