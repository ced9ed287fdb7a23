#pragma once

// The checks a port's manifest asks for, whatever the source: what each engine (SQL or file) computes.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/manifest/model.h"
#include "meshctl/quality/test.h"

namespace meshctl::quality {

enum class CheckKind {
  exists,      // the field is a column of the data
  type,        // values fit the field's type
  required,    // no null and no empty value
  not_null,    // no null
  unique,      // no value twice
  allowed,     // enum / accepted_values
  undeclared,  // columns the schema does not declare (a warning)
  row_count,   // min <= rows <= max
  range,       // min <= value <= max
  pattern,     // values match the pattern (RE2, searched)
  freshness,   // the newest value is younger than slo.freshness
  sql,         // the query's number against mustBe / mustBeLessThan / mustBeGreaterThan
};

// One step from a value down to a nested field: the member `key` of an object, or (key empty) each element
// of an array.
struct PathStep {
  std::string key;
  bool operator==(const PathStep&) const = default;
};

// A field of the schema, top-level or nested: "amount", "billing_address.country_code", "segments[]" (the
// elements of an array of scalars), "lines[].sku" (a field of the objects of an array).
struct FieldPath {
  std::string name;
  const manifest::Field* field = nullptr;  // its declaration (for "segments[]", one made from `items`)
  const manifest::Field* top = nullptr;    // the top-level field whose column holds it
  std::vector<PathStep> steps;             // from the top-level value down to it; empty for a top-level field
};

struct PlannedCheck {
  std::string id;
  std::string field;  // the field's path (schema checks, and quality rules naming a field the schema has)
  std::string rule;
  CheckKind kind = CheckKind::exists;
  const manifest::Field* field_def = nullptr;       // the schema's field, when the check names one it has
  const manifest::QualityRule* rule_def = nullptr;  // quality rules
  const manifest::Field* top_def = nullptr;  // the top-level field whose column holds the value (field_def's own)
  std::vector<PathStep> steps;               // nested fields: the way from top_def's value down to field_def's
  // Why the check cannot run as written (a field the schema lacks, a bad pattern, a refused query):
  // its result is CheckStatus::error with this message.
  std::optional<std::string> problem;
  // Why the check is not computed (a unique check through an array): its result is CheckStatus::skipped.
  std::optional<std::string> unsupported;
  std::optional<std::int64_t> freshness_seconds;  // freshness: the limit

  bool nested() const { return !steps.empty(); }
};

struct PortPlan {
  const manifest::OutputPort* port = nullptr;
  std::string name;
  std::vector<const manifest::Field*> fields;  // the schema's top-level fields, in order
  std::vector<FieldPath> paths;                // every field, top-level and nested, depth first
  std::vector<PlannedCheck> checks;
  std::vector<std::unique_ptr<manifest::Field>> element_fields;  // the elements of arrays of scalars
};

PortPlan plan_port(const manifest::OutputPort& port);

// The field at `path` ("billing_address.country_code"; through arrays "lines.sku" or "lines[].sku"), or nullptr.
const FieldPath* find_path(const PortPlan& plan, std::string_view path);

// The first field named on the way down to `check`'s (itself included) that `seen(path)` says no record has,
// or nullptr. Elements of arrays have no name and are not asked about.
template <typename Seen>
const FieldPath* first_absent(const PortPlan& plan, const PlannedCheck& check, Seen&& seen) {
  for (const auto& path : plan.paths) {
    if (path.top != check.top_def || path.steps.empty() || path.name.ends_with("[]")) continue;
    if (path.steps.size() > check.steps.size()) continue;
    if (!std::equal(path.steps.begin(), path.steps.end(), check.steps.begin())) continue;
    if (!seen(path.name)) return &path;
  }
  return nullptr;
}

// The index in plan.fields of the top-level field holding `check`'s values.
std::size_t top_index(const PortPlan& plan, const PlannedCheck& check);

// A result for `check` with its identity filled in and status `status`.
CheckResult result_for(const PlannedCheck& check, const PortPlan& plan, CheckStatus status);

// The one-line message of a finished check (its counts and observations filled in), for people.
std::string describe(const PlannedCheck& check, const CheckResult& result);

// A scalar of the manifest as text: true, 12, 1.5, EUR.
std::string scalar_text(const manifest::Scalar& value);
double number_value(const manifest::Number& value);
std::string number_text(const manifest::Number& value);

}  // namespace meshctl::quality
