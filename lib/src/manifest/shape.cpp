#include "meshctl/manifest/shape.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "meshctl/core/text.h"
#include "meshctl/manifest/glossary.h"

namespace meshctl::manifest {

namespace {

using yaml::Node;
using yaml::NodeKind;

enum class ValueType { string, boolean, number, scalar, mapping, list, string_map, any_map };

struct Shape;
struct Property {
  std::string_view name;
  const Shape* shape;
  bool required = false;
  std::string_view description;
};

struct Shape {
  ValueType type;
  std::vector<Property> properties = {};  // mapping
  const Shape* items = nullptr;           // list
  std::string_view constant = {};         // string: the only value allowed
  std::string_view definition = {};       // names a $defs entry in the JSON Schema (recursive shapes)
};

// The manifest's structure, one declaration used by the checker and by the JSON Schema.
const Shape kString{ValueType::string};
const Shape kBoolean{ValueType::boolean};
const Shape kNumber{ValueType::number};
const Shape kScalar{ValueType::scalar};
const Shape kScalarList{ValueType::list, {}, &kScalar};
const Shape kStringList{ValueType::list, {}, &kString};
const Shape kStringMap{ValueType::string_map};
// Any value under any key: carried untouched (the native extension point).
const Shape kAnyMap{ValueType::any_map};

extern const Shape kField;
const Shape kFieldList{ValueType::list, {}, &kField};
const Shape kField{ValueType::mapping,
                   {{"name", &kString, false, "snake_case name, unique within its schema"},
                    {"type", &kString, false,
                     "string, integer, long, float, double, decimal, boolean, date, timestamp, bytes, array or object"},
                    {"required", &kBoolean, false, "true when every record has a value"},
                    {"unique", &kBoolean, false, "true when no two records share a value"},
                    {"description", &kString, false, "what the value means, for consumers"},
                    {"classification", &kString, false, "public, internal, confidential or restricted"},
                    {"pii", &kBoolean, false, "true when the value identifies a person"},
                    {"term", &kString, false, "the business-glossary term the field carries"},
                    {"enum", &kScalarList, false, "the only values the field takes"},
                    {"items", &kString, false, "arrays: the type of the elements when they are not objects"},
                    {"fields", &kFieldList, false, "objects, and arrays of objects: the nested fields"}},
                   nullptr,
                   {},
                   "field"};

const Shape kQualityRule{
    ValueType::mapping,
    {{"rule", &kString, false, "not_null, unique, row_count, range, pattern, accepted_values, freshness or sql"},
     {"field", &kString, false, "the field the rule checks"},
     {"min", &kNumber, false, "lower bound (row_count, range)"},
     {"max", &kNumber, false, "upper bound (row_count, range; freshness: seconds, when the port has no slo)"},
     {"pattern", &kString, false, "regular expression (pattern)"},
     {"values", &kScalarList, false, "allowed values (accepted_values)"},
     {"query", &kString, false, "sql: one SELECT returning one number; the port's data is the table named after the port"},
     {"mustBe", &kNumber, false, "sql: the number the query must return"},
     {"mustBeLessThan", &kNumber, false, "sql: the query's number must be less than this"},
     {"mustBeGreaterThan", &kNumber, false, "sql: the query's number must be greater than this"},
     {"description", &kString, false, "why the rule exists"}}};

const Shape kQualityList{ValueType::list, {}, &kQualityRule};

const Shape kSlo{ValueType::mapping,
                 {{"freshness", &kString, false, "how old the data may get: 15m, 1h, 7d"},
                  {"availability", &kString, false, "share of time the port is readable: \"99.9%\""}}};

const Shape kSchema{ValueType::mapping, {{"fields", &kFieldList, false, "the columns or attributes"}}};

const Shape kOutputPort{ValueType::mapping,
                        {{"name", &kString, false, "kebab-case, unique within the product"},
                         {"description", &kString, false, "what the port serves"},
                         {"type", &kString, false, "table, topic, file or api"},
                         {"format", &kString, false, "parquet, avro, json, csv, delta, iceberg or protobuf"},
                         {"location", &kString, false, "where consumers read it: a URI"},
                         {"schema", &kSchema, false, "the shape of the data"},
                         {"slo", &kSlo, false, "service levels"},
                         {"quality", &kQualityList, false, "quality rules"}}};

const Shape kInputPort{ValueType::mapping,
                       {{"name", &kString, false, "kebab-case, unique within the product"},
                        {"description", &kString, false, "what the product reads there"},
                        {"product", &kString, false, "the product read: domain/name"},
                        {"version", &kString, false, "a version constraint on it: \"^2\", \"~1.4\", \">=3.1.0\""}}};

const Shape kInputPortList{ValueType::list, {}, &kInputPort};
const Shape kOutputPortList{ValueType::list, {}, &kOutputPort};

const Shape kOwner{
    ValueType::mapping,
    {{"team", &kString, false, "the owning team, kebab-case"}, {"email", &kString, false, "where to reach the team"}}};

const Shape kMetadata{ValueType::mapping,
                      {{"name", &kString, true, "kebab-case, unique inside its domain"},
                       {"domain", &kString, true, "the domain (tenant) that owns the product"},
                       {"version", &kString, true, "semantic version of this manifest: \"1.2.0\""},
                       {"title", &kString, false, "a short human name"},
                       {"description", &kString, false, "what the product is, for a consumer deciding to use it"},
                       {"owner", &kOwner, false, "who answers for the product"},
                       {"tags", &kStringList, false, "kebab-case keywords"},
                       {"labels", &kStringMap, false, "key: value pairs for tooling"}}};

const Shape kSpec{
    ValueType::mapping,
    {{"compatibility", &kString, false, "forward (default), backward, full, none, or a _transitive variant"},
     {"inputPorts", &kInputPortList, false, "the products this one reads"},
     {"outputPorts", &kOutputPortList, false, "what this product publishes"}}};

const Shape kApiVersionShape{ValueType::string, {}, nullptr, kApiVersion};
const Shape kKindShape{ValueType::string, {}, nullptr, kDataProductKind};

const Shape kManifest{ValueType::mapping,
                      {{"apiVersion", &kApiVersionShape, true, "always meshctl/v1"},
                       {"kind", &kKindShape, true, "always DataProduct"},
                       {"metadata", &kMetadata, true, "who and what the product is"},
                       {"spec", &kSpec, true, "what the product reads and publishes"},
                       {"extensions", &kAnyMap, false,
                        "anything else, carried untouched: what a standard (ODCS, ODPS) has and meshctl has no field for"}}};

// The Glossary document (`kind: Glossary`): manifest/glossary.h.
const Shape kAuthoritativeDefinition{
    ValueType::mapping,
    {{"type", &kString, true, "what the link holds: businessDefinition, tutorial, implementation, ..."},
     {"url", &kString, true, "where the definition is"}}};
const Shape kAuthoritativeDefinitionList{ValueType::list, {}, &kAuthoritativeDefinition};

const Shape kTerm{ValueType::mapping,
                  {{"name", &kString, true, "kebab-case, unique across the mesh; what a field's `term:` names"},
                   {"definition", &kString, true, "what the term means, in one or two sentences"},
                   {"synonyms", &kStringList, false, "other names that mean the same"},
                   {"status", &kString, false, "draft, active (default) or deprecated"},
                   {"related", &kStringList, false, "names of related terms"},
                   {"authoritativeDefinitions", &kAuthoritativeDefinitionList, false,
                    "links to definitions outside meshctl (as ODCS's): {type, url}"}}};
const Shape kTermList{ValueType::list, {}, &kTerm};

const Shape kGlossaryMetadata{ValueType::mapping,
                              {{"name", &kString, true, "kebab-case, unique inside its domain"},
                               {"domain", &kString, true, "the domain that owns the terms"},
                               {"version", &kString, true, "semantic version of this glossary: \"1.0.0\""},
                               {"description", &kString, false, "what the glossary covers"},
                               {"owner", &kOwner, false, "who answers for the terms"}}};

const Shape kGlossaryKindShape{ValueType::string, {}, nullptr, kGlossaryKind};

const Shape kGlossaryDocument{ValueType::mapping,
                              {{"apiVersion", &kApiVersionShape, true, "always meshctl/v1"},
                               {"kind", &kGlossaryKindShape, true, "Glossary"},
                               {"metadata", &kGlossaryMetadata, true, "which glossary, whose"},
                               {"terms", &kTermList, true, "the business terms"}}};

const char* type_word(ValueType type) {
  switch (type) {
    case ValueType::string: return "a string";
    case ValueType::boolean: return "a boolean (true or false)";
    case ValueType::number: return "a number";
    case ValueType::scalar: return "a string, number or boolean";
    case ValueType::mapping:
    case ValueType::string_map:
    case ValueType::any_map: return "a mapping";
    case ValueType::list: return "a list";
  }
  return "a value";
}

bool matches(ValueType type, const Node& node) {
  switch (type) {
    case ValueType::string: return node.kind == NodeKind::string;
    case ValueType::boolean: return node.kind == NodeKind::boolean;
    // JSON has no infinity or NaN: the canonical JSON could not hold them, and a
    // JSON Schema validator refuses them as numbers.
    case ValueType::number: return node.is_number() && std::isfinite(node.as_double());
    case ValueType::scalar: return node.is_scalar() && node.kind != NodeKind::null;
    case ValueType::mapping:
    case ValueType::string_map:
    case ValueType::any_map: return node.kind == NodeKind::mapping;
    case ValueType::list: return node.kind == NodeKind::sequence;
  }
  return false;
}

class Checker {
 public:
  Checker(const std::string& file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}

  void check(const Node& node, const Shape& shape, const std::string& path) {
    if (!matches(shape.type, node)) {
      std::string hint;
      if (shape.type == ValueType::string && node.is_scalar() && node.kind != NodeKind::null) {
        hint = fmt::format(": quote it (\"{}\")", node.text);
      }
      if (shape.type == ValueType::number && node.is_number()) {
        hint = fmt::format(" ({}): write a finite number", node.text);
      }
      const std::string subject = path.empty() ? "the manifest" : fmt::format("'{}'", path);
      report(node.position, Severity::error, "MESH-SCHEMA-TYPE", path,
             fmt::format("{} must be {}, found {}{}", subject, type_word(shape.type), article(node.kind), hint));
      return;
    }
    if (!shape.constant.empty() && node.text != shape.constant) {
      report(node.position, Severity::error, "MESH-SCHEMA-CONST", path,
             fmt::format("'{}' must be '{}', found '{}'", path, shape.constant, node.text));
      return;
    }
    switch (shape.type) {
      case ValueType::mapping: check_mapping(node, shape, path); break;
      case ValueType::string_map:
        for (const auto& entry : node.entries) {
          check(entry.value, kString, join(path, entry.key));
        }
        break;
      case ValueType::list:
        for (std::size_t i = 0; i < node.items.size(); ++i) {
          check(node.items[i], *shape.items, fmt::format("{}[{}]", path, i));
        }
        break;
      default: break;
    }
  }

 private:
  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  static std::string article(NodeKind kind) {
    if (kind == NodeKind::null) return "nothing (null)";
    const char* word = yaml::to_string(kind);
    const bool vowel = word[0] == 'i';
    return fmt::format("{} {}", vowel ? "an" : "a", word);
  }

  void check_mapping(const Node& node, const Shape& shape, const std::string& path) {
    for (const auto& property : shape.properties) {
      if (property.required && node.find(property.name) == nullptr) {
        report(node.position, Severity::error, "MESH-SCHEMA-REQUIRED", path,
               path.empty() ? fmt::format("the manifest has no '{}': add it", property.name)
                            : fmt::format("'{}' has no '{}': add it", path, property.name));
      }
    }
    for (const auto& entry : node.entries) {
      auto known = std::find_if(shape.properties.begin(), shape.properties.end(),
                                [&](const Property& p) { return p.name == entry.key; });
      if (known == shape.properties.end()) {
        report_unknown_key(entry, shape, path);
        continue;
      }
      check(entry.value, *known->shape, join(path, entry.key));
    }
  }

  void report_unknown_key(const yaml::Entry& entry, const Shape& shape, const std::string& path) {
    std::vector<std::string_view> names;
    names.reserve(shape.properties.size());
    for (const auto& p : shape.properties) names.push_back(p.name);
    std::string where = path.empty() ? "at the top level" : fmt::format("in '{}'", path);
    std::string message;
    if (auto suggestion = closest_match(entry.key, names)) {
      message = fmt::format("unknown key '{}' {}: did you mean '{}'?", entry.key, where, *suggestion);
    } else {
      message = fmt::format("unknown key '{}' {}: the keys here are {}", entry.key, where, join_words(names));
    }
    report(entry.key_position, Severity::warning, "MESH-SCHEMA-UNKNOWN-KEY", join(path, entry.key), std::move(message));
  }

  void report(Position position, Severity severity, const char* rule, const std::string& path, std::string message) {
    out_.push_back(Diagnostic{file_, position, severity, rule, path, std::move(message)});
  }

  const std::string& file_;
  std::vector<Diagnostic>& out_;
};

nlohmann::json to_json_schema(const Shape& shape, nlohmann::json& defs, bool at_definition = false) {
  if (!shape.definition.empty() && !at_definition) {
    const std::string name(shape.definition);
    if (!defs.contains(name)) {
      defs[name] = nullptr;  // placeholder: stops the recursion
      defs[name] = to_json_schema(shape, defs, true);
    }
    return {{"$ref", "#/$defs/" + name}};
  }
  nlohmann::json schema;
  switch (shape.type) {
    case ValueType::string:
      schema["type"] = "string";
      if (!shape.constant.empty()) schema["const"] = shape.constant;
      break;
    case ValueType::boolean: schema["type"] = "boolean"; break;
    case ValueType::number: schema["type"] = "number"; break;
    case ValueType::scalar: schema["type"] = {"string", "number", "boolean"}; break;
    case ValueType::string_map:
      schema["type"] = "object";
      schema["additionalProperties"] = {{"type", "string"}};
      break;
    case ValueType::any_map: schema["type"] = "object"; break;
    case ValueType::list:
      schema["type"] = "array";
      schema["items"] = to_json_schema(*shape.items, defs);
      break;
    case ValueType::mapping: {
      schema["type"] = "object";
      nlohmann::json properties = nlohmann::json::object();
      nlohmann::json required = nlohmann::json::array();
      for (const auto& property : shape.properties) {
        nlohmann::json sub = to_json_schema(*property.shape, defs);
        if (!property.description.empty() && !sub.contains("$ref")) sub["description"] = property.description;
        properties[std::string(property.name)] = std::move(sub);
        if (property.required) required.push_back(property.name);
      }
      schema["properties"] = std::move(properties);
      if (!required.empty()) schema["required"] = std::move(required);
      schema["additionalProperties"] = false;
      break;
    }
  }
  return schema;
}

}  // namespace

void check_shape(const yaml::Node& root, const std::string& file, std::vector<Diagnostic>& out) {
  Checker(file, out).check(root, kManifest, "");
}

void check_glossary_shape(const yaml::Node& root, const std::string& file, std::vector<Diagnostic>& out) {
  Checker(file, out).check(root, kGlossaryDocument, "");
}

bool is_structural_rule(const std::string& rule) {
  return rule.starts_with("MESH-SCHEMA-") || rule.starts_with("MESH-YAML-");
}

nlohmann::json manifest_json_schema() {
  nlohmann::json defs = nlohmann::json::object();
  nlohmann::json schema = to_json_schema(kManifest, defs);
  // A Glossary document shares apiVersion and metadata's keys: the top level takes either kind, and
  // if/then/else holds each kind to its own keys (a glossary's metadata is the product's, narrowed).
  schema["properties"]["kind"] = {{"type", "string"},
                                  {"enum", {kDataProductKind, kGlossaryKind}},
                                  {"description", "DataProduct, or Glossary for a business glossary"}};
  auto terms = to_json_schema(kTermList, defs);
  terms["description"] = "Glossary only: the business terms";
  schema["properties"]["terms"] = std::move(terms);
  schema["required"] = {"apiVersion", "kind", "metadata"};
  schema["if"] = {{"properties", {{"kind", {{"const", kGlossaryKind}}}}}, {"required", {"kind"}}};
  // (A required key is also named in the same object's properties: strict validators ask for it.)
  schema["then"] = {
      {"required", {"terms"}},
      {"properties", {{"metadata", to_json_schema(kGlossaryMetadata, defs)}, {"spec", false}, {"terms", true}}}};
  schema["else"] = {{"required", {"spec"}}, {"properties", {{"terms", false}, {"spec", true}}}};
  nlohmann::json document = {
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", "https://meshctl.dev/schemas/meshctl-v1-dataproduct.json"},
      {"title", "meshctl DataProduct manifest (apiVersion meshctl/v1)"},
      {"description",
       "The structure of a data-product manifest, or of a business glossary (kind: Glossary). Naming, ownership, "
       "classification and service-level policy are checked by `meshctl validate` against the platform's "
       "standards, not by this schema."},
  };
  document.update(schema);
  document["$defs"] = std::move(defs);
  return document;
}

}  // namespace meshctl::manifest
