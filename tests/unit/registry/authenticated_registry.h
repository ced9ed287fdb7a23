#pragma once

// RegistryService in-process for the holder of a token: every call first
// authenticates the token (as the server does for each request), then runs
// the service for that principal. How the contract suite checks the access
// rules on the embedded registry's stores, where no server stands between.

#include <memory>
#include <string>
#include <utility>

#include "meshctl/registry/registry.h"
#include "meshctl/registry/service.h"
#include "meshctl/store/store.h"

namespace meshctl::registry::testing {

class AuthenticatedRegistry final : public Registry {
 public:
  // `clock` must outlive the registry.
  AuthenticatedRegistry(std::unique_ptr<Store> store, const Clock& clock, std::string token)
      : store_(std::move(store)), service_(*store_, clock), token_(std::move(token)) {}

  Result<Change> publish(const manifest::DataProduct& manifest, PublishMode mode) override {
    return as_caller([&](const Caller& caller) { return service_.publish(caller, manifest, mode); });
  }
  Result<ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) override {
    return as_caller([&](const Caller& caller) { return service_.plan(caller, std::move(manifests), mode); });
  }
  Result<std::vector<Change>> execute(const ApplyPlan& plan) override {
    return as_caller([&](const Caller& caller) { return service_.execute(caller, plan); });
  }
  Result<ProductRecord> deprecate(const DeprecateRequest& request) override {
    return as_caller([&](const Caller& caller) { return service_.deprecate(caller, request); });
  }
  Result<ProductRecord> retire(const RetireRequest& request) override {
    return as_caller([&](const Caller& caller) { return service_.retire(caller, request); });
  }
  Result<ProductRecord> get_product(const ProductRef& ref) override {
    return as_caller([&](const Caller&) { return service_.get_product(ref); });
  }
  Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version) override {
    return as_caller([&](const Caller&) { return service_.describe(ref, version); });
  }
  Result<ProductPage> list_products(const ProductPageRequest& request) override {
    return as_caller([&](const Caller&) { return service_.list_products(request); });
  }
  Result<SearchResult> search(const SearchRequest& request) override {
    return as_caller([&](const Caller&) { return service_.search(request); });
  }
  Result<SimilarResult> similar(const SimilarRequest& request) override {
    return as_caller([&](const Caller&) { return service_.similar(request); });
  }
  Result<std::vector<DomainRecord>> list_domains() override {
    return as_caller([&](const Caller&) { return service_.list_domains(); });
  }
  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref, const VersionQuery& query) override {
    return as_caller([&](const Caller&) { return service_.list_versions(ref, query); });
  }
  Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version) override {
    return as_caller([&](const Caller&) { return service_.get_version(ref, version); });
  }
  Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query) override {
    return as_caller([&](const Caller&) { return service_.history(ref, query); });
  }
  Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref) override {
    return as_caller([&](const Caller&) { return service_.dependencies(ref); });
  }
  Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref) override {
    return as_caller([&](const Caller&) { return service_.dependents(ref); });
  }
  Result<DomainRecord> create_domain(const DomainRequest& request) override {
    return as_caller([&](const Caller& caller) { return service_.create_domain(caller, request); });
  }
  Result<NewToken> create_token(const TokenRequest& request) override {
    return as_caller([&](const Caller& caller) { return service_.create_token(caller, request); });
  }
  Result<std::vector<PrincipalRecord>> list_tokens() override {
    return as_caller([&](const Caller& caller) { return service_.list_tokens(caller); });
  }
  Result<PrincipalRecord> revoke_token(const std::string& name) override {
    return as_caller([&](const Caller& caller) { return service_.revoke_token(caller, name); });
  }
  Result<NewToken> rotate_token(const TokenRotation& rotation) override {
    return as_caller([&](const Caller& caller) { return service_.rotate_token(caller, rotation); });
  }
  Result<AuditPage> audit(const AuditQuery& query) override {
    return as_caller([&](const Caller& caller) { return service_.audit(caller, query); });
  }
  Result<SubscribeOutcome> subscribe(const SubscribeRequest& request) override {
    return as_caller([&](const Caller& caller) { return service_.subscribe(caller, request); });
  }
  Result<std::vector<Subscription>> unsubscribe(const UnsubscribeRequest& request) override {
    return as_caller([&](const Caller& caller) { return service_.unsubscribe(caller, request); });
  }
  Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) override {
    return as_caller([&](const Caller&) { return service_.list_subscriptions(product); });
  }
  Result<UsageReport> report_usage(std::string_view json_lines, std::size_t first_line) override {
    return as_caller([&](const Caller& caller) { return service_.report_usage(caller, json_lines, first_line); });
  }
  Result<UsageSummary> usage(const ProductRef& ref, const UsageQuery& query) override {
    return as_caller([&](const Caller&) { return service_.usage(ref, query); });
  }
  Result<LineageGraph> lineage(const LineageRequest& request) override {
    return as_caller([&](const Caller&) { return service_.lineage(request); });
  }
  Result<std::vector<ProductAttention>> attention() override {
    return as_caller([&](const Caller&) { return service_.attention(); });
  }
  Result<std::optional<StandardsRecord>> standards() override {
    return as_caller([&](const Caller&) { return service_.standards(); });
  }
  Result<StandardsPublication> publish_standards(const std::string& text) override {
    return as_caller([&](const Caller& caller) { return service_.publish_standards(caller, text); });
  }
  Result<GlossaryChange> publish_glossary(const manifest::Glossary& glossary, bool dry_run) override {
    return as_caller([&](const Caller& caller) { return service_.publish_glossary(caller, glossary, dry_run); });
  }
  Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain) override {
    return as_caller([&](const Caller&) { return service_.list_terms(domain); });
  }
  Result<TermDetails> describe_term(const std::string& name) override {
    return as_caller([&](const Caller&) { return service_.describe_term(name); });
  }
  Result<std::vector<QualityRun>> publish_quality(const QualityPublication& publication) override {
    return as_caller([&](const Caller& caller) { return service_.publish_quality(caller, publication); });
  }
  Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualityQuery& query) override {
    return as_caller([&](const Caller&) { return service_.quality_runs(ref, query); });
  }

 private:
  // `call`'s answer for the token's principal; the authentication's error when the token is not valid.
  template <typename Call>
  auto as_caller(Call call) -> decltype(call(std::declval<const Caller&>())) {
    auto principal = service_.authenticate(token_);
    if (!principal.ok()) return principal.error();
    const Caller caller{principal->name, *principal};
    return call(caller);
  }

  std::unique_ptr<Store> store_;
  RegistryService service_;
  std::string token_;
};

}  // namespace meshctl::registry::testing
