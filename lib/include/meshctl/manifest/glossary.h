#pragma once

// The business glossary (`kind: Glossary`, apiVersion meshctl/v1): a domain's
// terms, each with a definition, synonyms, a status and links. A product's
// field names one with `term:`; the registry checks that it exists
// (MESH-TERM-*, validate/registry_check.h and the registry's publish).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/diagnostic.h"
#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"
#include "meshctl/yaml/node.h"

namespace meshctl::manifest {

inline constexpr const char* kGlossaryKind = "Glossary";

// The words a term's `status` takes. A field may name a draft or active term;
// a deprecated one is a warning (MESH-TERM-DEPRECATED). A term removed from its
// glossary is unknown (MESH-TERM-UNKNOWN).
inline constexpr std::string_view kTermStatuses[] = {"draft", "active", "deprecated"};

// A link to a definition outside meshctl, as ODCS's authoritativeDefinitions:
// {type, url}, e.g. {businessDefinition, https://wiki.example.com/customer}.
struct AuthoritativeDefinition {
  std::string type;
  std::string url;
  bool operator==(const AuthoritativeDefinition&) const = default;
};

struct GlossaryTerm {
  std::string name;  // kebab-case, unique across the mesh
  std::string definition;
  std::vector<std::string> synonyms;  // other names that mean the same (accepted on a field, with a warning)
  std::string status = "active";      // draft | active | deprecated; absent means active
  std::vector<std::string> related;   // names of other terms
  std::vector<AuthoritativeDefinition> authoritative_definitions;
  bool operator==(const GlossaryTerm&) const = default;
};

struct GlossaryMetadata {
  std::string name;
  std::string domain;
  std::string version;
  std::optional<std::string> description;
  std::optional<Owner> owner;
  bool operator==(const GlossaryMetadata&) const = default;
};

struct Glossary {
  GlossaryMetadata metadata;
  std::vector<GlossaryTerm> terms;

  std::string id() const { return metadata.domain + "/" + metadata.name; }
  bool operator==(const Glossary&) const = default;
};

// "DataProduct", "Glossary", ...: the document's `kind` when it is a string; empty otherwise.
std::string document_kind(const yaml::Node& root);

// The checks of a Glossary document: its structure (MESH-SCHEMA-*, as
// check_shape for a product: types, required keys, unknown keys with a "did you
// mean") and the rules of the format (MESH-GLOSSARY-*, errors): a semantic
// metadata.version, kebab-case metadata and term names, a term name used once,
// a status of draft, active or deprecated, a definition that is not empty,
// `related` naming a term of the document or another name (not itself).
void check_glossary(const yaml::Node& root, const std::string& file, std::vector<Diagnostic>& out);

// The model of a Glossary document's tree. REQUIRES: check_glossary reported
// no error for `root`. Unknown keys are ignored.
Glossary decode_glossary(const yaml::Node& root);

// Canonical JSON (keys sorted, absent optionals and empty lists omitted, a
// term's status always written): equal glossaries give byte-identical text.
nlohmann::json to_json(const Glossary& glossary);
nlohmann::json to_json(const GlossaryTerm& term);
// The inverse of to_json; ErrorKind::invalid naming the JSON path otherwise.
Result<Glossary> glossary_from_json(const nlohmann::json& document);
Result<GlossaryTerm> glossary_term_from_json(const nlohmann::json& value, const std::string& path = "term");
std::string canonical_text(const Glossary& glossary);

// A field of a product bound to a term: where it is and the term it names.
struct FieldTerm {
  std::string port;   // the output port's name
  std::string field;  // the field's name; a nested field's dotted path (customer.email)
  std::string term;
  bool operator==(const FieldTerm&) const = default;
};

// Every field of `product`'s output ports with a `term:`, in document order.
std::vector<FieldTerm> field_terms(const DataProduct& product);

}  // namespace meshctl::manifest
