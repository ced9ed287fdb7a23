#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "jsonschema/compiled.h"
#include "jsonschema/values.h"
#include "meshctl/core/text.h"

namespace meshctl::jsonschema {

namespace {

using nlohmann::json;

// Where a value is in the document, as a chain from the value up to the root; spelled only when a
// violation needs it.
struct PathLink {
  const PathLink* parent = nullptr;
  const std::string* key = nullptr;  // nullptr: an element of a list, at `index`
  std::size_t index = 0;
};

std::string spell(const PathLink* link) {
  std::vector<const PathLink*> chain;
  for (; link != nullptr; link = link->parent) chain.push_back(link);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->key != nullptr) {
      if (!out.empty()) out += '.';
      out += *(*it)->key;
    } else {
      out += fmt::format("[{}]", (*it)->index);
    }
  }
  return out;
}

// The properties of a mapping that some subschema evaluated (for unevaluatedProperties).
struct Evaluated {
  std::vector<bool> properties;
  explicit Evaluated(const yaml::Node& value) : properties(value.is_mapping() ? value.entries.size() : 0, false) {}
  void merge(const Evaluated& other) {
    for (std::size_t i = 0; i < properties.size(); ++i) properties[i] = properties[i] || other.properties[i];
  }
};

std::uint8_t type_of(const yaml::Node& value) {
  switch (value.kind) {
    case yaml::NodeKind::null: return kNull;
    case yaml::NodeKind::boolean: return kBoolean;
    case yaml::NodeKind::integer: return kInteger | kNumber;
    case yaml::NodeKind::floating: {
      const double d = value.as_double();
      return std::isfinite(d) && std::floor(d) == d ? kInteger | kNumber : kNumber;
    }
    case yaml::NodeKind::string: return kString;
    case yaml::NodeKind::sequence: return kArray;
    case yaml::NodeKind::mapping: return kObject;
  }
  return 0;
}

std::string expected_types(std::uint8_t bits) {
  std::vector<std::string> words;
  for (auto bit : {kString, kNumber, kInteger, kBoolean, kNull, kArray, kObject}) {
    if ((bits & bit) != 0 && !(bit == kInteger && (bits & kNumber) != 0)) words.emplace_back(type_phrase(bit));
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string found_phrase(const yaml::Node& value) {
  switch (value.kind) {
    case yaml::NodeKind::null: return "null";
    case yaml::NodeKind::boolean: return fmt::format("a boolean ({})", value.text);
    case yaml::NodeKind::integer: return fmt::format("an integer ({})", value.text);
    case yaml::NodeKind::floating: return fmt::format("a number ({})", value.text);
    case yaml::NodeKind::string: return "a string";
    case yaml::NodeKind::sequence: return "a list";
    case yaml::NodeKind::mapping: return "a mapping";
  }
  return "a value";
}

std::string subject(const std::string& path) {
  return path.empty() ? std::string("the document") : fmt::format("'{}'", path);
}

// The words YAML 1.1 read as booleans and YAML 1.2 reads as strings.
bool is_yaml11_boolean(std::string_view text) {
  static constexpr std::string_view kWords[] = {"yes", "no",  "on", "off", "y",   "n",  "Yes", "No",
                                                "On",  "Off", "Y",  "N",   "YES", "NO", "ON",  "OFF"};
  return std::find(std::begin(kWords), std::end(kWords), text) != std::end(kWords);
}

// The pointer of a schema's keyword: at("#/$defs/Team", "/type").
std::string at(std::string_view pointer, std::string_view keyword) {
  std::string out;
  out.reserve(pointer.size() + keyword.size());
  out.append(pointer).append(keyword);
  return out;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

class Checker {
 public:
  explicit Checker(const Compiled& compiled) : compiled_(compiled) {}

  // Checks `value` against nodes[index]. Violations go to `out` (nullptr: only the answer is wanted);
  // the properties it evaluates are marked in `evaluated`.
  bool check(Index index, const yaml::Node& value, const PathLink* path, Evaluated& evaluated,
             std::vector<Violation>* out, std::size_t depth) {
    const SchemaNode& node = compiled_.image.nodes[index];
    if (depth > compiled_.limits.max_depth) {
      report(out, value.position, path, pointer_of(node),
             fmt::format("the schema nests deeper than {} subschemas here (do its $refs loop?)",
                         compiled_.limits.max_depth));
      return false;
    }
    if (node.always) {
      if (!*node.always && out != nullptr)
        report(out, value.position, path, pointer_of(node), fmt::format("{} is not allowed", subject_of(path)));
      return *node.always;
    }
    bool ok = true;
    if (node.types != 0 && (type_of(value) & node.types) == 0) {
      if (out == nullptr) return false;  // only whether it matches: no message to write
      std::string hint;
      if ((node.types & kString) != 0 && value.is_scalar() && value.kind != yaml::NodeKind::null) {
        hint = fmt::format(": quote it (\"{}\")", value.text);
      } else if ((node.types & kBoolean) != 0 && value.is_string() && is_yaml11_boolean(value.text)) {
        hint = fmt::format(": write true or false ('{}' is a string in YAML 1.2)", value.text);
      }
      report(out, value.position, path, at(pointer_of(node), "/type"),
             fmt::format("{} must be {}, found {}{}", subject_of(path), expected_types(node.types), found_phrase(value),
                         hint));
      return false;  // the other keywords' findings about a value of the wrong type are noise
    }
    if (node.ref != kNoSchema) {
      Evaluated inner(value);
      ok = check(node.ref, value, path, inner, out, depth + 1) && ok;
      evaluated.merge(inner);
      if (!ok && out == nullptr) return false;
    }
    if (node.const_value != kNoSchema && !equals(value, compiled_.values[node.const_value])) {
      ok = false;
      if (out == nullptr) return false;
      report(out, value.position, path, at(pointer_of(node), "/const"),
             fmt::format("{} must be {}", subject_of(path), compiled_.values[node.const_value].dump()));
    }
    if (node.enum_values != kNoSchema) ok = check_enum(node, value, path, out) && ok;
    if (value.is_string()) {
      ok = check_string(node, value, path, out) && ok;
    } else if (value.is_number()) {
      ok = check_number(node, value, path, out) && ok;
    } else if (value.is_sequence()) {
      ok = check_list(node, value, path, out, depth) && ok;
    } else if (value.is_mapping()) {
      ok = check_mapping_own(node, value, path, evaluated, out, depth) && ok;
    }
    if (!ok && out == nullptr) return false;
    for (Index part : compiled_.indexes(node.all_of)) {
      Evaluated inner(value);
      ok = check(part, value, path, inner, out, depth + 1) && ok;
      evaluated.merge(inner);
      if (!ok && out == nullptr) return false;
    }
    if (node.any_of.count != 0)
      ok = check_alternatives(node, compiled_.indexes(node.any_of), false, value, path, evaluated, out, depth) && ok;
    if (node.one_of.count != 0)
      ok = check_alternatives(node, compiled_.indexes(node.one_of), true, value, path, evaluated, out, depth) && ok;
    if (node.not_schema != kNoSchema) {
      Evaluated ignored(value);
      if (check(node.not_schema, value, path, ignored, nullptr, depth + 1)) {
        ok = false;
        report(out, value.position, path, at(pointer_of(node), "/not"), not_message(node.not_schema, path));
      }
    }
    if (node.if_schema != kNoSchema) {
      Evaluated condition(value);
      if (check(node.if_schema, value, path, condition, nullptr, depth + 1)) {
        evaluated.merge(condition);
        if (node.then_schema != kNoSchema) {
          Evaluated inner(value);
          ok = check(node.then_schema, value, path, inner, out, depth + 1) && ok;
          evaluated.merge(inner);
        }
      } else if (node.else_schema != kNoSchema) {
        Evaluated inner(value);
        ok = check(node.else_schema, value, path, inner, out, depth + 1) && ok;
        evaluated.merge(inner);
      }
    }
    if (node.unevaluated_properties != kNoSchema && value.is_mapping()) {
      ok = check_rest(node.unevaluated_properties, index, at(pointer_of(node), "/unevaluatedProperties"), value, path,
                      evaluated, out, depth) &&
           ok;
    }
    return ok;
  }

 private:
  std::string subject_of(const PathLink* path) const { return subject(spell(path)); }

  std::string_view pointer_of(const SchemaNode& node) const { return compiled_.text(node.pointer); }

  void report(std::vector<Violation>* out, Position position, const PathLink* path, std::string_view schema_path,
              std::string message) const {
    if (out != nullptr) out->push_back(Violation{position, spell(path), std::move(message), std::string(schema_path)});
  }

  bool check_enum(const SchemaNode& node, const yaml::Node& value, const PathLink* path, std::vector<Violation>* out) {
    const auto& allowed = compiled_.values[node.enum_values];
    if (std::any_of(allowed.begin(), allowed.end(), [&](const json& option) { return equals(value, option); })) {
      return true;
    }
    if (out == nullptr) return false;
    std::vector<std::string> words;
    std::vector<std::string_view> candidates;
    for (const auto& option : allowed) {
      words.push_back(option.is_string() ? option.get<std::string>() : option.dump());
      if (option.is_string()) candidates.push_back(option.get_ref<const std::string&>());
    }
    std::string message = fmt::format("{} must be one of: {}", subject_of(path), fmt::join(words, ", "));
    if (value.is_string()) {
      message = fmt::format("{}, found '{}'", message, value.text);
      if (auto suggestion = closest_match(value.text, candidates))
        message += fmt::format(": did you mean '{}'?", *suggestion);
    }
    report(out, value.position, path, at(pointer_of(node), "/enum"), std::move(message));
    return false;
  }

  bool check_string(const SchemaNode& node, const yaml::Node& value, const PathLink* path,
                    std::vector<Violation>* out) {
    bool ok = true;
    if (node.pattern != kNoSchema && !RE2::PartialMatch(value.text, *compiled_.patterns[node.pattern])) {
      ok = false;
      report(out, value.position, path, at(pointer_of(node), "/pattern"),
             fmt::format("{} must match the pattern {}, found '{}'", subject_of(path),
                         compiled_.patterns[node.pattern]->pattern(), printable_text(value.text)));
    }
    if (node.min_length || node.max_length) {
      const auto length = code_points(value.text);
      if (node.min_length && length < *node.min_length) {
        ok = false;
        report(
            out, value.position, path, at(pointer_of(node), "/minLength"),
            fmt::format("{} must have at least {} characters, found {}", subject_of(path), *node.min_length, length));
      }
      if (node.max_length && length > *node.max_length) {
        ok = false;
        report(out, value.position, path, at(pointer_of(node), "/maxLength"),
               fmt::format("{} must have at most {} characters, found {}", subject_of(path), *node.max_length, length));
      }
    }
    return ok;
  }

  bool check_number(const SchemaNode& node, const yaml::Node& value, const PathLink* path,
                    std::vector<Violation>* out) {
    const double number = value.as_double();
    bool ok = true;
    const auto bound = [&](const std::optional<double>& limit, bool holds, const char* keyword, const char* relation) {
      if (!limit || holds) return;
      ok = false;
      report(out, value.position, path, at(pointer_of(node), "/") + keyword,
             fmt::format("{} must be {} {}, found {}", subject_of(path), relation, *limit, value.text));
    };
    bound(node.minimum, node.minimum && number >= *node.minimum, "minimum", "at least");
    bound(node.maximum, node.maximum && number <= *node.maximum, "maximum", "at most");
    bound(node.exclusive_minimum, node.exclusive_minimum && number > *node.exclusive_minimum, "exclusiveMinimum",
          "more than");
    bound(node.exclusive_maximum, node.exclusive_maximum && number < *node.exclusive_maximum, "exclusiveMaximum",
          "less than");
    if (node.multiple_of) {
      const double quotient = number / *node.multiple_of;
      if (!std::isfinite(quotient) || std::floor(quotient) != quotient) {
        ok = false;
        report(out, value.position, path, at(pointer_of(node), "/multipleOf"),
               fmt::format("{} must be a multiple of {}, found {}", subject_of(path), *node.multiple_of, value.text));
      }
    }
    return ok;
  }

  bool check_list(const SchemaNode& node, const yaml::Node& value, const PathLink* path, std::vector<Violation>* out,
                  std::size_t depth) {
    bool ok = true;
    const auto& items = value.items;
    for (std::size_t i = 0; i < items.size(); ++i) {
      Index schema = kNoSchema;
      if (node.items_is_list) {
        const auto list = compiled_.indexes(node.item_list);
        schema = i < list.size() ? list[i] : node.additional_items;
      } else {
        schema = node.items;
      }
      if (schema == kNoSchema) continue;
      const PathLink link{path, nullptr, i};
      Evaluated inner(items[i]);
      if (!check(schema, items[i], &link, inner, out, depth + 1)) {
        ok = false;
        if (out == nullptr) return false;
      }
    }
    if (node.min_items && items.size() < *node.min_items) {
      ok = false;
      report(out, value.position, path, at(pointer_of(node), "/minItems"),
             fmt::format("{} must have at least {} element{}, found {}", subject_of(path), *node.min_items,
                         *node.min_items == 1 ? "" : "s", items.size()));
    }
    if (node.max_items && items.size() > *node.max_items) {
      ok = false;
      report(out, value.position, path, at(pointer_of(node), "/maxItems"),
             fmt::format("{} must have at most {} element{}, found {}", subject_of(path), *node.max_items,
                         *node.max_items == 1 ? "" : "s", items.size()));
    }
    if (node.unique_items) {
      if (auto duplicate = first_duplicate(items)) {
        ok = false;
        const PathLink link{path, nullptr, duplicate->second};
        report(out, items[duplicate->second].position, &link, at(pointer_of(node), "/uniqueItems"),
               fmt::format("{} repeats element {}: the elements of {} must be unique", subject_of(&link),
                           duplicate->first, subject_of(path)));
      }
    }
    return ok;
  }

  // required, properties and additionalProperties: what a mapping's own keywords say.
  bool check_mapping_own(const SchemaNode& node, const yaml::Node& value, const PathLink* path, Evaluated& evaluated,
                         std::vector<Violation>* out, std::size_t depth) {
    bool ok = true;
    for (const Text required : compiled_.names(node.required)) {
      const auto name = compiled_.text(required);
      if (value.find(name) != nullptr) continue;
      ok = false;
      if (out == nullptr) return false;
      report(out, value.position, path, at(pointer_of(node), "/required"),
             path == nullptr ? fmt::format("the document has no '{}': add it", name)
                             : fmt::format("{} has no '{}': add it", subject_of(path), name));
    }
    const auto properties = compiled_.properties(node.properties);
    if (properties.empty() && node.additional_properties == kNoSchema) return ok;
    const auto named = [&](const std::string& key) {
      return std::find_if(properties.begin(), properties.end(),
                          [&](const Property& p) { return compiled_.text(p.name) == key; });
    };
    for (std::size_t i = 0; i < value.entries.size(); ++i) {
      const auto& entry = value.entries[i];
      const auto property = named(entry.key);
      if (property == properties.end()) continue;
      evaluated.properties[i] = true;
      const PathLink link{path, &entry.key, 0};
      Evaluated inner(entry.value);
      if (!check(property->schema, entry.value, &link, inner, out, depth + 1)) {
        ok = false;
        if (out == nullptr) return false;
      }
    }
    if (node.additional_properties != kNoSchema) {
      Evaluated own(value);
      for (std::size_t i = 0; i < value.entries.size(); ++i) {
        const auto& key = value.entries[i].key;
        own.properties[i] = named(key) != properties.end();
      }
      const auto index = static_cast<Index>(&node - compiled_.image.nodes.data());
      ok = check_rest(node.additional_properties, index, at(pointer_of(node), "/additionalProperties"), value, path,
                      own, out, depth) &&
           ok;
      evaluated.merge(own);
    }
    return ok;
  }

  // Checks the entries not marked in `evaluated` against `rest` (additionalProperties or
  // unevaluatedProperties of nodes[owner]), marking them.
  bool check_rest(Index rest, Index owner, const std::string& schema_path, const yaml::Node& value,
                  const PathLink* path, Evaluated& evaluated, std::vector<Violation>* out, std::size_t depth) {
    bool ok = true;
    const SchemaNode& rest_node = compiled_.image.nodes[rest];
    for (std::size_t i = 0; i < value.entries.size(); ++i) {
      if (evaluated.properties[i]) continue;
      const auto& entry = value.entries[i];
      const PathLink link{path, &entry.key, 0};
      if (rest_node.always && !*rest_node.always) {
        ok = false;
        if (out == nullptr) return false;
        report(out, entry.key_position, &link, schema_path, unknown_key_message(owner, value, entry.key, path));
        evaluated.properties[i] = true;  // reported once: an unevaluatedProperties after this one stays quiet
        continue;
      }
      Evaluated inner(entry.value);
      if (!check(rest, entry.value, &link, inner, out, depth + 1)) {
        ok = false;
        if (out == nullptr) return false;
      }
      evaluated.properties[i] = true;
    }
    return ok;
  }

  std::string unknown_key_message(Index owner, const yaml::Node& value, const std::string& key, const PathLink* path) {
    std::vector<std::string> names;
    collect_property_names(owner, value, names, 0);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    const std::string where = path == nullptr ? "at the top level" : fmt::format("in {}", subject_of(path));
    std::vector<std::string_view> candidates(names.begin(), names.end());
    if (auto suggestion = closest_match(key, candidates)) {
      return fmt::format("unknown key '{}' {}: did you mean '{}'?", key, where, *suggestion);
    }
    if (!names.empty() && names.size() <= 12) {
      return fmt::format("unknown key '{}' {}: the keys here are {}", key, where, join_words(candidates));
    }
    return fmt::format("unknown key '{}' {}", key, where);
  }

  // The property names a schema declares for `value`, through $ref, allOf, the branches of anyOf and
  // oneOf, and then/else where their `if` holds.
  void collect_property_names(Index index, const yaml::Node& value, std::vector<std::string>& names,
                              std::size_t depth) {
    if (depth > 16) return;
    const SchemaNode& node = compiled_.image.nodes[index];
    for (const auto& property : compiled_.properties(node.properties))
      names.emplace_back(compiled_.text(property.name));
    if (node.ref != kNoSchema) collect_property_names(node.ref, value, names, depth + 1);
    for (const Range list : {node.all_of, node.any_of, node.one_of}) {
      for (Index part : compiled_.indexes(list)) collect_property_names(part, value, names, depth + 1);
    }
    if (node.if_schema != kNoSchema) {
      Evaluated ignored(value);
      const bool holds = check(node.if_schema, value, nullptr, ignored, nullptr, 0);
      const Index branch = holds ? node.then_schema : node.else_schema;
      if (branch != kNoSchema) collect_property_names(branch, value, names, depth + 1);
    }
  }

  std::string not_message(Index negated, const PathLink* path) {
    const SchemaNode& node = compiled_.image.nodes[negated];
    if (node.required.count == 1 && node.properties.count == 0 && node.types == 0) {
      return fmt::format("{} must not have '{}'", subject_of(path), compiled_.text(compiled_.names(node.required)[0]));
    }
    return fmt::format("{} must not match the schema {}", subject_of(path), pointer_of(node));
  }

  // Whether `value` can match nodes[index] by its type alone (through $ref and allOf).
  bool type_fits(Index index, const yaml::Node& value, std::size_t depth) const {
    if (depth > 16) return true;
    const SchemaNode& node = compiled_.image.nodes[index];
    if (node.always) return *node.always;
    if (node.types != 0 && (type_of(value) & node.types) == 0) return false;
    if (node.ref != kNoSchema && !type_fits(node.ref, value, depth + 1)) return false;
    const auto all_of = compiled_.indexes(node.all_of);
    return std::all_of(all_of.begin(), all_of.end(), [&](Index part) { return type_fits(part, value, depth + 1); });
  }

  // The types nodes[index] accepts (0: any), through $ref, allOf and alternatives.
  std::uint8_t accepted_types(Index index, std::size_t depth) const {
    const SchemaNode& node = compiled_.image.nodes[index];
    if (depth > 16) return 0;
    std::uint8_t bits = node.types;
    if (bits == 0 && node.ref != kNoSchema) bits = accepted_types(node.ref, depth + 1);
    if (bits == 0) {
      for (const Range list : {node.any_of, node.one_of}) {
        for (Index part : compiled_.indexes(list)) {
          const auto part_bits = accepted_types(part, depth + 1);
          if (part_bits == 0) return 0;
          bits |= part_bits;
        }
      }
    }
    return bits;
  }

  // anyOf (exactly_one false) or oneOf. When none matches, the findings of the one alternative whose
  // type fits the value are the useful ones; when several fit, those of the alternative that got
  // furthest into the value.
  bool check_alternatives(const SchemaNode& node, std::span<const Index> alternatives, bool exactly_one,
                          const yaml::Node& value, const PathLink* path, Evaluated& evaluated,
                          std::vector<Violation>* out, std::size_t depth) {
    std::vector<std::size_t> matched;
    std::vector<std::vector<Violation>> findings(alternatives.size());
    std::vector<Evaluated> annotations;
    annotations.reserve(alternatives.size());
    // First only whether each alternative matches: the messages of those that do not are written only when
    // none does (below), not on the common path where one matches.
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      annotations.emplace_back(value);
      if (check(alternatives[i], value, path, annotations[i], nullptr, depth + 1)) {
        matched.push_back(i);
        if (!exactly_one) evaluated.merge(annotations[i]);
      }
    }
    const std::string keyword = at(pointer_of(node), exactly_one ? "/oneOf" : "/anyOf");
    if (exactly_one && matched.size() > 1) {
      report(out, value.position, path, keyword,
             fmt::format("{} matches more than one of the alternatives of {} (numbers {} and {}): it must match "
                         "exactly one",
                         subject_of(path), keyword, matched[0], matched[1]));
      return false;
    }
    if (!matched.empty()) {
      if (exactly_one) evaluated.merge(annotations[matched[0]]);
      return true;
    }
    if (out == nullptr) return false;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      Evaluated scratch(value);
      check(alternatives[i], value, path, scratch, &findings[i], depth + 1);
    }
    std::vector<std::size_t> fitting;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      if (type_fits(alternatives[i], value, 0)) fitting.push_back(i);
    }
    if (fitting.empty()) {
      std::uint8_t bits = 0;
      for (Index part : alternatives) bits |= accepted_types(part, 0);
      report(out, value.position, path, keyword,
             bits != 0
                 ? fmt::format("{} must be {}, found {}", subject_of(path), expected_types(bits), found_phrase(value))
                 : fmt::format("{} matches none of the alternatives of {}", subject_of(path), keyword));
      return false;
    }
    const auto reach = [&](std::size_t i) {
      std::size_t deepest = 0;
      for (const auto& violation : findings[i]) deepest = std::max(deepest, violation.path.size());
      return deepest;
    };
    std::size_t best = fitting[0];
    for (std::size_t i : fitting) {
      if (reach(i) > reach(best) || (reach(i) == reach(best) && findings[i].size() < findings[best].size())) best = i;
    }
    evaluated.merge(annotations[best]);
    out->insert(out->end(), findings[best].begin(), findings[best].end());
    return false;
  }

  const Compiled& compiled_;
};

}  // namespace

std::vector<Violation> Schema::validate(const yaml::Node& instance) const {
  std::vector<Violation> out;
  Checker checker(*compiled_);
  Evaluated evaluated(instance);
  checker.check(0, instance, nullptr, evaluated, &out, 0);
  std::stable_sort(out.begin(), out.end(), [](const Violation& a, const Violation& b) {
    return a.position.line != b.position.line ? a.position.line < b.position.line
                                              : a.position.column < b.position.column;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Schema::is_valid(const yaml::Node& instance) const {
  Checker checker(*compiled_);
  Evaluated evaluated(instance);
  return checker.check(0, instance, nullptr, evaluated, nullptr, 0);
}

}  // namespace meshctl::jsonschema
