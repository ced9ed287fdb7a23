// The usage-event JSON Lines parser, as `meshctl usage report` and POST
// /v1/usage run it: every line parsed, then the day aggregates the store
// writes. A client sends a big file in pieces (split_lines), so parsing the
// pieces, each from its first line's number, must give what parsing the whole
// text gives.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "meshctl/usage/aggregate.h"
#include "meshctl/usage/events.h"

using namespace meshctl;

namespace {

bool same_events(const usage::ParsedEvents& a, const usage::ParsedEvents& b) {
  if (a.usage.size() != b.usage.size() || a.freshness.size() != b.freshness.size() ||
      a.problems.size() != b.problems.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.usage.size(); ++i) {
    const auto &x = a.usage[i], &y = b.usage[i];
    if (x.id != y.id || x.time != y.time || x.line != y.line || x.rows != y.rows || x.bytes != y.bytes) return false;
  }
  for (std::size_t i = 0; i < a.freshness.size(); ++i) {
    if (a.freshness[i].line != b.freshness[i].line || a.freshness[i].updated_at != b.freshness[i].updated_at) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.problems.size(); ++i) {
    if (a.problems[i].line != b.problems[i].line || a.problems[i].message != b.problems[i].message) return false;
  }
  return true;
}

void append(usage::ParsedEvents& into, usage::ParsedEvents&& piece) {
  for (auto& event : piece.usage) into.usage.push_back(std::move(event));
  for (auto& event : piece.freshness) into.freshness.push_back(std::move(event));
  for (auto& problem : piece.problems) into.problems.push_back(std::move(problem));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto whole = usage::parse_events(text);
  for (const auto& event : whole.usage) {
    fuzz::require(event.rows >= 0 && event.bytes >= 0, "rows and bytes are never negative");
    fuzz::require(event.line >= 1 && event.line <= size + 1, "a usage event's line is in the text");
  }
  for (std::size_t i = 1; i < whole.problems.size(); ++i) {
    fuzz::require(whole.problems[i - 1].line < whole.problems[i].line, "problems come one per line, in line order");
  }

  usage::DayAggregator aggregator;
  for (const auto& event : whole.usage) aggregator.add(event);
  std::size_t counted = 0;
  for (const auto& day : aggregator.take()) counted += static_cast<std::size_t>(day.events);
  fuzz::require(counted == whole.usage.size(), "the day aggregates count every usage event once");

  const std::size_t piece_bytes = 1 + size / 3;
  usage::ParsedEvents pieced;
  for (const auto& [first_line, piece] : usage::split_lines(text, piece_bytes)) {
    append(pieced, usage::parse_events(piece, first_line));
  }
  fuzz::require(same_events(whole, pieced), "parsing the pieces of split_lines gives what parsing the whole gives");
  return 0;
}
