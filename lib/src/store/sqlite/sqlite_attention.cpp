#include "store/sqlite/sqlite_attention.h"

namespace meshctl::registry::sqlite_attention {
namespace {

// Each freshness record of a port the latest version declares, with that port's SLO: SQLite's JSON
// functions read the one value out of the manifests of products that have freshness records, and the
// registry never decodes a manifest for it.
constexpr const char* kFreshnessSql =
    "SELECT f.domain, f.name, f.port, f.updated_at, f.reported_at, f.reported_by, "
    "json_extract(port.value, '$.slo.freshness') "
    "FROM products p JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version "
    "JOIN json_each(v.manifest, '$.spec.outputPorts') AS port "
    "JOIN freshness f ON f.domain = p.domain AND f.name = p.name AND f.port = json_extract(port.value, '$.name') "
    "WHERE p.status <> 'retired' AND EXISTS (SELECT 1 FROM freshness e WHERE e.domain = p.domain AND e.name = p.name) "
    "ORDER BY p.domain, p.name, port.key";

// The latest run of each port of each latest version (quality_runs_by_port finds it), when it failed.
constexpr const char* kFailedRunsSql =
    "SELECT q.id, q.domain, q.name, q.version, q.port, q.time, q.actor, q.passed, q.failed, q.warning, q.error, "
    "q.skipped FROM products p "
    "JOIN quality_runs q ON q.domain = p.domain AND q.name = p.name AND q.version = p.latest_version "
    "WHERE p.status <> 'retired' AND (q.failed > 0 OR q.error > 0) AND q.id = (SELECT max(r.id) FROM quality_runs r "
    "WHERE r.domain = q.domain AND r.name = q.name AND r.version = q.version AND r.port = q.port) "
    "ORDER BY p.domain, p.name, q.port";

}  // namespace

Result<AttentionInputs> attention_inputs(SqliteStore::Connection& connection) {
  AttentionInputs inputs;
  auto freshness = connection.prepare(kFreshnessSql);
  if (!freshness.ok()) return freshness.error();
  auto& port = **freshness;
  int code = 0;
  while ((code = port.step()) == SQLITE_ROW) {
    inputs.freshness.push_back({{{port.text(0), port.text(1)}, port.text(2), port.text(3), port.text(4), port.text(5)},
                                port.optional_text(6)});
  }
  if (code != SQLITE_DONE) return connection.error(code, "reading the freshness of every product");
  auto failed = connection.prepare(kFailedRunsSql);
  if (!failed.ok()) return failed.error();
  auto& row = **failed;
  while ((code = row.step()) == SQLITE_ROW) {
    QualityRun run;
    run.id = row.integer(0);
    run.ref = {row.text(1), row.text(2)};
    run.version = row.text(3);
    run.port = row.text(4);
    run.time = row.text(5);
    run.actor = row.text(6);
    run.counts = {row.integer(7), row.integer(8), row.integer(9), row.integer(10), row.integer(11)};
    inputs.failed_runs.push_back(std::move(run));
  }
  if (code != SQLITE_DONE) return connection.error(code, "reading the failed quality runs of every product");
  return inputs;
}

}  // namespace meshctl::registry::sqlite_attention
