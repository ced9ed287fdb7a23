#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/diagnostic.h"
#include "meshctl/yaml/node.h"

namespace meshctl::manifest {

inline constexpr const char* kApiVersion = "meshctl/v1";
inline constexpr const char* kDataProductKind = "DataProduct";

// The structural check of a DataProduct document: apiVersion and kind, the keys
// that identify a product (metadata.name, .domain, .version), the type of every
// known value, and unknown keys (a warning, with a "did you mean"). These are
// the MESH-SCHEMA-* findings; the same structure is what manifest_json_schema()
// describes, so a document passes one exactly when it passes the other.
// Policy (naming, ownership, classification...) is the standards' job, not this.
void check_shape(const yaml::Node& root, const std::string& file, std::vector<Diagnostic>& out);

// The structural check of a Glossary document (manifest/glossary.h), the same
// MESH-SCHEMA-* findings; check_glossary adds the format's own rules.
void check_glossary_shape(const yaml::Node& root, const std::string& file, std::vector<Diagnostic>& out);

// True for the rule ids check_shape and the YAML loader emit: the findings that
// make a document structurally invalid.
bool is_structural_rule(const std::string& rule);

// The JSON Schema (draft 2020-12) of the manifest format, for editors and for
// validators other than meshctl.
nlohmann::json manifest_json_schema();

}  // namespace meshctl::manifest
