// registry check, backup and restore on the SQLite store.

#include "meshctl/store/maintenance.h"

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "meshctl/registry/local_registry.h"
#include "meshctl/store/sqlite/sqlite_maintenance.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "registry/migration_fixture.h"
#include "registry/raw_sqlite.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"
#include "store/sqlite/sqlite_schema.h"

namespace meshctl::registry {
namespace {

using testing::make_manifest;
using testing::TemporaryFolder;

constexpr std::chrono::milliseconds kMaintenanceWait{5000};

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A registry with two products, one reading the other, and one reading a product never registered.
void fill_registry(const std::filesystem::path& path) {
  auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
  REQUIRE(registry.ok());
  REQUIRE((*registry)->publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply).ok());
  REQUIRE((*registry)->publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply).ok());
  REQUIRE(
      (*registry)->publish(make_manifest("finance", "revenue", "1.0.0", {"sales/orders"}), PublishMode::apply).ok());
  REQUIRE((*registry)->publish(make_manifest("finance", "costs", "1.0.0"), PublishMode::apply).ok());
  registry->reset();
  // The registry refuses to publish an input port that reads nothing: such an
  // edge is one a registry from before the rule may hold, written here through the store.
  auto store = SqliteStore::open(path);
  REQUIRE(store.ok());
  auto write = (*store)->begin(TransactionMode::write);
  REQUIRE(write.ok());
  const ProductRef costs{"finance", "costs"};
  REQUIRE((*write)->replace_dependencies(costs, {{costs, "from-salaries", {"hr", "salaries"}, "^1"}}).ok());
  REQUIRE((*write)->commit().ok());
}

RegistryCheckReport report_of(const std::filesystem::path& path) {
  auto report = check_registry("sqlite:" + path.string(), kMaintenanceWait);
  if (!report.ok()) FAIL(report.error().message);
  return *report;
}

std::vector<std::string> checks_of(const RegistryCheckReport& report) {
  std::vector<std::string> names;
  for (const auto& problem : report.problems) names.push_back(problem.check);
  return names;
}

TEST_CASE("registry check passes a sound registry and counts what it holds", "[registry][maintenance]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  fill_registry(path);
  const auto before = bytes_of(path);
  const auto report = report_of(path);
  CHECK(report.problems.empty());
  CHECK(report.schema_version == sqlite_schema_version());
  CHECK(report.products == 3);
  CHECK(report.versions == 4);
  CHECK(report.dependency_edges == 2);
  CHECK(report.audit_events == 4);
  REQUIRE(report.notes.size() == 1);
  CHECK(report.notes[0] == "finance/costs reads hr/salaries (port 'from-salaries'), which is not registered");
  CHECK(bytes_of(path) == before);
}

TEST_CASE("registry check finds each kind of damage", "[registry][maintenance]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  fill_registry(path);
  SECTION("a manifest changed outside meshctl") {
    testing::execute_raw_sql(path,
                             "UPDATE versions SET manifest = replace(manifest, 'hourly', 'daily') "
                             "WHERE version = '1.1.0'");
    const auto report = report_of(path);
    REQUIRE(checks_of(report) == std::vector<std::string>{"content-hash"});
    CHECK(report.problems[0].message.starts_with("sales/orders@1.1.0: the stored manifest hashes to "));
  }
  SECTION("audit events deleted, in the middle and at the end") {
    testing::execute_raw_sql(path, "DELETE FROM audit_events WHERE id IN (2, 4)");
    const auto report = report_of(path);
    REQUIRE(checks_of(report) == std::vector<std::string>{"audit-ids", "audit-ids"});
    CHECK(report.problems[0].message == "audit event 2 is missing");
    CHECK(report.problems[1].message == "audit event 4 is missing");
  }
  SECTION("an edge whose consumer is gone, and a product without its latest version") {
    testing::execute_raw_sql(path,
                             "PRAGMA foreign_keys = OFF; "
                             "INSERT INTO dependencies VALUES (99, 0, 'in', 'sales', 'orders', ''); "
                             "DELETE FROM versions WHERE version = '1.1.0'");
    const auto report = report_of(path);
    CHECK(checks_of(report) == std::vector<std::string>{"foreign-keys", "dependency-edges", "latest-version"});
  }
  SECTION("a damaged index") {
    // writable_schema lets a test break what SQLite otherwise protects: the
    // index no longer holds the rows of its table.
    testing::execute_raw_sql(path,
                             "PRAGMA writable_schema = ON; "
                             "UPDATE sqlite_master SET sql = replace(sql, 'domain, name, id', 'name, domain, id') "
                             "WHERE name = 'audit_events_by_product'");
    const auto report = report_of(path);
    REQUIRE_FALSE(report.problems.empty());
    CHECK(report.problems[0].check == "integrity");
  }
}

TEST_CASE("registry check refuses what is not a registry, and a server or unknown location",
          "[registry][maintenance]") {
  TemporaryFolder folder;
  const auto foreign = folder.path() / "app.db";
  testing::execute_raw_sql(foreign, "CREATE TABLE accounts (id INTEGER)");
  auto report = check_registry("sqlite:" + foreign.string(), kMaintenanceWait);
  REQUIRE_FALSE(report.ok());
  CHECK(report.error().kind == ErrorKind::unavailable);
  auto missing = check_registry("sqlite:" + (folder.path() / "none.db").string(), kMaintenanceWait);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
  CHECK_FALSE(std::filesystem::exists(folder.path() / "none.db"));
  auto unknown = check_registry("https://registry.example.com", kMaintenanceWait);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == ErrorKind::invalid);
}

TEST_CASE("A backup is a checked copy; restore brings it back in place", "[registry][maintenance]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  const auto copy = folder.path() / "backup.db";
  fill_registry(path);
  REQUIRE(backup_sqlite_registry(path, copy, false, kMaintenanceWait).ok());
  CHECK(report_of(copy).problems.empty());
  CHECK(report_of(copy).versions == 4);
  CHECK_FALSE(std::filesystem::exists(copy.string() + "-wal"));

  SECTION("an existing file is kept unless overwrite") {
    const auto before = bytes_of(copy);
    auto again = backup_sqlite_registry(path, copy, false, kMaintenanceWait);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().kind == ErrorKind::conflict);
    CHECK(bytes_of(copy) == before);
    CHECK(backup_sqlite_registry(path, copy, true, kMaintenanceWait).ok());
    std::size_t leftovers = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder.path())) {
      leftovers += entry.path().filename().string().find("partial") != std::string::npos;
    }
    CHECK(leftovers == 0);
  }
  SECTION("restore replaces what changed since, atomically for an open reader") {
    {
      auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
      REQUIRE(registry.ok());
      REQUIRE((*registry)->publish(make_manifest("sales", "returns", "1.0.0"), PublishMode::apply).ok());
    }
    auto reader = LocalRegistry::open(path, "reader", testing::test_clock());
    REQUIRE(reader.ok());
    REQUIRE((*reader)->describe({"sales", "returns"}, std::nullopt).ok());
    REQUIRE(restore_sqlite_registry(path, copy, kMaintenanceWait).ok());
    // The connection opened before the restore sees the restored content.
    auto returns = (*reader)->describe({"sales", "returns"}, std::nullopt);
    REQUIRE_FALSE(returns.ok());
    CHECK(returns.error().kind == ErrorKind::not_found);
    CHECK((*reader)->describe({"sales", "orders"}, std::nullopt).ok());
    CHECK(report_of(path).problems.empty());
    CHECK(report_of(path).products == 3);
  }
  SECTION("into a new file") {
    const auto fresh = folder.path() / "fresh.db";
    REQUIRE(restore_sqlite_registry(fresh, copy, kMaintenanceWait).ok());
    CHECK(report_of(fresh).products == 3);
  }
}

TEST_CASE("restore refuses a file that is not a sound registry, and leaves the registry as it was",
          "[registry][maintenance]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  fill_registry(path);
  const auto before = bytes_of(path);
  const auto bad = folder.path() / "bad.db";
  SECTION("another application's database") {
    testing::execute_raw_sql(bad, "CREATE TABLE accounts (id INTEGER)");
  }
  SECTION("text") {
    std::ofstream(bad) << std::string(5000, 'x');
  }
  SECTION("a registry with a tampered manifest") {
    REQUIRE(backup_sqlite_registry(path, bad, false, kMaintenanceWait).ok());
    testing::execute_raw_sql(bad, "UPDATE versions SET manifest = manifest || ' '");
  }
  auto restored = restore_sqlite_registry(path, bad, kMaintenanceWait);
  REQUIRE_FALSE(restored.ok());
  CHECK(restored.error().kind == ErrorKind::invalid);
  CHECK(restored.error().message.starts_with("cannot restore from " + bad.string() + ": "));
  CHECK(bytes_of(path) == before);
}

TEST_CASE("A backup taken while another process writes is a consistent registry", "[registry][maintenance]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  fill_registry(path);
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto registry = LocalRegistry::open(path, "writer", testing::test_clock());
    REQUIRE(registry.ok());
    while (!stop) {
      const auto name = "item-" + std::to_string(written.load());
      if ((*registry)->publish(make_manifest("load", name, "1.0.0"), PublishMode::apply).ok()) ++written;
    }
  });
  while (written < 5) std::this_thread::yield();
  for (int i = 0; i < 5; ++i) {
    const auto copy = folder.path() / ("backup-" + std::to_string(i) + ".db");
    REQUIRE(backup_sqlite_registry(path, copy, false, kMaintenanceWait).ok());
    const auto report = report_of(copy);
    CHECK(report.problems.empty());
    // One product, one version and one audit event per publish: a torn copy would not add up.
    CHECK(report.products + 1 == report.versions);
    CHECK(report.audit_events == report.versions);
  }
  stop = true;
  writer.join();
}

TEST_CASE("A backup written by an older meshctl is restored and migrated", "[registry][maintenance][migration]") {
  TemporaryFolder folder;
  const auto old_backup = folder.path() / "old-backup.db";
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(old_backup.c_str(), &db) == SQLITE_OK);
    std::string sql = "CREATE TABLE schema_version (version INTEGER NOT NULL);";
    sql += std::string(sqlite_schema::migrations()[0].sql) + testing::rows_at_schema_version(1);
    char* message = nullptr;
    const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(code == SQLITE_OK);
  }
  CHECK(report_of(old_backup).schema_version == 1);
  const auto path = folder.path() / "registry.db";
  fill_registry(path);
  REQUIRE(restore_sqlite_registry(path, old_backup, kMaintenanceWait).ok());
  const auto report = report_of(path);
  CHECK(report.schema_version == sqlite_schema_version());
  CHECK(report.problems.empty());
  auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
  REQUIRE(registry.ok());
  testing::check_rows_survived(**registry, 1);
}

}  // namespace
}  // namespace meshctl::registry
