#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "jsonschema/compiled.h"

namespace meshctl::jsonschema {

namespace {

using nlohmann::json;

// Keywords that only annotate: checking has nothing to do for them.
bool is_annotation(std::string_view key) {
  static constexpr std::string_view kAnnotations[] = {
      "$schema",          "$comment",        "title",        "description", "default", "examples",
      "deprecated",       "readOnly",        "writeOnly",    "format",      "$defs",   "definitions",
      "contentMediaType", "contentEncoding", "contentSchema"};
  return std::find(std::begin(kAnnotations), std::end(kAnnotations), key) != std::end(kAnnotations);
}

std::string escape_pointer_token(std::string_view token) {
  if (token.find_first_of("~/") == std::string_view::npos) return std::string(token);
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A $ref is a URI fragment: percent-escapes first, then the JSON pointer's own ~0 and ~1.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// A `pattern` as RE2 reads it, quietly: a bad one is reported through ok() and error().
std::unique_ptr<const RE2> compile_pattern(std::string_view text) {
  RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<const RE2>(text, options);
}

class Compiler {
 public:
  Compiler(const json& document, Compiled& out) : document_(document), out_(out) {}

  Result<Index> compile_document() {
    auto root = compile(document_, "#", 0);
    if (!root) return root.error();
    // $refs are resolved after the tree that holds them, one at a time: a chain of them costs no stack.
    for (std::size_t i = 0; i < pending_refs_.size(); ++i) {
      const auto [from, reference] = pending_refs_[i];
      auto target = resolve(reference, from);
      if (!target) return target.error();
      out_.own_nodes[from].ref = *target;
    }
    out_.unsupported.assign(unsupported_.begin(), unsupported_.end());
    for (const auto& keyword : out_.unsupported) out_.own_unsupported.push_back(add_text(keyword));
    return *root;
  }

 private:
  static constexpr std::size_t kMaxNesting = 256;

  Error invalid(const std::string& pointer, const std::string& what) const {
    return make_error(ErrorKind::invalid, fmt::format("schema {}: {}", pointer, what));
  }

  Result<Index> resolve(const std::string& reference, Index from) {
    const std::string at(own(out_.own_nodes[from].pointer));
    if (reference.empty() || reference[0] != '#') {
      return invalid(
          at, fmt::format("$ref '{}' points outside the schema: only '#/...' references are supported", reference));
    }
    auto decoded = percent_decode(std::string_view(reference).substr(1));
    if (!decoded || (!decoded->empty() && (*decoded)[0] != '/')) {
      return invalid(at, fmt::format("$ref '{}' is not a JSON pointer ('#/...')", reference));
    }
    const json* target = &document_;
    std::string canonical = "#";
    std::size_t start = 1;
    while (start <= decoded->size() && !decoded->empty()) {
      const auto slash = decoded->find('/', start);
      const auto end = slash == std::string::npos ? decoded->size() : slash;
      std::string token;
      for (std::size_t i = start; i < end; ++i) {
        if ((*decoded)[i] == '~' && i + 1 < end && ((*decoded)[i + 1] == '0' || (*decoded)[i + 1] == '1')) {
          token += (*decoded)[i + 1] == '0' ? '~' : '/';
          ++i;
        } else {
          token += (*decoded)[i];
        }
      }
      if (target->is_object()) {
        auto found = target->find(token);
        if (found == target->end()) {
          return invalid(at, fmt::format("$ref '{}' points to nothing: there is no '{}'", reference, token));
        }
        target = &*found;
      } else if (target->is_array() && !token.empty() &&
                 std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                 token.size() < 10 && std::stoul(token) < target->size()) {
        target = &(*target)[std::stoul(token)];
      } else {
        return invalid(at, fmt::format("$ref '{}' points to nothing: there is no '{}'", reference, token));
      }
      canonical += "/" + escape_pointer_token(token);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return compile(*target, canonical, 0);
  }

  Result<Index> child(const json& schema, const std::string& pointer, std::string_view key, std::size_t depth) {
    return compile(schema, pointer + "/" + escape_pointer_token(key), depth + 1);
  }

  Result<std::vector<Index>> schema_list(const json& list, const std::string& pointer, std::string_view key,
                                         std::size_t depth) {
    const std::string at = pointer + "/" + std::string(key);
    if (!list.is_array() || list.empty()) return invalid(at, "must be a non-empty list of schemas");
    std::vector<Index> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto compiled = compile(list[i], at + "/" + std::to_string(i), depth + 1);
      if (!compiled) return compiled.error();
      out.push_back(*compiled);
    }
    return out;
  }

  static std::optional<std::uint8_t> type_bit(const json& name) {
    if (!name.is_string()) return std::nullopt;
    const auto& text = name.get_ref<const std::string&>();
    if (text == "null") return kNull;
    if (text == "boolean") return kBoolean;
    if (text == "integer") return kInteger;
    if (text == "number") return kNumber;
    if (text == "string") return kString;
    if (text == "array") return kArray;
    if (text == "object") return kObject;
    return std::nullopt;
  }

  static std::optional<std::size_t> count(const json& value) {
    if (value.is_number_unsigned()) return value.get<std::size_t>();
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) return value.get<std::size_t>();
    if (value.is_number_float()) {
      const double d = value.get<double>();
      if (d >= 0 && std::floor(d) == d && d < 1e18) return static_cast<std::size_t>(d);
    }
    return std::nullopt;
  }

  Result<Index> compile(const json& schema, const std::string& pointer, std::size_t depth) {
    if (auto known = by_address_.find(&schema); known != by_address_.end()) return known->second;
    if (depth > kMaxNesting) return invalid(pointer, fmt::format("nests deeper than {} subschemas", kMaxNesting));
    if (out_.own_nodes.size() >= out_.limits.max_subschemas) {
      return invalid(pointer, fmt::format("the schema has more than {} subschemas", out_.limits.max_subschemas));
    }
    const auto index = static_cast<Index>(out_.own_nodes.size());
    out_.own_nodes.emplace_back();
    out_.own_nodes[index].pointer = add_text(pointer);
    by_address_.emplace(&schema, index);
    if (schema.is_boolean()) {
      out_.own_nodes[index].always = schema.get<bool>();
      return index;
    }
    if (!schema.is_object()) return invalid(pointer, "a schema must be an object or a boolean");
    for (const auto& [key, value] : schema.items()) {
      if (auto status = keyword(index, key, value, pointer, depth); !status) return status.error();
    }
    return index;
  }

  // Sets one keyword of nodes[index]. The node is looked up again after each child: compiling a child
  // grows the vector.
  Status keyword(Index index, const std::string& key, const json& value, const std::string& pointer,
                 std::size_t depth) {
    // The keyword's own pointer, spelled only when needed: most keywords need none.
    const auto at = [&] { return pointer + "/" + escape_pointer_token(key); };
    const auto node = [&]() -> SchemaNode& { return out_.own_nodes[index]; };
    const auto set_child = [&](Index SchemaNode::*member) -> Status {
      auto compiled = child(value, pointer, key, depth);
      if (!compiled) return compiled.error();
      node().*member = *compiled;
      return ok_status();
    };
    const auto set_list = [&](Range SchemaNode::*member) -> Status {
      auto compiled = schema_list(value, pointer, key, depth);
      if (!compiled) return compiled.error();
      node().*member = add(out_.own_indexes, *compiled);
      return ok_status();
    };
    const auto set_number = [&](std::optional<double> SchemaNode::*member) -> Status {
      if (!value.is_number()) return invalid(at(), "must be a number");
      node().*member = value.get<double>();
      return ok_status();
    };
    const auto set_count = [&](std::optional<std::size_t> SchemaNode::*member) -> Status {
      auto n = count(value);
      if (!n) return invalid(at(), "must be a whole number, 0 or more");
      node().*member = *n;
      return ok_status();
    };

    if (key == "type") {
      std::uint8_t bits = 0;
      const auto add = [&](const json& name) -> Status {
        auto bit = type_bit(name);
        if (!bit) return invalid(at(), fmt::format("{} is not a JSON type", name.dump()));
        bits |= *bit;
        return ok_status();
      };
      if (value.is_array()) {
        for (const auto& name : value) {
          if (auto status = add(name); !status) return status;
        }
      } else if (auto status = add(value); !status) {
        return status;
      }
      node().types = bits;
    } else if (key == "$ref") {
      if (!value.is_string()) return invalid(at(), "must be a string");
      pending_refs_.emplace_back(index, value.get<std::string>());
    } else if (key == "properties") {
      if (!value.is_object()) return invalid(at(), "must be an object of schemas");
      std::vector<Property> properties;
      for (const auto& [name, property] : value.items()) {
        auto compiled = compile(property, at() + "/" + escape_pointer_token(name), depth + 1);
        if (!compiled) return compiled.error();
        properties.push_back({add_text(name), *compiled});
      }
      node().properties = add(out_.own_properties, properties);
    } else if (key == "required") {
      if (!value.is_array()) return invalid(at(), "must be a list of strings");
      std::vector<Text> names;
      for (const auto& name : value) {
        if (!name.is_string()) return invalid(at(), "must be a list of strings");
        names.push_back(add_text(name.get_ref<const std::string&>()));
      }
      node().required = add(out_.own_names, names);
    } else if (key == "additionalProperties") {
      return set_child(&SchemaNode::additional_properties);
    } else if (key == "unevaluatedProperties") {
      return set_child(&SchemaNode::unevaluated_properties);
    } else if (key == "items") {
      if (value.is_array()) {
        std::vector<Index> list;
        for (std::size_t i = 0; i < value.size(); ++i) {
          auto compiled = compile(value[i], at() + "/" + std::to_string(i), depth + 1);
          if (!compiled) return compiled.error();
          list.push_back(*compiled);
        }
        node().items_is_list = true;
        node().item_list = add(out_.own_indexes, list);
        return ok_status();
      }
      return set_child(&SchemaNode::items);
    } else if (key == "additionalItems") {
      return set_child(&SchemaNode::additional_items);
    } else if (key == "allOf") {
      return set_list(&SchemaNode::all_of);
    } else if (key == "anyOf") {
      return set_list(&SchemaNode::any_of);
    } else if (key == "oneOf") {
      return set_list(&SchemaNode::one_of);
    } else if (key == "not") {
      return set_child(&SchemaNode::not_schema);
    } else if (key == "if") {
      return set_child(&SchemaNode::if_schema);
    } else if (key == "then") {
      return set_child(&SchemaNode::then_schema);
    } else if (key == "else") {
      return set_child(&SchemaNode::else_schema);
    } else if (key == "const") {
      node().const_value = add_value(value);
    } else if (key == "enum") {
      if (!value.is_array()) return invalid(at(), "must be a list");
      node().enum_values = add_value(value);
    } else if (key == "pattern") {
      if (!value.is_string()) return invalid(at(), "must be a string");
      auto compiled = compile_pattern(value.get_ref<const std::string&>());
      if (!compiled->ok()) return invalid(at(), fmt::format("not an RE2 regular expression: {}", compiled->error()));
      node().pattern = static_cast<Index>(out_.patterns.size());
      out_.patterns.push_back(std::move(compiled));
      out_.own_patterns.push_back(add_text(value.get_ref<const std::string&>()));
    } else if (key == "minimum") {
      return set_number(&SchemaNode::minimum);
    } else if (key == "maximum") {
      return set_number(&SchemaNode::maximum);
    } else if (key == "exclusiveMinimum") {
      return set_number(&SchemaNode::exclusive_minimum);
    } else if (key == "exclusiveMaximum") {
      return set_number(&SchemaNode::exclusive_maximum);
    } else if (key == "multipleOf") {
      if (!value.is_number() || value.get<double>() <= 0) return invalid(at(), "must be a number above 0");
      node().multiple_of = value.get<double>();
    } else if (key == "minItems") {
      return set_count(&SchemaNode::min_items);
    } else if (key == "maxItems") {
      return set_count(&SchemaNode::max_items);
    } else if (key == "minLength") {
      return set_count(&SchemaNode::min_length);
    } else if (key == "maxLength") {
      return set_count(&SchemaNode::max_length);
    } else if (key == "uniqueItems") {
      if (!value.is_boolean()) return invalid(at(), "must be true or false");
      node().unique_items = value.get<bool>();
    } else if (!is_annotation(key)) {
      unsupported_.insert(key);
    }
    return ok_status();
  }

  Index add_value(const json& value) {
    out_.values.push_back(value);
    out_.own_values.push_back(add_text(value.dump(-1, ' ', false, json::error_handler_t::replace)));
    return static_cast<Index>(out_.values.size() - 1);
  }

  Text add_text(std::string_view text) {
    const Text at{static_cast<std::uint32_t>(out_.own_text.size()), static_cast<std::uint32_t>(text.size())};
    out_.own_text.append(text);
    return at;
  }

  std::string_view own(Text at) const { return std::string_view(out_.own_text).substr(at.offset, at.size); }

  template <typename T>
  static Range add(std::vector<T>& to, const std::vector<T>& items) {
    const Range range{static_cast<std::uint32_t>(to.size()), static_cast<std::uint32_t>(items.size())};
    to.insert(to.end(), items.begin(), items.end());
    return range;
  }

  const json& document_;
  Compiled& out_;
  std::unordered_map<const json*, Index> by_address_;  // each subschema compiled once, however reached
  std::vector<std::pair<Index, std::string>> pending_refs_;
  std::set<std::string> unsupported_;
};

}  // namespace

const char* type_phrase(TypeBit bit) {
  switch (bit) {
    case kNull: return "null";
    case kBoolean: return "a boolean";
    case kInteger: return "an integer";
    case kNumber: return "a number";
    case kString: return "a string";
    case kArray: return "a list";
    case kObject: return "a mapping";
  }
  return "a value";
}

namespace {

// How many subschemas `document` can hold at most: its objects and booleans. Counted without recursion.
std::size_t subschema_bound(const json& document) {
  std::size_t count = 0;
  std::vector<const json*> pending{&document};
  while (!pending.empty()) {
    const json* value = pending.back();
    pending.pop_back();
    if (value->is_object() || value->is_boolean()) ++count;
    if (value->is_structured()) {
      for (const auto& item : *value) pending.push_back(&item);
    }
  }
  return count;
}

}  // namespace

Result<Schema> Schema::compile(const nlohmann::json& document, const Limits& limits) {
  auto compiled = std::make_shared<Compiled>();
  compiled->limits = limits;
  // Room for every node at once: growing the vector held the old and the new nodes together, a third of
  // the memory (and of the page faults) a one-document validation touched.
  compiled->own_nodes.reserve(std::min(subschema_bound(document), limits.max_subschemas));
  Compiler compiler(document, *compiled);
  auto root = compiler.compile_document();
  if (!root) return root.error();
  compiled->image = Image{compiled->own_nodes, compiled->own_text,   compiled->own_indexes,  compiled->own_properties,
                          compiled->own_names, compiled->own_values, compiled->own_patterns, compiled->own_unsupported};
  return Schema(std::move(compiled));
}

namespace {

// Whether everything in `image` refers inside it, so that checking never reads past an array.
bool holds_together(const Image& image) {
  const auto text = [&](Text t) { return t.offset <= image.text.size() && t.size <= image.text.size() - t.offset; };
  const auto texts = [&](std::span<const Text> all) { return std::all_of(all.begin(), all.end(), text); };
  const auto within = [](Range r, std::size_t size) { return r.start <= size && r.count <= size - r.start; };
  const auto node = [&](Index i) { return i == kNoSchema || i < image.nodes.size(); };
  const auto list = [&](Range r) {
    return within(r, image.indexes.size()) &&
           std::all_of(image.indexes.begin() + r.start, image.indexes.begin() + r.start + r.count, node);
  };
  const auto other = [](Index i, std::size_t size) { return i == kNoSchema || i < size; };
  const auto properties_hold = std::all_of(image.properties.begin(), image.properties.end(),
                                           [&](const Property& p) { return text(p.name) && node(p.schema); });
  return !image.nodes.empty() && properties_hold && texts(image.names) && texts(image.values) &&
         texts(image.patterns) && texts(image.unsupported) &&
         std::all_of(image.nodes.begin(), image.nodes.end(), [&](const SchemaNode& n) {
           return text(n.pointer) && node(n.ref) && node(n.additional_properties) && node(n.unevaluated_properties) &&
                  node(n.items) && node(n.additional_items) && node(n.not_schema) && node(n.if_schema) &&
                  node(n.then_schema) && node(n.else_schema) && list(n.item_list) && list(n.all_of) && list(n.any_of) &&
                  list(n.one_of) && within(n.properties, image.properties.size()) &&
                  within(n.required, image.names.size()) && other(n.const_value, image.values.size()) &&
                  other(n.enum_values, image.values.size()) && other(n.pattern, image.patterns.size());
         });
}

}  // namespace

Result<Schema> Schema::load(const Image& image, const Limits& limits) {
  if (!holds_together(image)) return make_error(ErrorKind::invalid, "the schema image refers outside itself");
  auto compiled = std::make_shared<Compiled>();
  compiled->image = image;
  compiled->limits = limits;
  compiled->values.reserve(image.values.size());
  for (const Text at : image.values) {
    auto value = json::parse(compiled->text(at), nullptr, false);
    if (value.is_discarded()) {
      return make_error(ErrorKind::invalid,
                        fmt::format("the schema image holds a value that is not JSON: {}", compiled->text(at)));
    }
    compiled->values.push_back(std::move(value));
  }
  for (const Text at : image.patterns) {
    auto pattern = compile_pattern(compiled->text(at));
    if (!pattern->ok()) {
      return make_error(ErrorKind::invalid,
                        fmt::format("the schema image holds a pattern that is not RE2: {}", compiled->text(at)));
    }
    compiled->patterns.push_back(std::move(pattern));
  }
  for (const Text at : image.unsupported) compiled->unsupported.emplace_back(compiled->text(at));
  return Schema(std::move(compiled));
}

const std::vector<std::string>& Schema::unsupported_keywords() const {
  return compiled_->unsupported;
}

}  // namespace meshctl::jsonschema
