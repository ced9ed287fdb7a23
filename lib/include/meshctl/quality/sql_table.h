#pragma once

// A table of an SQL database as `meshctl test` reads it: what an engine (SQLite here, PostgreSQL in the
// network areas) implements so that one scan plans and runs a port's checks on it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/error.h"

namespace meshctl::quality {

struct SqlColumn {
  std::string name;
  std::string type;  // as the database declares it: "INTEGER", "character varying(20)"
};

// Every method reads; none writes. Errors are ErrorKind::unavailable (the database failed or went away),
// except where said.
class SqlTable {
 public:
  virtual ~SqlTable() = default;

  // The table's columns, in order; empty when the database has no such table.
  virtual Result<std::vector<SqlColumn>> columns() = 0;
  // The table as FROM names it ("main"."orders", "sales"."orders").
  virtual std::string reference() const = 0;
  // The rows of `sql` (at most `limit`), each cell null, a number, a boolean or a string, all read from one
  // snapshot of the database (the first call takes it).
  virtual Result<std::vector<std::vector<nlohmann::json>>> query(const std::string& sql, std::size_t limit) = 0;
  // Runs a sql rule's `query` (one SELECT, checked before) in a read-only transaction of its own, where the
  // table is also readable under each of `names` (the port's name, and with '-' written '_'): the first
  // cell of the first row, null when it returns no row. ErrorKind::invalid when the database refuses the
  // query itself (a syntax error, an unknown table, a write), with the database's reason, or when it runs
  // past `timeout_seconds` (0: no bound).
  virtual Result<nlohmann::json> rule_value(const std::string& query, const std::vector<std::string>& names,
                                            std::int64_t timeout_seconds) = 0;
};

// The error message of a sql rule's query stopped at its time limit, whatever the engine.
inline std::string rule_timeout_message(std::int64_t timeout_seconds) {
  return "the query was stopped after " + std::to_string(timeout_seconds) +
         " s, the time limit of a sql rule (meshctl test --rule-timeout)";
}

}  // namespace meshctl::quality
