#pragma once

// Reading JSON text that a client or a file supplies, within the limits that
// the YAML loader keeps for manifests too.

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "meshctl/core/error.h"

namespace meshctl {

// Arrays and objects nest at most this deep in a manifest, whatever its format.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses `text` as JSON. ErrorKind::invalid, naming `what`, when it is not
// JSON or when arrays and objects nest deeper than `max_depth`; the depth is
// checked first, in one pass without recursion, so a hostile document costs
// no more than reading it.
Result<nlohmann::json> parse_json(std::string_view text, std::string_view what,
                                  std::size_t max_depth = kMaxJsonDepth);

}  // namespace meshctl
