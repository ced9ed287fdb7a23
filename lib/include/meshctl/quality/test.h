#pragma once

// `meshctl test`: a data product's schema and quality rules checked against the real data of its output ports.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"
#include "meshctl/quality/source.h"

namespace meshctl::quality {

enum class CheckStatus {
  passed,
  failed,   // the data breaks the check
  warning,  // worth knowing, fails nothing (columns the schema does not declare)
  error,    // the check could not run as written (a refused sql query, a pattern RE2 cannot compile)
  skipped,  // nothing to check (a check on a column the data lacks: its `exists` check fails instead)
};
const char* to_string(CheckStatus status);

// One check of one port. Checks come from the schema (per field: exists, type, required, unique, enum; per
// port: undeclared columns, and for files well_formed rows) and from the port's quality rules, in that order.
struct CheckResult {
  std::string id;     // "PORT/FIELD/RULE" for schema checks, "PORT/quality[N]/RULE" for quality rules
  std::string port;
  std::string field;  // empty for checks of the whole port (row_count, sql, undeclared columns)
  std::string rule;   // exists, type, required, unique, enum, undeclared, well_formed, or the quality rule's kind
  CheckStatus status = CheckStatus::passed;
  // SQL sources: the SQL that computed the check (an expression of the port's one scan, or the sql rule's
  // query). Files: what the one pass over the file tested.
  std::string query;
  std::string sample_query;  // SQL sources: the query that fetched `samples`, when it ran
  std::optional<std::int64_t> failed_rows;
  std::optional<std::int64_t> total_rows;
  nlohmann::json observed;  // what was measured when it is not a row count: row_count, freshness, sql
  // Up to TestOptions::sample_limit failing rows: the schema's fields (PII fields masked as "***"), with
  // "_row" (the record's number in a file) when known.
  std::vector<nlohmann::ordered_json> samples;
  std::string message;  // one line for people
};

// How one port was read: its source and the one scan that computed its checks.
struct PortScan {
  std::string port;
  std::string source;  // the source as shown (no password)
  std::int64_t rows = 0;
  std::string scan;  // SQL sources: the statement of the scan; files: "one pass over ..."
};

struct TestRun {
  std::string product;  // domain/name
  std::string version;
  std::vector<PortScan> ports;
  std::vector<CheckResult> checks;
};

struct CheckCounts {
  std::size_t passed = 0, failed = 0, warning = 0, error = 0, skipped = 0;
};
CheckCounts count(const TestRun& run);

struct TestOptions {
  // The output ports to test, each with its source. Ports not in the map are not tested.
  std::map<std::string, Source> sources;
  // "Now" in seconds since the Unix epoch, for freshness.
  std::int64_t now = 0;
  std::size_t sample_limit = 5;
  // Memory each unique check of a file may hold before it spills to temporary files (the count stays exact).
  std::size_t distinct_memory_bytes = std::size_t{64} << 20;
  // Called with the port's name and the rows read so far, every 65,536 rows of a port's scan (not for
  // the queries of sql rules against a database). Default: none.
  std::function<void(const std::string& port, std::int64_t rows_read)> progress;
  // How long one sql rule's query may run (0: no bound): past it the query is stopped and the check is an
  // error. A query is the one thing a manifest can make run forever (a recursive WITH, pg_sleep).
  std::int64_t rule_timeout_seconds = 300;
};

// Runs every check of every port in options.sources. Checks that fail are results, not errors.
// Errors: ErrorKind::unavailable, naming the source (never its password), when a source cannot be read
// (a missing file, a table that is not there, a database that cannot be opened); invalid when a port named
// in options.sources is not an output port of `product`.
// Default: an SQLite source is read in one scan per port (one more query per failing check, for samples);
// a file is read once, in constant memory.
Result<TestRun> run_tests(const manifest::DataProduct& product, const TestOptions& options);

}  // namespace meshctl::quality
