#include "quality/nested.h"

#include <algorithm>

namespace meshctl::quality {

namespace {

// Adds to `out` the values `steps[at...]` reach from `value`.
void reach(const nlohmann::json& value, const std::vector<PathStep>& steps, std::size_t at, std::vector<Value>& out) {
  if (at == steps.size()) {
    out.push_back(value_of(value));
    return;
  }
  const auto& step = steps[at];
  if (step.key.empty()) {
    if (!value.is_array()) return;
    for (const auto& element : value) reach(element, steps, at + 1, out);
    return;
  }
  if (!value.is_object()) return;
  const auto found = value.find(step.key);
  if (found == value.end()) {
    if (at + 1 == steps.size()) out.push_back(Value{});  // the key is missing from a parent that is there
    return;
  }
  reach(*found, steps, at + 1, out);
}

bool has_pii_inside(const manifest::Field& field) {
  return std::any_of(field.fields.begin(), field.fields.end(), [](const manifest::Field& child) {
    return child.pii.value_or(false) || has_pii_inside(child);
  });
}

void mask_members(const manifest::Field& field, nlohmann::ordered_json& value) {
  if (value.is_array()) {
    for (auto& element : value) mask_members(field, element);
    return;
  }
  if (!value.is_object()) return;
  for (const auto& child : field.fields) {
    if (!child.name) continue;
    const auto found = value.find(*child.name);
    if (found == value.end()) continue;
    *found = masked_sample(child, std::move(*found));
  }
}

}  // namespace

Value value_of(const nlohmann::json& json) {
  if (json.is_null()) return Value{Value::Kind::null, {}, nullptr};
  if (json.is_string()) return Value{Value::Kind::json, json.get_ref<const std::string&>(), &json};
  return Value{Value::Kind::json, {}, &json};
}

const nlohmann::json* json_of(const Value& cell, nlohmann::json& parsed) {
  if (cell.is_null()) return nullptr;
  if (cell.kind == Value::Kind::json) return cell.json;
  parsed = nlohmann::json::parse(cell.text, nullptr, false);
  return parsed.is_discarded() ? nullptr : &parsed;
}

bool breaks(const PlannedCheck& check, const Value& value, const RE2* pattern) {
  switch (check.kind) {
    case CheckKind::type: return !value_fits(*check.field_def->type, value);
    case CheckKind::required: return is_null_or_empty(value);
    case CheckKind::not_null: return value.is_null();
    case CheckKind::allowed: {
      if (value.is_null()) return false;
      const auto& allowed = check.rule_def ? check.rule_def->values : check.field_def->enum_values;
      return std::none_of(allowed.begin(), allowed.end(),
                          [&](const manifest::Scalar& scalar) { return matches_scalar(value, scalar); });
    }
    case CheckKind::range: {
      const auto number = number_of(value);
      if (!number) return false;
      const auto& rule = *check.rule_def;
      return (rule.min && *number < number_value(*rule.min)) || (rule.max && *number > number_value(*rule.max));
    }
    case CheckKind::pattern:
      if (value.is_null() || pattern == nullptr) return false;
      if (value.kind == Value::Kind::text || (value.json && value.json->is_string())) {
        return !RE2::PartialMatch(value.text, *pattern);
      }
      return !RE2::PartialMatch(text_of(value), *pattern);
    default: return false;
  }
}

NestedVerdict judge_nested(const PlannedCheck& check, const nlohmann::json* root, const RE2* pattern) {
  NestedVerdict verdict;
  if (root == nullptr) return verdict;
  std::vector<Value> values;
  reach(*root, check.steps, 0, values);
  for (const auto& value : values) {
    verdict.present = verdict.present || value.kind != Value::Kind::missing;
    switch (check.kind) {
      case CheckKind::unique:
        if (!value.is_null()) verdict.text = text_of(value);  // one value: unique is not checked through arrays
        break;
      case CheckKind::freshness:
        if (auto epoch = epoch_of(value); epoch && (!verdict.newest || *epoch > *verdict.newest)) verdict.newest = epoch;
        break;
      default: verdict.failed = verdict.failed || breaks(check, value, pattern); break;
    }
  }
  return verdict;
}

nlohmann::ordered_json masked_sample(const manifest::Field& field, nlohmann::ordered_json value) {
  if (value.is_null()) return value;
  if (field.pii.value_or(false)) return kMasked;
  if (!has_pii_inside(field)) return value;
  if (value.is_string()) {
    auto parsed = nlohmann::ordered_json::parse(value.get<std::string>(), nullptr, false);
    if (parsed.is_discarded()) return kMasked;  // nothing tells its personal parts from the rest
    value = std::move(parsed);
  }
  mask_members(field, value);
  return value;
}

}  // namespace meshctl::quality
