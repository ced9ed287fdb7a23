#include "meshctl/usage/summary.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "meshctl/core/semver.h"
#include "meshctl/core/text.h"
#include "meshctl/usage/time.h"

namespace meshctl::usage {

using registry::ConsumerUsage;
using registry::FreshnessVerdict;

FreshnessVerdict judge_freshness(const std::optional<std::string>& slo_freshness,
                                 const std::optional<std::string>& updated_at, std::int64_t now) {
  if (!slo_freshness || !updated_at) return FreshnessVerdict::unknown;
  const auto allowed = parse_duration(*slo_freshness);
  const auto changed = parse_timestamp(*updated_at);
  if (!allowed || !changed) return FreshnessVerdict::unknown;
  return now - *changed <= *allowed ? FreshnessVerdict::met : FreshnessVerdict::violated;
}

std::string window_start(std::int64_t now, std::int64_t since_days) {
  const std::int64_t today = now - ((now % 86400) + 86400) % 86400;
  return day_of(today - (since_days - 1) * 86400);
}

std::vector<FreshnessVerdict> slo_days(std::int64_t slo_seconds, const std::vector<std::int64_t>& changes,
                                       std::int64_t first_day_start, std::int64_t days, std::int64_t now) {
  std::vector<FreshnessVerdict> verdicts;
  for (std::int64_t day = 0; day < days; ++day) {
    const std::int64_t start = first_day_start + day * 86400;
    const std::int64_t end = std::min(start + 86400, now);
    // The last change at or before the day's start: how old the data was when the day began.
    auto next = std::upper_bound(changes.begin(), changes.end(), start);
    if (end <= start || next == changes.begin()) {
      verdicts.push_back(FreshnessVerdict::unknown);
      continue;
    }
    // The data is oldest just before each change, and at the day's end.
    std::int64_t last = *std::prev(next);
    bool met = true;
    for (; next != changes.end() && *next < end; ++next) {
      met = met && *next - last <= slo_seconds;
      last = *next;
    }
    met = met && end - last <= slo_seconds;
    verdicts.push_back(met ? FreshnessVerdict::met : FreshnessVerdict::violated);
  }
  return verdicts;
}

std::string slo_history_start(std::int64_t now, std::int64_t since_days) {
  return window_start(now, std::min(since_days, kSloHistoryDays)) + "T00:00:00Z";
}

namespace {

void add_port(ConsumerUsage& consumer, const std::string& port) {
  if (port.empty()) return;
  auto& ports = consumer.ports;
  if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
}

// The highest published, non-retired version that satisfies `constraint`;
// nullopt when the constraint is not one or nothing matches.
std::optional<std::string> resolve(const std::vector<registry::VersionRecord>& versions,
                                   const std::string& constraint) {
  const auto parsed = parse_constraint(constraint);
  if (!parsed) return std::nullopt;
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (it->status == registry::LifecycleStatus::retired) continue;
    const auto version = parse_version(it->version);
    if (version && parsed->satisfied_by(*version)) return it->version;
  }
  return std::nullopt;
}

std::vector<registry::VersionInUse> versions_in_use(const UsageInputs& inputs,
                                                    const std::map<std::string, ConsumerUsage>& consumers,
                                                    const std::map<std::string, std::set<std::string>>& observed) {
  std::map<std::string, std::set<std::string>> users;  // version -> consumers
  for (const auto& [name, consumer] : consumers) {
    if (consumer.subscribed || consumer.dependent) {
      const auto version = consumer.version_constraint.empty()
                               ? std::optional<std::string>(inputs.product.latest_version)
                               : resolve(inputs.versions, consumer.version_constraint);
      if (version) users[*version].insert(name);
    }
  }
  for (const auto& [version, names] : observed) users[version].insert(names.begin(), names.end());
  std::vector<registry::VersionInUse> result;
  for (auto& [version, names] : users) result.push_back({version, {names.begin(), names.end()}});
  std::stable_sort(result.begin(), result.end(), [](const auto& a, const auto& b) {
    const auto left = parse_version(a.version), right = parse_version(b.version);
    if (left && right) return compare_versions(*left, *right) < 0;
    return static_cast<bool>(left) && !right;  // unparsable versions last
  });
  return result;
}

}  // namespace

registry::UsageSummary summarize_usage(const UsageInputs& inputs, const registry::UsageQuery& query, std::int64_t now) {
  registry::UsageSummary summary;
  summary.product = inputs.product.ref;
  summary.status = inputs.product.status;
  summary.since_day = window_start(now, query.since_days);
  summary.until_day = day_of(now);

  std::map<std::string, ConsumerUsage> consumers;
  auto consumer_named = [&](const std::string& name) -> ConsumerUsage& {
    auto& consumer = consumers[name];
    consumer.consumer = name;
    return consumer;
  };
  for (const auto& subscription : inputs.subscriptions) {
    auto& consumer = consumer_named(subscription.consumer);
    consumer.subscribed = true;
    consumer.team = subscription.team;
    add_port(consumer, subscription.port);
    if (consumer.version_constraint.empty()) consumer.version_constraint = subscription.version_constraint;
  }
  for (const auto& edge : inputs.dependents) {
    if (edge.consumer_status == registry::LifecycleStatus::retired) continue;
    auto& consumer = consumer_named(edge.consumer.text());
    consumer.dependent = true;
    if (consumer.version_constraint.empty()) consumer.version_constraint = edge.version_constraint;
  }

  std::map<std::string, registry::DailyUsage> days;
  const auto first = day_start(summary.since_day).value_or(now);
  for (std::int64_t day = first; day <= now; day += 86400) days[day_of(day)].day = day_of(day);
  std::map<std::string, std::set<std::string>> observed_versions;
  for (const auto& aggregate : inputs.days) {
    if (aggregate.day < summary.since_day) continue;
    auto& day = days[aggregate.day];
    day.day = aggregate.day;
    day.events += aggregate.events;
    day.rows += aggregate.rows;
    day.bytes += aggregate.bytes;
    auto& consumer = consumer_named(aggregate.consumer);
    consumer.observed = true;
    consumer.events += aggregate.events;
    consumer.rows += aggregate.rows;
    consumer.bytes += aggregate.bytes;
    add_port(consumer, aggregate.port);
    if (!consumer.last_access || aggregate.last_seen > *consumer.last_access)
      consumer.last_access = aggregate.last_seen;
    if (!aggregate.version.empty()) observed_versions[aggregate.version].insert(aggregate.consumer);
    summary.events += aggregate.events;
    summary.rows += aggregate.rows;
    summary.bytes += aggregate.bytes;
  }
  for (auto& [day, usage] : days) summary.days.push_back(usage);

  summary.versions = versions_in_use(inputs, consumers, observed_versions);
  for (auto& [name, consumer] : consumers) {
    std::sort(consumer.ports.begin(), consumer.ports.end());
    if (consumer.observed && !consumer.subscribed && !consumer.dependent) summary.unsubscribed.push_back(name);
    summary.consumers.push_back(std::move(consumer));
  }

  // The SLO's days: a day of the product is met when every port judged that day met its SLO.
  const auto slo_window = std::min(query.since_days, kSloHistoryDays);
  const auto slo_start = day_start(window_start(now, slo_window)).value_or(now);
  std::vector<FreshnessVerdict> product_days(static_cast<std::size_t>(slo_window), FreshnessVerdict::unknown);
  summary.slo_days = slo_window;
  for (const auto& port : inputs.latest.spec.output_ports) {
    registry::PortFreshness freshness;
    freshness.port = port.name.value_or("");
    const std::optional<std::string> slo = port.slo ? port.slo->freshness : std::nullopt;
    freshness.slo = slo.value_or("");
    for (const auto& record : inputs.freshness) {
      if (record.port != freshness.port) continue;
      freshness.updated_at = record.updated_at;
      if (!record.reported_by.empty()) freshness.reported_by = record.reported_by;
    }
    if (freshness.updated_at) {
      if (const auto changed = parse_timestamp(*freshness.updated_at)) freshness.age_seconds = now - *changed;
    }
    freshness.verdict = judge_freshness(slo, freshness.updated_at, now);
    const auto allowed = slo ? parse_duration(*slo) : std::nullopt;
    if (allowed) {
      std::vector<std::int64_t> changes;
      for (const auto& record : inputs.freshness_history) {
        if (record.port != freshness.port) continue;
        if (const auto changed = parse_timestamp(record.updated_at)) changes.push_back(*changed);
      }
      std::sort(changes.begin(), changes.end());
      const auto verdicts = slo_days(*allowed, changes, slo_start, slo_window, now);
      for (std::size_t day = 0; day < verdicts.size(); ++day) {
        if (verdicts[day] == FreshnessVerdict::unknown) continue;
        ++freshness.slo_days_judged;
        if (verdicts[day] == FreshnessVerdict::met) ++freshness.slo_days_met;
        if (product_days[day] != FreshnessVerdict::violated) product_days[day] = verdicts[day];
      }
    }
    summary.freshness.push_back(std::move(freshness));
  }
  for (const auto verdict : product_days) {
    if (verdict == FreshnessVerdict::unknown) continue;
    ++summary.slo_days_judged;
    if (verdict == FreshnessVerdict::met) ++summary.slo_days_met;
  }
  return summary;
}

}  // namespace meshctl::usage
