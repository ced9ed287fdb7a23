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
#include "quality/sql_scan.h"
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

// Registers meshctl's SQL functions on `db`, the same code the file checks run:
//   meshctl_fits(TYPE, X)        1 when X is a value of the manifest type TYPE (or NULL or ''), else 0
//   meshctl_number(X)            X as a number (numbers, and text that is one), else NULL
//   meshctl_epoch(X)             seconds since the epoch of a timestamp or date (text), else NULL
//   meshctl_search(PATTERN, X)   1 when the RE2 pattern is found in X, else 0
//   meshctl_allowed(JSON, X)     1 when X is one of the values of the JSON array, else 0
Status register_functions(sqlite3* db);

// Registers meshctl_nested(N, X) on `db`: what nested check plan.checks[N] finds in a row whose column of
// the check's top-level field holds X (JSON text), as SqlDialect::nested_value says. `plan` must outlive `db`.
Status register_nested_function(sqlite3* db, const PortPlan& plan);

// Runs a sql rule's query on `db` under PRAGMA query_only, in a transaction rolled back after: the first cell
// of the first row (null for none). ErrorKind::invalid, with SQLite's reason, when the query does not run,
// is more than one statement, or is not one SQLite judges read-only.
Result<nlohmann::json> sqlite_rule_value(sqlite3* db, const std::string& query, std::int64_t timeout_seconds);

// Makes `table` readable under each of `names` in queries: temporary views, except for the table's own name.
Status alias_table(sqlite3* db, const std::vector<std::string>& names, std::string_view table);

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
