// The registry contract, run against the remote registry: RemoteRegistry over
// HTTP to a server on loopback, over a fresh SQLite file, and over PostgreSQL
// when MESHCTL_TEST_POSTGRES_URL is set (tests/integration/postgres_cluster.py).

#include <catch2/catch.hpp>

#include "registry/postgres_test_database.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"
#include "server/test_server.h"

namespace meshctl::server {
namespace {

using registry::Registry;

// The domains the contract suite writes to. On a server a domain must exist
// before products go into it, so the factory creates them with the admin token.
const std::vector<std::string> kContractDomains = {"sales", "finance", "marketing"};

// The contract's client: the RemoteRegistry as is, except that list_domains
// leaves out domains without products. The embedded registry creates a domain
// with its first product, so the suite never sees an empty one there; on a
// server the factory created them beforehand. Everything else passes through.
class ContractClient final : public Registry {
 public:
  explicit ContractClient(std::unique_ptr<registry::RemoteRegistry> remote) : remote_(std::move(remote)) {}

  Result<registry::Change> publish(const manifest::DataProduct& manifest, registry::PublishMode mode) override {
    return remote_->publish(manifest, mode);
  }
  Result<registry::ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, registry::PublishMode mode) override {
    return remote_->plan(std::move(manifests), mode);
  }
  Result<std::vector<registry::Change>> execute(const registry::ApplyPlan& plan) override {
    return remote_->execute(plan);
  }
  Result<registry::ProductRecord> deprecate(const registry::DeprecateRequest& request) override {
    return remote_->deprecate(request);
  }
  Result<registry::ProductRecord> retire(const registry::RetireRequest& request) override {
    return remote_->retire(request);
  }
  Result<registry::ProductRecord> get_product(const registry::ProductRef& ref) override {
    return remote_->get_product(ref);
  }
  Result<registry::ProductDetails> describe(const registry::ProductRef& ref,
                                            const std::optional<std::string>& version) override {
    return remote_->describe(ref, version);
  }
  Result<registry::ProductPage> list_products(const registry::ProductPageRequest& request) override {
    return remote_->list_products(request);
  }
  Result<registry::SearchResult> search(const registry::SearchRequest& request) override {
    return remote_->search(request);
  }
  Result<registry::SimilarResult> similar(const registry::SimilarRequest& request) override {
    return remote_->similar(request);
  }
  Result<std::vector<registry::DomainRecord>> list_domains() override {
    auto domains = remote_->list_domains();
    if (!domains) return domains;
    std::erase_if(*domains, [](const registry::DomainRecord& domain) { return domain.product_count == 0; });
    return domains;
  }
  Result<std::vector<registry::VersionRecord>> list_versions(const registry::ProductRef& ref,
                                                             const registry::VersionQuery& query) override {
    return remote_->list_versions(ref, query);
  }
  Result<registry::VersionRecord> get_version(const registry::ProductRef& ref, const std::string& version) override {
    return remote_->get_version(ref, version);
  }
  Result<std::vector<registry::AuditEvent>> history(const registry::ProductRef& ref,
                                                    const registry::HistoryQuery& query) override {
    return remote_->history(ref, query);
  }
  Result<std::vector<registry::DependencyEdge>> dependencies(const registry::ProductRef& ref) override {
    return remote_->dependencies(ref);
  }
  Result<std::vector<registry::DependencyEdge>> dependents(const registry::ProductRef& ref) override {
    return remote_->dependents(ref);
  }
  Result<registry::DomainRecord> create_domain(const registry::DomainRequest& request) override {
    return remote_->create_domain(request);
  }
  Result<registry::NewToken> create_token(const registry::TokenRequest& request) override {
    return remote_->create_token(request);
  }
  Result<std::vector<registry::PrincipalRecord>> list_tokens() override { return remote_->list_tokens(); }
  Result<registry::PrincipalRecord> revoke_token(const std::string& name) override {
    return remote_->revoke_token(name);
  }
  Result<registry::NewToken> rotate_token(const registry::TokenRotation& rotation) override {
    return remote_->rotate_token(rotation);
  }
  Result<registry::AuditPage> audit(const registry::AuditQuery& query) override { return remote_->audit(query); }
  Result<registry::SubscribeOutcome> subscribe(const registry::SubscribeRequest& request) override {
    return remote_->subscribe(request);
  }
  Result<std::vector<registry::Subscription>> unsubscribe(const registry::UnsubscribeRequest& request) override {
    return remote_->unsubscribe(request);
  }
  Result<std::vector<registry::Subscription>> list_subscriptions(
      const std::optional<registry::ProductRef>& product) override {
    return remote_->list_subscriptions(product);
  }
  Result<registry::UsageReport> report_usage(std::string_view json_lines, std::size_t first_line) override {
    return remote_->report_usage(json_lines, first_line);
  }
  Result<registry::UsageSummary> usage(const registry::ProductRef& ref, const registry::UsageQuery& query) override {
    return remote_->usage(ref, query);
  }
  Result<registry::LineageGraph> lineage(const registry::LineageRequest& request) override {
    return remote_->lineage(request);
  }
  Result<std::vector<registry::ProductAttention>> attention() override { return remote_->attention(); }
  Result<std::optional<registry::StandardsRecord>> standards() override { return remote_->standards(); }
  Result<registry::GlossaryChange> publish_glossary(const manifest::Glossary& glossary, bool dry_run) override {
    return remote_->publish_glossary(glossary, dry_run);
  }
  Result<std::vector<registry::TermRecord>> list_terms(const std::optional<std::string>& domain) override {
    return remote_->list_terms(domain);
  }
  Result<registry::TermDetails> describe_term(const std::string& name) override {
    return remote_->describe_term(name);
  }
  Result<std::vector<registry::QualityRun>> publish_quality(const registry::QualityPublication& publication) override {
    return remote_->publish_quality(publication);
  }
  Result<std::vector<registry::QualityRun>> quality_runs(const registry::ProductRef& ref,
                                                         const registry::QualityQuery& query) override {
    return remote_->quality_runs(ref, query);
  }
  Result<registry::StandardsPublication> publish_standards(const std::string& text) override {
    return remote_->publish_standards(text);
  }

 private:
  std::unique_ptr<registry::RemoteRegistry> remote_;
};

// Runs the contract; each registry it asks for is a new server over `next_store()`,
// on the contract's clock.
void check_contract_over(const std::function<std::string()>& next_store) {
  registry::testing::ContractClock clock;
  std::vector<std::unique_ptr<testing::TestServer>> servers;
  registry::testing::check_registry_contract(
      {[&]() -> std::unique_ptr<Registry> {
         servers.clear();  // the previous section's server
         servers.push_back(std::make_unique<testing::TestServer>(next_store(), ServerOptions{}, &clock));
         auto admin = servers.back()->admin();
         for (const auto& domain : kContractDomains) {
           auto created = admin->create_domain({domain, domain + "-data"});
           if (!created) FAIL(created.error().message);
         }
         return std::make_unique<ContractClient>(std::move(admin));
       },
       "admin",
       [&](const std::string& token) -> std::unique_ptr<Registry> {
         return std::make_unique<ContractClient>(servers.back()->client(token));
       },
       &clock});
}

TEST_CASE("RemoteRegistry keeps the registry contract over a server on SQLite", "[server][contract]") {
  registry::testing::TemporaryFolder folder;
  int made = 0;
  check_contract_over(
      [&] { return "sqlite:" + (folder.path() / ("registry-" + std::to_string(++made) + ".db")).string(); });
}

TEST_CASE("RemoteRegistry keeps the registry contract over a server on PostgreSQL", "[server][contract][postgres]") {
  REQUIRE_POSTGRES(server);
  // A fresh schema per server, so each section starts empty.
  check_contract_over([&] { return registry::testing::fresh_schema_url(*server); });
}

}  // namespace
}  // namespace meshctl::server
