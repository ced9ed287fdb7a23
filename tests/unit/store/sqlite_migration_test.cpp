// A registry written at every earlier schema version of the SQLite store,
// opened by today's meshctl: its rows survive and its schema is current.

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "meshctl/registry/local_registry.h"
#include "meshctl/store/maintenance.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "registry/migration_fixture.h"
#include "registry/raw_sqlite.h"
#include "registry/temporary_folder.h"
#include "store/sqlite/sqlite_identity.h"
#include "store/sqlite/sqlite_schema.h"

namespace meshctl::registry {
namespace {

std::int64_t sqlite_integer(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  const auto value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

TEST_CASE("SqliteStore migrates a registry from every earlier schema version", "[registry][sqlite][migration]") {
  const int latest = sqlite_schema_version();
  REQUIRE(latest >= 2);
  // Every version the store has a migration to (numbers reserved for other branches are skipped).
  for (const auto& earlier : sqlite_schema::migrations()) {
    const int version = earlier.version;
    if (version >= latest) continue;
    DYNAMIC_SECTION("from schema version " << version) {
      testing::TemporaryFolder folder;
      const auto path = folder.path() / "old.db";
      // The file as the meshctl of that version left it: its migrations, no application id.
      std::string sql = "CREATE TABLE schema_version (version INTEGER NOT NULL);";
      for (const auto& migration : sqlite_schema::migrations()) {
        if (migration.version <= version) sql += std::string(migration.sql);
      }
      sql += testing::rows_at_schema_version(version);
      testing::execute_raw_sql(path, sql);

      auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
      if (!registry.ok()) FAIL(registry.error().message);
      testing::check_rows_survived(**registry, version);
      registry->reset();
      CHECK(sqlite_integer(path, "SELECT max(version) FROM schema_version") == latest);
      CHECK(sqlite_integer(path, "SELECT count(*) FROM schema_version") == 1);
      CHECK(sqlite_integer(path, "PRAGMA application_id") == kRegistryApplicationId);
      auto report = check_registry("sqlite:" + path.string(), std::chrono::milliseconds{5000});
      REQUIRE(report.ok());
      for (const auto& problem : report->problems) FAIL_CHECK(problem.check + ": " + problem.message);
    }
  }
}

}  // namespace
}  // namespace meshctl::registry
