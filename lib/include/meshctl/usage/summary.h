#pragma once

// What `meshctl usage DOMAIN/NAME` shows, computed from what the registry
// keeps: subscriptions, dependents, daily aggregates and freshness reports.
// Pure functions: "now" is an argument.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/types.h"
#include "meshctl/catalog/usage_types.h"
#include "meshctl/manifest/model.h"

namespace meshctl::usage {

// met when now - updated_at <= slo_freshness, violated when older, unknown
// when the SLO is absent or not a duration (time.h parse_duration) or no
// change was reported. An updated_at in the future counts as fresh.
registry::FreshnessVerdict judge_freshness(const std::optional<std::string>& slo_freshness,
                                           const std::optional<std::string>& updated_at, std::int64_t now);

struct UsageInputs {
  registry::ProductRecord product;
  std::vector<registry::VersionRecord> versions;  // ascending
  manifest::DataProduct latest;                   // the latest version's manifest (output ports, SLOs)
  std::vector<registry::Subscription> subscriptions;
  std::vector<registry::DependencyEdge> dependents;
  std::vector<registry::UsageDay> days;  // at least the window's
  std::vector<registry::FreshnessRecord> freshness;
};

// REQUIRES: query.since_days > 0. Consumers are merged by name: a dependent's
// name is its "domain/name", which is also what its events should say. Retired
// dependents are left out.
registry::UsageSummary summarize_usage(const UsageInputs& inputs, const registry::UsageQuery& query, std::int64_t now);

// The first day of the window ending today: today - (since_days - 1).
std::string window_start(std::int64_t now, std::int64_t since_days);

}  // namespace meshctl::usage
