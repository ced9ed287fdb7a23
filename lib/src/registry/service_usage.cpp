// RegistryService: subscriptions, usage ingest and summary (the lineage graph: service_lineage.cpp).

#include "registry/service_usage.h"

#include <algorithm>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/core/constraint_match.h"
#include "meshctl/core/semver.h"
#include "meshctl/usage/aggregate.h"
#include "meshctl/usage/events.h"
#include "meshctl/usage/summary.h"
#include "meshctl/usage/time.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::in_read_transaction;
using service_support::in_write_transaction;
using service_support::require_product;

namespace service_usage {

std::int64_t epoch_seconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

std::string RetireBlockers::text() const {
  std::vector<std::string> parts;
  if (!subscriptions.empty()) {
    std::vector<std::string> names;
    for (const auto& subscription : subscriptions) {
      names.push_back(fmt::format("{} (team {})", subscription.consumer, subscription.team));
    }
    parts.push_back(fmt::format("subscribed: {}", fmt::join(names, ", ")));
  }
  if (!recent.empty()) {
    std::vector<std::string> names;
    for (const auto& day : recent) names.push_back(fmt::format("{} (last {})", day.consumer, day.last_seen));
    parts.push_back(fmt::format("used: {}", fmt::join(names, ", ")));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

nlohmann::json RetireBlockers::details() const {
  auto subscribed = nlohmann::json::array();
  for (const auto& subscription : subscriptions) {
    subscribed.push_back(
        {{"consumer", subscription.consumer}, {"team", subscription.team}, {"port", subscription.port}});
  }
  auto used = nlohmann::json::array();
  for (const auto& day : recent) used.push_back({{"consumer", day.consumer}, {"lastAccess", day.last_seen}});
  auto details = nlohmann::json::object();
  if (!subscribed.empty()) details["subscriptions"] = subscribed;
  if (!used.empty()) details["recentUsage"] = used;
  return details;
}

Result<RetireBlockers> retire_blockers(StoreTransaction& transaction, const ProductRef& ref, std::int64_t now,
                                       std::int64_t quiet_days) {
  RetireBlockers blockers;
  auto subscriptions = transaction.list_subscriptions(ref);
  if (!subscriptions.ok()) return subscriptions.error();
  blockers.subscriptions = std::move(*subscriptions);
  if (quiet_days <= 0) return blockers;
  auto days = transaction.usage_days(ref, usage::window_start(now, quiet_days));
  if (!days.ok()) return days.error();
  std::map<std::string, UsageDay> last;  // consumer -> its latest aggregate
  for (auto& day : *days) {
    auto& known = last[day.consumer];
    if (day.last_seen > known.last_seen) known = std::move(day);
  }
  for (auto& [consumer, day] : last) blockers.recent.push_back(std::move(day));
  std::stable_sort(blockers.recent.begin(), blockers.recent.end(),
                   [](const UsageDay& a, const UsageDay& b) { return a.last_seen > b.last_seen; });
  return blockers;
}

Error retire_refusal(const ProductRef& ref, const RetireLifecycle& lifecycle,
                     const std::vector<std::string>& dependents, const RetireBlockers& blockers,
                     std::int64_t quiet_days) {
  std::vector<std::string> reasons;
  std::vector<std::string> advice;
  auto kinds = nlohmann::json::array();
  if (!lifecycle.deprecated) {
    reasons.emplace_back("is not deprecated");
    kinds.push_back("not-deprecated");
  } else if (!lifecycle.sunset_reached) {
    reasons.push_back(fmt::format("is deprecated until its sunset {}", lifecycle.sunset));
    kinds.push_back("sunset-not-reached");
  }
  if (!dependents.empty()) {
    reasons.push_back(fmt::format("is still read by {} product{}: {}", dependents.size(),
                                  dependents.size() == 1 ? "" : "s", fmt::join(dependents, ", ")));
    kinds.push_back("dependents");
  }
  if (!blockers.subscriptions.empty()) kinds.push_back("subscriptions");
  if (!blockers.recent.empty()) kinds.push_back("recent-usage");
  if (!blockers.subscriptions.empty() || !blockers.recent.empty()) {
    reasons.push_back(
        fmt::format("has consumers ({}{})", blockers.text(),
                    blockers.recent.empty() ? std::string() : fmt::format(" within the last {} days", quiet_days)));
  }
  if (!dependents.empty() || !blockers.empty()) advice.emplace_back("migrate or retire its readers");
  if (!lifecycle.deprecated) {
    advice.push_back(
        fmt::format("deprecate it (meshctl deprecate {} --sunset DATE --reason TEXT) and retire it on "
                    "or after DATE",
                    ref.text()));
  } else if (!lifecycle.sunset_reached) {
    advice.push_back(fmt::format("retire it on or after {}", lifecycle.sunset));
  }
  auto details = blockers.details();
  details["product"] = ref.text();
  details["status"] = lifecycle.deprecated ? "deprecated" : "active";
  if (lifecycle.deprecated) details["sunset"] = lifecycle.sunset;
  details["dependents"] = dependents;
  details["blockers"] = kinds;
  return make_error(ErrorKind::conflict,
                    fmt::format("{} {}; {}, or retire with --force", ref.text(), fmt::join(reasons, " and "),
                                fmt::join(advice, ", ")),
                    details);
}

std::string forced_retire_summary(const RetireLifecycle& lifecycle, const std::vector<std::string>& dependents,
                                  const RetireBlockers& blockers) {
  std::vector<std::string> parts;
  if (!lifecycle.deprecated) {
    parts.emplace_back("not deprecated");
  } else if (!lifecycle.sunset_reached) {
    parts.push_back(fmt::format("its sunset {} was ahead", lifecycle.sunset));
  }
  if (!dependents.empty()) parts.push_back(fmt::format("read by {}", fmt::join(dependents, ", ")));
  if (!blockers.empty()) parts.push_back(blockers.text());
  if (parts.empty()) return {};
  return fmt::format(" by force while {}", fmt::join(parts, "; "));
}

Result<std::vector<InputProviderState>> input_warnings(StoreTransaction& transaction,
                                                       const std::vector<DependencyEdge>& dependencies) {
  std::vector<InputProviderState> warnings;
  for (const auto& edge : dependencies) {
    auto provider = transaction.find_product(edge.provider);
    if (!provider.ok()) return provider.error();
    if (!provider->has_value()) {
      warnings.push_back({edge, false, LifecycleStatus::active, std::nullopt, {}, false});
      continue;
    }
    const ProductRecord& product = **provider;
    InputProviderState state{edge, true, product.status, product.deprecation, {}, false};
    if (product.status != LifecycleStatus::retired) {
      auto versions = transaction.list_versions(edge.provider);
      if (!versions.ok()) return versions.error();
      const auto match = match_constraint(edge.version_constraint, offered_versions(product, *versions));
      state.resolves_to = match.matching;
      state.only_deprecated = match.only_deprecated;
      // An active product read only through deprecated versions: the deprecation that ends last.
      if (match.only_deprecated && product.status == LifecycleStatus::active) {
        for (const auto& version : *versions) {
          const bool matched =
              std::find(match.matching.begin(), match.matching.end(), version.version) != match.matching.end();
          if (!matched || !version.deprecation) continue;
          if (!state.deprecation || version.deprecation->sunset >= state.deprecation->sunset) {
            state.deprecation = version.deprecation;
          }
        }
      }
    }
    if (product.status != LifecycleStatus::active || state.only_deprecated || state.resolves_to.empty()) {
      warnings.push_back(std::move(state));
    }
  }
  return warnings;
}

}  // namespace service_usage

namespace {

// A subscription is made by the consuming team, which usually lives in
// another domain than the product: on a server any admin or owner may
// subscribe; a reader may not (it only reads). Without a principal: allowed.
Status authorize_subscription(const Caller& caller, std::string_view attempted) {
  if (!caller.principal || caller.principal->role != Role::reader) return ok_status();
  return make_error(ErrorKind::forbidden,
                    fmt::format("{} (reader) may not {}: subscriptions need an admin or a domain owner's token",
                                caller.principal->name, attempted),
                    {{"principal", caller.principal->name}, {"role", "reader"}, {"attempted", std::string(attempted)}});
}

std::string actor_of(const Caller& caller) {
  return caller.principal ? caller.principal->name : caller.actor;
}

bool has_domain(const PrincipalRecord& principal, const std::string& domain) {
  return std::find(principal.domains.begin(), principal.domains.end(), domain) != principal.domains.end();
}

// Whether the caller speaks for the team that owns `product`: no principal (the embedded registry's
// local user), an admin, or an owner of the product's domain.
bool speaks_for_product(const Caller& caller, const ProductRef& product) {
  return !caller.principal || caller.principal->role == Role::admin || has_domain(*caller.principal, product.domain);
}

// Who may remove a subscription: the product's team or an admin, the principal that made it, and any
// owner of a domain of the team that made it.
bool may_remove(const Caller& caller, const Subscription& subscription) {
  if (speaks_for_product(caller, subscription.product)) return true;
  const auto& principal = *caller.principal;
  if (subscription.created_by == principal.name) return true;
  return std::any_of(subscription.owner_domains.begin(), subscription.owner_domains.end(),
                     [&](const std::string& domain) { return has_domain(principal, domain); });
}

Error removal_refusal(const Caller& caller, const Subscription& subscription) {
  const auto& principal = *caller.principal;
  const std::string owners =
      subscription.owner_domains.empty()
          ? fmt::format("{} made it", subscription.created_by)
          : fmt::format("it belongs to the owners of {}", fmt::join(subscription.owner_domains, ", "));
  return make_error(
      ErrorKind::forbidden,
      fmt::format("{} may not remove the subscription of {} (team {}) to {}: {}; ask them, an owner of {} "
                  "or an admin",
                  principal.name, subscription.consumer, subscription.team, subscription.product.text(), owners,
                  subscription.product.domain),
      {{"principal", principal.name},
       {"product", subscription.product.text()},
       {"consumer", subscription.consumer},
       {"ownerDomains", subscription.owner_domains},
       {"createdBy", subscription.created_by}});
}

Result<manifest::DataProduct> latest_manifest(StoreTransaction& transaction, const ProductRecord& product) {
  auto version = transaction.find_version(product.ref, product.latest_version);
  if (!version.ok()) return version.error();
  if (!version->has_value()) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the registry lost version {} of {}", product.latest_version, product.ref.text()));
  }
  return decode_stored_manifest(product.ref, product.latest_version, (*version)->manifest_json);
}

Status check_subscription(const SubscribeRequest& request) {
  std::vector<std::string> missing;
  if (request.consumer.empty()) missing.emplace_back("a consumer (--consumer NAME)");
  if (request.team.empty()) missing.emplace_back("a team (--team TEAM)");
  if (!missing.empty()) {
    return make_error(ErrorKind::invalid, fmt::format("a subscription to {} needs {}", request.product.text(),
                                                      fmt::join(missing, " and ")));
  }
  if (!request.version_constraint.empty() && !parse_constraint(request.version_constraint)) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("'{}' is not a version constraint: write one like ^2, ~1.4 or >=3.1.0", request.version_constraint),
        {{"version", request.version_constraint}});
  }
  return ok_status();
}

// A subscription's constraint must meet a published version: one that meets
// none is a typo or a version not out yet, and would pin nothing.
Error unmatched_subscription(const SubscribeRequest& request, const ProductRecord& product,
                             const ConstraintMatch& match) {
  std::string example;
  if (const auto latest = parse_version(product.latest_version)) {
    example = latest->major > 0 ? fmt::format(", e.g. ^{}", latest->major) : fmt::format(", e.g. ^0.{}", latest->minor);
  }
  return make_error(
      ErrorKind::not_found,
      fmt::format("no published version of {} meets {} (published: {}): subscribe with a constraint "
                  "that one of them meets{}",
                  request.product.text(), request.version_constraint, version_list_text(match.available), example),
      {{"product", request.product.text()}, {"version", request.version_constraint}, {"published", match.available}});
}

}  // namespace

Result<SubscribeOutcome> RegistryService::subscribe(const Caller& caller, const SubscribeRequest& request) {
  if (auto valid = check_subscription(request); !valid.ok()) return valid.error();
  const auto now = format_utc(clock_.now());
  const auto attempted = fmt::format("subscribe {} to {}", request.consumer, request.product.text());
  if (auto allowed = authorize_subscription(caller, attempted); !allowed.ok()) {
    return service_support::record_refusal(store_, caller, request.product, allowed.error(), now);
  }
  return in_write_transaction<SubscribeOutcome>(store_, [&](StoreTransaction& transaction) -> Result<SubscribeOutcome> {
    auto product = require_product(transaction, request.product);
    if (!product.ok()) return product.error();
    if (product->status == LifecycleStatus::retired) {
      return make_error(ErrorKind::conflict,
                        fmt::format("{} is retired: nobody can subscribe to it any more", request.product.text()),
                        {{"product", request.product.text()}, {"status", "retired"}});
    }
    if (!request.port.empty()) {
      auto latest = latest_manifest(transaction, *product);
      if (!latest.ok()) return latest.error();
      std::vector<std::string> ports;
      for (const auto& port : latest->spec.output_ports) ports.push_back(port.name.value_or(""));
      if (std::find(ports.begin(), ports.end(), request.port) == ports.end()) {
        return make_error(ErrorKind::not_found,
                          fmt::format("{} has no output port '{}' (its ports: {})", request.product.text(),
                                      request.port, fmt::join(ports, ", ")),
                          {{"product", request.product.text()}, {"port", request.port}, {"ports", ports}});
      }
    }
    SubscribeOutcome outcome;
    if (product->status == LifecycleStatus::deprecated) {
      outcome.warnings.push_back(product->deprecation
                                     ? fmt::format("{} is deprecated (sunset {}): {}", request.product.text(),
                                                   product->deprecation->sunset, product->deprecation->reason)
                                     : fmt::format("{} is deprecated", request.product.text()));
    }
    if (!request.version_constraint.empty()) {
      auto versions = transaction.list_versions(request.product);
      if (!versions.ok()) return versions.error();
      const auto match = match_constraint(request.version_constraint, offered_versions(*product, *versions));
      if (match.matching.empty()) return unmatched_subscription(request, *product, match);
      // A deprecated product was warned about above.
      if (match.only_deprecated && product->status == LifecycleStatus::active) {
        outcome.warnings.push_back(fmt::format(
            "{} {} resolves only to deprecated versions ({}; sunset {}): "
            "subscribe to a newer version before then",
            request.product.text(), request.version_constraint, version_list_text(match.matching), match.last_sunset));
      }
    }
    auto existing = transaction.list_subscriptions(request.product);
    if (!existing.ok()) return existing.error();
    for (const auto& subscription : *existing) {
      if (subscription.consumer == request.consumer && subscription.port == request.port &&
          subscription.team == request.team && subscription.version_constraint == request.version_constraint &&
          subscription.purpose == request.purpose) {
        outcome.subscription = subscription;
        return outcome;
      }
    }
    const bool owner = caller.principal && caller.principal->role == Role::owner;
    outcome.subscription = {request.product,
                            request.consumer,
                            request.team,
                            request.port,
                            request.version_constraint,
                            request.purpose,
                            now,
                            actor_of(caller),
                            owner ? caller.principal->domains : std::vector<std::string>{}};
    outcome.changed = true;
    if (auto status = transaction.upsert_subscription(outcome.subscription); !status.ok()) return status.error();
    const auto summary = fmt::format("subscribed {} (team {}){}", request.consumer, request.team,
                                     request.port.empty() ? std::string() : fmt::format(" to port {}", request.port));
    if (auto id = transaction.append_audit({0, now, actor_of(caller), "subscribe", request.product, "", summary});
        !id.ok()) {
      return id.error();
    }
    return outcome;
  });
}

Result<std::vector<Subscription>> RegistryService::unsubscribe(const Caller& caller,
                                                               const UnsubscribeRequest& request) {
  const auto now = format_utc(clock_.now());
  const auto attempted = fmt::format("unsubscribe {} from {}", request.consumer, request.product.text());
  if (auto allowed = authorize_subscription(caller, attempted); !allowed.ok()) {
    return service_support::record_refusal(store_, caller, request.product, allowed.error(), now);
  }
  using Removed = std::vector<Subscription>;
  auto result = in_write_transaction<Removed>(store_, [&](StoreTransaction& transaction) -> Result<Removed> {
    auto product = require_product(transaction, request.product);
    if (!product.ok()) return product.error();
    auto existing = transaction.list_subscriptions(request.product);
    if (!existing.ok()) return existing.error();
    Removed removed;
    for (const auto& subscription : *existing) {
      if (subscription.consumer == request.consumer && (!request.port || subscription.port == *request.port)) {
        removed.push_back(subscription);
      }
    }
    if (removed.empty()) {
      return make_error(
          ErrorKind::not_found,
          fmt::format("{} has no subscription of {}{} (meshctl get subscriptions {} lists them)",
                      request.product.text(), request.consumer,
                      request.port ? fmt::format(" on port {}", *request.port) : std::string(), request.product.text()),
          {{"product", request.product.text()}, {"consumer", request.consumer}});
    }
    for (const auto& subscription : removed) {
      if (!may_remove(caller, subscription)) return removal_refusal(caller, subscription);
    }
    auto deleted = transaction.delete_subscriptions(request.product, request.consumer, request.port);
    if (!deleted.ok()) return deleted.error();
    const auto summary = fmt::format("unsubscribed {}{}", request.consumer,
                                     request.port ? fmt::format(" from port {}", *request.port) : std::string());
    if (auto id = transaction.append_audit({0, now, actor_of(caller), "unsubscribe", request.product, "", summary});
        !id.ok()) {
      return id.error();
    }
    return removed;
  });
  // The refused transaction wrote nothing; the refusal is recorded in one of its own.
  if (!result.ok() && result.error().kind == ErrorKind::forbidden) {
    return service_support::record_refusal(store_, caller, request.product, result.error(), now);
  }
  return result;
}

Result<std::vector<Subscription>> RegistryService::list_subscriptions(const std::optional<ProductRef>& product) {
  using Subscriptions = std::vector<Subscription>;
  return in_read_transaction<Subscriptions>(store_, [&](StoreTransaction& transaction) -> Result<Subscriptions> {
    if (product) {
      if (auto found = require_product(transaction, *product); !found.ok()) return found.error();
    }
    return transaction.list_subscriptions(product);
  });
}

Result<UsageReport> RegistryService::report_usage(const Caller& caller, std::string_view json_lines,
                                                  std::size_t first_line) {
  // Any authenticated principal may report what it read (readers are consumers); only the product's
  // team (or an admin) reports its freshness. Every event remembers who reported it.
  // Read in batches of lines, so memory holds one batch of events and the
  // day aggregates, not every event of a big file; all in one transaction.
  constexpr std::size_t kBatchBytes = std::size_t{4} << 20;
  const auto now = format_utc(clock_.now());
  const auto history_since = usage::slo_history_start(service_usage::epoch_seconds(clock_), usage::kSloHistoryDays);
  const auto reporter = actor_of(caller);
  std::optional<ProductRef> refused_product;
  auto result = in_write_transaction<UsageReport>(store_, [&](StoreTransaction& transaction) -> Result<UsageReport> {
    UsageReport report;
    // The output ports of each product events name (nullopt: not registered); a line naming another
    // product, or a port the product's latest version does not have, is a problem.
    std::map<ProductRef, std::optional<std::vector<std::string>>> known;
    auto registered = [&](std::size_t line, const ProductRef& ref, const std::string& port) -> Result<bool> {
      auto [found, inserted] = known.try_emplace(ref);
      if (inserted) {
        auto product = transaction.find_product(ref);
        if (!product.ok()) return product.error();
        if (product->has_value()) {
          auto latest = latest_manifest(transaction, **product);
          if (!latest.ok()) return latest.error();
          std::vector<std::string> ports;
          for (const auto& output : latest->spec.output_ports) ports.push_back(output.name.value_or(""));
          found->second = std::move(ports);
        }
      }
      if (!found->second) {
        report.problems.push_back({line, fmt::format("no product {} in the registry", ref.text())});
        return false;
      }
      const auto& ports = *found->second;
      if (std::find(ports.begin(), ports.end(), port) == ports.end()) {
        report.problems.push_back({line, fmt::format("{} has no output port '{}' (its ports: {})", ref.text(), port,
                                                     fmt::join(ports, ", "))});
        return false;
      }
      return true;
    };
    usage::DayAggregator days;
    std::vector<const UsageEvent*> events;
    std::vector<std::string> ids;
    for (const auto& [line, batch] : usage::split_lines(json_lines, kBatchBytes)) {
      auto parsed = usage::parse_events(batch, first_line + line - 1);
      std::move(parsed.problems.begin(), parsed.problems.end(), std::back_inserter(report.problems));
      events.clear();
      ids.clear();
      for (const auto& event : parsed.usage) {
        auto exists = registered(event.line, event.product, event.port);
        if (!exists.ok()) return exists.error();
        if (!*exists) continue;
        ids.push_back(event.id);
        events.push_back(&event);
      }
      auto fresh = transaction.remember_usage_ids(ids, reporter);
      if (!fresh.ok()) return fresh.error();
      for (std::size_t i = 0; i < events.size(); ++i) {
        if ((*fresh)[i]) {
          days.add(*events[i]);
          report.accepted += 1;
        } else {
          report.duplicates += 1;
        }
      }
      for (const auto& event : parsed.freshness) {
        if (!speaks_for_product(caller, event.product)) {
          // Another team's freshness would move its SLO: refused whole, nothing of the request kept.
          refused_product = event.product;
          return make_error(ErrorKind::forbidden,
                            fmt::format("line {}: {} may not report the freshness of {}: only its owners (domain {}) "
                                        "or an admin do; nothing of this report was recorded",
                                        event.line, reporter, event.product.text(), event.product.domain),
                            {{"line", event.line}, {"principal", reporter}, {"product", event.product.text()}});
        }
        auto exists = registered(event.line, event.product, event.port);
        if (!exists.ok()) return exists.error();
        if (!*exists) continue;
        if (auto status = transaction.record_freshness({event.product, event.port, event.updated_at, now, reporter},
                                                       history_since);
            !status.ok()) {
          return status.error();
        }
        report.freshness += 1;
      }
    }
    if (auto status = transaction.add_usage_days(days.take()); !status.ok()) return status.error();
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const UsageProblem& a, const UsageProblem& b) { return a.line < b.line; });
    return report;
  });
  if (!result.ok() && result.error().kind == ErrorKind::forbidden && refused_product) {
    return service_support::record_refusal(store_, caller, *refused_product, result.error(), now);
  }
  return result;
}

Result<UsageSummary> RegistryService::usage(const ProductRef& ref, const UsageQuery& query) {
  if (query.since_days <= 0) return make_error(ErrorKind::invalid, "a usage window needs at least one day");
  const auto now = service_usage::epoch_seconds(clock_);
  return in_read_transaction<UsageSummary>(store_, [&](StoreTransaction& transaction) -> Result<UsageSummary> {
    usage::UsageInputs inputs;
    auto product = require_product(transaction, ref);
    if (!product.ok()) return product.error();
    inputs.product = std::move(*product);
    auto latest = latest_manifest(transaction, inputs.product);
    if (!latest.ok()) return latest.error();
    inputs.latest = std::move(*latest);
    auto versions = transaction.list_versions(ref);
    if (!versions.ok()) return versions.error();
    inputs.versions = std::move(*versions);
    auto subscriptions = transaction.list_subscriptions(ref);
    if (!subscriptions.ok()) return subscriptions.error();
    inputs.subscriptions = std::move(*subscriptions);
    auto dependents = transaction.dependents_of(ref);
    if (!dependents.ok()) return dependents.error();
    inputs.dependents = std::move(*dependents);
    auto days = transaction.usage_days(ref, usage::window_start(now, query.since_days));
    if (!days.ok()) return days.error();
    inputs.days = std::move(*days);
    auto freshness = transaction.freshness_of(ref);
    if (!freshness.ok()) return freshness.error();
    inputs.freshness = std::move(*freshness);
    auto history = transaction.freshness_history(ref, usage::slo_history_start(now, query.since_days));
    if (!history.ok()) return history.error();
    inputs.freshness_history = std::move(*history);
    return usage::summarize_usage(inputs, query, now);
  });
}

}  // namespace meshctl::registry
