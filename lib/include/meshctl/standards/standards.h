#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/diagnostic.h"
#include "meshctl/yaml/loader.h"
#include "meshctl/yaml/node.h"

namespace meshctl::standards {

// A built-in rule as shipped: what `meshctl standards list` and `explain` show.
struct RuleInfo {
  std::string id;                 // stable, "MESH-…"
  Severity severity;              // the default severity
  std::string summary;            // one line: what the rule checks
  std::string rationale;          // why the rule exists
  nlohmann::json params;          // default parameters (an object; empty when none)
  std::string example_violation;  // a manifest fragment the rule reports
  std::string example_fix;        // the same fragment, fixed
};

// The built-in rule with this id; nullptr when there is none.
const RuleInfo* find_builtin_rule(std::string_view id);

// Every built-in rule, in a stable order.
const std::vector<RuleInfo>& builtin_rules();

// The findings that are not standards rules and cannot be turned off: the YAML
// loader's (MESH-YAML-*), the structural check's (MESH-SCHEMA-*), reading a file
// (MESH-IO) and a broken standards file (MESH-STANDARDS-*, one entry for all).
const std::vector<RuleInfo>& structural_rules();

// The structural rule with this id (any MESH-STANDARDS-… id finds the shared
// entry); nullptr when there is none.
const RuleInfo* find_structural_rule(std::string_view id);

// One rule as it is in force, after `extends`, `rules` and (for a domain) `overrides`.
struct EffectiveRule {
  std::string id;
  bool builtin = true;
  bool enabled = true;
  Severity severity = Severity::error;
  nlohmann::json params;  // built-in rules: the parameters in force
  std::string summary;    // built-in: RuleInfo::summary; custom: its message
  std::string rationale;  // built-in: RuleInfo::rationale; custom: empty
  std::string given;      // custom rules: the path they apply to
  nlohmann::json check;   // custom rules: the check as written
};

struct StandardsData;  // defined in lib/src/standards

// How a custom rule reads its `given` path (`metadata.labels`,
// `spec.outputPorts[*].schema.fields[*].name`, `spec.inputPorts[0]`):
// - `[*]` selects every item of a list or every value of a map; `[N]` one item.
// - A step that meets a value of the wrong kind (a string where a map is needed)
//   selects nothing there: the structural check reports the type.
// - When a named key is absent and no `[*]` follows it, the rule still runs once
//   for that absent value, positioned at the deepest member that exists (the key
//   of the missing member's parent): `required` reports it there (given
//   `metadata.labels` with `{field: cost-center, required: true}` and no labels
//   at all is reported at `metadata`); every other check passes on an absent value.
// - A `[*]` over an empty or absent list selects nothing, so nothing is checked.
// - Checks on text (`pattern`, `casing`, `minLength`, `maxLength`) skip values that
//   are not strings (the structural check reports those); `minLength`/`maxLength`
//   count the items of a list or map. `pattern` is an ECMAScript regular
//   expression searched in the value: anchor it (`^...$`) to match the whole text.

// The rules a platform enforces: the built-in default, or a standards file
// (`kind: Standards`) layered on it. Cheap to copy; immutable once built.
class Standards {
 public:
  // The built-in default standard: every built-in rule at its default severity.
  static Standards builtin();

  // Where this came from: "built-in" or the standards file's path.
  const std::string& source() const;

  // The rules in force for `domain` (nullopt: before any per-domain override),
  // built-in rules first in builtin_rules() order, then custom rules in file order.
  std::vector<EffectiveRule> effective_rules(const std::optional<std::string>& domain) const;

  // Checks one DataProduct document against the rules in force for its
  // metadata.domain and appends the findings to `out`. Values of the wrong type
  // are left to the structural check (manifest::check_shape) and not reported twice.
  void check(const yaml::Node& manifest, const std::string& file, std::vector<Diagnostic>& out) const;

  // "default" or "none": what the file extends.
  const std::string& extends() const;

  // Every domain named in `overrides`, in file order, each once.
  std::vector<std::string> override_domains() const;

  explicit Standards(std::shared_ptr<const StandardsData> data);

 private:
  std::shared_ptr<const StandardsData> data_;
};

struct LoadedStandards {
  std::optional<Standards> standards;   // absent when the file has errors
  std::vector<Diagnostic> diagnostics;  // positioned findings about the standards file itself
};

// Parses a standards file. A broken file gets positioned diagnostics, exactly
// like a broken manifest (MESH-YAML-*, MESH-STANDARDS-*).
LoadedStandards parse_standards(std::string_view text, const std::string& file_name,
                                const yaml::LoadLimits& limits = {});

// The nearest `.meshctl/standards.yaml` in the folder of `manifest` or above it;
// nullopt when there is none.
std::optional<std::filesystem::path> find_standards_file(const std::filesystem::path& manifest);

}  // namespace meshctl::standards
