#pragma once

// The checks a port's manifest asks for, whatever the source: what each engine (SQL or file) computes.

#include <cstdint>
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

struct PlannedCheck {
  std::string id;
  std::string field;  // as the manifest writes it
  std::string rule;
  CheckKind kind = CheckKind::exists;
  const manifest::Field* field_def = nullptr;       // the schema's field, when the check names one it has
  const manifest::QualityRule* rule_def = nullptr;  // quality rules
  // Why the check cannot run as written (a field the schema lacks, a bad pattern, a refused query):
  // its result is CheckStatus::error with this message.
  std::optional<std::string> problem;
  std::optional<std::int64_t> freshness_seconds;  // freshness: the limit
};

struct PortPlan {
  const manifest::OutputPort* port = nullptr;
  std::string name;
  std::vector<const manifest::Field*> fields;  // the schema's top-level fields, in order
  std::vector<PlannedCheck> checks;
};

PortPlan plan_port(const manifest::OutputPort& port);

// The field named `name` among the plan's fields, or nullptr.
const manifest::Field* find_field(const PortPlan& plan, std::string_view name);

// A result for `check` with its identity filled in and status `status`.
CheckResult result_for(const PlannedCheck& check, const PortPlan& plan, CheckStatus status);

// The one-line message of a finished check (its counts and observations filled in), for people.
std::string describe(const PlannedCheck& check, const CheckResult& result);

// A scalar of the manifest as text: true, 12, 1.5, EUR.
std::string scalar_text(const manifest::Scalar& value);
double number_value(const manifest::Number& value);
std::string number_text(const manifest::Number& value);

}  // namespace meshctl::quality
