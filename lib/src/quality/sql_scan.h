#pragma once

// A port's checks on a table of an SQL database: every check of the port in one aggregate query (one scan
// of the table), one query per failing check for its samples, then the sql rules. What differs between
// databases, the SQL of each check and which column types suit which field types, is the dialect's.

#include <optional>
#include <string>
#include <string_view>

#include "meshctl/quality/sql_table.h"
#include "quality/engines.h"
#include "quality/plan.h"

namespace meshctl::quality {

class SqlDialect {
 public:
  virtual ~SqlDialect() = default;
  // Whether `column` is the column of the field named `field` (SQLite ignores case; PostgreSQL does not).
  virtual bool same_name(std::string_view column, std::string_view field) const = 0;
  // Why a column of this declared type cannot hold values of the field's `type` ("declared TEXT (TEXT
  // affinity)"), or nullopt when it can.
  virtual std::optional<std::string> incompatible(const SqlColumn& column, std::string_view type) const = 0;
  // The condition a failing row meets, for the checks counted row by row: type, required, not_null,
  // allowed, range, pattern. `quoted` is the column's quoted name.
  virtual std::string failing_condition(const PlannedCheck& check, const SqlColumn& column,
                                        const std::string& quoted) const = 0;
  // COUNT(x) - COUNT(DISTINCT x), for a type whose values the database can compare.
  virtual std::string repeats_expression(const SqlColumn& column, const std::string& quoted) const = 0;
  // An aggregate giving the newest value: seconds since the epoch, or text that epoch_of_text reads.
  virtual std::string newest_expression(const SqlColumn& column, const std::string& quoted) const = 0;
  // What nested check plan.checks[index] computes for one row from `quoted`, the column holding its top-level
  // field (exists: 1 when the row has the field; unique: the value or NULL; freshness: the newest epoch or
  // NULL; the others: 1 when the row fails), or "" when the dialect does not check nested fields.
  virtual std::string nested_value(std::size_t index, const std::string& quoted) const = 0;
  // The query that lists the columns, shown as what the exists and undeclared checks ran.
  virtual std::string columns_query(const Source& source) const = 0;
};

std::string quote_identifier(std::string_view name);
std::string quote_literal(std::string_view text);

// Runs the plan on `table`. REQUIRES: table.columns() is not empty (the caller says which table is missing).
Result<PortOutcome> scan_sql_table(const PortPlan& plan, const Source& source, const TestOptions& options,
                                   SqlTable& table, const std::vector<SqlColumn>& columns, const SqlDialect& dialect);

// The result of a sql rule from the number its query returned (or why it could not run).
CheckResult sql_rule_result(const PlannedCheck& check, const PortPlan& plan, const Result<nlohmann::json>& value);

// The names the port's table is readable under in sql rules: the port's name, and with '-' written '_'.
std::vector<std::string> port_table_names(const PortPlan& plan);

}  // namespace meshctl::quality
