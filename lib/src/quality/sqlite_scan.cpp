// SQLite sources: every check of a port in one aggregate query (one scan of the table), then one query per
// failing check for its samples, then the sql rules, all in read-only transactions on a read-only connection.
#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "meshctl/usage/time.h"
#include "quality/engines.h"
#include "quality/sql_rule.h"

namespace meshctl::quality {

namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && upper(std::string(a)) == upper(std::string(b));
}

// SQLite's type affinity of a declared column type (https://sqlite.org/datatype3.html, 3.1).
std::string affinity_of(const std::string& declared) {
  const auto type = upper(declared);
  if (type.find("INT") != std::string::npos) return "INTEGER";
  if (type.find("CHAR") != std::string::npos || type.find("CLOB") != std::string::npos ||
      type.find("TEXT") != std::string::npos) {
    return "TEXT";
  }
  if (type.empty()) return "NONE";
  if (type.find("BLOB") != std::string::npos) return "BLOB";
  if (type.find("REAL") != std::string::npos || type.find("FLOA") != std::string::npos ||
      type.find("DOUB") != std::string::npos) {
    return "REAL";
  }
  return "NUMERIC";
}

// Whether a column of that affinity holds values of the manifest type (a column without a declared type
// holds anything).
bool compatible(const std::string& affinity, std::string_view type) {
  if (affinity == "NONE") return true;
  auto one_of = [&](std::initializer_list<const char*> affinities) {
    return std::any_of(affinities.begin(), affinities.end(), [&](const char* a) { return affinity == a; });
  };
  if (type == "string") return one_of({"TEXT"});
  if (type == "integer" || type == "long" || type == "boolean") return one_of({"INTEGER", "NUMERIC"});
  if (type == "float" || type == "double") return one_of({"REAL", "NUMERIC"});
  if (type == "decimal") return one_of({"NUMERIC", "REAL", "INTEGER", "TEXT"});
  if (type == "date" || type == "timestamp") return one_of({"TEXT", "NUMERIC"});
  if (type == "bytes") return one_of({"BLOB", "TEXT"});
  if (type == "array" || type == "object") return one_of({"TEXT", "BLOB"});
  return true;
}

std::string literal_of(const manifest::Number& number) {
  return std::visit([](auto value) { return fmt::format("{}", value); }, number);
}

std::string allowed_json(const std::vector<manifest::Scalar>& values) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& value : values) {
    std::visit([&](const auto& scalar) { list.push_back(scalar); }, value);
  }
  return list.dump();
}

struct Column {
  std::string name;
  std::string declared;
};

// The condition a failing row meets, for the checks counted row by row; empty for the others.
std::string failing_condition(const PlannedCheck& check, const std::string& column) {
  const auto& rule = check.rule_def;
  switch (check.kind) {
    case CheckKind::type:
      return fmt::format("NOT meshctl_fits({}, {})", quote_literal(*check.field_def->type), column);
    case CheckKind::required: return fmt::format("{0} IS NULL OR {0} = ''", column);
    case CheckKind::not_null: return fmt::format("{} IS NULL", column);
    case CheckKind::allowed:
      return fmt::format("{0} IS NOT NULL AND NOT meshctl_allowed({1}, {0})", column,
                         quote_literal(allowed_json(rule ? rule->values : check.field_def->enum_values)));
    case CheckKind::range: {
      std::vector<std::string> parts;
      if (rule->min) parts.push_back(fmt::format("meshctl_number({}) < {}", column, literal_of(*rule->min)));
      if (rule->max) parts.push_back(fmt::format("meshctl_number({}) > {}", column, literal_of(*rule->max)));
      return fmt::format("{}", fmt::join(parts, " OR "));
    }
    case CheckKind::pattern:
      return fmt::format("{0} IS NOT NULL AND NOT meshctl_search({1}, {0})", column, quote_literal(*rule->pattern));
    default: return "";
  }
}

nlohmann::ordered_json column_json(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER: return sqlite3_column_int64(statement, column);
    case SQLITE_FLOAT: return sqlite3_column_double(statement, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
    }
    case SQLITE_BLOB: return fmt::format("<{} bytes>", sqlite3_column_bytes(statement, column));
    default: return nullptr;
  }
}

class SqliteScan {
 public:
  SqliteScan(const PortPlan& plan, const Source& source, const TestOptions& options)
      : plan_(plan), source_(source), options_(options) {}

  Result<PortOutcome> run() {
    if (auto opened = open(); !opened) return opened.error();
    if (auto read = read_columns(); !read) return read.error();
    const auto table = "main." + quote_identifier(table_);
    // One aggregate query: each check's expression once (a field's `unique` and a quality rule's share one).
    std::vector<std::string> expressions{"COUNT(*)"};
    std::map<std::string, std::size_t> index_of;
    std::vector<std::optional<std::size_t>> expression_of(plan_.checks.size());
    for (std::size_t i = 0; i < plan_.checks.size(); ++i) {
      const auto& check = plan_.checks[i];
      if (check.problem) continue;
      std::string expression;
      if (check.kind == CheckKind::row_count) {
        expression = "COUNT(*)";
      } else if (check.field_def != nullptr) {
        const auto column = column_of(check.field);
        if (!column) continue;
        if (check.kind == CheckKind::unique) {
          expression = fmt::format("COUNT({0}) - COUNT(DISTINCT {0})", *column);
        } else if (check.kind == CheckKind::freshness) {
          expression = fmt::format("MAX(meshctl_epoch({}))", *column);
        } else if (auto condition = failing_condition(check, *column); !condition.empty()) {
          expression = fmt::format("COUNT(*) FILTER (WHERE {})", condition);
        }
      }
      if (expression.empty()) continue;
      auto [found, added] = index_of.emplace(expression, expressions.size());
      if (added) expressions.push_back(expression);
      expression_of[i] = found->second;
    }
    const auto scan = fmt::format("SELECT {} FROM {}", fmt::join(expressions, ", "), table);
    // The scan and the samples read one snapshot.
    if (sqlite3_exec(db_.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return source_unreachable(source_, sqlite_message(db_.get()));
    }
    bool has_sql_rules = false;
    std::vector<nlohmann::json> values;
    if (auto ran = aggregate(scan, expressions.size(), values); !ran) return ran.error();
    const std::int64_t rows = values[0].get<std::int64_t>();

    PortOutcome outcome{PortScan{plan_.name, source_.display, rows, scan}, {}};
    for (std::size_t i = 0; i < plan_.checks.size(); ++i) {
      const auto& check = plan_.checks[i];
      CheckResult result = result_for(check, plan_, CheckStatus::passed);
      if (expression_of[i]) result.query = expressions[*expression_of[i]];
      const auto column = check.field_def ? column_of(check.field) : std::nullopt;
      if (check.problem) {
        result.status = CheckStatus::error;
      } else if (check.kind == CheckKind::exists) {
        result.status = column ? CheckStatus::passed : CheckStatus::failed;
        result.query = fmt::format("SELECT name, type FROM pragma_table_info({}, 'main')", quote_literal(table_));
        result.message = describe(check, result);
      } else if (check.kind == CheckKind::undeclared) {
        undeclared(result);
        result.query = fmt::format("SELECT name, type FROM pragma_table_info({}, 'main')", quote_literal(table_));
      } else if (check.kind == CheckKind::sql) {
        has_sql_rules = true;
        outcome.checks.emplace_back();  // filled in below, once the aggregate's transaction is over
        continue;
      } else if (check.kind == CheckKind::row_count) {
        const auto& rule = *check.rule_def;
        const bool ok = !(rule.min && static_cast<double>(rows) < number_value(*rule.min)) &&
                        !(rule.max && static_cast<double>(rows) > number_value(*rule.max));
        result.status = ok ? CheckStatus::passed : CheckStatus::failed;
        result.observed = rows;
        result.total_rows = rows;
        result.message = describe(check, result);
      } else if (check.field_def != nullptr && !column) {
        result.status = CheckStatus::skipped;
        result.message = fmt::format("no column '{}' in the table (see {}/{}/exists)", check.field, plan_.name,
                                     check.field);
      } else if (check.kind == CheckKind::freshness) {
        freshness(check, values[*expression_of[i]], rows, result);
      } else {
        const auto failed = values[*expression_of[i]].get<std::int64_t>();
        result.failed_rows = failed;
        result.total_rows = rows;
        result.status = failed > 0 ? CheckStatus::failed : CheckStatus::passed;
        if (failed > 0) {
          if (auto sampled = samples(check, *column, result); !sampled) return sampled.error();
        }
        result.message = describe(check, result);
        if (check.kind == CheckKind::type) column_type(check, result);
      }
      outcome.checks.push_back(std::move(result));
    }
    sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr);
    if (has_sql_rules) {
      if (auto aliased = alias_port_table(db_.get(), plan_, table_); !aliased) {
        return source_unreachable(source_, aliased.error().message);
      }
      // Every check has its result at its own index: the sql rules' placeholders are replaced.
      for (std::size_t i = 0; i < plan_.checks.size(); ++i) {
        if (plan_.checks[i].kind == CheckKind::sql && !plan_.checks[i].problem) {
          outcome.checks[i] = run_sql_rule(db_.get(), plan_.checks[i], plan_);
        }
      }
    }
    return outcome;
  }

 private:
  Status open() {
    std::error_code error;
    if (!std::filesystem::is_regular_file(source_.target, error)) {
      return source_unreachable(source_, std::filesystem::exists(source_.target, error) ? "not a regular file"
                                                                                 : "no such file");
    }
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(source_.target.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    db_.reset(raw);
    if (opened != SQLITE_OK) return source_unreachable(source_, sqlite_message(raw));
    sqlite3_busy_timeout(raw, 5000);
    return register_functions(raw);
  }

  Status read_columns() {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), "SELECT name, type FROM pragma_table_info(?1, 'main')", -1, &raw, nullptr) !=
        SQLITE_OK) {
      return source_unreachable(source_, sqlite_message(db_.get()));
    }
    Statement statement(raw);
    sqlite3_bind_text(raw, 1, source_.table.c_str(), -1, SQLITE_TRANSIENT);
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
      const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
      const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(raw, 1));
      columns_.push_back(Column{name ? name : "", type ? type : ""});
    }
    if (step != SQLITE_DONE) return source_unreachable(source_, sqlite_message(db_.get()));
    if (columns_.empty()) return source_unreachable(source_, fmt::format("the database has no table '{}'", source_.table));
    table_ = source_.table;
    return ok_status();
  }

  const Column* find_column(std::string_view field) const {
    for (const auto& column : columns_) {
      if (same_name(column.name, field)) return &column;
    }
    return nullptr;
  }

  std::optional<std::string> column_of(std::string_view field) const {
    const auto* column = find_column(field);
    if (column == nullptr) return std::nullopt;
    return quote_identifier(column->name);
  }

  Status aggregate(const std::string& sql, std::size_t count, std::vector<nlohmann::json>& values) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      return source_unreachable(source_, sqlite_message(db_.get()));
    }
    Statement statement(raw);
    if (sqlite3_step(raw) != SQLITE_ROW) return source_unreachable(source_, sqlite_message(db_.get()));
    for (std::size_t i = 0; i < count; ++i) {
      const int column = static_cast<int>(i);
      values.push_back(sqlite3_column_type(raw, column) == SQLITE_NULL
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(sqlite3_column_int64(raw, column)));
    }
    return ok_status();
  }

  Status samples(const PlannedCheck& check, const std::string& column, CheckResult& result) {
    std::vector<std::string> selected;
    std::vector<bool> masked;
    std::vector<std::string> names;
    for (const auto* field : plan_.fields) {
      if (const auto* found = find_column(*field->name)) {
        selected.push_back(quote_identifier(found->name));
        masked.push_back(field->pii.value_or(false));
        names.push_back(*field->name);
      }
    }
    const auto table = "main." + quote_identifier(table_);
    const auto condition =
        check.kind == CheckKind::unique
            ? fmt::format("{0} IN (SELECT {0} FROM {1} WHERE {0} IS NOT NULL GROUP BY {0} HAVING COUNT(*) > 1)",
                          column, table)
            : failing_condition(check, column);
    result.sample_query = fmt::format("SELECT {} FROM {} WHERE {} LIMIT {}", fmt::join(selected, ", "), table,
                                      condition, options_.sample_limit);
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), result.sample_query.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      return source_unreachable(source_, sqlite_message(db_.get()));
    }
    Statement statement(raw);
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
      nlohmann::ordered_json sample = nlohmann::ordered_json::object();
      for (std::size_t c = 0; c < names.size(); ++c) {
        const int index = static_cast<int>(c);
        sample[names[c]] = masked[c] && sqlite3_column_type(raw, index) != SQLITE_NULL
                               ? nlohmann::ordered_json(kMasked)
                               : column_json(raw, index);
      }
      result.samples.push_back(std::move(sample));
    }
    if (step != SQLITE_DONE) return source_unreachable(source_, sqlite_message(db_.get()));
    return ok_status();
  }

  void undeclared(CheckResult& result) const {
    std::vector<std::string> names;
    for (const auto& column : columns_) {
      const bool declared = std::any_of(plan_.fields.begin(), plan_.fields.end(),
                                        [&](const manifest::Field* field) { return same_name(*field->name, column.name); });
      if (!declared) names.push_back(column.name);
    }
    result.status = names.empty() ? CheckStatus::passed : CheckStatus::warning;
    result.message = names.empty() ? "every column is declared in the schema"
                                   : fmt::format("columns not in the schema: {}", fmt::join(names, ", "));
    result.observed = names;
  }

  // A column whose declared type cannot hold the field's type fails the type check whatever its values.
  void column_type(const PlannedCheck& check, CheckResult& result) const {
    const auto* column = find_column(check.field);
    const auto affinity = affinity_of(column->declared);
    if (compatible(affinity, *check.field_def->type)) return;
    result.status = CheckStatus::failed;
    result.message = fmt::format("column '{}' is declared {} ({} affinity), which does not hold {} values; {}",
                                 column->name, column->declared, affinity, *check.field_def->type, result.message);
  }

  void freshness(const PlannedCheck& check, const nlohmann::json& newest, std::int64_t rows,
                 CheckResult& result) const {
    result.total_rows = rows;
    if (newest.is_null()) {
      result.status = CheckStatus::failed;
      result.message =
          fmt::format("no value of '{}' is a timestamp or a date: nothing shows the data is fresh", check.field);
      return;
    }
    const auto epoch = newest.get<std::int64_t>();
    const auto age = options_.now - epoch;
    result.observed = {{"newest", usage::format_timestamp(epoch)}, {"ageSeconds", age},
                       {"limitSeconds", *check.freshness_seconds}};
    result.status = age <= *check.freshness_seconds ? CheckStatus::passed : CheckStatus::failed;
    result.message = fmt::format("newest '{}' is {} ({} s old; the limit is {} s)", check.field,
                                 usage::format_timestamp(epoch), age, *check.freshness_seconds);
  }

  const PortPlan& plan_;
  const Source& source_;
  const TestOptions& options_;
  SqliteHandle db_;
  std::vector<Column> columns_;
  std::string table_;
};

}  // namespace

Result<PortOutcome> scan_sqlite(const PortPlan& plan, const Source& source, const TestOptions& options) {
  return SqliteScan(plan, source, options).run();
}

}  // namespace meshctl::quality
