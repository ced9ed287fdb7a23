#pragma once

// The registry's records as JSON, in DESIGN.md's shapes (camelCase, stable):
// what `-o json` prints and what the remote registry's API will carry.

#include <nlohmann/json.hpp>

#include "meshctl/registry/service.h"
#include "meshctl/registry/types.h"

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

// {id, time, actor, action, product: "domain/name", version, summary}.
nlohmann::json to_json(const AuditEvent& event);

// {name, createdAt, products}.
nlohmann::json to_json(const DomainRecord& domain);

// {product, action, fromVersion (when evolved), version, revision}: one line of `apply`.
nlohmann::json to_json(const Change& change);

}  // namespace meshctl::registry
