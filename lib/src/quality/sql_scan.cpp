#include "quality/sql_scan.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/usage/time.h"
#include "quality/nested.h"
#include "quality/values.h"

namespace meshctl::quality {

namespace {

std::int64_t integer_of(const nlohmann::json& cell) {
  if (cell.is_number_integer()) return cell.get<std::int64_t>();
  if (cell.is_number()) return static_cast<std::int64_t>(cell.get<double>());
  if (cell.is_string()) {
    if (auto number = number_of_text(cell.get<std::string>())) return static_cast<std::int64_t>(*number);
  }
  return 0;
}

std::optional<std::int64_t> newest_of(const nlohmann::json& cell) {
  if (cell.is_number()) return integer_of(cell);
  if (cell.is_string()) return epoch_of_text(cell.get<std::string>());
  return std::nullopt;
}

class SqlScan {
 public:
  SqlScan(const PortPlan& plan, const Source& source, const TestOptions& options, SqlTable& table,
          const std::vector<SqlColumn>& columns, const SqlDialect& dialect)
      : plan_(plan), source_(source), options_(options), table_(table), columns_(columns), dialect_(dialect) {}

  Result<PortOutcome> run() {
    // One aggregate query: each expression once (a field's `unique` and a unique rule share theirs).
    std::vector<std::string> expressions{"COUNT(*)"};
    std::map<std::string, std::size_t> index_of;
    std::vector<std::optional<std::size_t>> expression_of(plan_.checks.size());
    for (std::size_t i = 0; i < plan_.checks.size(); ++i) {
      const auto expression = expression_for(plan_.checks[i], i);
      if (expression.empty()) continue;
      auto [found, added] = index_of.emplace(expression, expressions.size());
      if (added) expressions.push_back(expression);
      expression_of[i] = found->second;
    }
    const auto scan = fmt::format("SELECT {} FROM {}", fmt::join(expressions, ", "), table_.reference());
    auto rows = table_.query(scan, 1);
    if (!rows) return source_unreachable(source_, rows.error().message);
    if (rows->empty() || rows->front().size() != expressions.size()) {
      return source_unreachable(source_, "the scan returned no row");
    }
    const auto& values = rows->front();
    const std::int64_t count = integer_of(values[0]);

    PortOutcome outcome{PortScan{plan_.name, source_.display, count, scan}, {}};
    for (std::size_t i = 0; i < plan_.checks.size(); ++i) {
      const auto& check = plan_.checks[i];
      if (check.kind == CheckKind::sql && !check.problem) {
        outcome.checks.emplace_back();  // run below, once every scan query has read its snapshot
        continue;
      }
      CheckResult result = result_for(check, plan_, CheckStatus::passed);
      if (expression_of[i]) result.query = expressions[*expression_of[i]];
      const auto* column = check.top_def ? find_column(*check.top_def->name) : nullptr;
      if (check.problem || check.unsupported) {
        if (check.problem) result.status = CheckStatus::error;
      } else if (check.nested() && column != nullptr && !expression_of[i]) {
        result.status = CheckStatus::skipped;
        result.message = fmt::format("nested fields are not checked on {} yet: test a JSON Lines or SQLite copy",
                                     source_.kind == SourceKind::postgresql ? "PostgreSQL" : "this source");
      } else if (check.nested() && column != nullptr && check.kind == CheckKind::exists) {
        const auto present = integer_of(values[*expression_of[i]]);
        if (present > 0) seen_.insert(check.field);
        result.status = present > 0 ? CheckStatus::passed : CheckStatus::failed;
        result.message = describe(check, result);
      } else if (const auto* absent = check.nested() && column != nullptr && check.kind != CheckKind::exists
                                          ? first_absent(plan_, check,
                                                         [&](const std::string& path) { return seen_.contains(path); })
                                          : nullptr) {
        result.status = CheckStatus::skipped;
        result.message =
            fmt::format("no record has '{}' (see {}/{}/exists)", absent->name, plan_.name, absent->name);
      } else if (check.kind == CheckKind::exists && !check.nested()) {
        result.status = column ? CheckStatus::passed : CheckStatus::failed;
        result.query = dialect_.columns_query(source_);
        result.message = describe(check, result);
      } else if (check.kind == CheckKind::undeclared) {
        undeclared(result);
      } else if (check.kind == CheckKind::row_count) {
        const auto& rule = *check.rule_def;
        const auto rows_counted = static_cast<double>(count);
        result.status = (rule.min && rows_counted < number_value(*rule.min)) ||
                                (rule.max && rows_counted > number_value(*rule.max))
                            ? CheckStatus::failed
                            : CheckStatus::passed;
        result.observed = count;
        result.total_rows = count;
        result.message = describe(check, result);
      } else if (check.top_def != nullptr && column == nullptr) {
        result.status = CheckStatus::skipped;
        result.message = fmt::format("no column '{}' in the table (see {}/{}/exists)", *check.top_def->name,
                                     plan_.name, *check.top_def->name);
      } else if (check.kind == CheckKind::freshness) {
        freshness(check, newest_of(values[*expression_of[i]]), count, result);
      } else {
        const auto failed = integer_of(values[*expression_of[i]]);
        result.failed_rows = failed;
        result.total_rows = count;
        result.status = failed > 0 ? CheckStatus::failed : CheckStatus::passed;
        if (failed > 0) {
          if (auto sampled = samples(check, i, *column, result); !sampled) return sampled.error();
        }
        result.message = describe(check, result);
        if (check.kind == CheckKind::type && !check.nested()) {
          if (auto why = dialect_.incompatible(*column, *check.field_def->type)) {
            result.status = CheckStatus::failed;
            result.message = fmt::format("column '{}' is {}, which does not hold {} values; {}", column->name, *why,
                                         *check.field_def->type, result.message);
          }
        }
      }
      outcome.checks.push_back(std::move(result));
    }
    const auto names = port_table_names(plan_);
    for (std::size_t i = 0; i < plan_.checks.size(); ++i) {
      const auto& check = plan_.checks[i];
      if (check.kind != CheckKind::sql || check.problem) continue;
      auto value = table_.rule_value(*check.rule_def->query, names, options_.rule_timeout_seconds);
      if (!value && value.error().kind == ErrorKind::unavailable) {
        return source_unreachable(source_, value.error().message);
      }
      outcome.checks[i] = sql_rule_result(check, plan_, value);
    }
    return outcome;
  }

 private:
  std::string expression_for(const PlannedCheck& check, std::size_t index) const {
    if (check.problem || check.unsupported) return "";
    if (check.kind == CheckKind::row_count) return "COUNT(*)";
    if (check.top_def == nullptr) return "";
    const auto* column = find_column(*check.top_def->name);
    if (column == nullptr) return "";
    const auto quoted = quote_identifier(column->name);
    if (check.nested()) {
      const auto value = dialect_.nested_value(index, quoted);
      if (value.empty()) return "";
      if (check.kind == CheckKind::unique) return fmt::format("COUNT({0}) - COUNT(DISTINCT {0})", value);
      if (check.kind == CheckKind::freshness) return fmt::format("MAX({})", value);
      return fmt::format("COUNT(*) FILTER (WHERE {} = 1)", value);
    }
    if (check.kind == CheckKind::unique) return dialect_.repeats_expression(*column, quoted);
    if (check.kind == CheckKind::freshness) return dialect_.newest_expression(*column, quoted);
    const auto condition = dialect_.failing_condition(check, *column, quoted);
    if (condition.empty()) return "";
    return fmt::format("COUNT(*) FILTER (WHERE {})", condition);
  }

  const SqlColumn* find_column(std::string_view field) const {
    for (const auto& column : columns_) {
      if (dialect_.same_name(column.name, field)) return &column;
    }
    return nullptr;
  }

  Status samples(const PlannedCheck& check, std::size_t index, const SqlColumn& column, CheckResult& result) {
    std::vector<std::string> selected;
    std::vector<const manifest::Field*> fields;
    for (const auto* field : plan_.fields) {
      if (const auto* found = find_column(*field->name)) {
        selected.push_back(quote_identifier(found->name));
        fields.push_back(field);
      }
    }
    const auto quoted = quote_identifier(column.name);
    const auto value = check.nested() ? dialect_.nested_value(index, quoted) : quoted;
    const auto condition =
        check.kind == CheckKind::unique
            ? fmt::format("{0} IN (SELECT {0} FROM {1} WHERE {0} IS NOT NULL GROUP BY {0} HAVING COUNT(*) > 1)",
                          value, table_.reference())
        : check.nested() ? fmt::format("{} = 1", value)
                         : dialect_.failing_condition(check, column, quoted);
    result.sample_query = fmt::format("SELECT {} FROM {} WHERE {} LIMIT {}", fmt::join(selected, ", "),
                                      table_.reference(), condition, options_.sample_limit);
    auto rows = table_.query(result.sample_query, options_.sample_limit);
    if (!rows) return source_unreachable(source_, rows.error().message);
    for (const auto& row : *rows) {
      nlohmann::ordered_json sample = nlohmann::ordered_json::object();
      for (std::size_t c = 0; c < fields.size() && c < row.size(); ++c) {
        sample[*fields[c]->name] = masked_sample(*fields[c], nlohmann::ordered_json::parse(row[c].dump()));
      }
      result.samples.push_back(std::move(sample));
    }
    return ok_status();
  }

  void undeclared(CheckResult& result) const {
    std::vector<std::string> names;
    for (const auto& column : columns_) {
      const bool declared = std::any_of(plan_.fields.begin(), plan_.fields.end(), [&](const manifest::Field* field) {
        return dialect_.same_name(column.name, *field->name);
      });
      if (!declared) names.push_back(column.name);
    }
    result.query = dialect_.columns_query(source_);
    result.status = names.empty() ? CheckStatus::passed : CheckStatus::warning;
    result.message = names.empty() ? "every column is declared in the schema"
                                   : fmt::format("columns not in the schema: {}", fmt::join(names, ", "));
    result.observed = names;
  }

  void freshness(const PlannedCheck& check, std::optional<std::int64_t> newest, std::int64_t rows,
                 CheckResult& result) const {
    result.total_rows = rows;
    if (!newest) {
      result.status = CheckStatus::failed;
      result.message =
          fmt::format("no value of '{}' is a timestamp or a date: nothing shows the data is fresh", check.field);
      return;
    }
    const auto age = options_.now - *newest;
    result.observed = {{"newest", usage::format_timestamp(*newest)}, {"ageSeconds", age},
                       {"limitSeconds", *check.freshness_seconds}};
    result.status = age <= *check.freshness_seconds ? CheckStatus::passed : CheckStatus::failed;
    result.message = fmt::format("newest '{}' is {} ({} s old; the limit is {} s)", check.field,
                                 usage::format_timestamp(*newest), age, *check.freshness_seconds);
  }

  const PortPlan& plan_;
  const Source& source_;
  const TestOptions& options_;
  SqlTable& table_;
  const std::vector<SqlColumn>& columns_;
  const SqlDialect& dialect_;
  std::set<std::string> seen_;  // nested fields some row has
};

}  // namespace

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + '"';
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + '\'';
}

std::vector<std::string> port_table_names(const PortPlan& plan) {
  std::vector<std::string> names{plan.name};
  std::string underscored = plan.name;
  std::replace(underscored.begin(), underscored.end(), '-', '_');
  if (underscored != plan.name) names.push_back(underscored);
  return names;
}

CheckResult sql_rule_result(const PlannedCheck& check, const PortPlan& plan, const Result<nlohmann::json>& value) {
  CheckResult result = result_for(check, plan, CheckStatus::passed);
  const auto& rule = *check.rule_def;
  result.query = *rule.query;
  if (!value) {
    result.status = CheckStatus::error;
    result.message = value.error().message;
    return result;
  }
  std::optional<double> number;
  if (value->is_number()) {
    number = value->get<double>();
    result.observed = *value;
  } else if (value->is_string()) {
    number = number_of_text(value->get<std::string>());
    if (number) result.observed = *number;
  }
  if (!number) {
    result.status = CheckStatus::error;
    result.message = value->is_null() ? "the query returned no number (no row, or NULL): it must return one number"
                                      : fmt::format("the query returned {}, not a number", value->dump());
    return result;
  }
  bool passed = true;
  if (rule.must_be) passed = passed && *number == number_value(*rule.must_be);
  if (rule.must_be_less_than) passed = passed && *number < number_value(*rule.must_be_less_than);
  if (rule.must_be_greater_than) passed = passed && *number > number_value(*rule.must_be_greater_than);
  result.status = passed ? CheckStatus::passed : CheckStatus::failed;
  result.message = describe(check, result);
  return result;
}

Result<PortOutcome> scan_sql_table(const PortPlan& plan, const Source& source, const TestOptions& options,
                                   SqlTable& table, const std::vector<SqlColumn>& columns, const SqlDialect& dialect) {
  return SqlScan(plan, source, options, table, columns, dialect).run();
}

}  // namespace meshctl::quality
