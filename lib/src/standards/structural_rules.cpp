#include <algorithm>

#include "meshctl/standards/standards.h"

namespace meshctl::standards {

namespace {

RuleInfo structural(const char* id, Severity severity, const char* summary, const char* rationale,
                    const char* violation = "", const char* fix = "") {
  return RuleInfo{id, severity, summary, rationale, nlohmann::json::object(), violation, fix};
}

}  // namespace

const std::vector<RuleInfo>& structural_rules() {
  static const std::vector<RuleInfo> rules = {
      structural("MESH-IO", Severity::error, "The file can be read", "meshctl can only check a file it can read."),
      structural("MESH-YAML-SYNTAX", Severity::error, "The file is well-formed YAML",
                 "A file that does not parse cannot be checked any further; fix the syntax at the position given.",
                 "tags: [orders, revenue", "tags: [orders, revenue]"),
      structural("MESH-YAML-DUPLICATE-KEY", Severity::error, "No key appears twice in one mapping",
                 "YAML parsers disagree on which of two equal keys wins, so the manifest would mean different "
                 "things to different tools.",
                 "title: Orders\ntitle: Confirmed orders", "title: Confirmed orders"),
      structural("MESH-YAML-KEY", Severity::error, "Mapping keys are plain scalars",
                 "Manifests are read as JSON too, where keys are strings: a list or map as a key cannot be "
                 "represented.",
                 "[a, b]: value", "a-b: value"),
      structural("MESH-YAML-ENCODING", Severity::error, "The file is valid UTF-8",
                 "Manifests are exchanged between tools that all expect UTF-8; other encodings garble names and "
                 "descriptions."),
      structural("MESH-YAML-EMPTY", Severity::error, "The file (or document) holds a manifest",
                 "An empty document is usually a mistake, such as a truncated file or a stray `---`."),
      structural("MESH-YAML-LIMIT", Severity::error, "The file stays within the size, depth and alias limits",
                 "The limits (8 MiB, 64 levels of nesting, 100,000 nodes added by aliases) keep a hostile or broken "
                 "file, a \"billion laughs\" file say, from costing unbounded time or memory; --max-file-size "
                 "raises the size limit."),
      structural("MESH-SCHEMA-TYPE", Severity::error, "Every value has the type the manifest format expects",
                 "Tools that read the manifest rely on its types; `meshctl schema` prints the format.", "version: 1.2",
                 "version: \"1.2.0\""),
      structural("MESH-SCHEMA-REQUIRED", Severity::error, "The keys that identify a product are present",
                 "apiVersion, kind, metadata.name, metadata.domain and metadata.version identify a product; "
                 "without them it cannot be registered."),
      structural("MESH-SCHEMA-CONST", Severity::error, "apiVersion and kind have their fixed values",
                 "They say which format the file is in; another value means meshctl would misread it.",
                 "apiVersion: meshctl/v2", "apiVersion: meshctl/v1"),
      structural("MESH-SCHEMA-UNKNOWN-KEY", Severity::warning, "Every key is part of the manifest format",
                 "An unknown key is usually a misspelt known one, whose value is then silently ignored.",
                 "titel: Orders", "title: Orders"),
      structural("MESH-ODCS-SCHEMA", Severity::error,
                 "An ODCS data contract follows the JSON Schema of the version it declares",
                 "A contract is read by every tool of the Open Data Contract Standard by its apiVersion; one that "
                 "breaks that version's schema (v2.2.2, v3.0.2 for v3.0.x, v3.1.0, shipped inside meshctl) is "
                 "misread or refused by them. When a document follows a newer version, the finding says which.",
                 "apiVersion: v3.0.2\nkind: DataContract\nstatus: active\nversion: 1.0",
                 "apiVersion: v3.0.2\nkind: DataContract\nid: orders-contract\nstatus: active\nversion: \"1.0.0\""),
      structural("MESH-ODPS-SCHEMA", Severity::error,
                 "An ODPS data product follows the JSON Schema of the version it declares",
                 "A product is read by every tool of the Open Data Product Standard by its apiVersion; one that "
                 "breaks that version's schema (v0.9.0, v1.0.0, shipped inside meshctl) is misread or refused by "
                 "them. When a document follows a newer version, the finding says which."),
      structural("MESH-ODPS-CONTRACT", Severity::error,
                 "Every ODPS output port's contract is there: among the files given or in the product's folder tree",
                 "An ODPS product's output ports describe their data in ODCS contracts named by contractId; "
                 "without the contract meshctl cannot know the port's schema, so the product is neither "
                 "checked nor registered.",
                 "contractId: orders-table   # no contract has this id",
                 "contractId: orders-table   # and contracts/orders.odcs.yaml says id: orders-table"),
      structural("MESH-INTEROP-CONVERT", Severity::error,
                 "An ODCS or ODPS document converts to a valid manifest",
                 "The document is converted to the manifest the registry keeps; a meshctl.patch entry edited by "
                 "hand can make that manifest invalid, and then nothing is registered."),
      structural("MESH-INPUT-UNKNOWN", Severity::error,
                 "With validate --registry: every input port reads a registered product (or one in the same run)",
                 "An input port naming a product nobody registered is a typo or a missing apply; lineage and "
                 "retirement checks would not see the dependency.",
                 "inputPorts:\n  - { name: orders-in, product: sales/ordrs }",
                 "inputPorts:\n  - { name: orders-in, product: sales/orders }"),
      structural("MESH-INPUT-UNMATCHED", Severity::error,
                 "With validate --registry: every input port's version constraint meets a published version",
                 "The registry refuses to publish a product whose input port's constraint meets no version of the "
                 "product it reads that is not retired: the port would read nothing. The finding lists the versions "
                 "there are.",
                 "inputPorts:\n  - { product: sales/orders, version: \"^3\" }   # only 1.x and 2.x are published",
                 "inputPorts:\n  - { product: sales/orders, version: \"^2\" }"),
      structural("MESH-INPUT-DEPRECATED", Severity::warning,
                 "With validate --registry: no input port reads a deprecated product, or only deprecated versions",
                 "A deprecated product, or version, stops at its sunset date; a product reading it must move to its "
                 "replacement before then. The finding gives the sunset (and the product's reason)."),
      structural("MESH-INPUT-RETIRED", Severity::error,
                 "With validate --registry: no input port reads a retired product",
                 "A retired product publishes nothing new, and the registry refuses new versions of products that "
                 "read it: move to the replacement."),
      structural("MESH-GLOSSARY-FORMAT", Severity::error, "A glossary (kind: Glossary) follows its format's rules",
                 "Fields name terms by their name across the whole mesh: a term needs a kebab-case name used once, "
                 "a definition, a status of draft, active or deprecated, and its glossary a semantic version.",
                 "terms:\n  - { name: Customer Email, definition: ..., status: live }",
                 "terms:\n  - { name: customer-email, definition: ..., status: active }"),
      structural("MESH-TERM-UNKNOWN", Severity::error,
                 "With the registry (apply, validate --registry): every field's term is a term of a glossary",
                 "A field's `term:` binds it to the mesh's shared meaning; a term no glossary defines (or one removed "
                 "from its glossary) is a typo or a missing glossary, and the field would mean nothing to a "
                 "consumer. The finding suggests the closest known term; `meshctl get terms` lists them.",
                 "- { name: customer_email, type: string, term: customer-emial }",
                 "- { name: customer_email, type: string, term: customer-email }"),
      structural("MESH-TERM-DEPRECATED", Severity::warning,
                 "With the registry: no field is bound to a deprecated term",
                 "A deprecated term is on its way out of the glossary; bind the field to the term that replaces it "
                 "(`meshctl describe term NAME` shows its related terms)."),
      structural("MESH-TERM-SYNONYM", Severity::warning,
                 "With the registry: a field names a term by its name, not by one of its synonyms",
                 "A synonym is accepted (it means the same term), but search, describe term and the catalog match "
                 "fields by the term's own name: the finding names it.",
                 "term: buyer-email", "term: customer-email"),
      structural("MESH-STANDARDS", Severity::error, "The standards file is well-formed",
                 "A broken standards file would silently check manifests against the wrong rules; every "
                 "MESH-STANDARDS-* finding says what to change in it."),
  };
  return rules;
}

const RuleInfo* find_structural_rule(std::string_view id) {
  if (id.starts_with("MESH-STANDARDS-")) id = "MESH-STANDARDS";
  const auto& rules = structural_rules();
  auto found = std::find_if(rules.begin(), rules.end(), [&](const RuleInfo& rule) { return rule.id == id; });
  return found == rules.end() ? nullptr : &*found;
}

}  // namespace meshctl::standards
