#include "quality/plan.h"

#include <algorithm>

#include <fmt/format.h>
#include <re2/re2.h>

#include "meshctl/core/sql_text.h"
#include "meshctl/core/text.h"
#include "quality/values.h"

namespace meshctl::quality {

namespace {

const char* kind_rule_name(CheckKind kind) {
  switch (kind) {
    case CheckKind::exists: return "exists";
    case CheckKind::type: return "type";
    case CheckKind::required: return "required";
    case CheckKind::not_null: return "not_null";
    case CheckKind::unique: return "unique";
    case CheckKind::allowed: return "enum";
    case CheckKind::undeclared: return "undeclared";
    case CheckKind::row_count: return "row_count";
    case CheckKind::range: return "range";
    case CheckKind::pattern: return "pattern";
    case CheckKind::freshness: return "freshness";
    case CheckKind::sql: return "sql";
  }
  return "";
}

std::optional<CheckKind> quality_kind(std::string_view rule) {
  if (rule == "not_null") return CheckKind::not_null;
  if (rule == "unique") return CheckKind::unique;
  if (rule == "row_count") return CheckKind::row_count;
  if (rule == "range") return CheckKind::range;
  if (rule == "pattern") return CheckKind::pattern;
  if (rule == "accepted_values") return CheckKind::allowed;
  if (rule == "freshness") return CheckKind::freshness;
  if (rule == "sql") return CheckKind::sql;
  return std::nullopt;
}

bool needs_field(CheckKind kind) {
  return kind != CheckKind::row_count && kind != CheckKind::sql;
}

std::string bounds_text(const std::optional<manifest::Number>& min, const std::optional<manifest::Number>& max) {
  if (min && max) return fmt::format("from {} to {}", number_text(*min), number_text(*max));
  if (min) return fmt::format("at least {}", number_text(*min));
  if (max) return fmt::format("at most {}", number_text(*max));
  return "";
}

std::string sql_expectation(const manifest::QualityRule& rule) {
  std::vector<std::string> parts;
  if (rule.must_be) parts.push_back(fmt::format("be {}", number_text(*rule.must_be)));
  if (rule.must_be_less_than) parts.push_back(fmt::format("be less than {}", number_text(*rule.must_be_less_than)));
  if (rule.must_be_greater_than) {
    parts.push_back(fmt::format("be greater than {}", number_text(*rule.must_be_greater_than)));
  }
  return fmt::format("{}", fmt::join(parts, " and "));
}

std::optional<std::string> unique_through_array(const PlannedCheck& check) {
  const bool through_array =
      std::any_of(check.steps.begin(), check.steps.end(), [](const PathStep& step) { return step.key.empty(); });
  if (!through_array) return std::nullopt;
  return fmt::format("unique is not checked for '{}', a field inside an array", check.field);
}

std::string without_brackets(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.substr(i, 2) == "[]") {
      ++i;
      continue;
    }
    out += path[i];
  }
  return out;
}

// plan.paths gains `field` (reached from its top-level field by `steps`) and everything below it.
void add_paths(PortPlan& plan, const manifest::Field& field, const manifest::Field& top, const std::string& name,
               const std::vector<PathStep>& steps) {
  plan.paths.push_back(FieldPath{name, &field, &top, steps});
  const bool array = field.type == "array";
  if (array && field.items) {
    auto element = std::make_unique<manifest::Field>();
    element->name = name + "[]";
    element->type = field.items;
    element->pii = field.pii;
    auto element_steps = steps;
    element_steps.push_back(PathStep{});
    plan.paths.push_back(FieldPath{*element->name, element.get(), &top, std::move(element_steps)});
    plan.element_fields.push_back(std::move(element));
  }
  for (const auto& child : field.fields) {
    if (!child.name || child.name->empty()) continue;
    auto child_steps = steps;
    if (array) child_steps.push_back(PathStep{});
    child_steps.push_back(PathStep{*child.name});
    add_paths(plan, child, top, fmt::format("{}{}.{}", name, array ? "[]" : "", *child.name), child_steps);
  }
}

void plan_quality_rule(PortPlan& plan, const manifest::QualityRule& rule, std::size_t index) {
  PlannedCheck check;
  check.rule = rule.rule.value_or("");
  check.id = fmt::format("{}/quality[{}]/{}", plan.name, index, check.rule.empty() ? "?" : check.rule);
  check.rule_def = &rule;
  check.field = rule.field.value_or("");
  const auto kind = quality_kind(check.rule);
  if (!kind) {
    check.problem = fmt::format("'{}' is not a quality rule meshctl test knows: use not_null, unique, row_count, "
                                "range, pattern, accepted_values, freshness or sql",
                                check.rule);
    plan.checks.push_back(std::move(check));
    return;
  }
  check.kind = *kind;
  if (needs_field(check.kind)) {
    if (check.field.empty()) {
      check.problem = fmt::format("a {} rule needs the field it checks: add field:", check.rule);
    } else if (const auto* path = find_path(plan, check.field)) {
      check.field = path->name;
      check.field_def = path->field;
      check.top_def = path->top;
      check.steps = path->steps;
      if (check.kind == CheckKind::unique) check.unsupported = unique_through_array(check);
    } else {
      check.problem = fmt::format("the rule checks field '{}', which the port's schema does not declare", check.field);
    }
  }
  switch (check.kind) {
    case CheckKind::row_count:
    case CheckKind::range:
      if (!rule.min && !rule.max) check.problem = fmt::format("a {} rule needs min:, max: or both", check.rule);
      break;
    case CheckKind::pattern:
      if (!rule.pattern || rule.pattern->empty()) {
        check.problem = "a pattern rule needs its regular expression: add pattern:";
      } else if (RE2 compiled(*rule.pattern, RE2::Quiet); !compiled.ok()) {
        check.problem = fmt::format("the pattern '{}' is not an RE2 regular expression: {}", *rule.pattern,
                                    compiled.error());
      }
      break;
    case CheckKind::allowed:
      if (rule.values.empty()) check.problem = "an accepted_values rule needs its values: add values: [...]";
      break;
    case CheckKind::freshness: {
      const auto* slo = plan.port->slo ? &*plan.port->slo : nullptr;
      if (slo && slo->freshness) {
        check.freshness_seconds = parse_duration(*slo->freshness);
        if (!check.freshness_seconds) {
          check.problem = fmt::format("slo.freshness '{}' is not a duration such as 15m, 1h or 7d", *slo->freshness);
        }
      } else if (rule.max) {
        check.freshness_seconds = static_cast<std::int64_t>(number_value(*rule.max));
      } else {
        check.problem = "the port has no slo.freshness to hold the data to: add one (or max: in seconds on the rule)";
      }
      break;
    }
    case CheckKind::sql:
      if (!rule.query) {
        check.problem = "a sql rule needs its query: add query: with one SELECT that returns one number";
      } else if (auto problem = single_select_problem(*rule.query)) {
        check.problem = "refused before running: " + *problem;
      } else if (!rule.must_be && !rule.must_be_less_than && !rule.must_be_greater_than) {
        check.problem = "a sql rule needs what its number must be: add mustBe:, mustBeLessThan: or mustBeGreaterThan:";
      }
      break;
    default: break;
  }
  plan.checks.push_back(std::move(check));
}

}  // namespace

double number_value(const manifest::Number& value) {
  return std::visit([](auto number) { return static_cast<double>(number); }, value);
}

std::string number_text(const manifest::Number& value) {
  return std::visit([](auto number) { return fmt::format("{}", number); }, value);
}

std::string scalar_text(const manifest::Scalar& value) {
  return std::visit(
      [](const auto& scalar) -> std::string {
        using T = std::decay_t<decltype(scalar)>;
        if constexpr (std::is_same_v<T, bool>) {
          return scalar ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return scalar;
        } else {
          return fmt::format("{}", scalar);
        }
      },
      value);
}

const FieldPath* find_path(const PortPlan& plan, std::string_view path) {
  for (const auto& known : plan.paths) {
    if (known.name == path) return &known;
  }
  const auto plain = without_brackets(path);
  for (const auto& known : plan.paths) {
    if (!known.name.ends_with("[]") && without_brackets(known.name) == plain) return &known;
  }
  return nullptr;
}

std::size_t top_index(const PortPlan& plan, const PlannedCheck& check) {
  return static_cast<std::size_t>(std::find(plan.fields.begin(), plan.fields.end(), check.top_def) -
                                  plan.fields.begin());
}

PortPlan plan_port(const manifest::OutputPort& port) {
  PortPlan plan;
  plan.port = &port;
  plan.name = port.name.value_or("");
  if (port.schema) {
    for (const auto& field : port.schema->fields) {
      if (!field.name || field.name->empty()) continue;
      plan.fields.push_back(&field);
      add_paths(plan, field, field, *field.name, {});
    }
  }
  auto add = [&](const FieldPath& path, CheckKind kind) {
    PlannedCheck check;
    check.kind = kind;
    check.field = path.name;
    check.rule = kind_rule_name(kind);
    check.id = fmt::format("{}/{}/{}", plan.name, check.field, check.rule);
    check.field_def = path.field;
    check.top_def = path.top;
    check.steps = path.steps;
    if (kind == CheckKind::unique) check.unsupported = unique_through_array(check);
    plan.checks.push_back(std::move(check));
  };
  for (const auto& path : plan.paths) {
    const auto* field = path.field;
    const bool element = path.name.ends_with("[]");  // has no name of its own to be present under
    if (!element) add(path, CheckKind::exists);
    if (field->type) {
      add(path, CheckKind::type);
      if (!is_known_type(*field->type)) {
        plan.checks.back().problem = fmt::format("type '{}' is not one meshctl test knows", *field->type);
      }
    }
    if (element) continue;
    if (field->required.value_or(false)) add(path, CheckKind::required);
    if (field->unique.value_or(false)) add(path, CheckKind::unique);
    if (!field->enum_values.empty()) add(path, CheckKind::allowed);
  }
  PlannedCheck undeclared;
  undeclared.kind = CheckKind::undeclared;
  undeclared.rule = "undeclared";
  undeclared.id = plan.name + "/columns/undeclared";
  plan.checks.push_back(std::move(undeclared));
  for (std::size_t i = 0; i < port.quality.size(); ++i) plan_quality_rule(plan, port.quality[i], i);
  return plan;
}

CheckResult result_for(const PlannedCheck& check, const PortPlan& plan, CheckStatus status) {
  CheckResult result;
  result.id = check.id;
  result.port = plan.name;
  result.field = check.field;
  result.rule = check.rule;
  result.status = status;
  if (check.problem) result.message = *check.problem;
  if (check.unsupported && !check.problem) {
    result.status = CheckStatus::skipped;
    result.message = *check.unsupported;
  }
  return result;
}

std::string describe(const PlannedCheck& check, const CheckResult& result) {
  if (result.status == CheckStatus::error || result.status == CheckStatus::skipped) return result.message;
  const bool failed = result.status == CheckStatus::failed;
  const auto rows = [&] {
    return fmt::format("{} of {} {}", result.failed_rows.value_or(0), result.total_rows.value_or(0),
                       result.total_rows.value_or(0) == 1 ? "row" : "rows");
  };
  const std::string& field = check.field;
  switch (check.kind) {
    case CheckKind::exists:
      if (check.nested()) {
        return failed ? fmt::format("no record has '{}': add it, or correct the field's name", field)
                      : fmt::format("'{}' is present", field);
      }
      return failed ? fmt::format("the data has no column '{}': add it, or correct the field's name", field)
                    : fmt::format("column '{}' is present", field);
    case CheckKind::type:
      if (!result.message.empty()) return result.message;
      return fmt::format("{}: values of '{}' that are not {}", rows(), field, check.field_def->type.value_or(""));
    case CheckKind::required: return fmt::format("{}: '{}' null or empty", rows(), field);
    case CheckKind::not_null: return fmt::format("{}: '{}' null", rows(), field);
    case CheckKind::unique: return fmt::format("{}: '{}' repeats a value of another row", rows(), field);
    case CheckKind::allowed: {
      const auto& values = check.rule_def ? check.rule_def->values : check.field_def->enum_values;
      std::vector<std::string> texts;
      for (const auto& value : values) texts.push_back(scalar_text(value));
      return fmt::format("{}: '{}' not one of {}", rows(), field, fmt::join(texts, ", "));
    }
    case CheckKind::undeclared: return result.message;
    case CheckKind::row_count:
      if (failed) {
        return fmt::format("{} rows: must be {}", result.total_rows.value_or(0),
                           bounds_text(check.rule_def->min, check.rule_def->max));
      }
      return fmt::format("{} rows ({})", result.total_rows.value_or(0),
                         bounds_text(check.rule_def->min, check.rule_def->max));
    case CheckKind::range:
      return fmt::format("{}: '{}' not {}", rows(), field, bounds_text(check.rule_def->min, check.rule_def->max));
    case CheckKind::pattern:
      return fmt::format("{}: '{}' does not match {}", rows(), field, check.rule_def->pattern.value_or(""));
    case CheckKind::freshness: return result.message;
    case CheckKind::sql:
      return fmt::format("the query returned {}, which must {}",
                         result.observed.is_null() ? "no number" : result.observed.dump(),
                         sql_expectation(*check.rule_def));
  }
  return "";
}

}  // namespace meshctl::quality
