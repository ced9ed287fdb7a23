#include "store/sqlite/sqlite_quality.h"

#include <fmt/format.h>

namespace meshctl::registry::sqlite_quality {

Result<std::int64_t> insert_quality_run(SqliteStore::Connection& connection, TransactionMode mode,
                                        const QualityRun& run) {
  const auto what = fmt::format("recording a quality run of {}@{}", run.ref.text(), run.version);
  if (mode != TransactionMode::write) {
    return make_error(ErrorKind::invalid, fmt::format("{}: a read transaction cannot write", what));
  }
  auto statement = connection.prepare(
      "INSERT INTO quality_runs (domain, name, version, port, time, actor, passed, failed, warning, error, skipped, "
      "checks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, run.ref.domain).bind(2, run.ref.name).bind(3, run.version).bind(4, run.port);
  row.bind(5, run.time).bind(6, run.actor).bind(7, run.counts.passed).bind(8, run.counts.failed);
  row.bind(9, run.counts.warning).bind(10, run.counts.error).bind(11, run.counts.skipped);
  row.bind(12, run.checks_json);
  if (const int code = row.step(); code != SQLITE_DONE) {
    return connection.error(sqlite3_extended_errcode(connection.db), what);
  }
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(connection.db));
}

Result<std::vector<QualityRun>> quality_runs(SqliteStore::Connection& connection, const ProductRef& ref,
                                             const QualitySelection& selection) {
  // Only the filters given become conditions, so each combination is its own (cached) statement.
  std::string filters = " AND domain = ? AND name = ?";
  std::vector<std::string> texts = {ref.domain, ref.name};
  if (selection.version) {
    filters += " AND version = ?";
    texts.push_back(*selection.version);
  }
  if (selection.port) {
    filters += " AND port = ?";
    texts.push_back(*selection.port);
  }
  std::string sql = fmt::format(
      "SELECT id, domain, name, version, port, time, actor, passed, failed, warning, error, skipped, {} "
      "FROM quality_runs WHERE 1 = 1{}",
      selection.with_checks ? "checks" : "''", filters);
  std::vector<std::string> bound = texts;
  if (selection.latest_per_port) {
    sql += fmt::format(" AND id IN (SELECT max(id) FROM quality_runs WHERE 1 = 1{} GROUP BY version, port)", filters);
    bound.insert(bound.end(), texts.begin(), texts.end());
  }
  sql += " ORDER BY id DESC LIMIT ?";
  auto statement = connection.prepare(sql);
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  int index = 0;
  for (const auto& text : bound) row.bind(++index, text);
  row.bind(++index, static_cast<std::int64_t>(selection.limit));
  std::vector<QualityRun> runs;
  int code = 0;
  while ((code = row.step()) == SQLITE_ROW) {
    QualityRun run;
    run.id = row.integer(0);
    run.ref = {row.text(1), row.text(2)};
    run.version = row.text(3);
    run.port = row.text(4);
    run.time = row.text(5);
    run.actor = row.text(6);
    run.counts = {row.integer(7), row.integer(8), row.integer(9), row.integer(10), row.integer(11)};
    run.checks_json = row.text(12);
    runs.push_back(std::move(run));
  }
  if (code != SQLITE_DONE) return connection.error(code, fmt::format("reading the quality runs of {}", ref.text()));
  return runs;
}

}  // namespace meshctl::registry::sqlite_quality
