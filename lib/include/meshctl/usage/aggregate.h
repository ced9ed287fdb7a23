#pragma once

// Usage events folded into daily aggregates before they reach the store, so
// ingest writes one row per (product, day, consumer, port, version) instead of
// one per event.

#include <array>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "meshctl/catalog/usage_types.h"

namespace meshctl::usage {

// Folds events into one aggregate per distinct (product, UTC day of time,
// consumer, port, version), across as many batches as an ingest reads.
// REQUIRES: the events' times are normalized ("...Z"), as parse_events returns them.
class DayAggregator {
 public:
  void add(const registry::UsageEvent& event);

  // The aggregates ordered by their key; the aggregator is empty afterwards.
  std::vector<registry::UsageDay> take();

 private:
  // Views into the aggregate the key leads to (heap-allocated, so they stay put).
  using Key = std::array<std::string_view, 6>;
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };
  std::unordered_map<Key, std::unique_ptr<registry::UsageDay>, KeyHash> days_;
};

}  // namespace meshctl::usage
