#pragma once

// What the fuzz targets share: the input as text, and a check that stops the
// run (a crash libFuzzer keeps, with its input) when an invariant breaks.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace meshctl::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The two halves of `text` around the first `separator`; without one, both halves are the whole text.
inline std::pair<std::string_view, std::string_view> split_at(std::string_view text, std::string_view separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, text};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

// An assert that stays on in every build type: a broken invariant is a finding.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace meshctl::fuzz
