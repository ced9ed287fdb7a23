#pragma once

// The checks of a port computed row by row, in one pass over a file (CSV or JSON Lines), in bounded memory.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/quality/test.h"
#include "quality/plan.h"
#include "quality/values.h"

namespace meshctl::quality {

class DistinctCounter;
class SqlMirror;

class RowChecker {
 public:
  // `scan` describes the pass ("one pass over csv:orders.csv"): each check's query says what it tested in it.
  RowChecker(const PortPlan& plan, const TestOptions& options, std::string scan);
  ~RowChecker();

  // The data has a column for plan.fields[index] (CSV: in the header; JSON Lines: a key of some object).
  void mark_present(std::size_t index);
  // A column the schema does not declare (kept up to a limit, counted beyond it).
  void add_undeclared(std::string_view column);
  // A record that is not well formed (a CSV row whose field count differs from the header's, a JSON Lines
  // line that is not an object): counted and sampled by the port's well_formed check, not checked further.
  void add_malformed(std::int64_t row, std::string problem);

  // Starts the mirror of sql rules when the plan has any (a temporary SQLite database the rows go into).
  Status start();
  // One row: `cells[i]` is the value of plan.fields[i]. `row` numbers records from 1.
  Status add_row(const std::vector<Value>& cells, std::int64_t row);
  // Every check's result, in the plan's order (well_formed after the undeclared columns).
  Result<std::vector<CheckResult>> finish();

 private:
  struct State;
  struct Counter;

  // The JSON of cells[cell] in row `row` (parsed once per row when it is text), for nested checks.
  const nlohmann::json* root_of(std::size_t cell, const Value& value, std::int64_t row);
  // Whether `text` (nullopt: nothing to count) repeats a value `counter` saw before, counted once per row.
  Result<bool> repeats_value(Counter& counter, std::optional<std::string_view> text, std::int64_t row);
  // Why `check` is skipped: its column is not in the data, or no record has its field (or a parent of it).
  std::optional<std::string> missing_field(const PlannedCheck& check) const;

  const PortPlan& plan_;
  const TestOptions& options_;
  std::string scan_;
  std::vector<std::unique_ptr<State>> states_;  // one per plan_.checks
  std::vector<bool> present_;
  std::set<std::string> seen_;  // nested fields some record has
  std::vector<nlohmann::json> parsed_;  // per top-level field: its JSON text parsed, for nested checks
  std::vector<std::int64_t> parsed_row_;
  std::set<std::string> undeclared_;
  std::size_t undeclared_beyond_limit_ = 0;
  std::int64_t rows_ = 0;
  std::int64_t malformed_ = 0;
  std::vector<nlohmann::ordered_json> malformed_samples_;
  std::unique_ptr<SqlMirror> mirror_;
  // Per field path, for unique checks: the schema's `unique` and a unique rule on the field share it.
  std::map<std::string, Counter> counters_;
};

}  // namespace meshctl::quality
