// The standards file (`kind: Standards`): parsed into a StandardsData with one
// positioned diagnostic per problem, like a manifest.
#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "meshctl/core/text.h"
#include "standards/builtin_checker.h"

namespace meshctl::standards {

using nlohmann::json;
using yaml::Node;
using yaml::NodeKind;

namespace {

// What one `rules` entry changes.
struct RulePatch {
  std::optional<bool> enabled;
  std::optional<Severity> severity;
  json params = json::object();
};

class StandardsParser {
 public:
  StandardsParser(const std::string& file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}

  void parse(const Node& root, StandardsData& data) {
    if (!root.is_mapping()) {
      error(root.position, "MESH-STANDARDS-TYPE", "",
            fmt::format("a standards file is a mapping, found {}", article(root)));
      return;
    }
    check_keys(root, {"apiVersion", "kind", "extends", "rules", "custom", "overrides"}, "");
    check_header(root, "apiVersion", "meshctl/v1");
    check_header(root, "kind", "Standards");
    if (const auto* extends = root.find("extends")) {
      if (expect(*extends, NodeKind::string, "extends") && extends->text != "default" && extends->text != "none") {
        error(extends->position, "MESH-STANDARDS-EXTENDS", "extends",
              fmt::format("extends '{}' is not known: use 'default' (the built-in rules) or 'none'", extends->text));
      } else if (extends->is_string()) {
        data.extends = extends->text;
      }
    }
    data.base = default_rule_set(data.extends != "none");
    if (const auto* custom = root.find("custom"); custom && expect(*custom, NodeKind::sequence, "custom")) {
      for (std::size_t i = 0; i < custom->items.size(); ++i) {
        parse_custom(custom->items[i], fmt::format("custom[{}]", i), data);
      }
    }
    data.base.custom.resize(data.custom.size());
    for (std::size_t i = 0; i < data.custom.size(); ++i) data.base.custom[i].severity = custom_severities_[i];
    if (const auto* rules = root.find("rules"); rules && expect(*rules, NodeKind::mapping, "rules")) {
      apply_rules(*rules, "rules", data, data.base);
    }
    if (const auto* overrides = root.find("overrides");
        overrides && expect(*overrides, NodeKind::sequence, "overrides")) {
      for (std::size_t i = 0; i < overrides->items.size(); ++i) {
        parse_override(overrides->items[i], fmt::format("overrides[{}]", i), data);
      }
    }
    data.base.params = compile_params(data.base.builtin);
    for (auto& [domain, set] : data.by_domain) set.params = compile_params(set.builtin);
  }

 private:
  void error(Position at, const char* rule, std::string path, std::string message) {
    out_.push_back(Diagnostic{file_, at, Severity::error, rule, std::move(path), std::move(message)});
  }

  static std::string article(const Node& node) {
    if (node.kind == NodeKind::null) return "nothing (null)";
    const char* word = yaml::to_string(node.kind);
    return fmt::format("{} {}", word[0] == 'i' ? "an" : "a", word);
  }

  static const char* kind_word(NodeKind kind) {
    switch (kind) {
      case NodeKind::string: return "a string";
      case NodeKind::sequence: return "a list";
      case NodeKind::mapping: return "a mapping";
      case NodeKind::boolean: return "true or false";
      case NodeKind::integer: return "a whole number";
      default: return "a value";
    }
  }

  bool expect(const Node& node, NodeKind kind, const std::string& path) {
    if (node.kind == kind) return true;
    error(node.position, "MESH-STANDARDS-TYPE", path,
          fmt::format("'{}' must be {}, found {}", path, kind_word(kind), article(node)));
    return false;
  }

  void check_keys(const Node& node, const std::vector<std::string_view>& known, const std::string& path) {
    for (const auto& entry : node.entries) {
      if (std::find(known.begin(), known.end(), entry.key) != known.end()) continue;
      const std::string where = path.empty() ? "at the top level" : fmt::format("in '{}'", path);
      const auto suggestion = closest_match(entry.key, known);
      error(entry.key_position, "MESH-STANDARDS-UNKNOWN-KEY", path.empty() ? entry.key : path + "." + entry.key,
            suggestion ? fmt::format("unknown key '{}' {}: did you mean '{}'?", entry.key, where, *suggestion)
                       : fmt::format("unknown key '{}' {}: the keys here are {}", entry.key, where, join_words(known)));
    }
  }

  void check_header(const Node& root, const char* key, const char* expected) {
    const auto* value = root.find(key);
    if (value == nullptr) {
      error(root.position, "MESH-STANDARDS-REQUIRED", key,
            fmt::format("the standards file has no '{}': add {}: {}", key, key, expected));
    } else if (expect(*value, NodeKind::string, key) && value->text != expected) {
      error(value->position, "MESH-STANDARDS-KIND", key,
            fmt::format("'{}' must be '{}', found '{}'", key, expected, value->text));
    }
  }

  const Node* required_member(const Node& node, const char* key, NodeKind kind, const std::string& path) {
    const auto* value = node.find(key);
    if (value == nullptr) {
      error(node.position, "MESH-STANDARDS-REQUIRED", path + "." + key,
            fmt::format("'{}' has no '{}': add it", path, key));
      return nullptr;
    }
    return expect(*value, kind, path + "." + key) ? value : nullptr;
  }

  std::optional<std::size_t> length_value(const Node& node, const std::string& path) {
    if (node.kind != NodeKind::integer || node.text.starts_with("-")) {
      error(node.position, "MESH-STANDARDS-TYPE", path, fmt::format("'{}' must be a whole number, 0 or more", path));
      return std::nullopt;
    }
    // A length past this is no length a rule can mean; converting a larger double is undefined behaviour.
    constexpr double kLargest = 4294967295.0;
    const double value = node.as_double();
    if (!(value <= kLargest)) {
      error(node.position, "MESH-STANDARDS-TYPE", path,
            fmt::format("'{}' is too large: at most {}", path, static_cast<std::uint64_t>(kLargest)));
      return std::nullopt;
    }
    return static_cast<std::size_t>(value);
  }

  // A number from 0 to 1 (a threshold), integer or not.
  std::optional<double> ratio_value(const Node& node, const std::string& path) {
    if (node.kind != NodeKind::integer && node.kind != NodeKind::floating) {
      error(node.position, "MESH-STANDARDS-TYPE", path, fmt::format("'{}' must be a number from 0 to 1", path));
      return std::nullopt;
    }
    const double value = node.as_double();
    if (!(value >= 0.0 && value <= 1.0)) {
      error(node.position, "MESH-STANDARDS-TYPE", path,
            fmt::format("'{}' is {}: it must be a number from 0 to 1 (0.8: 80% similar)", path, node.text));
      return std::nullopt;
    }
    return value;
  }

  void parse_custom(const Node& item, const std::string& path, StandardsData& data) {
    if (!expect(item, NodeKind::mapping, path)) return;
    check_keys(item, {"id", "severity", "message", "given", "check"}, path);
    const auto* id = required_member(item, "id", NodeKind::string, path);
    const auto* message = required_member(item, "message", NodeKind::string, path);
    const auto* given = required_member(item, "given", NodeKind::string, path);
    const auto* check = required_member(item, "check", NodeKind::mapping, path);
    Severity severity = Severity::error;
    if (const auto* value = item.find("severity"); value && expect(*value, NodeKind::string, path + ".severity")) {
      if (auto parsed = parse_severity(value->text)) {
        severity = *parsed;
      } else {
        error(value->position, "MESH-STANDARDS-SEVERITY", path + ".severity",
              fmt::format("severity '{}' is not known: use 'error', 'warning' or 'info'", value->text));
      }
    }
    CustomRule rule;
    bool ok = id && message && given && check;
    if (id) {
      rule.id = id->text;
      const bool taken =
          find_builtin_rule(id->text) != nullptr ||
          std::any_of(data.custom.begin(), data.custom.end(), [&](const CustomRule& r) { return r.id == id->text; });
      if (id->text.empty() || taken) {
        error(id->position, "MESH-STANDARDS-DUPLICATE", path + ".id",
              id->text.empty()
                  ? std::string("the rule id is empty: name the rule, like ACME-COST-CENTER")
                  : fmt::format("rule id '{}' is already used: give the custom rule its own id", id->text));
        ok = false;
      }
    }
    if (message) rule.message = message->text;
    if (given) {
      rule.given = given->text;
      std::string reason;
      if (auto steps = parse_path(given->text, reason)) {
        rule.steps = std::move(*steps);
      } else {
        error(given->position, "MESH-STANDARDS-PATH", path + ".given",
              fmt::format("path '{}' is not valid: {} (write keys joined by '.', [*] or [N] for list items)",
                          given->text, reason));
        ok = false;
      }
    }
    if (check && !parse_check(*check, path + ".check", rule.check)) ok = false;
    if (check) rule.check_json = to_json(*check);
    if (!ok) return;
    data.custom.push_back(std::move(rule));
    custom_severities_.push_back(severity);
  }

  bool parse_check(const Node& check, const std::string& path, CustomCheck& out) {
    static const std::vector<std::string_view> kKeys = {"field", "required",  "forbidden", "pattern",
                                                        "enum",  "minLength", "maxLength", "casing"};
    const auto errors_before = out_.size();
    for (const auto& entry : check.entries) {
      const Node& value = entry.value;
      const auto value_path = path + "." + entry.key;
      if (std::find(kKeys.begin(), kKeys.end(), entry.key) == kKeys.end()) {
        const auto suggestion = closest_match(entry.key, kKeys);
        error(entry.key_position, "MESH-STANDARDS-CHECK", value_path,
              suggestion ? fmt::format("unknown check '{}': did you mean '{}'?", entry.key, *suggestion)
                         : fmt::format("unknown check '{}': the checks are {}", entry.key, join_words(kKeys)));
      } else if (entry.key == "field") {
        if (expect(value, NodeKind::string, value_path)) out.field = value.text;
      } else if (entry.key == "required" || entry.key == "forbidden") {
        if (expect(value, NodeKind::boolean, value_path))
          (entry.key == "required" ? out.required : out.forbidden) = value.as_bool();
      } else if (entry.key == "pattern") {
        if (!expect(value, NodeKind::string, value_path)) continue;
        // RE2 matches in time linear in the value and without recursion, whatever the
        // pattern; it has no backreferences or lookaround, which need backtracking.
        RE2::Options options;
        options.set_log_errors(false);
        auto compiled = std::make_shared<const RE2>(value.text, options);
        if (compiled->ok()) {
          out.pattern = std::move(compiled);
          out.pattern_text = value.text;
        } else {
          error(value.position, "MESH-STANDARDS-PATTERN", value_path,
                fmt::format("pattern '{}' is not a valid regular expression (RE2 syntax: no backreferences or "
                            "lookaround): {}",
                            value.text, compiled->error()));
        }
      } else if (entry.key == "enum") {
        if (!expect(value, NodeKind::sequence, value_path)) continue;
        if (value.items.empty())
          error(value.position, "MESH-STANDARDS-CHECK", value_path, "the enum is empty: list the values allowed");
        for (const auto& item : value.items) {
          if (item.is_scalar() && item.kind != NodeKind::null) {
            out.allowed.push_back(item.text);
          } else {
            error(item.position, "MESH-STANDARDS-TYPE", value_path, "enum values are strings, numbers or booleans");
          }
        }
      } else if (entry.key == "minLength") {
        out.min_length = length_value(value, value_path);
      } else if (entry.key == "maxLength") {
        out.max_length = length_value(value, value_path);
      } else if (entry.key == "casing" && expect(value, NodeKind::string, value_path)) {
        out.casing = parse_casing(value.text);
        if (!out.casing || *out.casing == Casing::any) {
          out.casing.reset();
          error(value.position, "MESH-STANDARDS-CHECK", value_path,
                fmt::format("casing '{}' is not known: use 'kebab', 'snake', 'camel', 'pascal' or 'upper-snake'",
                            value.text));
        }
      }
    }
    const bool checks_something = out.required || out.forbidden || out.pattern || !out.allowed.empty() ||
                                  out.min_length || out.max_length || out.casing;
    if (out_.size() == errors_before && !checks_something) {
      error(check.position, "MESH-STANDARDS-CHECK", path,
            "the check checks nothing: add required, forbidden, pattern, enum, minLength, maxLength or casing");
    }
    return out_.size() == errors_before;
  }

  static json to_json(const Node& node) {
    switch (node.kind) {
      case NodeKind::null: return nullptr;
      case NodeKind::boolean: return node.as_bool();
      case NodeKind::integer:
      case NodeKind::floating: return node.as_double();
      case NodeKind::string: return node.text;
      case NodeKind::sequence: {
        json list = json::array();
        for (const auto& item : node.items) list.push_back(to_json(item));
        return list;
      }
      case NodeKind::mapping: {
        json map = json::object();
        for (const auto& entry : node.entries) map[entry.key] = to_json(entry.value);
        return map;
      }
    }
    return nullptr;
  }

  std::optional<RulePatch> parse_patch(const Node& node, const std::string& path, const RuleInfo* builtin) {
    RulePatch patch;
    const Node* severity = &node;
    if (node.is_mapping()) {
      check_keys(node, {"severity", "params"}, path);
      severity = node.find("severity");
      if (const auto* params = node.find("params"); params && expect(*params, NodeKind::mapping, path + ".params")) {
        if (builtin == nullptr) {
          error(params->position, "MESH-STANDARDS-PARAM", path + ".params", "custom rules take no params: remove them");
        } else {
          parse_params(*params, path + ".params", *builtin, patch.params);
        }
      }
      patch.enabled = true;
    } else if (!node.is_string()) {
      error(node.position, "MESH-STANDARDS-TYPE", path,
            fmt::format("'{}' must be off, a severity or {{severity, params}}, found {}", path, article(node)));
      return std::nullopt;
    }
    if (severity != nullptr && expect(*severity, NodeKind::string, severity == &node ? path : path + ".severity")) {
      if (severity->text == "off") {
        patch.enabled = false;
      } else if (auto parsed = parse_severity(severity->text)) {
        patch.enabled = true;
        patch.severity = parsed;
      } else {
        error(severity->position, "MESH-STANDARDS-SEVERITY", path,
              fmt::format("'{}' is not a severity: use 'off', 'error', 'warning' or 'info'", severity->text));
      }
    }
    return patch;
  }

  void parse_params(const Node& params, const std::string& path, const RuleInfo& rule, json& out) {
    for (const auto& entry : params.entries) {
      const auto value_path = path + "." + entry.key;
      if (!rule.params.contains(entry.key)) {
        std::vector<std::string_view> names;
        for (const auto& [name, unused] : rule.params.items()) names.push_back(name);
        const auto suggestion = closest_match(entry.key, names);
        error(entry.key_position, "MESH-STANDARDS-PARAM", value_path,
              names.empty() ? fmt::format("{} takes no params: remove '{}'", rule.id, entry.key)
              : suggestion
                  ? fmt::format("{} has no param '{}': did you mean '{}'?", rule.id, entry.key, *suggestion)
                  : fmt::format("{} has no param '{}': its params are {}", rule.id, entry.key, join_words(names)));
        continue;
      }
      const json& default_value = rule.params.at(entry.key);
      const Node& value = entry.value;
      if (default_value.is_number_float()) {
        if (auto ratio = ratio_value(value, value_path)) out[entry.key] = *ratio;
      } else if (default_value.is_number()) {
        if (auto number = length_value(value, value_path)) out[entry.key] = *number;
      } else if (default_value.is_boolean()) {
        if (expect(value, NodeKind::boolean, value_path)) out[entry.key] = value.as_bool();
      } else if (default_value.is_string()) {
        if (!expect(value, NodeKind::string, value_path)) continue;
        if (entry.key == "casing" && !parse_casing(value.text)) {
          error(value.position, "MESH-STANDARDS-PARAM", value_path,
                fmt::format("casing '{}' is not known: use 'kebab', 'snake', 'camel', 'pascal', 'upper-snake' or 'any'",
                            value.text));
          continue;
        }
        out[entry.key] = value.text;
      } else if (default_value.is_array() && expect(value, NodeKind::sequence, value_path)) {
        json list = json::array();
        for (const auto& item : value.items) {
          if (expect(item, NodeKind::string, value_path + "[]")) list.push_back(item.text);
        }
        out[entry.key] = std::move(list);
      }
    }
  }

  void apply_rules(const Node& rules, const std::string& path, const StandardsData& data, RuleSet& set) {
    for (const auto& entry : rules.entries) {
      const auto rule_path = path + "." + entry.key;
      const RuleInfo* builtin = find_builtin_rule(entry.key);
      RuleState* state = nullptr;
      if (builtin != nullptr) {
        state = &set.builtin[static_cast<std::size_t>(builtin - builtin_rules().data())];
      } else {
        auto custom = std::find_if(data.custom.begin(), data.custom.end(),
                                   [&](const CustomRule& r) { return r.id == entry.key; });
        if (custom != data.custom.end()) state = &set.custom[static_cast<std::size_t>(custom - data.custom.begin())];
      }
      if (state == nullptr) {
        std::vector<std::string_view> ids;
        for (const auto& info : builtin_rules()) ids.push_back(info.id);
        for (const auto& rule : data.custom) ids.push_back(rule.id);
        const auto suggestion = closest_match(entry.key, ids);
        error(entry.key_position, "MESH-STANDARDS-RULE", rule_path,
              suggestion ? fmt::format("unknown rule '{}': did you mean '{}'?", entry.key, *suggestion)
                         : fmt::format("unknown rule '{}': see `meshctl standards list`", entry.key));
        continue;
      }
      auto patch = parse_patch(entry.value, rule_path, builtin);
      if (!patch) continue;
      if (patch->enabled) state->enabled = *patch->enabled;
      if (patch->severity) state->severity = *patch->severity;
      for (const auto& [name, value] : patch->params.items()) state->params[name] = value;
    }
  }

  void parse_override(const Node& item, const std::string& path, StandardsData& data) {
    if (!expect(item, NodeKind::mapping, path)) return;
    check_keys(item, {"domains", "rules"}, path);
    const auto* domains = required_member(item, "domains", NodeKind::sequence, path);
    const auto* rules = required_member(item, "rules", NodeKind::mapping, path);
    if (domains == nullptr || rules == nullptr) return;
    if (domains->items.empty()) {
      error(domains->position, "MESH-STANDARDS-TYPE", path + ".domains",
            "the override names no domains: list at least one");
    }
    bool first = true;
    for (const auto& domain : domains->items) {
      if (!expect(domain, NodeKind::string, path + ".domains[]")) continue;
      auto [it, inserted] = data.by_domain.try_emplace(domain.text, data.base);
      if (inserted) data.override_domains.push_back(domain.text);
      // Report a broken rules map once, not once per domain.
      if (first) {
        apply_rules(*rules, path + ".rules", data, it->second);
        first = false;
      } else {
        std::vector<Diagnostic> ignored;
        StandardsParser quiet(file_, ignored);
        quiet.apply_rules(*rules, path + ".rules", data, it->second);
      }
    }
  }

  const std::string& file_;
  std::vector<Diagnostic>& out_;
  std::vector<Severity> custom_severities_;
};

}  // namespace

LoadedStandards parse_standards(std::string_view text, const std::string& file_name, const yaml::LoadLimits& limits) {
  auto loaded = yaml::parse_yaml(text, file_name, limits);
  LoadedStandards result;
  result.diagnostics = std::move(loaded.diagnostics);
  const auto has_error = [&] {
    return std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
  };
  if (has_error() || loaded.documents.empty()) return result;
  if (loaded.documents.size() > 1) {
    result.diagnostics.push_back(Diagnostic{file_name, loaded.documents[1].start, Severity::error,
                                            "MESH-STANDARDS-DOCUMENTS", "",
                                            "a standards file holds one document: remove the others"});
  }
  auto data = std::make_shared<StandardsData>();
  data->source = file_name;
  StandardsParser(file_name, result.diagnostics).parse(loaded.documents.front().root, *data);
  if (!has_error()) result.standards = Standards(std::move(data));
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(), diagnostic_less);
  return result;
}

}  // namespace meshctl::standards
