// The PostgreSQL store's transaction: quality runs (`meshctl test --publish`), the statements of the
// SQLite store (sqlite_quality.cpp) in PostgreSQL's spelling.

#include <fmt/format.h>

#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {

Result<std::int64_t> PostgresTransaction::insert_quality_run(const QualityRun& run) {
  const auto what = fmt::format("recording a quality run of {}@{}", run.ref.text(), run.version);
  if (auto status = require_write(what); !status.ok()) return status.error();
  return guarded(connection_, what, [&]() -> Result<std::int64_t> {
    const auto rows = execute(
        "INSERT INTO quality_runs (domain, name, version, port, time, actor, passed, failed, warning, error, "
        "skipped, checks) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        {run.ref.domain, run.ref.name, run.version, run.port, run.time, run.actor, std::to_string(run.counts.passed),
         std::to_string(run.counts.failed), std::to_string(run.counts.warning), std::to_string(run.counts.error),
         std::to_string(run.counts.skipped), run.checks_json});
    return integer(rows[0], 0);
  });
}

Result<std::vector<QualityRun>> PostgresTransaction::quality_runs(const ProductRef& ref,
                                                                  const QualitySelection& selection) {
  using Runs = std::vector<QualityRun>;
  return guarded(connection_, fmt::format("reading the quality runs of {}", ref.text()), [&]() -> Result<Runs> {
    // A filter not given is NULL, and holds.
    const std::string filters =
        "domain = $1 AND name = $2 AND ($3::text IS NULL OR version = $3::text) "
        "AND ($4::text IS NULL OR port = $4::text)";
    std::string sql = fmt::format(
        "SELECT id, domain, name, version, port, time, actor, passed, failed, warning, error, skipped, {} "
        "FROM quality_runs WHERE {}",
        selection.with_checks ? "checks" : "''", filters);
    if (selection.latest_per_port) {
      sql += fmt::format(" AND id IN (SELECT max(id) FROM quality_runs WHERE {} GROUP BY version, port)", filters);
    }
    sql += " ORDER BY id DESC LIMIT $5";
    const auto rows =
        execute(sql, {ref.domain, ref.name, selection.version, selection.port, std::to_string(selection.limit)});
    Runs runs;
    for (const auto& row : rows) {
      QualityRun run;
      run.id = integer(row, 0);
      run.ref = {text(row, 1), text(row, 2)};
      run.version = text(row, 3);
      run.port = text(row, 4);
      run.time = text(row, 5);
      run.actor = text(row, 6);
      run.counts = {integer(row, 7), integer(row, 8), integer(row, 9), integer(row, 10), integer(row, 11)};
      run.checks_json = text(row, 12);
      runs.push_back(std::move(run));
    }
    return runs;
  });
}

}  // namespace meshctl::registry
