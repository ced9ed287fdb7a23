// from_json: reading a canonical DataProduct document back into the model.
#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "meshctl/manifest/model.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/loader.h"

namespace meshctl::manifest {

namespace {

using nlohmann::json;

// ---------------------------------------------------------------- JSON -> model

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

const char* json_type_word(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

// Reads a canonical document. The first problem is kept and reading goes on
// with defaults, so every accessor can return a plain value.
class JsonReader {
 public:
  const std::optional<Error>& error() const { return error_; }

  // True when `value` is an object whose keys are all in `keys`.
  bool object(const json& value, const std::string& path, std::initializer_list<std::string_view> keys) {
    if (!expect(value.is_object(), value, path, "an object")) return false;
    for (const auto& [key, member] : value.items()) {
      bool known = false;
      for (auto allowed : keys) known = known || key == allowed;
      if (!known) {
        fail(fmt::format("{}: unknown key '{}'", path.empty() ? "the document" : path, key));
        return false;
      }
    }
    return true;
  }

  std::optional<std::string> text(const json& object, std::string_view key, const std::string& path) {
    const json* value = member(object, key);
    if (value == nullptr || !expect(value->is_string(), *value, join_path(path, key), "a string")) {
      return std::nullopt;
    }
    return value->get<std::string>();
  }

  std::string required_text(const json& object, std::string_view key, const std::string& path) {
    if (member(object, key) == nullptr) fail(fmt::format("{}: '{}' is missing", path, key));
    return text(object, key, path).value_or("");
  }

  std::optional<bool> boolean(const json& object, std::string_view key, const std::string& path) {
    const json* value = member(object, key);
    if (value == nullptr || !expect(value->is_boolean(), *value, join_path(path, key), "a boolean")) {
      return std::nullopt;
    }
    return value->get<bool>();
  }

  std::optional<Number> number(const json& object, std::string_view key, const std::string& path) {
    const json* value = member(object, key);
    if (value == nullptr) return std::nullopt;
    if (!expect(value->is_number(), *value, join_path(path, key), "a number")) return std::nullopt;
    return number_of_json(*value);
  }

  std::vector<Scalar> scalars(const json& object, std::string_view key, const std::string& path) {
    std::vector<Scalar> out;
    const json* list = array(object, key, path);
    if (list == nullptr) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& item = (*list)[i];
      const std::string item_path = fmt::format("{}[{}]", join_path(path, key), i);
      if (item.is_boolean()) {
        out.emplace_back(item.get<bool>());
      } else if (item.is_string()) {
        out.emplace_back(item.get<std::string>());
      } else if (item.is_number()) {
        std::visit([&](auto number) { out.emplace_back(number); }, number_of_json(item));
      } else {
        expect(false, item, item_path, "a string, number or boolean");
      }
    }
    return out;
  }

  // The array under `key`; nullptr when absent or not an array (then an error).
  const json* array(const json& object, std::string_view key, const std::string& path) {
    const json* value = member(object, key);
    if (value == nullptr || !expect(value->is_array(), *value, join_path(path, key), "an array")) return nullptr;
    return value;
  }

  static const json* member(const json& object, std::string_view key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  bool expect(bool condition, const json& value, const std::string& path, const char* wanted) {
    if (!condition) fail(fmt::format("{}: expected {}, found {}", path, wanted, json_type_word(value)));
    return condition;
  }

  void fail(std::string message) {
    if (!error_) error_ = make_error(ErrorKind::invalid, "not a canonical DataProduct: " + std::move(message));
  }

 private:
  static Number number_of_json(const json& value) {
    if (value.is_number_integer() && !value.is_number_unsigned()) return Number{value.get<std::int64_t>()};
    if (value.is_number_unsigned() && value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return Number{static_cast<std::int64_t>(value.get<std::uint64_t>())};
    }
    return Number{value.get<double>()};
  }

  std::optional<Error> error_;
};

Field read_field(JsonReader& in, const json& value, const std::string& path) {
  Field field;
  if (!in.object(value, path,
                 {"name", "type", "required", "unique", "description", "classification", "pii", "term", "enum", "items",
                  "fields"})) {
    return field;
  }
  field.name = in.text(value, "name", path);
  field.type = in.text(value, "type", path);
  field.required = in.boolean(value, "required", path);
  field.unique = in.boolean(value, "unique", path);
  field.description = in.text(value, "description", path);
  field.classification = in.text(value, "classification", path);
  field.pii = in.boolean(value, "pii", path);
  field.term = in.text(value, "term", path);
  field.enum_values = in.scalars(value, "enum", path);
  field.items = in.text(value, "items", path);
  if (const json* nested = in.array(value, "fields", path)) {
    for (std::size_t i = 0; i < nested->size(); ++i) {
      field.fields.push_back(read_field(in, (*nested)[i], fmt::format("{}.fields[{}]", path, i)));
    }
  }
  return field;
}

QualityRule read_quality_rule(JsonReader& in, const json& value, const std::string& path) {
  QualityRule rule;
  if (!in.object(value, path,
                 {"rule", "field", "min", "max", "pattern", "values", "query", "mustBe", "mustBeLessThan",
                  "mustBeGreaterThan", "description"})) {
    return rule;
  }
  rule.rule = in.text(value, "rule", path);
  rule.field = in.text(value, "field", path);
  rule.min = in.number(value, "min", path);
  rule.max = in.number(value, "max", path);
  rule.pattern = in.text(value, "pattern", path);
  rule.values = in.scalars(value, "values", path);
  rule.query = in.text(value, "query", path);
  rule.must_be = in.number(value, "mustBe", path);
  rule.must_be_less_than = in.number(value, "mustBeLessThan", path);
  rule.must_be_greater_than = in.number(value, "mustBeGreaterThan", path);
  rule.description = in.text(value, "description", path);
  return rule;
}

OutputPort read_output_port(JsonReader& in, const json& value, const std::string& path) {
  OutputPort port;
  if (!in.object(value, path, {"name", "description", "type", "format", "location", "schema", "slo", "quality"})) {
    return port;
  }
  port.name = in.text(value, "name", path);
  port.description = in.text(value, "description", path);
  port.type = in.text(value, "type", path);
  port.format = in.text(value, "format", path);
  port.location = in.text(value, "location", path);
  if (const json* schema = JsonReader::member(value, "schema")) {
    const std::string schema_path = path + ".schema";
    port.schema.emplace();
    if (in.object(*schema, schema_path, {"fields"})) {
      if (const json* fields = in.array(*schema, "fields", schema_path)) {
        for (std::size_t i = 0; i < fields->size(); ++i) {
          port.schema->fields.push_back(read_field(in, (*fields)[i], fmt::format("{}.fields[{}]", schema_path, i)));
        }
      }
    }
  }
  if (const json* slo = JsonReader::member(value, "slo")) {
    const std::string slo_path = path + ".slo";
    port.slo.emplace();
    if (in.object(*slo, slo_path, {"freshness", "availability"})) {
      port.slo->freshness = in.text(*slo, "freshness", slo_path);
      port.slo->availability = in.text(*slo, "availability", slo_path);
    }
  }
  if (const json* quality = in.array(value, "quality", path)) {
    for (std::size_t i = 0; i < quality->size(); ++i) {
      port.quality.push_back(read_quality_rule(in, (*quality)[i], fmt::format("{}.quality[{}]", path, i)));
    }
  }
  return port;
}

InputPort read_input_port(JsonReader& in, const json& value, const std::string& path) {
  InputPort port;
  if (!in.object(value, path, {"name", "description", "product", "version"})) return port;
  port.name = in.text(value, "name", path);
  port.description = in.text(value, "description", path);
  port.product = in.text(value, "product", path);
  port.version = in.text(value, "version", path);
  return port;
}

Metadata read_metadata(JsonReader& in, const json& value) {
  const std::string path = "metadata";
  Metadata metadata;
  if (!in.object(value, path, {"name", "domain", "version", "title", "description", "owner", "tags", "labels"})) {
    return metadata;
  }
  metadata.name = in.required_text(value, "name", path);
  metadata.domain = in.required_text(value, "domain", path);
  metadata.version = in.required_text(value, "version", path);
  metadata.title = in.text(value, "title", path);
  metadata.description = in.text(value, "description", path);
  if (const json* owner = JsonReader::member(value, "owner")) {
    metadata.owner.emplace();
    if (in.object(*owner, "metadata.owner", {"team", "email"})) {
      metadata.owner->team = in.text(*owner, "team", "metadata.owner");
      metadata.owner->email = in.text(*owner, "email", "metadata.owner");
    }
  }
  if (const json* tags = in.array(value, "tags", path)) {
    for (std::size_t i = 0; i < tags->size(); ++i) {
      const json& tag = (*tags)[i];
      if (in.expect(tag.is_string(), tag, fmt::format("metadata.tags[{}]", i), "a string")) {
        metadata.tags.push_back(tag.get<std::string>());
      }
    }
  }
  if (const json* labels = JsonReader::member(value, "labels")) {
    if (in.expect(labels->is_object(), *labels, "metadata.labels", "an object")) {
      for (const auto& [key, label] : labels->items()) {
        if (in.expect(label.is_string(), label, "metadata.labels." + key, "a string")) {
          metadata.labels.emplace(key, label.get<std::string>());
        }
      }
    }
  }
  return metadata;
}

Spec read_spec(JsonReader& in, const json& value) {
  const std::string path = "spec";
  Spec spec;
  if (!in.object(value, path, {"compatibility", "inputPorts", "outputPorts"})) return spec;
  spec.compatibility = in.text(value, "compatibility", path);
  if (const json* ports = in.array(value, "inputPorts", path)) {
    for (std::size_t i = 0; i < ports->size(); ++i) {
      spec.input_ports.push_back(read_input_port(in, (*ports)[i], fmt::format("spec.inputPorts[{}]", i)));
    }
  }
  if (const json* ports = in.array(value, "outputPorts", path)) {
    for (std::size_t i = 0; i < ports->size(); ++i) {
      spec.output_ports.push_back(read_output_port(in, (*ports)[i], fmt::format("spec.outputPorts[{}]", i)));
    }
  }
  return spec;
}

}  // namespace

namespace {

// True when objects and lists in `document` nest more than `limit` deep (the
// document itself is level 1). Walks with a stack of its own: reading fields
// recurses once per level, so the depth is checked before, without recursion.
bool nests_deeper_than(const json& document, std::size_t limit) {
  std::vector<std::pair<const json*, std::size_t>> pending{{&document, 1}};
  while (!pending.empty()) {
    const auto [value, level] = pending.back();
    pending.pop_back();
    if (!value->is_structured()) continue;
    if (level > limit) return true;
    for (const auto& member : *value) pending.emplace_back(&member, level + 1);
  }
  return false;
}

}  // namespace

Result<DataProduct> from_json(const nlohmann::json& document) {
  // The YAML loader's bound: a manifest the CLI can load reads back from JSON, and no deeper one does.
  const std::size_t max_depth = yaml::LoadLimits{}.max_depth;
  if (nests_deeper_than(document, max_depth)) {
    return make_error(ErrorKind::invalid, fmt::format("the document nests more than {} levels of objects and lists: "
                                                      "flatten it",
                                                      max_depth));
  }
  JsonReader in;
  DataProduct product;
  if (in.object(document, "", {"apiVersion", "kind", "metadata", "spec", "extensions"})) {
    const std::string api_version = in.required_text(document, "apiVersion", "the document");
    const std::string kind = in.required_text(document, "kind", "the document");
    if (!in.error() && api_version != kApiVersion) {
      in.fail(fmt::format("apiVersion: expected '{}', found '{}'", kApiVersion, api_version));
    }
    if (!in.error() && kind != kDataProductKind) {
      in.fail(fmt::format("kind: expected '{}', found '{}'", kDataProductKind, kind));
    }
    const json* metadata = JsonReader::member(document, "metadata");
    const json* spec = JsonReader::member(document, "spec");
    if (metadata == nullptr) in.fail("the document: 'metadata' is missing");
    if (spec == nullptr) in.fail("the document: 'spec' is missing");
    if (metadata != nullptr) product.metadata = read_metadata(in, *metadata);
    if (spec != nullptr) product.spec = read_spec(in, *spec);
    if (const json* extensions = JsonReader::member(document, "extensions")) {
      if (in.expect(extensions->is_object(), *extensions, "extensions", "an object")) {
        for (const auto& [key, value] : extensions->items()) product.extensions.emplace(key, value);
      }
    }
  }
  if (in.error()) return *in.error();
  return product;
}

}  // namespace meshctl::manifest
