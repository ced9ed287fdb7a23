#include "meshctl/manifest/explain.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "meshctl/core/text.h"
#include "meshctl/manifest/shape.h"

namespace meshctl::manifest {

namespace {

using nlohmann::json;

// `node` with its $ref (to #/$defs/NAME) followed; its own description kept over the definition's.
json resolved(const json& schema, const json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node["$ref"];
  const std::string prefix = "#/$defs/";
  if (!ref.starts_with(prefix)) return node;
  json target = schema["$defs"].value(ref.substr(prefix.size()), json::object());
  if (node.contains("description")) target["description"] = node["description"];
  return target;
}

// The node an array's elements are (resolved), or `node` itself when it is not an array.
json element(const json& schema, const json& node) {
  if (node.value("type", json()) == "array" && node.contains("items")) return resolved(schema, node["items"]);
  return node;
}

std::string type_of(const json& schema, const json& node) {
  const json plain = resolved(schema, node);
  const json type = plain.value("type", json());
  if (type.is_array()) {
    std::string joined;
    for (const auto& t : type) joined += (joined.empty() ? "" : " | ") + t.get<std::string>();
    return joined;
  }
  if (!type.is_string()) return "any";
  if (type == "array" && plain.contains("items")) return "array of " + type_of(schema, plain["items"]);
  return type;
}

// Required of the object, or of a DataProduct: the top level's `else` (a Glossary is its `then`).
bool is_required(const json& parent, const std::string& key) {
  const auto list = parent.value("required", json::array());
  const auto of_product = parent.value("else", json::object()).value("required", json::array());
  return std::find(list.begin(), list.end(), key) != list.end() ||
         std::find(of_product.begin(), of_product.end(), key) != of_product.end();
}

// "spec.outputPorts[0].slo" -> {"spec", "outputPorts", "slo"}
std::vector<std::string> keys_of(std::string_view path) {
  std::vector<std::string> keys;
  std::string current;
  bool in_index = false;
  for (const char c : path) {
    if (c == '[') in_index = true;
    if (!in_index && c != '.') current += c;
    if (c == ']') in_index = false;
    if (c == '.' && !current.empty()) keys.push_back(std::exchange(current, {}));
  }
  if (!current.empty()) keys.push_back(current);
  return keys;
}

}  // namespace

Result<FieldDoc> explain_field(std::string_view path) {
  static const json schema = manifest_json_schema();
  FieldDoc doc;
  json node = schema;
  bool required = true;
  for (const auto& key : keys_of(path)) {
    const json parent = element(schema, resolved(schema, node));
    const json properties = parent.value("properties", json::object());
    if (!properties.contains(key)) {
      std::vector<std::string> names;
      for (const auto& [name, value] : properties.items()) names.push_back(name);
      const auto match = closest_match(key, std::vector<std::string_view>(names.begin(), names.end()));
      const std::string where = doc.path.empty() ? "a manifest" : doc.path;
      if (names.empty()) {
        return make_error(ErrorKind::not_found, fmt::format("{} has no fields: '{}' is not one", where, key));
      }
      return make_error(ErrorKind::not_found,
                        fmt::format("{} has no field '{}'{} (its fields: {})", where, key,
                                    match ? ": did you mean '" + *match + "'?" : "", fmt::join(names, ", ")));
    }
    required = is_required(parent, key);
    node = properties[key];
    doc.path += (doc.path.empty() ? "" : ".") + key;
  }
  const json plain = resolved(schema, node);
  doc.type = doc.path.empty() ? "object" : type_of(schema, node);
  doc.description = plain.value("description", std::string());
  doc.required = !doc.path.empty() && required;
  const json inner = element(schema, plain);
  const json values = inner.contains("enum") ? inner["enum"] : json::array();
  for (const auto& value : values) doc.values.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  const json fields = inner.contains("properties") ? inner["properties"] : json::object();
  for (const auto& [name, child] : fields.items()) {
    doc.fields.push_back({name, type_of(schema, child), resolved(schema, child).value("description", std::string()),
                          is_required(inner, name)});
  }
  return doc;
}

}  // namespace meshctl::manifest
