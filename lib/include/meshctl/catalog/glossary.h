#pragma once

// The business glossary's records (`kind: Glossary` documents, published by
// apply) and their JSON: what the Store keeps, the Registry answers with, and
// `get terms` / `describe term` print.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/types.h"
#include "meshctl/core/error.h"
#include "meshctl/manifest/glossary.h"

namespace meshctl::registry {

// A glossary: `domain/name`, its latest version. Terms belong to the domain.
struct GlossaryRecord {
  std::string domain;
  std::string name;
  std::string latest_version;
  // Optimistic concurrency as ProductRecord's: every new version increments it. Starts at 1.
  std::int64_t revision = 0;
  Owner owner;  // from the latest version's metadata.owner
  std::string created_at;
  std::string updated_at;
  friend bool operator==(const GlossaryRecord&, const GlossaryRecord&) = default;
};

// A published version of a glossary. Immutable.
struct GlossaryVersionRecord {
  std::string domain;
  std::string name;
  std::string version;
  std::string document_json;  // the glossary's canonical JSON (manifest::canonical_text)
  std::string content_hash;   // content_hash(document_json)
  std::string published_at;
  std::string published_by;
  friend bool operator==(const GlossaryVersionRecord&, const GlossaryVersionRecord&) = default;
};

// A term of the latest version of its glossary. Term names are unique across the mesh.
struct TermRecord {
  manifest::GlossaryTerm term;
  std::string domain;    // the glossary's domain: its owners edit the term
  std::string glossary;  // the glossary's name
  std::string version;   // the glossary's version the term is read from
  Owner owner;           // the glossary's owner
  friend bool operator==(const TermRecord&, const TermRecord&) = default;
};

// A field of a product's latest version bound to a term (its `term:`, or a synonym of it).
struct TermBinding {
  ProductRef product;
  std::string version;
  std::string port;
  std::string field;  // nested fields: the dotted path
  std::string named;  // what the field's `term:` says: the term, or one of its synonyms
  friend bool operator==(const TermBinding&, const TermBinding&) = default;
};

// `describe term`: the term and every field across the mesh bound to it (products that are not retired),
// ordered by product, port and field.
struct TermDetails {
  TermRecord term;
  std::vector<TermBinding> fields;
  friend bool operator==(const TermDetails&, const TermDetails&) = default;
};

// What publishing a glossary did (or, in a dry run, would do).
struct GlossaryChange {
  std::string domain;
  std::string name;
  ChangeAction action = ChangeAction::unchanged;
  std::string from_version;  // evolved: the latest version before; else empty
  std::string to_version;
  std::int64_t revision = 0;  // after the change (a dry run: the revision it was planned against)
  std::int64_t terms = 0;     // how many terms the version defines
  friend bool operator==(const GlossaryChange&, const GlossaryChange&) = default;
};

// JSON, camelCase, as every record's (catalog/json.h).
// A term: the glossary's term keys (name, definition, status, synonyms, related,
// authoritativeDefinitions) with domain, glossary, glossaryVersion and owner {team, email}.
nlohmann::json to_json(const TermRecord& term);
Result<TermRecord> term_record_from_json(const nlohmann::json& json);
nlohmann::json to_json(const TermBinding& binding);
Result<TermBinding> term_binding_from_json(const nlohmann::json& json);
// {"term": TermRecord, "fields": [TermBinding]}
nlohmann::json to_json(const TermDetails& details);
Result<TermDetails> term_details_from_json(const nlohmann::json& json);
// {"glossary": "domain/name", "action", "version", "fromVersion" (evolved), "revision", "terms"}
nlohmann::json to_json(const GlossaryChange& change);
Result<GlossaryChange> glossary_change_from_json(const nlohmann::json& json);

}  // namespace meshctl::registry
