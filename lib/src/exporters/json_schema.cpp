// Output ports as JSON Schema (draft-07, what most validators read: ajv, jsonschema, everit).

#include <fmt/format.h>

#include "exporters/formats.h"
#include "meshctl/core/json_text.h"

namespace meshctl::exporters {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kDraft = "http://json-schema.org/draft-07/schema#";
// What `meshctl test` accepts as a decimal written as a string.
constexpr const char* kDecimalPattern = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$";

// The schema of a value of `type`, without nullability.
Json scalar_schema(const std::string& type) {
  if (type == "string") return {{"type", "string"}};
  if (type == "integer") return {{"type", "integer"}, {"minimum", -2147483648LL}, {"maximum", 2147483647LL}};
  if (type == "long") return {{"type", "integer"}};
  if (type == "float" || type == "double") return {{"type", "number"}};
  if (type == "decimal") return {{"type", Json::array({"number", "string"})}, {"pattern", kDecimalPattern}};
  if (type == "boolean") return {{"type", "boolean"}};
  if (type == "date") return {{"type", "string"}, {"format", "date"}};
  if (type == "timestamp") return {{"type", "string"}, {"format", "date-time"}};
  if (type == "bytes") return {{"type", "string"}, {"contentEncoding", "base64"}};
  if (type == "array") return {{"type", "array"}};
  return {{"type", "object"}};
}

// "pii; classification: restricted; term: customer-email; unique": what JSON Schema has no keyword for.
std::string annotations(const manifest::Field& field) {
  std::vector<std::string> parts;
  if (field.pii.value_or(false)) parts.emplace_back("pii");
  if (field.classification) parts.push_back("classification: " + *field.classification);
  if (field.term) parts.push_back("term: " + *field.term);
  if (field.unique.value_or(false)) parts.emplace_back("unique across records");
  return fmt::format("{}", fmt::join(parts, "; "));
}

Result<Json> object_schema(const manifest::OutputPort& port, const std::vector<manifest::Field>& fields,
                           const std::string& prefix);

Result<Json> field_schema(const manifest::OutputPort& port, const manifest::Field& field, const std::string& path) {
  const auto type = field.type.value_or("string");
  if (!is_exportable_type(type)) return unknown_type(port, path, type, "JSON Schema");
  Json schema;
  if (type == "object") {
    auto object = object_schema(port, field.fields, path + ".");
    if (!object) return object.error();
    schema = std::move(*object);
  } else {
    schema = scalar_schema(type);
  }
  if (type == "array") {
    if (!field.fields.empty()) {
      auto items = object_schema(port, field.fields, path + "[].");
      if (!items) return items.error();
      schema["items"] = std::move(*items);
    } else if (field.items) {
      if (!is_exportable_type(*field.items)) return unknown_type(port, path + "[]", *field.items, "JSON Schema");
      schema["items"] = scalar_schema(*field.items);
    }
  }
  if (!field.enum_values.empty()) {
    Json values = Json::array();
    for (const auto& value : field.enum_values) values.push_back(scalar_json(value));
    if (!field.required.value_or(false)) values.push_back(nullptr);
    schema["enum"] = std::move(values);
  }
  if (!field.required.value_or(false)) {
    auto& types = schema["type"];
    if (types.is_array()) {
      types.push_back("null");
    } else {
      types = Json::array({types, "null"});
    }
  }
  Json ordered;
  if (field.description) ordered["description"] = *field.description;
  if (const auto comment = annotations(field); !comment.empty()) ordered["$comment"] = comment;
  for (auto& [key, value] : schema.items()) ordered[key] = std::move(value);
  return ordered;
}

Result<Json> object_schema(const manifest::OutputPort& port, const std::vector<manifest::Field>& fields,
                           const std::string& prefix) {
  Json schema = {{"type", "object"}};
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& field : fields) {
    const auto name = field.name.value_or("");
    auto property = field_schema(port, field, prefix + name);
    if (!property) return property.error();
    properties[name] = std::move(*property);
    if (field.required.value_or(false)) required.push_back(name);
  }
  schema["properties"] = std::move(properties);
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

// `name` as one token of a JSON Pointer (RFC 6901).
std::string pointer_token(const std::string& name) {
  std::string token;
  for (char c : name) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

Result<Json> port_schema(const manifest::DataProduct& product, const manifest::OutputPort& port) {
  auto schema = object_schema(port, port.schema->fields, "");
  if (!schema) return schema.error();
  Json described;
  described["title"] = fmt::format("{} {}, output port {}", product.id(), product.metadata.version,
                                   port.name.value_or(""));
  if (port.description) described["description"] = *port.description;
  for (auto& [key, value] : schema->items()) described[key] = std::move(value);
  return described;
}

}  // namespace

Result<std::string> to_json_schema(const manifest::DataProduct& product, const Ports& ports) {
  Json document = {{"$schema", kDraft}};
  if (ports.size() == 1) {
    auto schema = port_schema(product, *ports.front());
    if (!schema) return schema.error();
    for (auto& [key, value] : schema->items()) document[key] = std::move(value);
    return json_text(document, 2) + "\n";
  }
  // Several ports: one definition each, and a record of any of them is valid.
  document["title"] = fmt::format("{} {}", product.id(), product.metadata.version);
  if (product.metadata.description) document["description"] = *product.metadata.description;
  Json definitions = Json::object();
  Json any_of = Json::array();
  for (const auto* port : ports) {
    auto schema = port_schema(product, *port);
    if (!schema) return schema.error();
    const auto name = port->name.value_or("");
    definitions[name] = std::move(*schema);
    any_of.push_back({{"$ref", "#/definitions/" + pointer_token(name)}});
  }
  document["definitions"] = std::move(definitions);
  document["anyOf"] = std::move(any_of);
  return json_text(document, 2) + "\n";
}

}  // namespace meshctl::exporters
