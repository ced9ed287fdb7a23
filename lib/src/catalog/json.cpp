#include "meshctl/catalog/json.h"

#include <set>

#include <fmt/format.h>

namespace meshctl::registry {
namespace {

nlohmann::json deprecation_json(const Deprecation& deprecation) {
  return {{"sunset", deprecation.sunset}, {"reason", deprecation.reason}};
}

// Each provider or consumer once, in first-seen order.
nlohmann::json product_names(const std::vector<DependencyEdge>& edges, bool consumers) {
  nlohmann::json names = nlohmann::json::array();
  std::set<std::string> seen;
  for (const auto& edge : edges) {
    auto name = (consumers ? edge.consumer : edge.provider).text();
    if (seen.insert(name).second) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

nlohmann::json to_json(const ProductRecord& product) {
  nlohmann::json json = {{"domain", product.ref.domain},
                         {"name", product.ref.name},
                         {"status", to_string(product.status)},
                         {"revision", product.revision},
                         {"latestVersion", product.latest_version},
                         {"owner", {{"team", product.owner.team}, {"email", product.owner.email}}},
                         {"labels", product.labels},
                         {"createdAt", product.created_at},
                         {"updatedAt", product.updated_at}};
  if (product.deprecation) json["deprecation"] = deprecation_json(*product.deprecation);
  return json;
}

nlohmann::json to_json(const VersionRecord& version, bool with_manifest) {
  nlohmann::json json = {{"version", version.version},
                         {"status", to_string(version.status)},
                         {"publishedAt", version.published_at},
                         {"publishedBy", version.published_by},
                         {"contentHash", version.content_hash}};
  if (version.deprecation) json["deprecation"] = deprecation_json(*version.deprecation);
  if (with_manifest) json["manifest"] = nlohmann::json::parse(version.manifest_json, nullptr, false);
  return json;
}

nlohmann::json to_json(const ProductDetails& details) {
  auto json = to_json(details.product);
  json["versions"] = nlohmann::json::array();
  for (const auto& version : details.versions) json["versions"].push_back(to_json(version));
  json["dependencies"] = product_names(details.dependencies, false);
  json["dependents"] = product_names(details.dependents, true);
  json["inputWarnings"] = nlohmann::json::array();
  for (const auto& warning : details.input_warnings) json["inputWarnings"].push_back(to_json(warning));
  json["selectedVersion"] = details.selected.version;
  json["manifest"] = nlohmann::json::parse(details.selected.manifest_json, nullptr, false);
  return json;
}

nlohmann::json to_json(const InputProviderState& state) {
  nlohmann::json json = {{"port", state.edge.port},
                         {"product", state.edge.provider.text()},
                         {"registered", state.registered},
                         {"status", to_string(state.status)}};
  if (state.deprecation) json["deprecation"] = deprecation_json(*state.deprecation);
  return json;
}

nlohmann::json to_json(const AuditEvent& event) {
  return {{"id", event.id},          {"time", event.time},          {"actor", event.actor},
          {"action", event.action},  {"product", event.ref.text()}, {"version", event.version},
          {"summary", event.summary}};
}

nlohmann::json to_json(const DomainRecord& domain) {
  return {{"name", domain.name},
          {"ownerTeam", domain.owner_team},
          {"createdAt", domain.created_at},
          {"products", domain.product_count}};
}

nlohmann::json to_json(const Change& change) {
  nlohmann::json json = {{"product", change.ref.text()},
                         {"action", to_string(change.action)},
                         {"version", change.to_version},
                         {"revision", change.revision}};
  if (change.action == ChangeAction::evolved) json["fromVersion"] = change.from_version;
  return json;
}

// --- Tenancy and credentials ---

nlohmann::json to_json(const PrincipalRecord& principal) {
  nlohmann::json json = {
      {"name", principal.name},        {"role", to_string(principal.role)}, {"domains", principal.domains},
      {"tokenId", principal.token_id}, {"createdAt", principal.created_at}, {"createdBy", principal.created_by}};
  if (principal.revoked_at) json["revokedAt"] = *principal.revoked_at;
  return json;
}

nlohmann::json to_json(const NewToken& token) {
  auto json = to_json(token.principal);
  json["token"] = token.secret;
  return json;
}

Result<manifest::DataProduct> decode_stored_manifest(const ProductRef& ref, const std::string& version,
                                                     const std::string& manifest_json) {
  auto document = nlohmann::json::parse(manifest_json, nullptr, false);
  auto product = document.is_discarded() ? Result<manifest::DataProduct>(make_error(ErrorKind::invalid, "not JSON"))
                                         : manifest::from_json(document);
  if (product.ok()) return product;
  return make_error(ErrorKind::unavailable,
                    fmt::format("the stored manifest of {}@{} does not decode ({}): the registry's storage is damaged",
                                ref.text(), version, product.error().message),
                    {{"product", ref.text()}, {"version", version}});
}

}  // namespace meshctl::registry
