#pragma once

// Text of the usage side: subscriptions, the usage summary with its chart,
// ingest reports. JSON comes from meshctl/catalog/usage_json.h.

#include <ostream>
#include <vector>

#include "meshctl/catalog/usage_types.h"

namespace meshctl::cli {

// One character per value, from ' ' (zero) through the eight Unicode block
// heights "▁▂▃▄▅▆▇█" (the largest value is a full block).
std::string sparkline(const std::vector<std::int64_t>& values);

// "1.5 KiB", "12 B": bytes for people.
std::string human_bytes(std::int64_t bytes);

void print_subscriptions(std::ostream& out, const std::vector<registry::Subscription>& subscriptions);
void print_usage_summary(std::ostream& out, const registry::UsageSummary& summary);

}  // namespace meshctl::cli
