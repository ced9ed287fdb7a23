#pragma once

// Nested fields: the values a path below a top-level field reaches in one record, and one check's verdict on
// them, for every engine (files row by row, SQLite through meshctl_nested in its scan).
//
// A nested field is judged only where its parent is there: a record whose billing_address is null, missing
// or not an object has no billing_address.country_code to check (the parent's own checks judge it), and its
// `required` fields are required only in a parent that is present. Through an array, every element is
// judged, and a record fails when one of its elements does.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "quality/plan.h"
#include "quality/values.h"

namespace meshctl::quality {

// A JSON value as a check sees it (null for JSON null).
Value value_of(const nlohmann::json& json);

// The JSON a top-level cell holds: the value itself in JSON Lines, the parse of its text in CSV and SQL
// (nullptr, for text that is not JSON and for null). `parsed` keeps what was parsed.
const nlohmann::json* json_of(const Value& cell, nlohmann::json& parsed);

// Whether `value` breaks a check counted row by row: type, required, not_null, allowed, range, pattern
// (`pattern` is the rule's pattern, compiled).
bool breaks(const PlannedCheck& check, const Value& value, const RE2* pattern);

// What one nested check found in one record.
struct NestedVerdict {
  bool present = false;  // the record has the field's key (exists)
  bool failed = false;   // the record breaks the check (type, required, not_null, allowed, range, pattern)
  std::optional<std::int64_t> newest;  // freshness: the newest timestamp or date reached
  std::optional<std::string> text;     // unique: the value, when it is there and not null
};

// `check` (check.nested()) on a record whose top-level field holds `root` (nullptr: null, or not JSON).
NestedVerdict judge_nested(const PlannedCheck& check, const nlohmann::json* root, const RE2* pattern);

// A field's value as samples show it: "***" for a PII field that is not null, and inside objects and arrays
// every nested PII field masked the same way (JSON text is parsed, and masked whole when it does not parse).
nlohmann::ordered_json masked_sample(const manifest::Field& field, nlohmann::ordered_json value);

}  // namespace meshctl::quality
