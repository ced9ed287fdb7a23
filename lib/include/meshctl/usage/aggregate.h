#pragma once

// Usage events folded into daily aggregates before they reach the store, so
// ingest writes one row per (product, day, consumer, port, version) instead of
// one per event.

#include <vector>

#include "meshctl/registry/usage_types.h"

namespace meshctl::usage {

// One aggregate per distinct (product, UTC day of time, consumer, port,
// version), ordered by that key. REQUIRES: the events' times are normalized
// ("...Z"), as parse_events returns them.
std::vector<registry::UsageDay> aggregate_days(const std::vector<registry::UsageEvent>& events);

}  // namespace meshctl::usage
