// A registry written at every earlier schema version of the PostgreSQL store,
// opened by today's meshctl: its rows survive and its schema is current. And
// a schema that holds another application's tables is never written.

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "meshctl/registry/local_registry.h"
#include "meshctl/store/maintenance.h"
#include "meshctl/store/postgres/postgres_store.h"
#include "registry/migration_fixture.h"
#include "registry/postgres_test_database.h"
#include "store/postgres/postgres_schema.h"

namespace meshctl::registry {
namespace {

void run_postgres_sql(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::work work(connection);
  work.exec(sql);
  work.commit();
}

std::int64_t postgres_integer(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::work work(connection);
  return work.exec1(sql)[0].as<std::int64_t>();
}

TEST_CASE("PostgresStore migrates a registry from every earlier schema version", "[registry][postgres][migration]") {
  REQUIRE_POSTGRES(server);
  const int latest = postgres_schema_version();
  REQUIRE(latest >= 2);
  // Every version the store has a migration to (numbers reserved for other branches are skipped).
  for (const auto& earlier : postgres_schema::migrations()) {
    const int version = earlier.version;
    if (version >= latest) continue;
    DYNAMIC_SECTION("from schema version " << version) {
      const auto url = testing::fresh_schema_url(*server);
      std::string sql = "CREATE TABLE schema_version (version INTEGER NOT NULL);";
      for (const auto& migration : postgres_schema::migrations()) {
        if (migration.version <= version) sql += std::string(migration.sql);
      }
      run_postgres_sql(url, sql + testing::rows_at_schema_version(version));

      auto store = PostgresStore::open(url);
      if (!store.ok()) FAIL(store.error().message);
      auto registry = LocalRegistry::over(std::move(*store), "tester", testing::test_clock());
      testing::check_rows_survived(*registry, version);
      registry.reset();
      CHECK(postgres_integer(url, "SELECT max(version) FROM schema_version") == latest);
      CHECK(postgres_integer(url, "SELECT count(*) FROM schema_version") == 1);
      auto report = check_registry(url, std::chrono::milliseconds{5000});
      REQUIRE(report.ok());
      for (const auto& problem : report->problems) FAIL_CHECK(problem.check + ": " + problem.message);
    }
  }
}

TEST_CASE("PostgresStore never adds its tables to a schema that holds another application's",
          "[registry][postgres][faults]") {
  REQUIRE_POSTGRES(server);
  const auto url = testing::fresh_schema_url(*server);
  SECTION("any tables") {
    run_postgres_sql(url, "CREATE TABLE accounts (id INTEGER); CREATE TABLE orders (id INTEGER)");
  }
  SECTION("a schema_version table that is not meshctl's") {
    run_postgres_sql(url, "CREATE TABLE schema_version (installed_rank INTEGER, version TEXT, checksum INTEGER)");
  }
  const auto tables_before =
      postgres_integer(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
  auto store = PostgresStore::open(url);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().kind == ErrorKind::unavailable);
  CHECK(store.error().message.find("is not a meshctl registry: it holds table") != std::string::npos);
  CHECK(postgres_integer(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()") ==
        tables_before);
}

TEST_CASE("registry check on PostgreSQL finds a manifest changed outside meshctl",
          "[registry][postgres][maintenance]") {
  REQUIRE_POSTGRES(server);
  const auto url = testing::fresh_schema_url(*server);
  {
    auto store = PostgresStore::open(url);
    REQUIRE(store.ok());
    auto registry = LocalRegistry::over(std::move(*store), "tester", testing::test_clock());
    REQUIRE(registry->publish(testing::make_manifest("sales", "orders", "1.0.0"), PublishMode::apply).ok());
  }
  auto clean = check_registry(url, std::chrono::milliseconds{5000});
  REQUIRE(clean.ok());
  CHECK(clean->problems.empty());
  CHECK(clean->versions == 1);
  run_postgres_sql(url, "UPDATE versions SET manifest = manifest || ' '");
  auto tampered = check_registry(url, std::chrono::milliseconds{5000});
  REQUIRE(tampered.ok());
  REQUIRE(tampered->problems.size() == 1);
  CHECK(tampered->problems[0].check == "content-hash");
}

}  // namespace
}  // namespace meshctl::registry
