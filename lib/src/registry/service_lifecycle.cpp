// RegistryService: deprecation, retirement, and every read.

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "meshctl/core/semver.h"
#include "meshctl/registry/service.h"
#include "registry/service_support.h"
#include "registry/service_usage.h"

namespace meshctl::registry {

using service_support::in_read_transaction;
using service_support::in_write_transaction;
using service_support::require_product;
using service_support::require_version;

namespace {

Status check_revision(const ProductRecord& product, const std::optional<std::int64_t>& expected) {
  if (expected && *expected != product.revision) {
    return make_error(
        ErrorKind::conflict,
        fmt::format("{} changed since it was read (revision {}, now {}): read it again and retry", product.ref.text(),
                    *expected, product.revision),
        {{"product", product.ref.text()}, {"expectedRevision", *expected}, {"revision", product.revision}});
  }
  return ok_status();
}

// A deprecation names a real date and says why: a missing or malformed
// argument is the caller's mistake (invalid), not a state of the registry.
Status check_deprecation_request(const DeprecateRequest& request) {
  const auto subject = request.ref.text() + (request.version ? "@" + *request.version : "");
  const nlohmann::json details = {{"product", request.ref.text()}, {"sunset", request.sunset}};
  if (request.sunset.empty()) {
    return make_error(ErrorKind::invalid,
                      fmt::format("deprecating {} needs a sunset date (--sunset YYYY-MM-DD): the day after which it "
                                  "may be retired",
                                  subject),
                      details);
  }
  if (!is_calendar_date(request.sunset)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("the sunset '{}' is not a date written YYYY-MM-DD, e.g. 2027-06-30", request.sunset),
                      details);
  }
  if (request.reason.empty()) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("deprecating {} needs a reason (--reason TEXT): why, and what to use instead", subject), details);
  }
  return ok_status();
}

// A sunset being set lies in the future: a date already past would make the
// deprecation a retirement without notice. Repeating a deprecation as it is
// changes nothing, so it is not checked again.
Status check_sunset_ahead(const DeprecateRequest& request, const std::string& today) {
  if (request.sunset > today) return ok_status();
  return make_error(ErrorKind::invalid,
                    fmt::format("the sunset {} is not in the future (today is {}, UTC): give consumers a later date "
                                "to move by",
                                request.sunset, today),
                    {{"product", request.ref.text()}, {"sunset", request.sunset}, {"today", today}});
}

// Where the product stands on its way to retirement (service_usage.h).
service_usage::RetireLifecycle lifecycle_of(const ProductRecord& product, const std::string& today) {
  service_usage::RetireLifecycle lifecycle;
  lifecycle.deprecated = product.status == LifecycleStatus::deprecated;
  if (lifecycle.deprecated && product.deprecation) lifecycle.sunset = product.deprecation->sunset;
  lifecycle.sunset_reached = lifecycle.deprecated && lifecycle.sunset <= today;
  return lifecycle;
}

}  // namespace

Result<ProductRecord> RegistryService::deprecate(const Caller& caller, const DeprecateRequest& request) {
  const auto now = format_utc(clock_.now());
  const auto attempted =
      fmt::format("deprecate {}{}", request.ref.text(), request.version ? "@" + *request.version : "");
  if (auto allowed = service_support::authorize_write(caller, request.ref.domain, attempted); !allowed.ok()) {
    return service_support::record_refusal(store_, caller, request.ref, allowed.error(), now);
  }
  // Checked once the caller is known to be allowed: a refusal says nothing about the request.
  if (auto valid = check_deprecation_request(request); !valid.ok()) return valid.error();
  const Deprecation deprecation{request.sunset, request.reason};
  const auto today = now.substr(0, 10);
  return in_write_transaction<ProductRecord>(store_, [&](StoreTransaction& transaction) -> Result<ProductRecord> {
    auto product = require_product(transaction, request.ref);
    if (!product.ok()) return product;
    if (auto status = check_revision(*product, request.expected_revision); !status.ok()) return status.error();
    if (product->status == LifecycleStatus::retired) {
      return make_error(ErrorKind::conflict,
                        fmt::format("{} is retired: there is nothing left to deprecate", request.ref.text()),
                        {{"product", request.ref.text()}, {"status", "retired"}});
    }
    AuditEvent event{0, now, caller.actor, "deprecate", request.ref, request.version.value_or(""), ""};
    if (request.version) {
      auto version = require_version(transaction, request.ref, *request.version);
      if (!version.ok()) return version.error();
      if (version->status == LifecycleStatus::deprecated && version->deprecation == deprecation) return product;
      if (auto future = check_sunset_ahead(request, today); !future.ok()) return future.error();
      version->status = LifecycleStatus::deprecated;
      version->deprecation = deprecation;
      if (auto status = transaction.update_version_status(*version); !status.ok()) return status.error();
      event.summary =
          fmt::format("version {} deprecated, sunset {}: {}", *request.version, request.sunset, request.reason);
    } else {
      if (product->status == LifecycleStatus::deprecated && product->deprecation == deprecation) return product;
      if (auto future = check_sunset_ahead(request, today); !future.ok()) return future.error();
      product->status = LifecycleStatus::deprecated;
      product->deprecation = deprecation;
      event.summary = fmt::format("deprecated, sunset {}: {}", request.sunset, request.reason);
    }
    // A version's state is part of the product, so every change moves the revision.
    product->updated_at = now;
    if (auto status = transaction.update_product(*product, product->revision); !status.ok()) return status.error();
    product->revision += 1;
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return product;
  });
}

Result<ProductRecord> RegistryService::retire(const Caller& caller, const RetireRequest& request) {
  const auto now = format_utc(clock_.now());
  const auto attempted = fmt::format("retire {}", request.ref.text());
  if (auto allowed = service_support::authorize_write(caller, request.ref.domain, attempted); !allowed.ok()) {
    return service_support::record_refusal(store_, caller, request.ref, allowed.error(), now);
  }
  return in_write_transaction<ProductRecord>(store_, [&](StoreTransaction& transaction) -> Result<ProductRecord> {
    auto product = require_product(transaction, request.ref);
    if (!product.ok()) return product;
    if (auto status = check_revision(*product, request.expected_revision); !status.ok()) return status.error();
    if (product->status == LifecycleStatus::retired) return product;
    auto edges = transaction.dependents_of(request.ref);
    if (!edges.ok()) return edges.error();
    // Deprecated consumers still read it until their own sunset, so they count.
    std::set<std::string> consumers;
    for (const auto& edge : *edges) {
      if (edge.consumer_status != LifecycleStatus::retired && edge.consumer != request.ref) {
        consumers.insert(edge.consumer.text());
      }
    }
    const std::vector<std::string> listed(consumers.begin(), consumers.end());
    // Subscriptions and recent usage also refuse it (service_usage.cpp).
    auto blockers = service_usage::retire_blockers(transaction, request.ref, service_usage::epoch_seconds(clock_),
                                                   request.quiet_days);
    if (!blockers.ok()) return blockers.error();
    // Retirement follows a deprecation whose sunset has come (a soft delete, then the hard one).
    const auto lifecycle = lifecycle_of(*product, now.substr(0, 10));
    if ((!lifecycle.ready() || !listed.empty() || !blockers->empty()) && !request.force) {
      return service_usage::retire_refusal(request.ref, lifecycle, listed, *blockers, request.quiet_days);
    }
    auto versions = transaction.list_versions(request.ref);
    if (!versions.ok()) return versions.error();
    for (auto& version : *versions) {
      if (version.status == LifecycleStatus::retired) continue;
      version.status = LifecycleStatus::retired;
      if (auto status = transaction.update_version_status(version); !status.ok()) return status.error();
    }
    product->status = LifecycleStatus::retired;
    product->updated_at = now;
    if (auto status = transaction.update_product(*product, product->revision); !status.ok()) return status.error();
    product->revision += 1;
    // A retired product is no one's duplicate: it leaves the similarity index.
    if (auto status = transaction.replace_similarity_entry(request.ref, {}); !status.ok()) return status.error();
    std::string summary = "retired";
    summary += service_usage::forced_retire_summary(lifecycle, listed, *blockers);
    if (!request.reason.empty()) summary += ": " + request.reason;
    if (auto id = transaction.append_audit({0, now, caller.actor, "retire", request.ref, "", summary}); !id.ok()) {
      return id.error();
    }
    return product;
  });
}

Result<ProductRecord> RegistryService::get_product(const ProductRef& ref) {
  return in_read_transaction<ProductRecord>(
      store_, [&](StoreTransaction& transaction) { return require_product(transaction, ref); });
}

Result<ProductDetails> RegistryService::describe(const ProductRef& ref, const std::optional<std::string>& version) {
  return in_read_transaction<ProductDetails>(store_, [&](StoreTransaction& transaction) -> Result<ProductDetails> {
    ProductDetails details;
    auto product = require_product(transaction, ref);
    if (!product.ok()) return product.error();
    details.product = std::move(*product);
    auto selected = require_version(transaction, ref, version.value_or(details.product.latest_version));
    if (!selected.ok()) return selected.error();
    details.selected = std::move(*selected);
    auto versions = transaction.list_versions(ref);
    if (!versions.ok()) return versions.error();
    details.versions = std::move(*versions);
    for (auto& record : details.versions) record.manifest_json.clear();
    auto dependencies = transaction.dependencies_of(ref);
    if (!dependencies.ok()) return dependencies.error();
    details.dependencies = std::move(*dependencies);
    auto dependents = transaction.dependents_of(ref);
    if (!dependents.ok()) return dependents.error();
    details.dependents = std::move(*dependents);
    auto input_warnings = service_usage::input_warnings(transaction, details.dependencies);
    if (!input_warnings.ok()) return input_warnings.error();
    details.input_warnings = std::move(*input_warnings);
    QualitySelection latest;
    latest.version = details.selected.version;
    latest.latest_per_port = true;
    latest.with_checks = false;
    latest.limit = kMaxQualityLimit;
    auto quality = transaction.quality_runs(ref, latest);
    if (!quality.ok()) return quality.error();
    details.latest_quality = std::move(*quality);
    std::sort(details.latest_quality.begin(), details.latest_quality.end(),
              [](const QualityRun& a, const QualityRun& b) { return a.port < b.port; });
    return details;
  });
}

Result<ProductPage> RegistryService::list_products(const ProductPageRequest& request) {
  if (request.limit == 0) return make_error(ErrorKind::invalid, "a page of products needs a limit above 0");
  return in_read_transaction<ProductPage>(
      store_, [&](StoreTransaction& transaction) { return transaction.list_products(request); });
}

Result<std::vector<DomainRecord>> RegistryService::list_domains() {
  return in_read_transaction<std::vector<DomainRecord>>(
      store_, [&](StoreTransaction& transaction) { return transaction.list_domains(); });
}

Result<std::vector<VersionRecord>> RegistryService::list_versions(const ProductRef& ref, const VersionQuery& query) {
  using Versions = std::vector<VersionRecord>;
  return in_read_transaction<Versions>(store_, [&](StoreTransaction& transaction) -> Result<Versions> {
    if (auto product = require_product(transaction, ref); !product.ok()) return product.error();
    auto versions = transaction.list_versions(ref);
    if (versions.ok() && !query.with_manifests) {
      for (auto& version : *versions) version.manifest_json.clear();
    }
    return versions;
  });
}

Result<VersionRecord> RegistryService::get_version(const ProductRef& ref, const std::string& version) {
  return in_read_transaction<VersionRecord>(store_, [&](StoreTransaction& transaction) -> Result<VersionRecord> {
    if (auto product = require_product(transaction, ref); !product.ok()) return product.error();
    return require_version(transaction, ref, version);
  });
}

Result<std::vector<AuditEvent>> RegistryService::history(const ProductRef& ref, const HistoryQuery& query) {
  using Events = std::vector<AuditEvent>;
  return in_read_transaction<Events>(store_, [&](StoreTransaction& transaction) -> Result<Events> {
    if (auto product = require_product(transaction, ref); !product.ok()) return product.error();
    return transaction.history(ref, query.limit, query.before_id);
  });
}

Result<std::vector<DependencyEdge>> RegistryService::dependencies(const ProductRef& ref) {
  using Edges = std::vector<DependencyEdge>;
  return in_read_transaction<Edges>(store_, [&](StoreTransaction& transaction) -> Result<Edges> {
    if (auto product = require_product(transaction, ref); !product.ok()) return product.error();
    return transaction.dependencies_of(ref);
  });
}

Result<std::vector<DependencyEdge>> RegistryService::dependents(const ProductRef& ref) {
  using Edges = std::vector<DependencyEdge>;
  return in_read_transaction<Edges>(store_, [&](StoreTransaction& transaction) -> Result<Edges> {
    if (auto product = require_product(transaction, ref); !product.ok()) return product.error();
    return transaction.dependents_of(ref);
  });
}

std::vector<PinnedDependent> dependents_on_older_major(const ProductDetails& details) {
  std::vector<PinnedDependent> pinned;
  const auto latest = parse_version(details.product.latest_version);
  if (!latest) return pinned;
  for (const auto& edge : details.dependents) {
    const auto constraint = parse_constraint(edge.version_constraint);
    if (!constraint) continue;
    std::optional<Version> best;
    std::string best_text;
    for (const auto& record : details.versions) {
      const auto version = parse_version(record.version);
      if (!version || !constraint->satisfied_by(*version)) continue;
      if (!best || compare_versions(*version, *best) > 0) {
        best = version;
        best_text = record.version;
      }
    }
    if (best && best->major < latest->major) pinned.push_back({edge, best_text});
  }
  return pinned;
}

}  // namespace meshctl::registry
