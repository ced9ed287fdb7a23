// The decoders of json.h: each the inverse of its record's to_json (json.cpp).

#include <algorithm>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/catalog/json_reader.h"
#include "meshctl/core/json_text.h"
#include "meshctl/manifest/model.h"

namespace meshctl::registry {
namespace {

using nlohmann::json;

// Reads every element of a JSON list with `read`, stopping at the first error.
template <typename T, typename Read>
Result<std::vector<T>> read_list(const json& list, Read read) {
  std::vector<T> items;
  if (!list.is_array()) return items;
  items.reserve(list.size());
  for (const auto& element : list) {
    auto item = read(element);
    if (!item) return item.error();
    items.push_back(std::move(*item));
  }
  return items;
}

std::string manifest_text(const json& manifest) {
  return json_text(manifest);
}

}  // namespace

Result<ProductRecord> product_record_from_json(const json& value) {
  ObjectReader reader(value, "product");
  ProductRecord product;
  product.ref = {reader.string("domain"), reader.string("name")};
  product.status = reader.status("status");
  product.revision = reader.integer("revision");
  product.latest_version = reader.string("latestVersion");
  const auto& owner = reader.object("owner");
  if (!owner.is_null()) {
    ObjectReader owner_reader(owner, reader.path("owner"));
    product.owner = {owner_reader.string("team"), owner_reader.string("email")};
    reader.take(owner_reader);
  }
  const auto& labels = reader.object("labels", false);
  for (const auto& [key, label] : labels.items()) {
    if (!label.is_string()) {
      reader.fail(fmt::format("{}.{} is not a string", reader.path("labels"), key));
      break;
    }
    product.labels[key] = label.get<std::string>();
  }
  product.deprecation = reader.deprecation();
  product.created_at = reader.string("createdAt");
  product.updated_at = reader.string("updatedAt");
  return reader.finish(std::move(product));
}

Result<SearchHit> search_hit_from_json(const json& value) {
  auto product = product_record_from_json(value);  // the product's keys are the hit's top level
  if (!product) return product.error();
  ObjectReader reader(value, "hit");
  SearchHit hit{std::move(*product), reader.optional_string("title").value_or(""),
                reader.optional_string("description").value_or(""), reader.strings("matched")};
  return reader.finish(std::move(hit));
}

Result<SearchResult> search_result_from_json(const json& value) {
  ObjectReader reader(value, "the search result");
  const auto& list = reader.array("hits");
  if (!reader.ok()) return reader.error();
  auto hits = read_list<SearchHit>(list, search_hit_from_json);
  if (!hits) return hits.error();
  return SearchResult{std::move(*hits)};
}

Result<SimilarProduct> similar_product_from_json(const json& value) {
  auto product = product_record_from_json(value);  // the product's keys are the item's top level
  if (!product) return product.error();
  ObjectReader reader(value, "similar product");
  SimilarProduct similar;
  similar.product = std::move(*product);
  similar.score = reader.optional_number("score").value_or(0);
  similar.fields = static_cast<std::size_t>(std::max<std::int64_t>(reader.optional_integer("fields").value_or(0), 0));
  similar.shared_fields = reader.strings("sharedFields");
  similar.different_types = reader.strings("differentTypes");
  similar.same_locations = reader.strings("sameLocations");
  return reader.finish(std::move(similar));
}

Result<SimilarResult> similar_result_from_json(const json& value) {
  ObjectReader reader(value, "the similarity result");
  SimilarResult result;
  result.product = reader.ref("product");
  result.version = reader.string("version");
  result.fields = static_cast<std::size_t>(std::max<std::int64_t>(reader.optional_integer("fields").value_or(0), 0));
  const auto& list = reader.array("similar");
  if (!reader.ok()) return reader.error();
  auto similar = read_list<SimilarProduct>(list, similar_product_from_json);
  if (!similar) return similar.error();
  result.similar = std::move(*similar);
  return result;
}

Result<DuplicateFinding> duplicate_finding_from_json(const json& value) {
  ObjectReader reader(value, "duplicate");
  DuplicateFinding finding;
  finding.product = reader.ref("product");
  finding.version = reader.string("version");
  finding.severity = reader.string("severity");
  finding.threshold = reader.optional_number("threshold").value_or(0);
  finding.message = reader.string("message");
  const auto& similar = reader.object("similar");
  if (!reader.ok()) return reader.error();
  auto read = similar_product_from_json(similar);
  if (!read) return read.error();
  finding.similar = std::move(*read);
  return finding;
}

Result<OriginalDocuments> original_documents_from_json(const json& value) {
  ObjectReader reader(value, "original");
  OriginalDocuments original;
  original.format = reader.string("format");
  original.documents_json = reader.string("documents");
  if (reader.ok() && original.format != "odcs" && original.format != "odps") {
    reader.fail(fmt::format("original.format: '{}' is not odcs or odps", original.format));
  }
  return reader.finish(std::move(original));
}

Result<VersionRecord> version_record_from_json(const json& value, const ProductRef& ref) {
  ObjectReader reader(value, "version");
  VersionRecord version;
  version.ref = ref;
  version.version = reader.string("version");
  version.status = reader.status("status");
  version.published_at = reader.string("publishedAt");
  version.published_by = reader.string("publishedBy");
  version.content_hash = reader.string("contentHash");
  version.deprecation = reader.deprecation();
  const auto& manifest = reader.object("manifest", false);
  if (!manifest.is_null()) version.manifest_json = manifest_text(manifest);
  const auto& original = reader.object("original", false);
  if (!original.is_null()) {
    auto read = original_documents_from_json(original);
    if (!read) return read.error();
    version.original = std::move(*read);
  }
  return reader.finish(std::move(version));
}

Result<DependencyEdge> dependency_edge_from_json(const json& value) {
  ObjectReader reader(value, "edge");
  DependencyEdge edge;
  edge.consumer = reader.ref("consumer");
  edge.port = reader.string("port");
  edge.provider = reader.ref("provider");
  edge.version_constraint = reader.optional_string("versionConstraint").value_or("");
  if (value.is_object() && value.contains("consumerStatus")) edge.consumer_status = reader.status("consumerStatus");
  return reader.finish(std::move(edge));
}

Result<ProductDetails> product_details_from_json(const json& value) {
  ObjectReader reader(value, "details");
  const auto& versions_json = reader.array("versions");
  const auto selected_version = reader.string("selectedVersion");
  const auto& manifest = reader.object("manifest", false);
  const auto& dependencies_json = reader.array("dependencyEdges");
  const auto& dependents_json = reader.array("dependentEdges");
  const auto& input_warnings_json = reader.array("inputWarnings", false);
  const auto& quality_json = reader.array("quality", false);
  if (!reader.ok()) return reader.error();

  ProductDetails details;
  auto product = product_record_from_json(value);  // the product's keys are the shape's top level
  if (!product) return product.error();
  details.product = std::move(*product);
  const auto& ref = details.product.ref;
  auto versions =
      read_list<VersionRecord>(versions_json, [&](const json& v) { return version_record_from_json(v, ref); });
  if (!versions) return versions.error();
  details.versions = std::move(*versions);
  // The selected version is one of `versions`, with `manifest`.
  const auto selected = std::find_if(details.versions.begin(), details.versions.end(),
                                     [&](const VersionRecord& version) { return version.version == selected_version; });
  if (selected == details.versions.end()) {
    return make_error(ErrorKind::invalid,
                      fmt::format("details.selectedVersion: '{}' is not one of details.versions", selected_version));
  }
  details.selected = *selected;
  if (!manifest.is_null()) details.selected.manifest_json = manifest_text(manifest);
  auto latest_quality = read_list<QualityRun>(quality_json, quality_run_from_json);
  if (!latest_quality) return latest_quality.error();
  details.latest_quality = std::move(*latest_quality);
  auto dependencies = read_list<DependencyEdge>(dependencies_json, dependency_edge_from_json);
  if (!dependencies) return dependencies.error();
  details.dependencies = std::move(*dependencies);
  auto dependents = read_list<DependencyEdge>(dependents_json, dependency_edge_from_json);
  if (!dependents) return dependents.error();
  details.dependents = std::move(*dependents);
  auto input_warnings =
      read_list<InputProviderState>(input_warnings_json, [&](const json& warning) -> Result<InputProviderState> {
        ObjectReader fields(warning, "details.inputWarnings[]");
        const auto port = fields.string("port");
        const auto provider = fields.ref("product");
        InputProviderState state;
        state.registered = fields.boolean("registered");
        state.status = fields.status("status");
        state.deprecation = fields.deprecation();
        state.resolves_to = fields.strings("resolvesTo");
        state.only_deprecated = fields.boolean("onlyDeprecated");
        if (!fields.ok()) return fields.error();
        // A warning is about one of the dependencies: its edge is that dependency's.
        const auto dependency =
            std::find_if(details.dependencies.begin(), details.dependencies.end(),
                         [&](const DependencyEdge& edge) { return edge.port == port && edge.provider == provider; });
        if (dependency == details.dependencies.end()) {
          return make_error(
              ErrorKind::invalid,
              fmt::format("details.inputWarnings[]: port '{}' reading {} is not in details.dependencyEdges", port,
                          provider.text()));
        }
        state.edge = *dependency;
        return state;
      });
  if (!input_warnings) return input_warnings.error();
  details.input_warnings = std::move(*input_warnings);
  return details;
}

Result<AuditEvent> audit_event_from_json(const json& value) {
  ObjectReader reader(value, "event");
  AuditEvent event;
  event.id = reader.integer("id");
  event.time = reader.string("time");
  event.actor = reader.string("actor");
  event.action = reader.string("action");
  const auto product = reader.optional_string("product").value_or("");
  if (!product.empty()) {
    event.ref = reader.ref("product");
  } else {
    event.ref.domain = reader.optional_string("domain").value_or("");
  }
  event.version = reader.optional_string("version").value_or("");
  event.summary = reader.optional_string("summary").value_or("");
  return reader.finish(std::move(event));
}

Result<AuditPage> audit_page_from_json(const json& value) {
  ObjectReader reader(value, "audit page");
  AuditPage page;
  for (const auto& item : reader.array("events")) {
    auto event = audit_event_from_json(item);
    if (!event) return event.error();
    page.events.push_back(std::move(*event));
  }
  page.next_before = reader.optional_integer("nextBefore");
  return reader.finish(std::move(page));
}

Result<DomainRecord> domain_record_from_json(const json& value) {
  ObjectReader reader(value, "domain");
  DomainRecord domain;
  domain.name = reader.string("name");
  domain.created_at = reader.string("createdAt");
  domain.product_count = reader.integer("products");
  domain.owner_team = reader.optional_string("ownerTeam").value_or("");
  return reader.finish(std::move(domain));
}

Result<Change> change_from_json(const json& value) {
  ObjectReader reader(value, "change");
  Change change;
  change.ref = reader.ref("product");
  const auto action = reader.string("action");
  if (action == "created") {
    change.action = ChangeAction::created;
  } else if (action == "evolved") {
    change.action = ChangeAction::evolved;
  } else if (action == "unchanged") {
    change.action = ChangeAction::unchanged;
  } else if (reader.ok()) {
    reader.fail(fmt::format("{}: '{}' is not created, evolved or unchanged", reader.path("action"), action));
  }
  change.from_version = reader.optional_string("fromVersion").value_or("");
  change.to_version = reader.string("version");
  change.revision = reader.integer("revision");
  return reader.finish(std::move(change));
}

Result<InputPortFinding> input_port_finding_from_json(const json& value) {
  ObjectReader reader(value, "input port");
  InputPortFinding finding;
  finding.consumer = reader.ref("product");
  finding.version = reader.string("version");
  const auto index = reader.integer("index");
  if (index < 0 && reader.ok()) reader.fail(fmt::format("{}: {} is negative", reader.path("index"), index));
  finding.index = static_cast<std::size_t>(std::max<std::int64_t>(index, 0));
  finding.port = reader.string("port");
  finding.provider = reader.ref("provider");
  finding.version_constraint = reader.optional_string("versionConstraint").value_or("");
  finding.rule = reader.string("rule");
  finding.message = reader.string("message");
  finding.available = reader.strings("available");
  finding.sunset = reader.optional_string("sunset").value_or("");
  return reader.finish(std::move(finding));
}

Result<ApplyPlan> apply_plan_from_json(const json& value) {
  ObjectReader reader(value, "plan");
  const auto mode_text = reader.string("mode");
  const auto& items = reader.array("items");
  const auto& warnings = reader.array("warnings", false);
  const auto& duplicates = reader.array("duplicates", false);
  const auto mode = parse_publish_mode(mode_text);
  if (!mode && reader.ok()) reader.fail(fmt::format("plan.mode: '{}' is not apply, create or evolve", mode_text));
  if (!reader.ok()) return reader.error();

  ApplyPlan plan;
  plan.mode = *mode;
  for (const auto& item : items) {
    ObjectReader item_reader(item, "plan.items[]");
    const auto& change_json = item_reader.object("change");
    const auto& manifest_json = item_reader.object("manifest");
    const auto& original_json = item_reader.object("original", false);
    if (!item_reader.ok()) return item_reader.error();
    auto change = change_from_json(change_json);
    if (!change) return change.error();
    auto manifest = manifest::from_json(manifest_json);
    if (!manifest) return manifest.error();
    std::optional<OriginalDocuments> original;
    if (!original_json.is_null()) {
      auto read = original_documents_from_json(original_json);
      if (!read) return read.error();
      original = std::move(*read);
    }
    plan.items.push_back({std::move(*change), std::move(*manifest), std::move(original)});
  }
  auto read_warnings = read_list<InputPortFinding>(warnings, input_port_finding_from_json);
  if (!read_warnings) return read_warnings.error();
  plan.warnings = std::move(*read_warnings);
  auto read_duplicates = read_list<DuplicateFinding>(duplicates, duplicate_finding_from_json);
  if (!read_duplicates) return read_duplicates.error();
  plan.duplicates = std::move(*read_duplicates);
  return plan;
}

Result<PrincipalRecord> principal_record_from_json(const json& value) {
  ObjectReader reader(value, "principal");
  PrincipalRecord principal;
  principal.name = reader.string("name");
  const auto role_text = reader.string("role");
  const auto role = parse_role(role_text);
  if (!role && reader.ok()) reader.fail(fmt::format("principal.role: '{}' is not admin, owner or reader", role_text));
  principal.role = role.value_or(Role::reader);
  for (const auto& domain : reader.array("domains", false)) {
    if (domain.is_string()) principal.domains.push_back(domain.get<std::string>());
  }
  principal.token_id = reader.optional_string("tokenId").value_or("");
  principal.created_at = reader.optional_string("createdAt").value_or("");
  principal.created_by = reader.optional_string("createdBy").value_or("");
  principal.revoked_at = reader.optional_string("revokedAt");
  principal.expires_at = reader.optional_string("expiresAt");
  return reader.finish(std::move(principal));
}

Result<NewToken> new_token_from_json(const json& value) {
  auto principal = principal_record_from_json(value);
  if (!principal) return principal.error();
  ObjectReader reader(value, "new token");
  auto secret = reader.string("token");
  return reader.finish(NewToken{std::move(*principal), std::move(secret)});
}

Result<StandardsRecord> standards_record_from_json(const json& value) {
  ObjectReader reader(value, "standards");
  StandardsRecord record;
  record.version = reader.integer("version");
  record.text = reader.string("text");
  record.content_hash = reader.string("contentHash");
  record.published_at = reader.string("publishedAt");
  record.published_by = reader.string("publishedBy");
  return reader.finish(std::move(record));
}

Result<StandardsPublication> standards_publication_from_json(const json& value) {
  auto record = standards_record_from_json(value);
  if (!record) return record.error();
  ObjectReader reader(value, "standards");
  const bool unchanged = reader.boolean("unchanged");
  return reader.finish(StandardsPublication{std::move(*record), unchanged});
}

}  // namespace meshctl::registry
