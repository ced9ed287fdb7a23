#include "meshctl/remote/remote_registry.h"

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/manifest/model.h"
#include "remote/remote_support.h"

namespace meshctl::registry {
namespace {

using nlohmann::json;

// An answer the client cannot read is the server's fault, not the user's:
// unavailable (exit 6), never invalid (exit 2).
template <typename T>
Result<T> read_answer(Result<T> decoded, const RemoteConnection& connection) {
  if (decoded.ok()) return decoded;
  return make_error(ErrorKind::unavailable,
                    "unexpected answer from the registry at " + connection.base_url() + ": " + decoded.error().message);
}

// Calls `request`, then reads its answer with `read`.
template <typename Read>
auto fetch(RemoteConnection& connection, Result<json> answer, Read read)
    -> decltype(read_answer(read(std::declval<const json&>()), connection)) {
  if (!answer) return answer.error();
  return read_answer(read(*answer), connection);
}

json optional_revision(const std::optional<std::int64_t>& revision) {
  return revision ? json(*revision) : json(nullptr);
}

}  // namespace

RemoteRegistry::RemoteRegistry(std::unique_ptr<RemoteConnection> connection) : connection_(std::move(connection)) {}
RemoteRegistry::~RemoteRegistry() = default;

Result<std::unique_ptr<RemoteRegistry>> RemoteRegistry::open(RemoteRegistryOptions options) {
  auto connection = RemoteConnection::open(options);
  if (!connection) return connection.error();
  return std::unique_ptr<RemoteRegistry>(new RemoteRegistry(std::move(*connection)));
}

Result<Change> RemoteRegistry::publish(const manifest::DataProduct& manifest, PublishMode mode) {
  const json body = {{"mode", to_string(mode)}, {"manifest", manifest::to_json(manifest)}};
  return fetch(*connection_, connection_->post("/v1/products", body), change_from_json);
}

Result<ApplyPlan> RemoteRegistry::plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) {
  json list = json::array();
  for (const auto& manifest : manifests) list.push_back(manifest::to_json(manifest));
  const json body = {{"mode", to_string(mode)}, {"manifests", std::move(list)}};
  return fetch(*connection_, connection_->post("/v1/plans", body), apply_plan_from_json);
}

Result<std::vector<Change>> RemoteRegistry::execute(const ApplyPlan& plan) {
  return fetch(*connection_, connection_->post("/v1/plans/execute", to_json(plan)),
               [](const json& answer) { return read_answer_list<Change>(answer, "changes", change_from_json); });
}

Result<ProductRecord> RemoteRegistry::deprecate(const DeprecateRequest& request) {
  json body = {{"sunset", request.sunset},
               {"reason", request.reason},
               {"expectedRevision", optional_revision(request.expected_revision)}};
  if (request.version) body["version"] = *request.version;
  return fetch(*connection_, connection_->post(product_path(request.ref) + "/deprecate", body),
               product_record_from_json);
}

Result<ProductRecord> RemoteRegistry::retire(const RetireRequest& request) {
  const json body = {{"force", request.force},
                     {"reason", request.reason},
                     {"quietDays", request.quiet_days},
                     {"expectedRevision", optional_revision(request.expected_revision)}};
  return fetch(*connection_, connection_->post(product_path(request.ref) + "/retire", body), product_record_from_json);
}

Result<ProductRecord> RemoteRegistry::get_product(const ProductRef& ref) {
  return fetch(*connection_, connection_->get(product_path(ref)), product_record_from_json);
}

Result<ProductDetails> RemoteRegistry::describe(const ProductRef& ref, const std::optional<std::string>& version) {
  httplib::Params query;
  if (version) query.emplace("version", *version);
  return fetch(*connection_, connection_->get(product_path(ref) + "/details", query), product_details_from_json);
}

namespace {

// The query parameters of a filter, as the server's routes read them (routes_catalog.cpp, filter_of).
void add_filter(httplib::Params& query, const ProductFilter& filter) {
  if (filter.domain) query.emplace("domain", *filter.domain);
  if (filter.status) query.emplace("status", to_string(*filter.status));
  for (const auto& [key, value] : filter.labels) query.emplace("label", key + "=" + value);
  if (filter.owner) query.emplace("owner", *filter.owner);
  if (filter.tag) query.emplace("tag", *filter.tag);
  if (filter.term) query.emplace("term", *filter.term);
  if (filter.field) query.emplace("field", *filter.field);
  if (filter.pii) query.emplace("pii", "true");
}

}  // namespace

Result<SearchResult> RemoteRegistry::search(const SearchRequest& request) {
  httplib::Params query;
  query.emplace("q", request.text);
  add_filter(query, request.filter);
  query.emplace("limit", std::to_string(request.limit));
  return fetch(*connection_, connection_->get("/v1/search", query), search_result_from_json);
}

Result<SimilarResult> RemoteRegistry::similar(const SimilarRequest& request) {
  // A client's check, so a bad request costs no round trip and reads the same as the embedded registry's.
  if (auto status = check_similar_request(request); !status.ok()) return status.error();
  const auto score = fmt::format("{}", request.min_score);
  if (request.product) {
    httplib::Params query;
    query.emplace("product", request.product->text());
    if (request.version) query.emplace("version", *request.version);
    query.emplace("limit", std::to_string(request.limit));
    query.emplace("minScore", score);
    return fetch(*connection_, connection_->get("/v1/similar", query), similar_result_from_json);
  }
  const json body = {
      {"manifest", manifest::to_json(*request.manifest)}, {"limit", request.limit}, {"minScore", request.min_score}};
  return fetch(*connection_, connection_->post("/v1/similar", body), similar_result_from_json);
}

Result<ProductPage> RemoteRegistry::list_products(const ProductPageRequest& request) {
  httplib::Params query;
  add_filter(query, request.filter);
  if (request.after) query.emplace("after", request.after->text());
  query.emplace("limit", std::to_string(request.limit));
  return fetch(*connection_, connection_->get("/v1/products", query), [](const json& answer) -> Result<ProductPage> {
    auto products = read_answer_list<ProductRecord>(answer, "products", product_record_from_json);
    if (!products) return products.error();
    ProductPage page{std::move(*products), std::nullopt};
    const auto next = answer.find("next");
    if (next != answer.end() && next->is_string()) {
      auto ref = parse_product_ref(next->get<std::string>());
      if (!ref) return ref.error();
      page.next = std::move(*ref);
    }
    return page;
  });
}

Result<std::vector<DomainRecord>> RemoteRegistry::list_domains() {
  return fetch(*connection_, connection_->get("/v1/domains"), [](const json& answer) {
    return read_answer_list<DomainRecord>(answer, "domains", domain_record_from_json);
  });
}

Result<std::vector<VersionRecord>> RemoteRegistry::list_versions(const ProductRef& ref, const VersionQuery& query) {
  httplib::Params parameters;
  if (query.with_manifests) parameters.emplace("manifests", "true");
  return fetch(*connection_, connection_->get(product_path(ref) + "/versions", parameters), [&ref](const json& answer) {
    return read_answer_list<VersionRecord>(answer, "versions",
                                           [&ref](const json& item) { return version_record_from_json(item, ref); });
  });
}

Result<VersionRecord> RemoteRegistry::get_version(const ProductRef& ref, const std::string& version) {
  return fetch(*connection_, connection_->get(product_path(ref) + "/versions/" + path_segment(version)),
               [&ref](const json& answer) { return version_record_from_json(answer, ref); });
}

Result<std::vector<AuditEvent>> RemoteRegistry::history(const ProductRef& ref, const HistoryQuery& query) {
  httplib::Params parameters = {{"limit", std::to_string(query.limit)}};
  if (query.before_id > 0) parameters.emplace("before", std::to_string(query.before_id));
  return fetch(*connection_, connection_->get(product_path(ref) + "/history", parameters), [](const json& answer) {
    return read_answer_list<AuditEvent>(answer, "events", audit_event_from_json);
  });
}

Result<std::vector<DependencyEdge>> RemoteRegistry::dependencies(const ProductRef& ref) {
  return fetch(*connection_, connection_->get(product_path(ref) + "/dependencies"), [](const json& answer) {
    return read_answer_list<DependencyEdge>(answer, "edges", dependency_edge_from_json);
  });
}

Result<std::vector<DependencyEdge>> RemoteRegistry::dependents(const ProductRef& ref) {
  return fetch(*connection_, connection_->get(product_path(ref) + "/dependents"), [](const json& answer) {
    return read_answer_list<DependencyEdge>(answer, "edges", dependency_edge_from_json);
  });
}

Result<DomainRecord> RemoteRegistry::create_domain(const DomainRequest& request) {
  const json body = {{"name", request.name}, {"ownerTeam", request.owner_team}};
  return fetch(*connection_, connection_->post("/v1/domains", body), domain_record_from_json);
}

Result<NewToken> RemoteRegistry::create_token(const TokenRequest& request) {
  json body = {{"name", request.name}, {"role", to_string(request.role)}, {"domains", request.domains}};
  if (request.expires_in_seconds) body["expiresInSeconds"] = *request.expires_in_seconds;
  return fetch(*connection_, connection_->post("/v1/tokens", body), new_token_from_json);
}

Result<std::vector<PrincipalRecord>> RemoteRegistry::list_tokens() {
  return fetch(*connection_, connection_->get("/v1/tokens"), [](const json& answer) {
    return read_answer_list<PrincipalRecord>(answer, "tokens", principal_record_from_json);
  });
}

Result<PrincipalRecord> RemoteRegistry::revoke_token(const std::string& name) {
  return fetch(*connection_, connection_->del("/v1/tokens/" + path_segment(name)), principal_record_from_json);
}

Result<std::optional<StandardsRecord>> RemoteRegistry::standards() {
  return fetch(*connection_, connection_->get("/v1/standards"),
               [](const json& answer) -> Result<std::optional<StandardsRecord>> {
                 const auto found = answer.find("standards");
                 if (found == answer.end() || found->is_null()) return std::optional<StandardsRecord>();
                 auto record = standards_record_from_json(*found);
                 if (!record) return record.error();
                 return std::optional<StandardsRecord>(std::move(*record));
               });
}

Result<StandardsPublication> RemoteRegistry::publish_standards(const std::string& text) {
  return fetch(*connection_, connection_->post("/v1/standards", json{{"text", text}}), standards_publication_from_json);
}

Result<GlossaryChange> RemoteRegistry::publish_glossary(const manifest::Glossary& glossary, bool dry_run) {
  const json body = {{"glossary", manifest::to_json(glossary)}, {"dryRun", dry_run}};
  return fetch(*connection_, connection_->post("/v1/glossaries", body), glossary_change_from_json);
}

Result<std::vector<TermRecord>> RemoteRegistry::list_terms(const std::optional<std::string>& domain) {
  httplib::Params parameters;
  if (domain) parameters.emplace("domain", *domain);
  return fetch(*connection_, connection_->get("/v1/terms", parameters), [](const json& answer) {
    return read_answer_list<TermRecord>(answer, "terms", term_record_from_json);
  });
}

Result<TermDetails> RemoteRegistry::describe_term(const std::string& name) {
  return fetch(*connection_, connection_->get("/v1/terms/" + path_segment(name)), term_details_from_json);
}

Result<std::vector<QualityRun>> RemoteRegistry::publish_quality(const QualityPublication& publication) {
  return fetch(*connection_, connection_->post(product_path(publication.ref) + "/quality", to_json(publication)),
               quality_runs_from_json);
}

Result<std::vector<QualityRun>> RemoteRegistry::quality_runs(const ProductRef& ref, const QualityQuery& query) {
  httplib::Params parameters = {{"limit", std::to_string(query.limit)}};
  if (query.version) parameters.emplace("version", *query.version);
  if (query.port) parameters.emplace("port", *query.port);
  return fetch(*connection_, connection_->get(product_path(ref) + "/quality", parameters), quality_runs_from_json);
}

Result<NewToken> RemoteRegistry::rotate_token(const TokenRotation& rotation) {
  json body = json::object();
  if (rotation.expires_in_seconds) body["expiresInSeconds"] = *rotation.expires_in_seconds;
  return fetch(*connection_, connection_->post("/v1/tokens/" + path_segment(rotation.name) + "/rotate", body),
               new_token_from_json);
}

Result<AuditPage> RemoteRegistry::audit(const AuditQuery& query) {
  httplib::Params parameters = {{"limit", std::to_string(query.limit)}};
  if (query.domain) parameters.emplace("domain", *query.domain);
  if (query.actor) parameters.emplace("actor", *query.actor);
  if (query.action) parameters.emplace("action", *query.action);
  if (query.since) parameters.emplace("since", *query.since);
  if (query.before_id != 0) parameters.emplace("before", std::to_string(query.before_id));
  return fetch(*connection_, connection_->get("/v1/audit", parameters), audit_page_from_json);
}

}  // namespace meshctl::registry
