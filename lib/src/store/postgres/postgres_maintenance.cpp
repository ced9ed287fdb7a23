// check_registry on PostgreSQL (see maintenance.h). Reads only: an older
// schema is checked as it is, never migrated.

#include <fmt/format.h>

#include "meshctl/catalog/types.h"
#include "meshctl/store/check_report.h"
#include "store/postgres/postgres_connection.h"

namespace meshctl::registry {

Result<RegistryCheckReport> check_postgres_registry(const std::string& uri, std::chrono::milliseconds lock_wait) {
  auto connection = connect_postgres(uri, PostgresStoreOptions{lock_wait});
  if (!connection.ok()) return connection.error();
  auto& session = **connection;
  return guarded(session, "checking the registry", [&]() -> Result<RegistryCheckReport> {
    RegistryCheckReport report;
    report.registry = session.location;
    pqxx::read_transaction transaction(*session.db);
    if (!transaction.exec1("SELECT to_regclass('schema_version') IS NOT NULL")[0].as<bool>()) {
      return make_error(
          ErrorKind::unavailable,
          fmt::format("{} holds no meshctl registry (no schema_version table in its schema)", session.location),
          {{"registry", session.location}});
    }
    report.schema_version =
        transaction.exec1("SELECT coalesce(max(version), 0) FROM schema_version")[0].as<std::int64_t>();
    if (report.schema_version > postgres_schema_version()) {
      return make_error(ErrorKind::unavailable,
                        fmt::format("the registry {} has schema version {}, newer than this meshctl knows ({}): "
                                    "upgrade meshctl",
                                    session.location, report.schema_version, postgres_schema_version()),
                        {{"registry", session.location}});
    }
    const auto count = [&](const char* table) {
      return transaction.exec1(fmt::format("SELECT count(*) FROM {}", table))[0].as<std::int64_t>();
    };
    report.products = count("products");
    report.versions = count("versions");
    report.dependency_edges = count("dependencies");
    report.audit_events = count("audit_events");
    for (const auto& row : transaction.exec(
             "SELECT coalesce(p.domain || '/' || p.name, 'product id ' || v.product_id), v.version, v.manifest, "
             "v.content_hash FROM versions v LEFT JOIN products p ON p.id = v.product_id ORDER BY v.id")) {
      const auto manifest = row[2].as<std::string>();
      const auto recorded = row[3].as<std::string>();
      const auto actual = content_hash(manifest);
      if (actual == recorded) continue;
      report.problems.push_back(
          {"content-hash", fmt::format("{}@{}: the stored manifest hashes to {}, but {} was recorded when it was "
                                       "published: it was changed outside meshctl",
                                       row[0].as<std::string>(), row[1].as<std::string>(), actual, recorded)});
    }
    for (const auto& row : transaction.exec(
             "SELECT d.product_id, d.port, d.provider_domain || '/' || d.provider_name, c.domain || '/' || c.name "
             "FROM dependencies d LEFT JOIN products c ON c.id = d.product_id "
             "LEFT JOIN products p ON p.domain = d.provider_domain AND p.name = d.provider_name "
             "WHERE c.id IS NULL OR p.id IS NULL ORDER BY d.product_id, d.ordinal")) {
      if (row[3].is_null()) {
        report.problems.push_back(
            {"dependency-edges",
             fmt::format("an edge to {} (port '{}') belongs to product id {}, which does not exist",
                         row[2].as<std::string>(), row[1].as<std::string>(), row[0].as<std::int64_t>())});
      } else {
        report.notes.push_back(fmt::format("{} reads {} (port '{}'), which is not registered", row[3].as<std::string>(),
                                           row[2].as<std::string>(), row[1].as<std::string>()));
      }
    }
    for (const auto& row :
         transaction.exec("SELECT p.domain || '/' || p.name, p.latest_version FROM products p WHERE NOT EXISTS "
                          "(SELECT 1 FROM versions v WHERE v.product_id = p.id AND v.version = p.latest_version) "
                          "ORDER BY p.domain, p.name")) {
      report.problems.push_back({"latest-version", fmt::format("{}: its latest version {} has no stored manifest",
                                                               row[0].as<std::string>(), row[1].as<std::string>())});
    }
    report.notes.push_back(
        "audit ids are not checked for gaps on PostgreSQL: its identity sequence skips the ids of transactions "
        "that roll back; page-level integrity is PostgreSQL's (amcheck, pg_dump)");
    return report;
  });
}

}  // namespace meshctl::registry
