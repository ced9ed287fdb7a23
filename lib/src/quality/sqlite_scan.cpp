// SQLite sources: the table read through a read-only connection, the checks in SQLite's SQL with meshctl's
// functions (sql_rule.h), so values are judged by the same code as in files.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "quality/engines.h"
#include "quality/sql_rule.h"
#include "quality/sql_scan.h"

namespace meshctl::quality {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
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

std::string allowed_json(const std::vector<manifest::Scalar>& values) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& value : values) {
    std::visit([&](const auto& scalar) { list.push_back(scalar); }, value);
  }
  return list.dump();
}

class SqliteDialect final : public SqlDialect {
 public:
  bool same_name(std::string_view column, std::string_view field) const override {
    return upper(column) == upper(field);
  }

  // A column without a declared type holds anything.
  std::optional<std::string> incompatible(const SqlColumn& column, std::string_view type) const override {
    const auto affinity = affinity_of(column.type);
    if (affinity == "NONE") return std::nullopt;
    auto one_of = [&](std::initializer_list<const char*> affinities) {
      return std::any_of(affinities.begin(), affinities.end(), [&](const char* a) { return affinity == a; });
    };
    bool fits = true;
    if (type == "string") {
      fits = one_of({"TEXT"});
    } else if (type == "integer" || type == "long" || type == "boolean") {
      fits = one_of({"INTEGER", "NUMERIC"});
    } else if (type == "float" || type == "double") {
      fits = one_of({"REAL", "NUMERIC"});
    } else if (type == "decimal") {
      fits = one_of({"NUMERIC", "REAL", "INTEGER", "TEXT"});
    } else if (type == "date" || type == "timestamp") {
      fits = one_of({"TEXT", "NUMERIC"});
    } else if (type == "bytes") {
      fits = one_of({"BLOB", "TEXT"});
    } else if (type == "array" || type == "object") {
      fits = one_of({"TEXT", "BLOB"});
    }
    if (fits) return std::nullopt;
    return fmt::format("declared {} ({} affinity)", column.type, affinity);
  }

  std::string failing_condition(const PlannedCheck& check, const SqlColumn&,
                                const std::string& column) const override {
    const auto* rule = check.rule_def;
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
        if (rule->min) parts.push_back(fmt::format("meshctl_number({}) < {}", column, number_text(*rule->min)));
        if (rule->max) parts.push_back(fmt::format("meshctl_number({}) > {}", column, number_text(*rule->max)));
        return fmt::format("{}", fmt::join(parts, " OR "));
      }
      case CheckKind::pattern:
        return fmt::format("{0} IS NOT NULL AND NOT meshctl_search({1}, {0})", column, quote_literal(*rule->pattern));
      default: return "";
    }
  }

  std::string repeats_expression(const SqlColumn&, const std::string& column) const override {
    return fmt::format("COUNT({0}) - COUNT(DISTINCT {0})", column);
  }

  std::string newest_expression(const SqlColumn&, const std::string& column) const override {
    return fmt::format("MAX(meshctl_epoch({}))", column);
  }

  std::string nested_value(std::size_t index, const std::string& column) const override {
    return fmt::format("meshctl_nested({}, {})", index, column);
  }

  std::string columns_query(const Source& source) const override {
    return fmt::format("SELECT name, type FROM pragma_table_info({}, 'main')", quote_literal(source.table));
  }
};

nlohmann::json cell_of(sqlite3_stmt* statement, int column) {
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

// A table of an SQLite file opened read-only. The scan's queries share one read transaction; sql rules
// run after it, each in its own (sqlite_rule_value).
class SqliteTable final : public SqlTable {
 public:
  SqliteTable(SqliteHandle db, std::string table) : db_(std::move(db)), table_(std::move(table)) {}
  ~SqliteTable() override { end_snapshot(); }

  Result<std::vector<SqlColumn>> columns() override {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), "SELECT name, type FROM pragma_table_info(?1, 'main')", -1, &raw, nullptr) !=
        SQLITE_OK) {
      return failure();
    }
    Statement statement(raw);
    sqlite3_bind_text(raw, 1, table_.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<SqlColumn> out;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(raw)) == SQLITE_ROW) {
      const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
      const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(raw, 1));
      out.push_back(SqlColumn{name ? name : "", type ? type : ""});
    }
    if (step != SQLITE_DONE) return failure();
    return out;
  }

  std::string reference() const override { return "main." + quote_identifier(table_); }

  Result<std::vector<std::vector<nlohmann::json>>> query(const std::string& sql, std::size_t limit) override {
    if (!in_snapshot_) {
      if (sqlite3_exec(db_.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) return failure();
      in_snapshot_ = true;
    }
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) return failure();
    Statement statement(raw);
    std::vector<std::vector<nlohmann::json>> rows;
    int step = SQLITE_ROW;
    while (rows.size() < limit && (step = sqlite3_step(raw)) == SQLITE_ROW) {
      std::vector<nlohmann::json> row;
      for (int c = 0; c < sqlite3_column_count(raw); ++c) row.push_back(cell_of(raw, c));
      rows.push_back(std::move(row));
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE) return failure();
    return rows;
  }

  Result<nlohmann::json> rule_value(const std::string& sql, const std::vector<std::string>& names,
                                    std::int64_t timeout_seconds) override {
    end_snapshot();
    if (auto aliased = alias_table(db_.get(), names, table_); !aliased) {
      return make_error(ErrorKind::unavailable, aliased.error().message);
    }
    return sqlite_rule_value(db_.get(), sql, timeout_seconds);
  }

 private:
  Error failure() const { return make_error(ErrorKind::unavailable, sqlite_message(db_.get())); }
  void end_snapshot() {
    if (in_snapshot_) sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr);
    in_snapshot_ = false;
  }

  SqliteHandle db_;
  std::string table_;
  bool in_snapshot_ = false;
};

}  // namespace

Result<PortOutcome> scan_sqlite(const PortPlan& plan, const Source& source, const TestOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(source.target, error)) {
    return source_unreachable(source,
                              std::filesystem::exists(source.target, error) ? "not a regular file" : "no such file");
  }
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(source.target.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  SqliteHandle db(raw);
  if (opened != SQLITE_OK) return source_unreachable(source, sqlite_message(raw));
  sqlite3_busy_timeout(raw, 5000);
  if (auto registered = register_functions(raw); !registered) return source_unreachable(source, registered.error().message);
  if (auto registered = register_nested_function(raw, plan); !registered) {
    return source_unreachable(source, registered.error().message);
  }
  SqliteTable table(std::move(db), source.table);
  auto columns = table.columns();
  if (!columns) return source_unreachable(source, columns.error().message);
  if (columns->empty()) return source_unreachable(source, fmt::format("the database has no table '{}'", source.table));
  const SqliteDialect dialect;
  return scan_sql_table(plan, source, options, table, *columns, dialect);
}

}  // namespace meshctl::quality
