#pragma once

// The registry in-process: RegistryService over a store this process opens,
// for one local user.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/core/clock.h"
#include "meshctl/core/error.h"
#include "meshctl/core/registry_location.h"
#include "meshctl/registry/registry.h"
#include "meshctl/registry/service.h"
#include "meshctl/store/store.h"

namespace meshctl::registry {

struct LocalRegistryOptions {
  // How long a write waits for another process's lock (see StoreOpenOptions).
  std::chrono::milliseconds lock_wait{10000};
  // SQLite: create the file when missing (its schema with it).
  bool create_if_missing = true;
  // SQLite: create the file's folder too when missing. Only for a location
  // meshctl chose itself (the default registry): a folder missing under a
  // path the user gave is more likely a typo.
  bool create_folder = false;
};

class LocalRegistry final : public Registry {
 public:
  // Opens the registry stored at `location` (an SQLite file, created with its
  // schema when missing; or a PostgreSQL database). `actor` is recorded in
  // audit events (the CLI passes the operating-system user); it may do
  // everything, as the owner of an embedded registry. `clock` must outlive
  // the registry. Errors: those of open_store (meshctl/store/store_factory.h);
  // ErrorKind::invalid for a registry server's URL (RemoteRegistry opens
  // those); ErrorKind::unavailable when options.create_folder and the folder
  // cannot be made.
  static Result<std::unique_ptr<LocalRegistry>> open(const RegistryLocation& location, std::string actor,
                                                     const Clock& clock, const LocalRegistryOptions& options = {});
  // The SQLite file at `path`.
  static Result<std::unique_ptr<LocalRegistry>> open(const std::filesystem::path& path, std::string actor,
                                                     const Clock& clock, const LocalRegistryOptions& options = {});

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
  Result<SearchResult> search(const SearchRequest& request) override;
  Result<SimilarResult> similar(const SimilarRequest& request) override;
  Result<std::vector<DomainRecord>> list_domains() override;
  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref, const VersionQuery& query) override;
  Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version) override;
  Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query) override;
  Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref) override;
  Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref) override;

  Result<DomainRecord> create_domain(const DomainRequest& request) override;
  Result<NewToken> create_token(const TokenRequest& request) override;
  Result<std::vector<PrincipalRecord>> list_tokens() override;
  Result<PrincipalRecord> revoke_token(const std::string& name) override;
  Result<NewToken> rotate_token(const TokenRotation& rotation) override;
  Result<AuditPage> audit(const AuditQuery& query) override;

  // In local_registry_usage.cpp.
  Result<SubscribeOutcome> subscribe(const SubscribeRequest& request) override;
  Result<std::vector<Subscription>> unsubscribe(const UnsubscribeRequest& request) override;
  Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) override;
  Result<UsageReport> report_usage(std::string_view json_lines, std::size_t first_line = 1) override;
  Result<UsageSummary> usage(const ProductRef& ref, const UsageQuery& query) override;
  Result<LineageGraph> lineage(const LineageRequest& request) override;
  Result<std::vector<ProductAttention>> attention() override;

  Result<std::optional<StandardsRecord>> standards() override;
  Result<StandardsPublication> publish_standards(const std::string& text) override;
  Result<GlossaryChange> publish_glossary(const manifest::Glossary& glossary, bool dry_run) override;
  Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain) override;
  Result<TermDetails> describe_term(const std::string& name) override;
  Result<std::vector<QualityRun>> publish_quality(const QualityPublication& publication) override;
  Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualityQuery& query) override;

 private:
  LocalRegistry(std::unique_ptr<Store> store, std::string actor, const Clock& clock)
      : store_(std::move(store)), service_(*store_, clock), caller_{std::move(actor), std::nullopt} {}

  std::unique_ptr<Store> store_;
  RegistryService service_;
  Caller caller_;
};

}  // namespace meshctl::registry
