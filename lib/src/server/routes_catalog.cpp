// Products, versions, plans, history, dependencies and the domain list.

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/catalog/json_reader.h"
#include "meshctl/catalog/search.h"
#include "meshctl/core/json_text.h"
#include "meshctl/interop/import.h"
#include "meshctl/manifest/model.h"
#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

using nlohmann::json;
using registry::ProductRef;

// A page holds at most this many products, whatever the client asks.
constexpr std::int64_t kMaxPageSize = 1000;

// A service refusing a well-formed request's manifest as invalid answers 422;
// every other error keeps its usual status.
void reply_publish_error(Exchange& exchange, const Error& error) {
  reply_error(exchange.response, error, error.kind == ErrorKind::invalid ? 422 : 0);
}

Result<registry::PublishMode> mode_of(const json& body) {
  const auto found = body.find("mode");
  if (found == body.end()) return registry::PublishMode::apply;
  const auto mode = found->is_string() ? registry::parse_publish_mode(found->get<std::string>()) : std::nullopt;
  if (!mode) return make_error(ErrorKind::invalid, "mode must be apply, create or evolve");
  return *mode;
}

Result<manifest::DataProduct> manifest_of(const json& value, const std::string& where) {
  auto manifest = manifest::from_json(value);
  if (!manifest) return make_error(ErrorKind::invalid, where + ": " + manifest.error().message);
  return manifest;
}

template <typename T>
json list_json(const std::vector<T>& items) {
  json list = json::array();
  for (const auto& item : items) list.push_back(registry::to_json(item));
  return list;
}

// Whether the body is ODCS or ODPS documents rather than {"mode", "manifest"}: a YAML body (Content-Type
// application/yaml), or a JSON object with a `kind`.
bool is_open_standard_body(const Exchange& exchange, const Result<json>& body) {
  if (exchange.request.get_header_value("Content-Type").find("yaml") != std::string::npos) return true;
  return body && body->contains("kind");
}

json request_finding_json(const Diagnostic& finding) {
  return {{"line", finding.position.line}, {"column", finding.position.column}, {"rule", finding.rule},
          {"path", finding.path},          {"message", finding.message}};
}

// An ODCS contract, or an ODPS product with its output ports' contracts (YAML documents separated by ---,
// or one JSON document), published as the native manifests they convert to (?mode=, apply by default),
// the documents kept as each version's original. 422 with the findings (details.findings, positions in
// the body) when a document is not one of them or breaks its schema, or a contract is missing.
void publish_open_standard(Exchange& exchange) {
  auto mode = registry::PublishMode::apply;
  if (const auto given = exchange.query("mode")) {
    const auto parsed = registry::parse_publish_mode(*given);
    if (!parsed) {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, "mode must be apply, create or evolve"));
    }
    mode = *parsed;
  }
  auto loaded = yaml::parse_yaml(exchange.body, "<request>");
  std::vector<Diagnostic> findings = std::move(loaded.diagnostics);
  std::vector<interop::OpenDocument> documents;
  for (auto& document : loaded.documents) {
    auto kind = interop::recognize(document.root);
    if (!kind) {
      findings.push_back(Diagnostic{"<request>", document.root.position, Severity::error, "MESH-INTEROP-UNKNOWN", "",
                                    "not an ODCS contract (kind DataContract) or an ODPS product (kind DataProduct, "
                                    "apiVersion v1.0.0): POST a native manifest as {\"manifest\": ...}"});
      continue;
    }
    const std::size_t before = findings.size();
    interop::check_document(document.root, *kind, "<request>", findings);
    const bool schema_errors = std::any_of(findings.begin() + static_cast<std::ptrdiff_t>(before), findings.end(),
                                           [](const Diagnostic& d) { return d.severity == Severity::error; });
    json value = yaml::to_sorted_json(document.root);
    documents.push_back(interop::OpenDocument{"<request>", kind->standard, std::move(document.root), std::move(value),
                                              schema_errors});
  }
  std::vector<const interop::OpenDocument*> pointers;
  for (const auto& document : documents) pointers.push_back(&document);
  interop::ImportResult imported = interop::import_documents(pointers);
  findings.insert(findings.end(), imported.diagnostics.begin(), imported.diagnostics.end());
  std::erase_if(findings, [](const Diagnostic& d) { return d.severity != Severity::error; });
  if (!findings.empty() || imported.products.empty()) {
    json listed = json::array();
    for (const auto& finding : findings) listed.push_back(request_finding_json(finding));
    const std::string first = findings.empty() ? "the body holds no ODCS contract or ODPS product"
                                               : fmt::format("{}:{}: {} [{}]", findings[0].position.line,
                                                             findings[0].position.column, findings[0].message,
                                                             findings[0].rule);
    return reply_error(exchange.response,
                       make_error(ErrorKind::invalid,
                                  fmt::format("nothing was written: {} ({} finding{}; meshctl validate shows them all)",
                                              first, findings.size(), findings.size() == 1 ? "" : "s"),
                                  {{"findings", std::move(listed)}}),
                       422);
  }
  std::vector<manifest::DataProduct> products;
  std::map<std::string, registry::OriginalDocuments> originals;  // by "domain/name@version"
  for (auto& product : imported.products) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto* document : product.documents) {
      if (document != nullptr) list.push_back(yaml::to_json(document->root));
    }
    originals[product.product.id() + "@" + product.product.metadata.version] = registry::OriginalDocuments{
        product.standard == interop::Standard::odcs ? "odcs" : "odps", json_text(list)};
    products.push_back(std::move(product.product));
  }
  auto planned = exchange.service.plan(exchange.caller, std::move(products), mode);
  if (!planned) return reply_publish_error(exchange, planned.error());
  for (auto& item : planned->items) {
    auto found = originals.find(item.manifest.id() + "@" + item.manifest.metadata.version);
    if (found != originals.end()) item.original = found->second;
  }
  auto changes = exchange.service.execute(exchange.caller, *planned);
  if (!changes) return reply_publish_error(exchange, changes.error());
  const bool created = std::any_of(changes->begin(), changes->end(), [](const registry::Change& change) {
    return change.action == registry::ChangeAction::created;
  });
  reply_json(exchange.response, created ? 201 : 200, {{"changes", list_json(*changes)}});
}

void publish(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (is_open_standard_body(exchange, body)) return publish_open_standard(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  auto mode = mode_of(*body);
  if (!mode) return reply_error(exchange.response, mode.error());
  auto manifest = manifest_of(body->value("manifest", json()), "manifest");
  if (!manifest) return reply_error(exchange.response, manifest.error());
  auto change = exchange.service.publish(exchange.caller, *manifest, *mode);
  if (!change) return reply_publish_error(exchange, change.error());
  const int status = change->action == registry::ChangeAction::created ? 201 : 200;
  reply_json(exchange.response, status, registry::to_json(*change));
}

void plan(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  auto mode = mode_of(*body);
  if (!mode) return reply_error(exchange.response, mode.error());
  const auto manifests_json = body->value("manifests", json());
  if (!manifests_json.is_array()) {
    return reply_error(exchange.response, make_error(ErrorKind::invalid, "manifests must be a list of manifests"));
  }
  std::vector<manifest::DataProduct> manifests;
  for (std::size_t i = 0; i < manifests_json.size(); ++i) {
    auto manifest = manifest_of(manifests_json[i], fmt::format("manifests[{}]", i));
    if (!manifest) return reply_error(exchange.response, manifest.error());
    manifests.push_back(std::move(*manifest));
  }
  auto planned = exchange.service.plan(exchange.caller, std::move(manifests), *mode);
  if (!planned) return reply_publish_error(exchange, planned.error());
  reply_json(exchange.response, 200, registry::to_json(*planned));
}

void execute(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  auto planned = registry::apply_plan_from_json(*body);
  if (!planned) {
    return reply_error(exchange.response, make_error(ErrorKind::invalid, "not a plan: " + planned.error().message));
  }
  auto changes = exchange.service.execute(exchange.caller, *planned);
  if (!changes) return reply_publish_error(exchange, changes.error());
  reply_json(exchange.response, 200, {{"changes", list_json(*changes)}});
}

// The filter of ?domain=&status=&label=&owner=&tag=&term=&field=&pii=true (remote_registry.cpp, add_filter).
Result<registry::ProductFilter> filter_of(const Exchange& exchange) {
  registry::ProductFilter filter;
  filter.domain = exchange.query("domain");
  if (const auto status = exchange.query("status")) {
    filter.status = registry::parse_lifecycle_status(*status);
    if (!filter.status) {
      return make_error(ErrorKind::invalid, fmt::format("status: '{}' is not active, deprecated or retired", *status));
    }
  }
  for (const auto& label : exchange.query_all("label")) {
    auto parsed = registry::parse_label_filter(label);
    if (!parsed) return parsed.error();
    filter.labels.push_back(std::move(*parsed));
  }
  filter.owner = exchange.query("owner");
  filter.tag = exchange.query("tag");
  filter.term = exchange.query("term");
  filter.field = exchange.query("field");
  if (const auto pii = exchange.query("pii")) {
    if (*pii != "true" && *pii != "false") return make_error(ErrorKind::invalid, "pii must be true or false");
    filter.pii = *pii == "true";
  }
  return filter;
}

Result<registry::ProductPageRequest> page_request_of(const Exchange& exchange) {
  registry::ProductPageRequest request;
  auto filter = filter_of(exchange);
  if (!filter) return filter.error();
  request.filter = std::move(*filter);
  if (const auto after = exchange.query("after")) {
    auto ref = registry::parse_product_ref(*after);
    if (!ref) return ref.error();
    request.after = std::move(*ref);
  }
  auto limit = integer_query(exchange, "limit");
  if (!limit) return limit.error();
  if (*limit && **limit == 0) return make_error(ErrorKind::invalid, "limit must be at least 1");
  request.limit = static_cast<std::size_t>(std::min(limit->value_or(500), kMaxPageSize));
  return request;
}

void list_products(Exchange& exchange) {
  auto request = page_request_of(exchange);
  if (!request) return reply_error(exchange.response, request.error());
  reply(exchange, exchange.service.list_products(*request), [](const registry::ProductPage& page) {
    return json{{"products", list_json(page.products)}, {"next", page.next ? json(page.next->text()) : json(nullptr)}};
  });
}

// GET /v1/search?q=WORDS&limit=N and the filters of /v1/products.
void search(Exchange& exchange) {
  registry::SearchRequest request;
  auto filter = filter_of(exchange);
  if (!filter) return reply_error(exchange.response, filter.error());
  request.filter = std::move(*filter);
  request.text = exchange.query("q").value_or("");
  auto limit = integer_query(exchange, "limit");
  if (!limit) return reply_error(exchange.response, limit.error());
  if (*limit) {
    if (**limit < 1 || static_cast<std::uint64_t>(**limit) > registry::kMaxSearchLimit) {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, fmt::format("limit must be 1 to {}",
                                                                                       registry::kMaxSearchLimit)));
    }
    request.limit = static_cast<std::size_t>(**limit);
  }
  reply(exchange, exchange.service.search(request),
        [](const registry::SearchResult& result) { return registry::to_json(result); });
}

// GET /v1/similar?product=DOMAIN/NAME&version=V&limit=N&minScore=S: a registered product's similar products.
void similar_to_product(Exchange& exchange) {
  registry::SimilarRequest request;
  auto product = registry::parse_product_ref(exchange.query("product").value_or(""));
  if (!product) return reply_error(exchange.response, product.error());
  request.product = std::move(*product);
  request.version = exchange.query("version");
  auto limit = integer_query(exchange, "limit");
  if (!limit) return reply_error(exchange.response, limit.error());
  if (*limit) request.limit = static_cast<std::size_t>(std::max<std::int64_t>(**limit, 0));
  if (const auto score = exchange.query("minScore")) {
    std::size_t used = 0;
    try {
      request.min_score = std::stod(*score, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != score->size()) {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, "minScore must be a number from 0 to 1"));
    }
  }
  reply(exchange, exchange.service.similar(request),
        [](const registry::SimilarResult& result) { return registry::to_json(result); });
}

// POST /v1/similar {manifest, limit, minScore}: the registered products similar to a manifest, which need not
// be registered (a reader may ask: nothing is written).
void similar_to_manifest(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  registry::SimilarRequest request;
  const auto limit = read.optional_integer("limit");
  const auto score = read.optional_number("minScore");
  const auto& manifest_json = read.object("manifest");
  if (!read.ok()) return reply_error(exchange.response, read.error());
  if (limit) request.limit = static_cast<std::size_t>(std::max<std::int64_t>(*limit, 0));
  if (score) request.min_score = *score;
  auto manifest = manifest_of(manifest_json, "manifest");
  if (!manifest) return reply_error(exchange.response, manifest.error());
  request.manifest = std::move(*manifest);
  reply(exchange, exchange.service.similar(request),
        [](const registry::SimilarResult& result) { return registry::to_json(result); });
}

void history(Exchange& exchange) {
  registry::HistoryQuery query;
  auto limit = integer_query(exchange, "limit");
  if (!limit) return reply_error(exchange.response, limit.error());
  auto before = integer_query(exchange, "before");
  if (!before) return reply_error(exchange.response, before.error());
  if (*limit) query.limit = static_cast<std::size_t>(**limit);
  if (*before) query.before_id = **before;
  reply(exchange, exchange.service.history(product_of(exchange), query),
        [](const std::vector<registry::AuditEvent>& events) {
          return json{{"events", list_json(events)}};
        });
}

void deprecate(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  registry::DeprecateRequest request;
  request.ref = product_of(exchange);
  request.version = read.optional_string("version");
  request.sunset = read.optional_string("sunset").value_or("");
  request.reason = read.optional_string("reason").value_or("");
  request.expected_revision = read.optional_integer("expectedRevision");
  if (!read.ok()) return reply_error(exchange.response, read.error());
  reply(exchange, exchange.service.deprecate(exchange.caller, request),
        [](const registry::ProductRecord& product) { return registry::to_json(product); });
}

void retire(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  registry::RetireRequest request;
  request.ref = product_of(exchange);
  request.force = read.boolean("force");
  request.reason = read.optional_string("reason").value_or("");
  if (const auto quiet_days = read.optional_integer("quietDays")) {
    if (*quiet_days < 0) read.fail("the request.quietDays must not be negative");
    request.quiet_days = static_cast<decltype(request.quiet_days)>(*quiet_days);
  }
  request.expected_revision = read.optional_integer("expectedRevision");
  if (!read.ok()) return reply_error(exchange.response, read.error());
  reply(exchange, exchange.service.retire(exchange.caller, request),
        [](const registry::ProductRecord& product) { return registry::to_json(product); });
}

// ?manifests=true: every version with its manifest, in one answer (a changelog's read).
void list_versions(Exchange& exchange) {
  registry::VersionQuery query;
  if (const auto manifests = exchange.query("manifests")) {
    if (*manifests != "true" && *manifests != "false") {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, "manifests must be true or false"));
    }
    query.with_manifests = *manifests == "true";
  }
  reply(exchange, exchange.service.list_versions(product_of(exchange), query),
        [&query](const std::vector<registry::VersionRecord>& versions) {
          json list = json::array();
          for (const auto& version : versions) list.push_back(registry::to_json(version, query.with_manifests));
          return json{{"versions", std::move(list)}};
        });
}

json edges_json(const std::vector<registry::DependencyEdge>& edges) {
  return {{"edges", list_json(edges)}};
}

}  // namespace

void add_catalog_routes(Router& router) {
  // Every read here depends on the stored data and the request target only.
  router.get_cacheable("/v1/products", list_products);
  router.get_cacheable("/v1/search", search);
  router.get_cacheable("/v1/similar", similar_to_product);
  router.post("/v1/similar", similar_to_manifest);
  // Readers are refused before a manifest is read; which domain an owner may write is the service's rule.
  router.post("/v1/products", publish, {registry::Role::owner, "publish data products"});
  router.post("/v1/plans", plan, {registry::Role::owner, "plan changes to data products"});
  router.post("/v1/plans/execute", execute, {registry::Role::owner, "apply changes to data products"});
  router.get_cacheable(kProductPath, [](Exchange& exchange) {
    reply(exchange, exchange.service.get_product(product_of(exchange)),
          [](const registry::ProductRecord& product) { return registry::to_json(product); });
  });
  router.get_cacheable(kProductPath + "/details", [](Exchange& exchange) {
    const auto details = exchange.service.describe(product_of(exchange), exchange.query("version"));
    if (!details) return reply_error(exchange.response, details.error());
    exchange.response.status = 200;
    exchange.response.set_content(registry::to_json_text(*details), "application/json");
  });
  router.get_cacheable(kProductPath + "/versions", list_versions);
  router.get_cacheable(kProductPath + "/versions/" + kSegment, [](Exchange& exchange) {
    reply(exchange, exchange.service.get_version(product_of(exchange), exchange.path_part(3)),
          [](const registry::VersionRecord& version) { return registry::to_json(version, true); });
  });
  router.get_cacheable(kProductPath + "/history", history);
  router.get_cacheable(kProductPath + "/dependencies", [](Exchange& exchange) {
    reply(exchange, exchange.service.dependencies(product_of(exchange)), edges_json);
  });
  router.get_cacheable(kProductPath + "/dependents", [](Exchange& exchange) {
    reply(exchange, exchange.service.dependents(product_of(exchange)), edges_json);
  });
  router.post(kProductPath + "/deprecate", deprecate, {registry::Role::owner, "deprecate data products"});
  router.post(kProductPath + "/retire", retire, {registry::Role::owner, "retire data products"});
  router.get_cacheable("/v1/domains", [](Exchange& exchange) {
    reply(exchange, exchange.service.list_domains(), [](const std::vector<registry::DomainRecord>& domains) {
      return json{{"domains", list_json(domains)}};
    });
  });
}

}  // namespace meshctl::server
