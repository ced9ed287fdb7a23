#pragma once

// The registry's records as JSON (camelCase, stable): one shape per record,
// the same in `-o json`, in the server's requests and answers, and in what the
// remote registry reads back. Each record has one encoder, to_json (json.cpp),
// and, when a client reads it back, one decoder, <record>_from_json
// (json_read.cpp), its inverse. A decoder fails with ErrorKind::invalid naming
// the missing or mistyped key; unknown keys are ignored (a newer server may
// add some).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/types.h"

namespace meshctl::registry {

// --- Products and versions ---

// {domain, name, status, revision, latestVersion, owner{team, email}, labels,
//  deprecation{sunset, reason} (when set), createdAt, updatedAt}: an item of `get products`.
nlohmann::json to_json(const ProductRecord& product);
Result<ProductRecord> product_record_from_json(const nlohmann::json& json);

// A search hit: the product's keys (as to_json(ProductRecord)) with title, description and matched (a list
// of what the words matched: "name", "tag gdpr", "field customer_email", ...).
nlohmann::json to_json(const SearchHit& hit);
Result<SearchHit> search_hit_from_json(const nlohmann::json& json);
// {hits: [...]}: the answer of `meshctl search -o json` and of GET /v1/search.
nlohmann::json to_json(const SearchResult& result);
Result<SearchResult> search_result_from_json(const nlohmann::json& json);
// A similar product: the product's keys (as to_json(ProductRecord)) with score (rounded to 3 decimals), fields,
// sharedFields, differentTypes and sameLocations.
nlohmann::json to_json(const SimilarProduct& similar);
Result<SimilarProduct> similar_product_from_json(const nlohmann::json& json);
// {product, version, fields, similar: [...]}: the answer of `meshctl similar -o json` and of /v1/similar.
nlohmann::json to_json(const SimilarResult& result);
Result<SimilarResult> similar_result_from_json(const nlohmann::json& json);
// {product, version, rule: "MESH-DUPLICATE", severity, threshold, message, similar: <SimilarProduct>}.
nlohmann::json to_json(const DuplicateFinding& finding);
Result<DuplicateFinding> duplicate_finding_from_json(const nlohmann::json& json);

// {version, status, publishedAt, publishedBy, contentHash, deprecation (when set)},
// plus `manifest` (parsed; null when the record has none) when `with_manifest`.
nlohmann::json to_json(const VersionRecord& version, bool with_manifest = false);  // with_manifest: original too
// {"format": "odcs", "documents": "[...]"}: the documents stay JSON text, in their own key order.
nlohmann::json to_json(const OriginalDocuments& original);
// VersionRecord's JSON does not name its product: `ref` says which it is. The
// manifest, when present, is dumped back to its canonical text.
Result<VersionRecord> version_record_from_json(const nlohmann::json& json, const ProductRef& ref);
Result<OriginalDocuments> original_documents_from_json(const nlohmann::json& json);

// The manifest `version` of `ref` was published with, decoded from the canonical
// JSON the registry stored. ErrorKind::unavailable when it does not decode: that
// is damaged storage, not bad input.
Result<manifest::DataProduct> decode_stored_manifest(const ProductRef& ref, const std::string& version,
                                                     const std::string& manifest_json);

// {consumer, port, provider, versionConstraint, consumerStatus}: products as "domain/name".
nlohmann::json to_json(const DependencyEdge& edge);
Result<DependencyEdge> dependency_edge_from_json(const nlohmann::json& json);

// An input port reading a product on its way out (or unknown), or whose
// constraint resolves only to deprecated versions or to none:
// {port, product, registered, status, deprecation?, resolvesTo[], onlyDeprecated}.
// Read back as part of a described product (its edge is a dependency edge of the product).
nlohmann::json to_json(const InputProviderState& state);

// The product of `describe`, one shape for `-o json` and the server's answer:
// the ProductRecord's keys, plus versions[] (without manifests), dependencies[]
// and dependents[] ("domain/name", each once), dependencyEdges[] and
// dependentEdges[] (the whole edges), inputWarnings[], selectedVersion, quality[] (each port's latest run) and
// manifest (the selected version's; null when it has none).
nlohmann::json to_json(const ProductDetails& details);
// The same value as JSON text (nlohmann::json::parse of it == to_json), with
// the stored manifest put in as it is, not parsed and written again: what the
// server answers. REQUIRES: details.selected.manifest_json is empty or JSON.
std::string to_json_text(const ProductDetails& details);
// The inverse of to_json(ProductDetails): the selected version is the one of
// versions[] named by selectedVersion, with manifest; an input warning's edge
// is the dependency edge of its port. Invalid when either is missing.
Result<ProductDetails> product_details_from_json(const nlohmann::json& json);

// {id, time, actor, action, domain, product: "domain/name", version, summary}:
// domain "" for an event about no domain (tokens), product "" for one about
// no product (a domain, tokens). The decoder reads an absent domain as the
// product's (what servers before the registry-wide audit sent).
nlohmann::json to_json(const AuditEvent& event);
Result<AuditEvent> audit_event_from_json(const nlohmann::json& json);

// {events: [<AuditEvent>...], nextBefore: the id to page back from, or null on the last page}.
nlohmann::json to_json(const AuditPage& page);
Result<AuditPage> audit_page_from_json(const nlohmann::json& json);

// {name, ownerTeam ("" for a domain created on first use), createdAt, products}.
nlohmann::json to_json(const DomainRecord& domain);
Result<DomainRecord> domain_record_from_json(const nlohmann::json& json);

// --- Publishing ---

// "apply", "create", "evolve"; parse_publish_mode: nullopt for any other text.
const char* to_string(PublishMode mode);
std::optional<PublishMode> parse_publish_mode(std::string_view text);

// {product, action, fromVersion (when evolved), version, revision}: one line of `apply`.
nlohmann::json to_json(const Change& change);
Result<Change> change_from_json(const nlohmann::json& json);

// {product, version, index, port, provider, versionConstraint, rule, message,
//  available[], sunset (MESH-INPUT-DEPRECATED only)}: an input port the
// registry refuses (in a refusal's details.unresolvedInputs) or warns about (a
// plan's warnings).
nlohmann::json to_json(const InputPortFinding& finding);
Result<InputPortFinding> input_port_finding_from_json(const nlohmann::json& json);

// {mode, items: [{change: <Change>, manifest: <canonical manifest JSON>}], warnings: [<InputPortFinding>],
// duplicates: [<DuplicateFinding>]}:
// what `apply --dry-run` prints and what POST /v1/plans/execute takes.
nlohmann::json to_json(const ApplyPlan& plan);
Result<ApplyPlan> apply_plan_from_json(const nlohmann::json& json);

// --- Tenancy and credentials ---

// {name, role, domains[], tokenId, createdAt, createdBy, expiresAt (null: never),
// revokedAt (when revoked)}. Never the secret nor its hash: this is what
// `token list` prints. The decoder reads an absent or null revokedAt as
// active, an absent or null expiresAt as never.
nlohmann::json to_json(const PrincipalRecord& principal);
Result<PrincipalRecord> principal_record_from_json(const nlohmann::json& json);

// The principal's keys plus "token": the whole token, shown once at creation.
nlohmann::json to_json(const NewToken& token);
Result<NewToken> new_token_from_json(const nlohmann::json& json);

// --- The registry's standards ---

// {version, text, contentHash, publishedAt, publishedBy}.
nlohmann::json to_json(const StandardsRecord& record);
Result<StandardsRecord> standards_record_from_json(const nlohmann::json& json);

// The record's keys plus "unchanged".
nlohmann::json to_json(const StandardsPublication& publication);
Result<StandardsPublication> standards_publication_from_json(const nlohmann::json& json);

// --- Quality runs (`meshctl test --publish`, `get quality`) ---

// {id, product, version, port, time, actor, summary {checks, passed, failed, warning, error, skipped},
// checks [...]}; "checks" only when the run carries them (checks_json not empty).
nlohmann::json to_json(const QualityRun& run);
Result<QualityRun> quality_run_from_json(const nlohmann::json& json);
// {runs: [...]}, and its inverse.
nlohmann::json to_json(const std::vector<QualityRun>& runs);
Result<std::vector<QualityRun>> quality_runs_from_json(const nlohmann::json& json);

// The request of a publication, without its product (the route names it): {version, ports [{port,
// checks}]}. The inverse takes the product from the caller.
nlohmann::json to_json(const QualityPublication& publication);
Result<QualityPublication> quality_publication_from_json(const nlohmann::json& json, const ProductRef& ref);

}  // namespace meshctl::registry
