#pragma once

#include <optional>
#include <string>
#include <vector>

#include "meshctl/core/diagnostic.h"
#include "meshctl/core/error.h"
#include "meshctl/jsonschema/schema.h"
#include "meshctl/yaml/node.h"

namespace meshctl::interop {

// The open standards meshctl reads besides its own format.
enum class Standard {
  odcs,  // Open Data Contract Standard: kind DataContract
  odps,  // Open Data Product Standard: kind DataProduct with an apiVersion such as v1.0.0
};

// "ODCS", "ODPS".
const char* to_string(Standard standard);

// What a document says it is.
struct DocumentKind {
  Standard standard = Standard::odcs;
  std::string declared_version;  // the apiVersion as written ("v3.0.1"); empty when absent
};

// Recognizes an ODCS or ODPS document by `kind` and `apiVersion`: kind DataContract is ODCS (whatever
// its apiVersion); kind DataProduct with an apiVersion that starts with 'v' and a digit is ODPS.
// nullopt for anything else: meshctl's own manifests (apiVersion meshctl/v1), other files.
std::optional<DocumentKind> recognize(const yaml::Node& root);

// The schema versions meshctl ships for `standard`, oldest first: {"v2.2.2", "v3.0.2", "v3.1.0"}.
std::vector<std::string> schema_versions(Standard standard);

// The schema version that checks documents declaring `declared_version`: the same major and minor
// version (v3.0.0 and v3.0.1 are checked with v3.0.2, the last patch of their line). An ODCS document
// without an apiVersion is checked with v2.2.2, whose apiVersion was optional. nullopt when meshctl
// has no schema for that line.
std::optional<std::string> schema_version_for(Standard standard, const std::string& declared_version);

// The compiled JSON Schema of `standard` at `schema_version` (one of schema_versions()), loaded on first
// use from the image the build compiled (lib/schemas) and kept for the process; safe to call from several
// threads. Fails with ErrorKind::not_found for a version meshctl does not ship.
Result<const jsonschema::Schema*> schema_of(Standard standard, const std::string& schema_version);

// Checks a recognized document against the JSON Schema of its declared version, adding findings to
// `out`, labelled `file`, with rule MESH-ODCS-SCHEMA or MESH-ODPS-SCHEMA at the offending value. When
// the document fails its declared version but passes a newer one, a further finding at its apiVersion
// says which. An apiVersion meshctl has no schema for is one finding at the apiVersion.
void check_document(const yaml::Node& root, const DocumentKind& kind, const std::string& file,
                    std::vector<Diagnostic>& out);

}  // namespace meshctl::interop
