#pragma once

// SQLite for `meshctl test`: handles, meshctl's SQL functions, sql rules, and the mirror that gives a file's
// rows to sql rules.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "meshctl/quality/test.h"
#include "quality/plan.h"
#include "quality/values.h"

namespace meshctl::quality {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// "name" with its double quotes doubled: an SQL identifier whatever it holds.
std::string quote_identifier(std::string_view name);
// 'text' with its quotes doubled.
std::string quote_literal(std::string_view text);

// Registers meshctl's SQL functions on `db`, the same code the file checks run:
//   meshctl_fits(TYPE, X)        1 when X is a value of the manifest type TYPE (or NULL or ''), else 0
//   meshctl_number(X)            X as a number (numbers, and text that is one), else NULL
//   meshctl_epoch(X)             seconds since the epoch of a timestamp or date (text), else NULL
//   meshctl_search(PATTERN, X)   1 when the RE2 pattern is found in X, else 0
//   meshctl_allowed(JSON, X)     1 when X is one of the values of the JSON array, else 0
Status register_functions(sqlite3* db);

// Runs one sql rule on `db` (where the port's data is the table or view named after the port) in a read-only
// transaction: the query must be one statement SQLite also judges read-only, and returns one number.
// REQUIRES: check.kind == sql and no check.problem.
CheckResult run_sql_rule(sqlite3* db, const PlannedCheck& check, const PortPlan& plan);

// Makes `table` readable as the port's name in queries, and as the name with '-' written '_' (so
// `orders-table` is also `orders_table`): temporary views, unless the table already has that name.
Status alias_port_table(sqlite3* db, const PortPlan& plan, std::string_view table);

// A temporary SQLite database holding a file's rows as table PORT (one column per declared field, typed
// after it), for the sql rules of a port read from a file. SQLite deletes the file when it is closed, and
// its page cache is bounded, so a file of any size takes bounded memory.
class SqlMirror {
 public:
  static Result<std::unique_ptr<SqlMirror>> create(const PortPlan& plan);
  Status insert(const std::vector<Value>& cells);
  // Commits the rows and makes the port's names readable.
  Status finish();
  sqlite3* db() { return db_.get(); }

 private:
  SqlMirror(const PortPlan& plan, SqliteHandle db) : plan_(plan), db_(std::move(db)) {}
  const PortPlan& plan_;
  SqliteHandle db_;
  Statement insert_;
};

// SQLite's message for `db`.
std::string sqlite_message(sqlite3* db);

}  // namespace meshctl::quality
