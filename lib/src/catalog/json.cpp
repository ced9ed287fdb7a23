#include "meshctl/catalog/json.h"

#include <cmath>
#include <optional>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "meshctl/core/json_text.h"
#include "meshctl/manifest/model.h"

namespace meshctl::registry {
namespace {

nlohmann::json deprecation_json(const Deprecation& deprecation) {
  return {{"sunset", deprecation.sunset}, {"reason", deprecation.reason}};
}

// A stored manifest's text as a value: null when there is none, or when the
// text is not JSON (damaged storage, which decode_stored_manifest reports).
nlohmann::json manifest_value(const std::string& manifest_json) {
  if (manifest_json.empty()) return nullptr;
  auto value = nlohmann::json::parse(manifest_json, nullptr, false);
  if (value.is_discarded()) return nullptr;
  return value;
}

nlohmann::json edges_json(const std::vector<DependencyEdge>& edges) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& edge : edges) list.push_back(to_json(edge));
  return list;
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

// Every key of a described product's shape but "manifest".
nlohmann::json details_without_manifest(const ProductDetails& details) {
  auto json = to_json(details.product);
  json["versions"] = nlohmann::json::array();
  for (const auto& version : details.versions) json["versions"].push_back(to_json(version));
  json["dependencies"] = product_names(details.dependencies, false);
  json["dependents"] = product_names(details.dependents, true);
  json["dependencyEdges"] = edges_json(details.dependencies);
  json["dependentEdges"] = edges_json(details.dependents);
  json["inputWarnings"] = nlohmann::json::array();
  for (const auto& warning : details.input_warnings) json["inputWarnings"].push_back(to_json(warning));
  json["selectedVersion"] = details.selected.version;
  json["quality"] = nlohmann::json::array();
  for (const auto& run : details.latest_quality) json["quality"].push_back(to_json(run));
  return json;
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

nlohmann::json to_json(const SearchHit& hit) {
  auto json = to_json(hit.product);
  json["title"] = hit.title;
  json["description"] = hit.description;
  json["matched"] = hit.matched;
  return json;
}

nlohmann::json to_json(const SearchResult& result) {
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& hit : result.hits) hits.push_back(to_json(hit));
  return {{"hits", std::move(hits)}};
}

nlohmann::json to_json(const SimilarProduct& similar) {
  auto json = to_json(similar.product);
  // Three decimals: what a reader compares, and the same text whatever the platform's last bits.
  json["score"] = std::round(similar.score * 1000.0) / 1000.0;
  json["fields"] = similar.fields;
  json["sharedFields"] = similar.shared_fields;
  json["differentTypes"] = similar.different_types;
  json["sameLocations"] = similar.same_locations;
  return json;
}

nlohmann::json to_json(const SimilarResult& result) {
  nlohmann::json similar = nlohmann::json::array();
  for (const auto& item : result.similar) similar.push_back(to_json(item));
  return {{"product", result.product.text()},
          {"version", result.version},
          {"fields", result.fields},
          {"similar", std::move(similar)}};
}

nlohmann::json to_json(const DuplicateFinding& finding) {
  return {{"product", finding.product.text()}, {"version", finding.version},
          {"rule", "MESH-DUPLICATE"},          {"severity", finding.severity},
          {"threshold", finding.threshold},    {"message", finding.message},
          {"similar", to_json(finding.similar)}};
}

// The documents stay JSON text: a JSON object here would sort their keys.
nlohmann::json to_json(const OriginalDocuments& original) {
  return {{"format", original.format}, {"documents", original.documents_json}};
}

nlohmann::json to_json(const VersionRecord& version, bool with_manifest) {
  nlohmann::json json = {{"version", version.version},
                         {"status", to_string(version.status)},
                         {"publishedAt", version.published_at},
                         {"publishedBy", version.published_by},
                         {"contentHash", version.content_hash}};
  if (version.deprecation) json["deprecation"] = deprecation_json(*version.deprecation);
  if (with_manifest) json["manifest"] = manifest_value(version.manifest_json);
  if (with_manifest && version.original) json["original"] = to_json(*version.original);
  return json;
}

nlohmann::json to_json(const DependencyEdge& edge) {
  return {{"consumer", edge.consumer.text()},
          {"port", edge.port},
          {"provider", edge.provider.text()},
          {"versionConstraint", edge.version_constraint},
          {"consumerStatus", to_string(edge.consumer_status)}};
}

nlohmann::json to_json(const ProductDetails& details) {
  auto json = details_without_manifest(details);
  json["manifest"] = manifest_value(details.selected.manifest_json);
  return json;
}

std::string to_json_text(const ProductDetails& details) {
  // The server's busiest read: the stored manifest, often most of the answer,
  // is JSON the registry wrote, so it goes in as it is instead of being parsed
  // and written again.
  auto text = json_text(details_without_manifest(details));  // "{...}": an object with the product's keys
  const std::string_view manifest = details.selected.manifest_json.empty()
                                        ? std::string_view("null")
                                        : std::string_view(details.selected.manifest_json);
  text.pop_back();
  text.reserve(text.size() + manifest.size() + 16);
  text.append(R"(,"manifest":)").append(manifest).push_back('}');
  return text;
}

nlohmann::json to_json(const InputProviderState& state) {
  nlohmann::json json = {{"port", state.edge.port},
                         {"product", state.edge.provider.text()},
                         {"registered", state.registered},
                         {"status", to_string(state.status)}};
  if (state.deprecation) json["deprecation"] = deprecation_json(*state.deprecation);
  json["resolvesTo"] = state.resolves_to;
  json["onlyDeprecated"] = state.only_deprecated;
  return json;
}

nlohmann::json to_json(const AuditEvent& event) {
  return {{"id", event.id},
          {"time", event.time},
          {"actor", event.actor},
          {"action", event.action},
          {"domain", event.ref.domain},
          {"product", event.ref.name.empty() ? std::string() : event.ref.text()},
          {"version", event.version},
          {"summary", event.summary}};
}

nlohmann::json to_json(const AuditPage& page) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& event : page.events) events.push_back(to_json(event));
  return {{"events", std::move(events)},
          {"nextBefore", page.next_before ? nlohmann::json(*page.next_before) : nlohmann::json(nullptr)}};
}

nlohmann::json to_json(const DomainRecord& domain) {
  return {{"name", domain.name},
          {"ownerTeam", domain.owner_team},
          {"createdAt", domain.created_at},
          {"products", domain.product_count}};
}

const char* to_string(PublishMode mode) {
  switch (mode) {
    case PublishMode::apply: return "apply";
    case PublishMode::create: return "create";
    case PublishMode::evolve: return "evolve";
  }
  return "apply";
}

std::optional<PublishMode> parse_publish_mode(std::string_view text) {
  if (text == "apply") return PublishMode::apply;
  if (text == "create") return PublishMode::create;
  if (text == "evolve") return PublishMode::evolve;
  return std::nullopt;
}

nlohmann::json to_json(const Change& change) {
  nlohmann::json json = {{"product", change.ref.text()},
                         {"action", to_string(change.action)},
                         {"version", change.to_version},
                         {"revision", change.revision}};
  if (change.action == ChangeAction::evolved) json["fromVersion"] = change.from_version;
  return json;
}

nlohmann::json to_json(const InputPortFinding& finding) {
  nlohmann::json json = {{"product", finding.consumer.text()},
                         {"version", finding.version},
                         {"index", finding.index},
                         {"port", finding.port},
                         {"provider", finding.provider.text()},
                         {"versionConstraint", finding.version_constraint},
                         {"rule", finding.rule},
                         {"message", finding.message},
                         {"available", finding.available}};
  if (!finding.sunset.empty()) json["sunset"] = finding.sunset;
  return json;
}

nlohmann::json to_json(const ApplyPlan& plan) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : plan.items) {
    items.push_back({{"change", to_json(item.change)}, {"manifest", manifest::to_json(item.manifest)}});
    if (item.original) items.back()["original"] = to_json(*item.original);
  }
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& warning : plan.warnings) warnings.push_back(to_json(warning));
  nlohmann::json duplicates = nlohmann::json::array();
  for (const auto& duplicate : plan.duplicates) duplicates.push_back(to_json(duplicate));
  return {{"mode", to_string(plan.mode)},
          {"items", std::move(items)},
          {"warnings", std::move(warnings)},
          {"duplicates", std::move(duplicates)}};
}

// --- Tenancy and credentials ---

nlohmann::json to_json(const PrincipalRecord& principal) {
  nlohmann::json json = {
      {"name", principal.name},        {"role", to_string(principal.role)}, {"domains", principal.domains},
      {"tokenId", principal.token_id}, {"createdAt", principal.created_at}, {"createdBy", principal.created_by}};
  json["expiresAt"] = principal.expires_at ? nlohmann::json(*principal.expires_at) : nlohmann::json(nullptr);
  if (principal.revoked_at) json["revokedAt"] = *principal.revoked_at;
  return json;
}

nlohmann::json to_json(const NewToken& token) {
  auto json = to_json(token.principal);
  json["token"] = token.secret;
  return json;
}

// --- The registry's standards ---

nlohmann::json to_json(const StandardsRecord& record) {
  return {{"version", record.version},
          {"text", record.text},
          {"contentHash", record.content_hash},
          {"publishedAt", record.published_at},
          {"publishedBy", record.published_by}};
}

nlohmann::json to_json(const StandardsPublication& publication) {
  auto json = to_json(publication.record);
  json["unchanged"] = publication.unchanged;
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
