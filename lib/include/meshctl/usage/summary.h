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

// How many days of each port's data changes the registry keeps: the SLO's days are judged over at most
// the last this many (today included).
inline constexpr std::int64_t kSloHistoryDays = 30;

// The port's SLO day by day over `days` days from `first_day_start` (a midnight UTC, epoch seconds), oldest
// first: met when its data was never older than `slo_seconds` during the day (today: until `now`),
// violated when it was, unknown when no change was known by the day's start (how old the data was then
// is not known), or the day has not begun. `changes`: the port's data changes (epoch seconds), ascending.
std::vector<registry::FreshnessVerdict> slo_days(std::int64_t slo_seconds, const std::vector<std::int64_t>& changes,
                                                 std::int64_t first_day_start, std::int64_t days, std::int64_t now);

// The first instant of the SLO's days for a usage window of `since_days` ending today:
// "YYYY-MM-DDT00:00:00Z" of today - (min(since_days, kSloHistoryDays) - 1).
std::string slo_history_start(std::int64_t now, std::int64_t since_days);

struct UsageInputs {
  registry::ProductRecord product;
  std::vector<registry::VersionRecord> versions;  // ascending
  manifest::DataProduct latest;                   // the latest version's manifest (output ports, SLOs)
  std::vector<registry::Subscription> subscriptions;
  std::vector<registry::DependencyEdge> dependents;
  std::vector<registry::UsageDay> days;  // at least the window's
  std::vector<registry::FreshnessRecord> freshness;
  // The ports' data changes from slo_history_start(now, since_days) on, and each port's last before it.
  std::vector<registry::FreshnessRecord> freshness_history;
};

// REQUIRES: query.since_days > 0. Consumers are merged by name: a dependent's
// name is its "domain/name", which is also what its events should say. Retired
// dependents are left out.
registry::UsageSummary summarize_usage(const UsageInputs& inputs, const registry::UsageQuery& query, std::int64_t now);

// The first day of the window ending today: today - (since_days - 1).
std::string window_start(std::int64_t now, std::int64_t since_days);

}  // namespace meshctl::usage
