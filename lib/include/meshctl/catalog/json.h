#pragma once

// The registry's records as JSON, in DESIGN.md's shapes (camelCase, stable):
// what `-o json` prints, what the server's routes answer and what the remote
// registry reads back.

#include <optional>
#include <string>
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

// The product of `describe`, one shape for `-o json` and the server's answer:
// the ProductRecord's keys, plus versions[] (without manifests), dependencies[]
// and dependents[] ("domain/name", each once), dependencyEdges[] and
// dependentEdges[] (the whole edges), inputWarnings[], selectedVersion and
// manifest (the selected version's; null when it has none).
nlohmann::json to_json(const ProductDetails& details);
// The same value as JSON text (nlohmann::json::parse of it == to_json), with
// the stored manifest put in as it is, not parsed and written again: what the
// server answers. REQUIRES: details.selected.manifest_json is empty or JSON.
std::string to_json_text(const ProductDetails& details);

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

// {mode, items: [{change: <Change>, manifest: <canonical manifest JSON>}]}.
nlohmann::json to_json(const ApplyPlan& plan);

Result<ProductRecord> product_record_from_json(const nlohmann::json& json);
// VersionRecord's JSON does not name its product: `ref` says which it is. The
// manifest, when present, is dumped back to its canonical text.
Result<VersionRecord> version_record_from_json(const nlohmann::json& json, const ProductRef& ref);
// The inverse of to_json(ProductDetails): the selected version is the one of
// versions[] named by selectedVersion, with manifest; an input warning's edge
// is the dependency edge of its port. Invalid when either is missing.
Result<ProductDetails> product_details_from_json(const nlohmann::json& json);
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
