#pragma once

// What the CLI talks to. LocalRegistry runs RegistryService over an SQLite
// file in-process; the remote registry (HTTP client) will implement the same
// interface, so every command behaves the same against both, and one contract
// test suite (tests/unit/registry/registry_contract.h) checks every
// implementation. Errors and their kinds are those of RegistryService.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/registry/clock.h"
#include "meshctl/registry/service.h"
#include "meshctl/registry/sqlite_store.h"

namespace meshctl::registry {

class Registry {
 public:
  virtual ~Registry() = default;

  virtual Result<Change> publish(const manifest::DataProduct& manifest, PublishMode mode) = 0;
  virtual Result<ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) = 0;
  virtual Result<std::vector<Change>> execute(const ApplyPlan& plan) = 0;
  virtual Result<ProductRecord> deprecate(const DeprecateRequest& request) = 0;
  virtual Result<ProductRecord> retire(const RetireRequest& request) = 0;

  virtual Result<ProductRecord> get_product(const ProductRef& ref) = 0;
  virtual Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version) = 0;
  virtual Result<ProductPage> list_products(const ProductPageRequest& request) = 0;
  virtual Result<std::vector<DomainRecord>> list_domains() = 0;
  virtual Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref) = 0;
  virtual Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version) = 0;
  virtual Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query) = 0;
  virtual Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref) = 0;
  virtual Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref) = 0;

  virtual Result<DomainRecord> create_domain(const DomainRequest& request) = 0;
  virtual Result<NewToken> create_token(const TokenRequest& request) = 0;
  virtual Result<std::vector<PrincipalRecord>> list_tokens() = 0;
  virtual Result<PrincipalRecord> revoke_token(const std::string& name) = 0;

  // Consumers, usage and lineage.
  virtual Result<SubscribeOutcome> subscribe(const SubscribeRequest& request) = 0;
  virtual Result<std::vector<Subscription>> unsubscribe(const UnsubscribeRequest& request) = 0;
  virtual Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) = 0;
  // A remote registry sends big inputs in several requests (each its own
  // transaction); line numbers count from `first_line`.
  virtual Result<UsageReport> report_usage(std::string_view json_lines, std::size_t first_line = 1) = 0;
  virtual Result<UsageSummary> usage(const ProductRef& ref, const UsageQuery& query) = 0;
  virtual Result<LineageGraph> lineage(const LineageRequest& request) = 0;
};

// Streams every product matching `filter`, page by page (`page_size` at a
// time), so memory does not grow with the registry. Stops at the first error,
// or when `visit` returns false (not an error).
Status for_each_product(Registry& registry, const ProductFilter& filter,
                        const std::function<bool(const ProductRecord&)>& visit, std::size_t page_size = 500);

class LocalRegistry final : public Registry {
 public:
  // Opens the registry file at `path` (created, with its schema, when missing;
  // the folder must exist). `actor` is recorded in audit events (the CLI
  // passes the operating-system user). `clock` must outlive the registry.
  static Result<std::unique_ptr<LocalRegistry>> open(const std::filesystem::path& path, std::string actor,
                                                     const Clock& clock, SqliteStoreOptions options = {});

  // Runs the service in-process over any store (PostgreSQL in tests and tools).
  static std::unique_ptr<LocalRegistry> over(std::unique_ptr<Store> store, std::string actor, const Clock& clock);

  Result<Change> publish(const manifest::DataProduct& manifest, PublishMode mode) override;
  Result<ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) override;
  Result<std::vector<Change>> execute(const ApplyPlan& plan) override;
  Result<ProductRecord> deprecate(const DeprecateRequest& request) override;
  Result<ProductRecord> retire(const RetireRequest& request) override;

  Result<ProductRecord> get_product(const ProductRef& ref) override;
  Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version) override;
  Result<ProductPage> list_products(const ProductPageRequest& request) override;
  Result<std::vector<DomainRecord>> list_domains() override;
  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref) override;
  Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version) override;
  Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query) override;
  Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref) override;
  Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref) override;

  Result<DomainRecord> create_domain(const DomainRequest& request) override;
  Result<NewToken> create_token(const TokenRequest& request) override;
  Result<std::vector<PrincipalRecord>> list_tokens() override;
  Result<PrincipalRecord> revoke_token(const std::string& name) override;

  // In local_registry_usage.cpp.
  Result<SubscribeOutcome> subscribe(const SubscribeRequest& request) override;
  Result<std::vector<Subscription>> unsubscribe(const UnsubscribeRequest& request) override;
  Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) override;
  Result<UsageReport> report_usage(std::string_view json_lines, std::size_t first_line = 1) override;
  Result<UsageSummary> usage(const ProductRef& ref, const UsageQuery& query) override;
  Result<LineageGraph> lineage(const LineageRequest& request) override;

 private:
  LocalRegistry(std::unique_ptr<Store> store, std::string actor, const Clock& clock)
      : store_(std::move(store)), service_(*store_, clock), caller_{std::move(actor), std::nullopt} {}

  std::unique_ptr<Store> store_;
  RegistryService service_;
  Caller caller_;
};

}  // namespace meshctl::registry
