#pragma once

// The registry's records as JSON, in DESIGN.md's shapes (camelCase, stable):
// what `-o json` prints, what the server's routes answer and what the remote
// registry reads back.

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/types.h"

namespace meshctl::registry {

// {domain, name, status, revision, latestVersion, owner{team, email}, labels,
//  deprecation{sunset, reason} (when set), createdAt, updatedAt}: an item of `get products`.
nlohmann::json to_json(const ProductRecord& product);

// {version, status, publishedAt, publishedBy, contentHash, deprecation (when set)},
// plus `manifest` (parsed) when `with_manifest`.
nlohmann::json to_json(const VersionRecord& version, bool with_manifest = false);

// The product of `describe`: the ProductRecord's keys, plus versions[], dependencies[]
// and dependents[] ("domain/name", each once) and manifest (the selected version's).
nlohmann::json to_json(const ProductDetails& details);

// An input port reading a product on its way out (or unknown):
// {port, product, registered, status, deprecation?}.
nlohmann::json to_json(const InputProviderState& state);

// {id, time, actor, action, product: "domain/name", version, summary}.
nlohmann::json to_json(const AuditEvent& event);

// {name, ownerTeam ("" for a domain created on first use), createdAt, products}.
nlohmann::json to_json(const DomainRecord& domain);

// {product, action, fromVersion (when evolved), version, revision}: one line of `apply`.
nlohmann::json to_json(const Change& change);

// ---- The registry server's wire format (lib/src/catalog/json_read.cpp) ----
// What the HTTP API carries beyond the shapes above, and the inverse of every
// shape: the remote registry reads answers back into records with these. Each
// *_from_json fails with ErrorKind::invalid naming the missing or mistyped key;
// unknown keys are ignored (a newer server may add some).

// "apply", "create", "evolve"; from_json: nullopt for any other text.
const char* to_string(PublishMode mode);
std::optional<PublishMode> parse_publish_mode(std::string_view text);

// {consumer, port, provider, versionConstraint, consumerStatus}: products as "domain/name".
nlohmann::json to_json(const DependencyEdge& edge);

// The manifest `version` of `ref` was published with, decoded from the canonical
// JSON the registry stored. ErrorKind::unavailable when it does not decode: that
// is damaged storage, not bad input.
Result<manifest::DataProduct> decode_stored_manifest(const ProductRef& ref, const std::string& version,
                                                     const std::string& manifest_json);

// What GET /v1/products/{domain}/{name}/details answers: unlike to_json(ProductDetails)
// (the CLI's shape) it keeps every edge whole. {product, versions[], selected (with
// manifest), dependencies[], dependents[], inputWarnings[]}, as JSON text: the stored
// manifest (JSON the registry wrote) goes in as it is, not parsed and printed again.
std::string to_api_json_text(const ProductDetails& details);

// {mode, items: [{change: <Change>, manifest: <canonical manifest JSON>}]}.
nlohmann::json to_json(const ApplyPlan& plan);

Result<ProductRecord> product_record_from_json(const nlohmann::json& json);
// VersionRecord's JSON does not name its product: `ref` says which it is. The
// manifest, when present, is dumped back to its canonical text.
Result<VersionRecord> version_record_from_json(const nlohmann::json& json, const ProductRef& ref);
Result<ProductDetails> product_details_from_api_json(const nlohmann::json& json);
Result<DependencyEdge> dependency_edge_from_json(const nlohmann::json& json);
Result<AuditEvent> audit_event_from_json(const nlohmann::json& json);
Result<DomainRecord> domain_record_from_json(const nlohmann::json& json);
Result<Change> change_from_json(const nlohmann::json& json);
Result<ApplyPlan> plan_from_json(const nlohmann::json& json);
// {name, role, domains[], tokenId, createdAt, createdBy, revokedAt (absent or null: active)}.
Result<PrincipalRecord> principal_record_from_json(const nlohmann::json& json);

// --- Tenancy and credentials ---

// {name, role, domains[], tokenId, createdAt, createdBy, revokedAt (when revoked)}.
// Never the secret nor its hash: this is what `token list` prints.
nlohmann::json to_json(const PrincipalRecord& principal);

// The principal's keys plus "token": the whole token, shown once at creation.
nlohmann::json to_json(const NewToken& token);

}  // namespace meshctl::registry
