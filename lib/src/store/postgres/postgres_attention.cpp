// The PostgreSQL store's transaction: what the catalog's "needs attention" list is judged from, the
// statements of the SQLite store (sqlite_attention.cpp) in PostgreSQL's spelling.

#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {

Result<AttentionInputs> PostgresTransaction::attention_inputs() {
  return guarded(connection_, "reading what needs attention", [&]() -> Result<AttentionInputs> {
    AttentionInputs inputs;
    // Each freshness record of a port the latest version declares, with that port's SLO read out of the
    // manifest by PostgreSQL's JSON functions, only for products that have freshness records.
    for (const auto& row :
         execute("SELECT f.domain, f.name, f.port, f.updated_at, f.reported_at, f.reported_by, "
                 "port.value -> 'slo' ->> 'freshness' "
                 "FROM products p JOIN versions v ON v.product_id = p.id AND v.version = p.latest_version "
                 "CROSS JOIN LATERAL json_array_elements(v.manifest::json -> 'spec' -> 'outputPorts') "
                 "WITH ORDINALITY AS port(value, ordinal) "
                 "JOIN freshness f ON f.domain = p.domain AND f.name = p.name AND f.port = port.value ->> 'name' "
                 "WHERE p.status <> 'retired' "
                 "AND EXISTS (SELECT 1 FROM freshness e WHERE e.domain = p.domain AND e.name = p.name) "
                 "ORDER BY p.domain, p.name, port.ordinal",
                 {})) {
      inputs.freshness.push_back(
          {{{text(row, 0), text(row, 1)}, text(row, 2), text(row, 3), text(row, 4), text(row, 5)},
           optional_text(row, 6)});
    }
    // The latest run of each port of each latest version (quality_runs_by_port finds it), when it failed.
    for (const auto& row :
         execute("SELECT q.id, q.domain, q.name, q.version, q.port, q.time, q.actor, q.passed, q.failed, q.warning, "
                 "q.error, q.skipped FROM products p "
                 "JOIN quality_runs q ON q.domain = p.domain AND q.name = p.name AND q.version = p.latest_version "
                 "WHERE p.status <> 'retired' AND (q.failed > 0 OR q.error > 0) AND q.id = (SELECT max(r.id) "
                 "FROM quality_runs r WHERE r.domain = q.domain AND r.name = q.name AND r.version = q.version "
                 "AND r.port = q.port) ORDER BY p.domain, p.name, q.port",
                 {})) {
      QualityRun run;
      run.id = integer(row, 0);
      run.ref = {text(row, 1), text(row, 2)};
      run.version = text(row, 3);
      run.port = text(row, 4);
      run.time = text(row, 5);
      run.actor = text(row, 6);
      run.counts = {integer(row, 7), integer(row, 8), integer(row, 9), integer(row, 10), integer(row, 11)};
      inputs.failed_runs.push_back(std::move(run));
    }
    return inputs;
  });
}

}  // namespace meshctl::registry
