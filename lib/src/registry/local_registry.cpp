#include "meshctl/registry/local_registry.h"

#include <system_error>

#include "meshctl/store/store_factory.h"

namespace meshctl::registry {

Result<std::unique_ptr<LocalRegistry>> LocalRegistry::open(const RegistryLocation& location, std::string actor,
                                                           const Clock& clock, const LocalRegistryOptions& options) {
  std::string store_location;
  switch (location.kind) {
    case RegistryLocation::Kind::sqlite: {
      const std::filesystem::path path = location.target;
      if (options.create_folder && path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec) {
          return make_error(ErrorKind::unavailable,
                            "cannot create the registry folder " + path.parent_path().string() + ": " + ec.message());
        }
      }
      store_location = "sqlite:" + location.target;
      break;
    }
    case RegistryLocation::Kind::postgres: store_location = location.target; break;
    case RegistryLocation::Kind::http:
      return make_error(ErrorKind::invalid, location.target + " is a registry server: open it as a RemoteRegistry");
  }
  auto store = open_store(store_location, StoreOpenOptions{options.lock_wait, options.create_if_missing});
  if (!store.ok()) return store.error();
  return std::unique_ptr<LocalRegistry>(new LocalRegistry(std::move(*store), std::move(actor), clock));
}

Result<std::unique_ptr<LocalRegistry>> LocalRegistry::open(const std::filesystem::path& path, std::string actor,
                                                           const Clock& clock, const LocalRegistryOptions& options) {
  return open(RegistryLocation{RegistryLocation::Kind::sqlite, path.string()}, std::move(actor), clock, options);
}

std::unique_ptr<LocalRegistry> LocalRegistry::over(std::unique_ptr<Store> store, std::string actor,
                                                   const Clock& clock) {
  return std::unique_ptr<LocalRegistry>(new LocalRegistry(std::move(store), std::move(actor), clock));
}

Result<Change> LocalRegistry::publish(const manifest::DataProduct& manifest, PublishMode mode) {
  return service_.publish(caller_, manifest, mode);
}
Result<ApplyPlan> LocalRegistry::plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) {
  return service_.plan(caller_, std::move(manifests), mode);
}
Result<std::vector<Change>> LocalRegistry::execute(const ApplyPlan& plan) {
  return service_.execute(caller_, plan);
}
Result<ProductRecord> LocalRegistry::deprecate(const DeprecateRequest& request) {
  return service_.deprecate(caller_, request);
}
Result<ProductRecord> LocalRegistry::retire(const RetireRequest& request) {
  return service_.retire(caller_, request);
}

Result<ProductRecord> LocalRegistry::get_product(const ProductRef& ref) {
  return service_.get_product(ref);
}
Result<ProductDetails> LocalRegistry::describe(const ProductRef& ref, const std::optional<std::string>& version) {
  return service_.describe(ref, version);
}
Result<ProductPage> LocalRegistry::list_products(const ProductPageRequest& request) {
  return service_.list_products(request);
}

Result<SearchResult> LocalRegistry::search(const SearchRequest& request) {
  return service_.search(request);
}

Result<SimilarResult> LocalRegistry::similar(const SimilarRequest& request) {
  return service_.similar(request);
}
Result<std::vector<DomainRecord>> LocalRegistry::list_domains() {
  return service_.list_domains();
}
Result<std::vector<VersionRecord>> LocalRegistry::list_versions(const ProductRef& ref, const VersionQuery& query) {
  return service_.list_versions(ref, query);
}
Result<VersionRecord> LocalRegistry::get_version(const ProductRef& ref, const std::string& version) {
  return service_.get_version(ref, version);
}
Result<std::vector<AuditEvent>> LocalRegistry::history(const ProductRef& ref, const HistoryQuery& query) {
  return service_.history(ref, query);
}
Result<std::vector<DependencyEdge>> LocalRegistry::dependencies(const ProductRef& ref) {
  return service_.dependencies(ref);
}
Result<std::vector<DependencyEdge>> LocalRegistry::dependents(const ProductRef& ref) {
  return service_.dependents(ref);
}

Result<DomainRecord> LocalRegistry::create_domain(const DomainRequest& request) {
  return service_.create_domain(caller_, request);
}
Result<NewToken> LocalRegistry::create_token(const TokenRequest& request) {
  return service_.create_token(caller_, request);
}
Result<std::vector<PrincipalRecord>> LocalRegistry::list_tokens() {
  return service_.list_tokens(caller_);
}
Result<PrincipalRecord> LocalRegistry::revoke_token(const std::string& name) {
  return service_.revoke_token(caller_, name);
}
Result<NewToken> LocalRegistry::rotate_token(const TokenRotation& rotation) {
  return service_.rotate_token(caller_, rotation);
}
Result<AuditPage> LocalRegistry::audit(const AuditQuery& query) {
  return service_.audit(caller_, query);
}

Result<std::optional<StandardsRecord>> LocalRegistry::standards() {
  return service_.standards();
}
Result<StandardsPublication> LocalRegistry::publish_standards(const std::string& text) {
  return service_.publish_standards(caller_, text);
}
Result<GlossaryChange> LocalRegistry::publish_glossary(const manifest::Glossary& glossary, bool dry_run) {
  return service_.publish_glossary(caller_, glossary, dry_run);
}
Result<std::vector<TermRecord>> LocalRegistry::list_terms(const std::optional<std::string>& domain) {
  return service_.list_terms(domain);
}
Result<TermDetails> LocalRegistry::describe_term(const std::string& name) {
  return service_.describe_term(name);
}
Result<std::vector<QualityRun>> LocalRegistry::publish_quality(const QualityPublication& publication) {
  return service_.publish_quality(caller_, publication);
}
Result<std::vector<QualityRun>> LocalRegistry::quality_runs(const ProductRef& ref, const QualityQuery& query) {
  return service_.quality_runs(ref, query);
}

}  // namespace meshctl::registry
