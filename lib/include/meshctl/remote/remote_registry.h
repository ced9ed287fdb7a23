#pragma once

// The registry behind a server (`meshctl serve`), over its HTTP/JSON API.
// Every method answers as the embedded registry would: the server's error
// replies come back as the same Error (kind, message, details), so commands
// print and exit alike against both.

#include <memory>
#include <string>

#include "meshctl/registry/registry.h"
#include "meshctl/remote/remote_options.h"

namespace meshctl::registry {

class RemoteConnection;  // lib/src/remote/remote_support.h

class RemoteRegistry final : public Registry {
 public:
  // Checks the URL only (ErrorKind::invalid); the server is first contacted
  // by the first call. A server that cannot be reached fails that call with
  // ErrorKind::unavailable: "cannot reach the registry at URL: <cause>".
  static Result<std::unique_ptr<RemoteRegistry>> open(RemoteRegistryOptions options);
  ~RemoteRegistry() override;

  Result<Change> publish(const manifest::DataProduct& manifest, PublishMode mode) override;
  Result<ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) override;
  Result<std::vector<Change>> execute(const ApplyPlan& plan) override;
  Result<ProductRecord> deprecate(const DeprecateRequest& request) override;
  Result<ProductRecord> retire(const RetireRequest& request) override;

  Result<ProductRecord> get_product(const ProductRef& ref) override;
  Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version) override;
  // One page per call, as the server pages (at most 1,000 products a page).
  Result<ProductPage> list_products(const ProductPageRequest& request) override;
  Result<SearchResult> search(const SearchRequest& request) override;
  // GET /v1/similar?product=DOMAIN/NAME for a registered product, POST /v1/similar with the manifest otherwise.
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

  // In remote_registry_usage.cpp.
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
  explicit RemoteRegistry(std::unique_ptr<RemoteConnection> connection);
  std::unique_ptr<RemoteConnection> connection_;
};

}  // namespace meshctl::registry
