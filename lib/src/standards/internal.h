#pragma once

// Shared by the files of lib/src/standards: the rule ids as an enum, the rule
// settings after `extends`/`rules`/`overrides`, custom rules, and the checkers.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "meshctl/core/diagnostic.h"
#include "meshctl/standards/standards.h"
#include "meshctl/yaml/node.h"

namespace meshctl::standards {

// The built-in rules, in builtin_rules() order (the catalog asserts it).
enum class BuiltinRule : std::uint8_t {
  name_format,
  domain_format,
  version_semver,
  title,
  description,
  owner_team,
  owner_email,
  tags,
  labels,
  compatibility,
  output_ports,
  port_name_format,
  port_names_unique,
  port_type,
  port_format,
  port_location,
  port_schema,
  field_name,
  field_names_unique,
  field_type,
  field_description,
  field_classification,
  pii_class,
  slo,
  slo_freshness,
  slo_availability,
  input_product,
  input_version,
  input_self,
  quality_rule,
  quality_field,
  duplicate,  // checked by the registry (it needs the registered products), never on a document alone
  count_  // not a rule
};
inline constexpr std::size_t kBuiltinRuleCount = static_cast<std::size_t>(BuiltinRule::count_);

enum class Casing : std::uint8_t { any, kebab, snake, camel, pascal, upper_snake };
std::optional<Casing> parse_casing(std::string_view name);
bool has_casing(std::string_view text, Casing casing);
const char* casing_example(Casing casing);  // "kebab-case", "snake_case"...

// Whether a rule runs, and how loud it is.
struct RuleState {
  bool enabled = true;
  Severity severity = Severity::error;
  nlohmann::json params = nlohmann::json::object();
};

// The built-in rules' parameters in force, typed once so checks do not read JSON.
struct BuiltinParams {
  std::size_t name_max_length = 63;
  std::vector<std::string> allowed_domains;  // empty: any
  std::size_t description_min_length = 20;
  std::vector<std::string> port_types;
  std::vector<std::string> port_formats;
  Casing field_name_casing = Casing::snake;
  std::vector<std::string> field_types;
  std::vector<std::string> classification_levels;  // least to most strict
  bool classification_required = false;
  std::string pii_minimum;
  std::vector<std::string> input_domains;  // empty: any
  std::size_t label_value_max_length = 63;
  std::vector<std::string> compatibility_modes;
  std::vector<std::string> quality_kinds;
};
BuiltinParams compile_params(const std::vector<RuleState>& builtin);

// One step of a `given` path.
struct PathStep {
  enum class Kind : std::uint8_t { key, index, wildcard };
  Kind kind = Kind::key;
  std::string key;
  std::size_t index = 0;
};
// Parses `metadata.labels`, `spec.outputPorts[*].name`, `a[0]`; nullopt with a reason in `error`.
std::optional<std::vector<PathStep>> parse_path(std::string_view text, std::string& error);

struct CustomCheck {
  std::optional<std::string> field;
  bool required = false;
  bool forbidden = false;
  std::optional<std::string> pattern_text;
  std::shared_ptr<const re2::RE2> pattern;  // compiled once, when the file is parsed
  std::vector<std::string> allowed;         // enum
  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;
  std::optional<Casing> casing;
};

struct CustomRule {
  std::string id;
  std::string message;
  std::string given;
  std::vector<PathStep> steps;
  CustomCheck check;
  nlohmann::json check_json;  // as written, for `standards show`
};

// The rules in force for one domain (or for every domain without an override).
struct RuleSet {
  std::vector<RuleState> builtin;  // indexed by BuiltinRule
  std::vector<RuleState> custom;   // indexed like StandardsData::custom
  BuiltinParams params;
};

struct StandardsData {
  std::string source = "built-in";
  std::string extends = "default";
  std::vector<CustomRule> custom;
  RuleSet base;
  std::map<std::string, RuleSet, std::less<>> by_domain;  // domains named in overrides
  std::vector<std::string> override_domains;              // file order
};

// The default rule set: every built-in rule at its default severity and parameters
// (`enabled` false for all when extending `none`).
RuleSet default_rule_set(bool enabled);

// Runs the enabled built-in rules on one document.
void check_builtin(const yaml::Node& root, const RuleSet& rules, const std::string& file, std::vector<Diagnostic>& out);

// Runs one custom rule on one document.
void check_custom(const yaml::Node& root, const CustomRule& rule, Severity severity, const std::string& file,
                  std::vector<Diagnostic>& out);

}  // namespace meshctl::standards
