#pragma once

// Usage and freshness events as JSON Lines (one JSON object per line):
//
//   {"id": "e-1", "time": "2026-11-23T10:00:00Z", "product": "sales/orders", "port": "orders-table",
//    "consumer": "finance-dashboard", "operation": "read", "rows": 120, "bytes": 40960}
//   {"time": "2026-11-23T10:05:00Z", "product": "sales/orders", "port": "orders-table",
//    "updatedAt": "2026-11-23T10:00:00Z"}
//
// A line is a freshness event when it has "updatedAt" (or "type": "freshness"),
// else a usage event ("type": "usage" may say so). Usage events need id, time,
// product, port and consumer; operation (Default: "read"), rows and bytes
// (Default: 0, else whole numbers >= 0) and version (a product version) are
// optional. Freshness events need time, product, port and updatedAt. Unknown
// keys are ignored (producers may add their own). Blank lines are skipped.

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "meshctl/catalog/usage_types.h"

namespace meshctl::usage {

struct ParsedEvents {
  std::vector<registry::UsageEvent> usage;  // times normalized to UTC ("...Z", whole seconds)
  std::vector<registry::FreshnessEvent> freshness;
  std::vector<registry::UsageProblem> problems;  // one per bad line, in line order
};

// Parses every line; a bad line becomes a problem naming what is wrong, and
// the good lines are kept. Line numbers count from `first_line`.
ParsedEvents parse_events(std::string_view json_lines, std::size_t first_line = 1);

// Cuts `text` into pieces of whole lines, each at most `max_bytes` long when
// its lines allow (a longer line is a piece of its own), with the number of
// each piece's first line (counting from 1). How a client sends a big file in
// requests under a server's body limit.
std::vector<std::pair<std::size_t, std::string_view>> split_lines(std::string_view text, std::size_t max_bytes);

}  // namespace meshctl::usage
