#include "meshctl/manifest/model.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include "meshctl/core/json_text.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/json.h"

namespace meshctl::manifest {

namespace {

using nlohmann::json;
using yaml::Node;
using yaml::NodeKind;

// ---------------------------------------------------------------- YAML -> model

// An integer scalar as written in the YAML 1.2 core schema (decimal with a sign,
// 0o octal, 0x hex). nullopt when it does not fit an int64 (or is not a number
// after all, as `!!int abc` would be).
std::optional<std::int64_t> parse_integer(std::string_view text) {
  int base = 10;
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.starts_with("0o")) {
    base = 8;
    text.remove_prefix(2);
  } else if (text.starts_with("0x")) {
    base = 16;
    text.remove_prefix(2);
  }
  std::uint64_t magnitude = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
  if (!negative) {
    if (magnitude > kMax) return std::nullopt;
    return static_cast<std::int64_t>(magnitude);
  }
  if (magnitude > kMax + 1) return std::nullopt;
  return magnitude == kMax + 1 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
}

std::optional<Number> number_of(const Node& node) {
  if (node.kind == NodeKind::integer) {
    if (auto value = parse_integer(node.text)) return Number{*value};
    return Number{node.as_double()};
  }
  if (node.kind == NodeKind::floating) return Number{node.as_double()};
  return std::nullopt;
}

std::optional<Scalar> scalar_of(const Node& node) {
  switch (node.kind) {
    case NodeKind::boolean: return Scalar{node.as_bool()};
    case NodeKind::integer:
    case NodeKind::floating: {
      const Number number = *number_of(node);
      if (const auto* integer = std::get_if<std::int64_t>(&number)) return Scalar{*integer};
      const double value = std::get<double>(number);
      // JSON has no infinity or NaN: such a value keeps its spelling, as a string.
      if (!std::isfinite(value)) return Scalar{node.text};
      return Scalar{value};
    }
    case NodeKind::string: return Scalar{node.text};
    default: return std::nullopt;
  }
}

std::optional<std::string> string_at(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  if (value == nullptr || value->kind != NodeKind::string) return std::nullopt;
  return value->text;
}

std::optional<bool> bool_at(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  if (value == nullptr || value->kind != NodeKind::boolean) return std::nullopt;
  return value->as_bool();
}

std::optional<Number> number_at(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  return value == nullptr ? std::nullopt : number_of(*value);
}

const Node* mapping_at(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  return value != nullptr && value->is_mapping() ? value : nullptr;
}

const std::vector<Node>* items_at(const Node& map, std::string_view key) {
  const Node* value = map.find(key);
  return value != nullptr && value->is_sequence() ? &value->items : nullptr;
}

std::vector<Scalar> scalars_at(const Node& map, std::string_view key) {
  std::vector<Scalar> out;
  if (const auto* items = items_at(map, key)) {
    for (const auto& item : *items) {
      if (auto scalar = scalar_of(item)) out.push_back(std::move(*scalar));
    }
  }
  return out;
}

std::vector<Field> decode_fields(const Node& map);

Field decode_field(const Node& node) {
  Field field;
  field.name = string_at(node, "name");
  field.type = string_at(node, "type");
  field.required = bool_at(node, "required");
  field.unique = bool_at(node, "unique");
  field.description = string_at(node, "description");
  field.classification = string_at(node, "classification");
  field.pii = bool_at(node, "pii");
  field.term = string_at(node, "term");
  field.enum_values = scalars_at(node, "enum");
  field.items = string_at(node, "items");
  field.fields = decode_fields(node);
  return field;
}

std::vector<Field> decode_fields(const Node& map) {
  std::vector<Field> fields;
  if (const auto* items = items_at(map, "fields")) {
    for (const auto& item : *items) {
      if (item.is_mapping()) fields.push_back(decode_field(item));
    }
  }
  return fields;
}

QualityRule decode_quality_rule(const Node& node) {
  QualityRule rule;
  rule.rule = string_at(node, "rule");
  rule.field = string_at(node, "field");
  rule.min = number_at(node, "min");
  rule.max = number_at(node, "max");
  rule.pattern = string_at(node, "pattern");
  rule.values = scalars_at(node, "values");
  rule.query = string_at(node, "query");
  rule.must_be = number_at(node, "mustBe");
  rule.must_be_less_than = number_at(node, "mustBeLessThan");
  rule.must_be_greater_than = number_at(node, "mustBeGreaterThan");
  rule.description = string_at(node, "description");
  return rule;
}

OutputPort decode_output_port(const Node& node) {
  OutputPort port;
  port.name = string_at(node, "name");
  port.description = string_at(node, "description");
  port.type = string_at(node, "type");
  port.format = string_at(node, "format");
  port.location = string_at(node, "location");
  if (const Node* schema = mapping_at(node, "schema")) {
    port.schema.emplace();
    port.schema->fields = decode_fields(*schema);
  }
  if (const Node* slo = mapping_at(node, "slo")) {
    port.slo = Slo{string_at(*slo, "freshness"), string_at(*slo, "availability")};
  }
  if (const auto* quality = items_at(node, "quality")) {
    for (const auto& item : *quality) {
      if (item.is_mapping()) port.quality.push_back(decode_quality_rule(item));
    }
  }
  return port;
}

InputPort decode_input_port(const Node& node) {
  return InputPort{string_at(node, "name"), string_at(node, "description"), string_at(node, "product"),
                   string_at(node, "version")};
}

Metadata decode_metadata(const Node& node) {
  Metadata metadata;
  metadata.name = string_at(node, "name").value_or("");
  metadata.domain = string_at(node, "domain").value_or("");
  metadata.version = string_at(node, "version").value_or("");
  metadata.title = string_at(node, "title");
  metadata.description = string_at(node, "description");
  if (const Node* owner = mapping_at(node, "owner")) {
    metadata.owner = Owner{string_at(*owner, "team"), string_at(*owner, "email")};
  }
  if (const auto* tags = items_at(node, "tags")) {
    for (const auto& tag : *tags) {
      if (tag.kind == NodeKind::string) metadata.tags.push_back(tag.text);
    }
  }
  if (const Node* labels = mapping_at(node, "labels")) {
    for (const auto& entry : labels->entries) {
      if (entry.value.kind == NodeKind::string) metadata.labels.emplace(entry.key, entry.value.text);
    }
  }
  return metadata;
}

Spec decode_spec(const Node& node) {
  Spec spec;
  spec.compatibility = string_at(node, "compatibility");
  if (const auto* ports = items_at(node, "inputPorts")) {
    for (const auto& item : *ports) {
      if (item.is_mapping()) spec.input_ports.push_back(decode_input_port(item));
    }
  }
  if (const auto* ports = items_at(node, "outputPorts")) {
    for (const auto& item : *ports) {
      if (item.is_mapping()) spec.output_ports.push_back(decode_output_port(item));
    }
  }
  return spec;
}

// ---------------------------------------------------------------- model -> JSON

template <typename T>
void put(json& object, const char* key, const std::optional<T>& value) {
  if (value) object[key] = *value;
}

json number_json(const Number& number) {
  return std::visit([](auto value) { return json(value); }, number);
}

json scalars_json(const std::vector<Scalar>& scalars) {
  json out = json::array();
  for (const auto& scalar : scalars) {
    out.push_back(std::visit([](const auto& value) { return json(value); }, scalar));
  }
  return out;
}

json field_json(const Field& field) {
  json out = json::object();
  put(out, "name", field.name);
  put(out, "type", field.type);
  put(out, "required", field.required);
  put(out, "unique", field.unique);
  put(out, "description", field.description);
  put(out, "classification", field.classification);
  put(out, "pii", field.pii);
  put(out, "term", field.term);
  if (!field.enum_values.empty()) out["enum"] = scalars_json(field.enum_values);
  put(out, "items", field.items);
  if (!field.fields.empty()) {
    json& nested = out["fields"] = json::array();
    for (const auto& child : field.fields) nested.push_back(field_json(child));
  }
  return out;
}

json quality_rule_json(const QualityRule& rule) {
  json out = json::object();
  put(out, "rule", rule.rule);
  put(out, "field", rule.field);
  if (rule.min) out["min"] = number_json(*rule.min);
  if (rule.max) out["max"] = number_json(*rule.max);
  put(out, "pattern", rule.pattern);
  if (!rule.values.empty()) out["values"] = scalars_json(rule.values);
  put(out, "query", rule.query);
  if (rule.must_be) out["mustBe"] = number_json(*rule.must_be);
  if (rule.must_be_less_than) out["mustBeLessThan"] = number_json(*rule.must_be_less_than);
  if (rule.must_be_greater_than) out["mustBeGreaterThan"] = number_json(*rule.must_be_greater_than);
  put(out, "description", rule.description);
  return out;
}

json output_port_json(const OutputPort& port) {
  json out = json::object();
  put(out, "name", port.name);
  put(out, "description", port.description);
  put(out, "type", port.type);
  put(out, "format", port.format);
  put(out, "location", port.location);
  if (port.schema) {
    json& schema = out["schema"] = json::object();
    if (!port.schema->fields.empty()) {
      json& fields = schema["fields"] = json::array();
      for (const auto& field : port.schema->fields) fields.push_back(field_json(field));
    }
  }
  if (port.slo) {
    json& slo = out["slo"] = json::object();
    put(slo, "freshness", port.slo->freshness);
    put(slo, "availability", port.slo->availability);
  }
  if (!port.quality.empty()) {
    json& quality = out["quality"] = json::array();
    for (const auto& rule : port.quality) quality.push_back(quality_rule_json(rule));
  }
  return out;
}

json input_port_json(const InputPort& port) {
  json out = json::object();
  put(out, "name", port.name);
  put(out, "description", port.description);
  put(out, "product", port.product);
  put(out, "version", port.version);
  return out;
}

}  // namespace

DataProduct decode(const yaml::Node& root) {
  DataProduct product;
  if (const Node* metadata = mapping_at(root, "metadata")) product.metadata = decode_metadata(*metadata);
  if (const Node* spec = mapping_at(root, "spec")) product.spec = decode_spec(*spec);
  if (const Node* extensions = mapping_at(root, "extensions")) {
    for (const auto& entry : extensions->entries)
      product.extensions.emplace(entry.key, yaml::to_sorted_json(entry.value));
  }
  return product;
}

nlohmann::json to_json(const DataProduct& product) {
  const Metadata& m = product.metadata;
  json metadata = json::object();
  metadata["name"] = m.name;
  metadata["domain"] = m.domain;
  metadata["version"] = m.version;
  put(metadata, "title", m.title);
  put(metadata, "description", m.description);
  if (m.owner) {
    json& owner = metadata["owner"] = json::object();
    put(owner, "team", m.owner->team);
    put(owner, "email", m.owner->email);
  }
  if (!m.tags.empty()) metadata["tags"] = m.tags;
  if (!m.labels.empty()) metadata["labels"] = m.labels;

  json spec = json::object();
  put(spec, "compatibility", product.spec.compatibility);
  if (!product.spec.input_ports.empty()) {
    json& ports = spec["inputPorts"] = json::array();
    for (const auto& port : product.spec.input_ports) ports.push_back(input_port_json(port));
  }
  if (!product.spec.output_ports.empty()) {
    json& ports = spec["outputPorts"] = json::array();
    for (const auto& port : product.spec.output_ports) ports.push_back(output_port_json(port));
  }
  json document{{"apiVersion", kApiVersion},
                {"kind", kDataProductKind},
                {"metadata", std::move(metadata)},
                {"spec", std::move(spec)}};
  if (!product.extensions.empty()) document["extensions"] = product.extensions;
  return document;
}

std::string canonical_text(const DataProduct& product) {
  return json_text(to_json(product));
}

}  // namespace meshctl::manifest
