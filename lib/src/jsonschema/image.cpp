#include <fmt/format.h>

#include "jsonschema/compiled.h"

namespace meshctl::jsonschema {

namespace {

// `text` as a C++ string literal of exactly its bytes: printable ASCII as itself, the rest as three-digit
// octal escapes (which a following digit cannot extend).
std::string literal(std::string_view text) {
  std::string out = "std::string_view{\"";
  std::size_t line = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\' && c != '?') {
      out += c;
    } else {
      out += fmt::format("\\{:03o}", byte);
    }
    if (++line == 100) {  // adjacent literals join: short lines for whoever reads the source
      out += "\"\n    \"";
      line = 0;
    }
  }
  out += fmt::format("\", {}}}", text.size());
  return out;
}

std::string number(double value) {
  return fmt::format("{}", value);  // the shortest spelling that reads back as the same double
}

std::string text(Text at) {
  return fmt::format("{{{}, {}}}", at.offset, at.size);
}

// One node as a designated initializer that names only what differs from the defaults.
std::string node_source(const SchemaNode& node) {
  std::vector<std::string> fields{fmt::format(".pointer = {}", text(node.pointer))};
  const auto field = [&](const char* name, const std::string& value) {
    fields.push_back(fmt::format(".{} = {}", name, value));
  };
  const auto index = [&](const char* name, Index value) {
    if (value != kNoSchema) field(name, std::to_string(value));
  };
  const auto range = [&](const char* name, Range value) {
    if (value.count != 0) field(name, fmt::format("{{{}, {}}}", value.start, value.count));
  };
  const auto real = [&](const char* name, const std::optional<double>& value) {
    if (value) field(name, number(*value));
  };
  const auto count = [&](const char* name, const std::optional<std::size_t>& value) {
    if (value) field(name, std::to_string(*value));
  };
  if (node.always) field("always", *node.always ? "true" : "false");
  if (node.types != 0) field("types", std::to_string(node.types));
  if (node.items_is_list) field("items_is_list", "true");
  if (node.unique_items) field("unique_items", "true");
  index("ref", node.ref);
  range("properties", node.properties);
  range("required", node.required);
  index("additional_properties", node.additional_properties);
  index("unevaluated_properties", node.unevaluated_properties);
  index("items", node.items);
  range("item_list", node.item_list);
  index("additional_items", node.additional_items);
  range("all_of", node.all_of);
  range("any_of", node.any_of);
  range("one_of", node.one_of);
  index("not_schema", node.not_schema);
  index("if_schema", node.if_schema);
  index("then_schema", node.then_schema);
  index("else_schema", node.else_schema);
  index("const_value", node.const_value);
  index("enum_values", node.enum_values);
  index("pattern", node.pattern);
  real("minimum", node.minimum);
  real("maximum", node.maximum);
  real("exclusive_minimum", node.exclusive_minimum);
  real("exclusive_maximum", node.exclusive_maximum);
  real("multiple_of", node.multiple_of);
  count("min_items", node.min_items);
  count("max_items", node.max_items);
  count("min_length", node.min_length);
  count("max_length", node.max_length);
  return fmt::format("{{{}}}", fmt::join(fields, ", "));
}

// `constexpr TYPE NAME[] = {...};`, or an empty span when there is nothing to hold.
template <typename T, typename Spell>
std::string array(const char* type, const std::string& name, std::span<const T> items, Spell spell) {
  if (items.empty()) return fmt::format("constexpr std::span<const {}> {};\n", type, name);
  std::string out = fmt::format("constexpr {} {}[] = {{\n", type, name);
  for (const auto& item : items) out += fmt::format("    {},\n", spell(item));
  return out + "};\n";
}

}  // namespace

std::string image_source(const Schema& schema, std::string_view symbol) {
  const Image& image = schema.compiled_->image;
  const std::string prefix = fmt::format("k{}", symbol);
  const auto texts = [&](const char* kind, std::span<const Text> items) {
    return array("meshctl::jsonschema::Text", prefix + kind, items, text);
  };
  std::string out = "namespace {\n\n";
  out += fmt::format("constexpr std::string_view {}Text = {};\n", prefix, literal(image.text));
  out +=
      array("meshctl::jsonschema::Index", prefix + "Indexes", image.indexes, [](Index i) { return std::to_string(i); });
  out += array("meshctl::jsonschema::Property", prefix + "Properties", image.properties,
               [](const Property& p) { return fmt::format("{{{}, {}}}", text(p.name), p.schema); });
  out += texts("Names", image.names);
  out += texts("Values", image.values);
  out += texts("Patterns", image.patterns);
  out += texts("Unsupported", image.unsupported);
  out += array("meshctl::jsonschema::SchemaNode", prefix + "Nodes", image.nodes, node_source);
  out += "\n}  // namespace\n\n";
  out += fmt::format(
      "constexpr meshctl::jsonschema::Image {0}{{{1}Nodes, {1}Text, {1}Indexes, {1}Properties, {1}Names, {1}Values,\n"
      "                                       {1}Patterns, {1}Unsupported}};\n",
      symbol, prefix);
  return out;
}

}  // namespace meshctl::jsonschema
