// The SQLite store on files that are not (healthy, writable) registries:
// another application's database is never altered; a folder, a missing
// folder, random bytes and a truncated registry are refused with a message
// that names the file and the cause.

#include <fstream>
#include <iterator>
#include <sstream>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "meshctl/registry/local_registry.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "registry/raw_sqlite.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"
#include "store/sqlite/sqlite_identity.h"

namespace meshctl::registry {
namespace {

using testing::TemporaryFolder;

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::int64_t pragma_value(const std::filesystem::path& path, const std::string& pragma) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("PRAGMA " + pragma).c_str(), -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  const auto value = sqlite3_column_int64(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

Error open_failure(const std::filesystem::path& path) {
  auto store = SqliteStore::open(path);
  REQUIRE_FALSE(store.ok());
  return store.error();
}

bool mentions(const Error& error, std::string_view text) {
  return error.message.find(text) != std::string::npos;
}

TEST_CASE("Another application's SQLite database is refused and left byte for byte as it was",
          "[registry][sqlite][faults]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "app.db";
  SECTION("a database with its own tables") {
    testing::execute_raw_sql(
        path,
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders (id INTEGER);"
        "INSERT INTO accounts VALUES (1, 'ada');");
  }
  SECTION("a database whose table has a registry table's name") {
    testing::execute_raw_sql(path,
                             "CREATE TABLE schema_version (version INTEGER, installed_by TEXT, checksum TEXT);"
                             "CREATE TABLE flyway_history (id INTEGER);");
  }
  SECTION("a database marked by its application, without tables yet") {
    testing::execute_raw_sql(path, "PRAGMA application_id = 42; PRAGMA user_version = 7;");
  }
  const auto before = file_bytes(path);
  REQUIRE_FALSE(before.empty());
  // Through the store (any command) and through the embedded registry (reads and writes).
  const auto error = open_failure(path);
  CHECK(error.kind == ErrorKind::unavailable);
  CHECK(mentions(error, path.string() + " is not a meshctl registry"));
  CHECK(mentions(error, "give --registry another path"));
  auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
  REQUIRE_FALSE(registry.ok());
  CHECK(registry.error().kind == ErrorKind::unavailable);
  CHECK(file_bytes(path) == before);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("The refusal names another application's tables", "[registry][sqlite][faults]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "app.db";
  testing::execute_raw_sql(path, "CREATE TABLE b (x); CREATE TABLE a (x);");
  CHECK(open_failure(path).message ==
        path.string() +
            " is not a meshctl registry: it holds tables a, b; it was left untouched: give --registry "
            "another path");
}

TEST_CASE("A new registry is marked with meshctl's application id; an unmarked one from before is kept and marked",
          "[registry][sqlite][faults]") {
  TemporaryFolder folder;
  const auto fresh = folder.path() / "fresh.db";
  REQUIRE(SqliteStore::open(fresh).ok());
  CHECK(pragma_value(fresh, "application_id") == kRegistryApplicationId);

  const auto old = folder.path() / "old.db";
  REQUIRE(SqliteStore::open(old).ok());
  testing::execute_raw_sql(
      old, "PRAGMA application_id = 0; INSERT INTO domains (name, created_at) VALUES ('sales', 'then');");
  REQUIRE(pragma_value(old, "application_id") == 0);
  auto registry = LocalRegistry::open(old, "tester", testing::test_clock());
  REQUIRE(registry.ok());
  const auto domains = (*registry)->list_domains();
  REQUIRE(domains.ok());
  CHECK(domains->size() == 1);
  registry->reset();
  CHECK(pragma_value(old, "application_id") == kRegistryApplicationId);
}

TEST_CASE("The tables a registry is known by are the ones its migrations create", "[registry][sqlite][faults]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  REQUIRE(SqliteStore::open(path).ok());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &statement,
                             nullptr) == SQLITE_OK);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  CHECK(tables == sqlite_registry_tables());
}

TEST_CASE("Paths and files that cannot hold a registry are refused with their cause", "[registry][sqlite][faults]") {
  TemporaryFolder folder;
  SECTION("a folder") {
    const auto path = folder.path() / "registry.db";
    std::filesystem::create_directory(path);
    const auto error = open_failure(path);
    CHECK(error.kind == ErrorKind::unavailable);
    CHECK(error.message == "the registry " + path.string() +
                               " is a folder, not a file: give --registry the path of "
                               "a file, e.g. " +
                               (path / "registry.db").string());
  }
  SECTION("a missing folder") {
    const auto path = folder.path() / "missing" / "registry.db";
    const auto error = open_failure(path);
    CHECK(error.kind == ErrorKind::unavailable);
    CHECK(mentions(error, "its folder " + (folder.path() / "missing").string() + " does not exist"));
    CHECK_FALSE(std::filesystem::exists(folder.path() / "missing"));
  }
  SECTION("random bytes") {
    const auto path = folder.path() / "random.db";
    std::string noise(8192, '\0');
    for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 7919 + 13) % 251);
    std::ofstream(path, std::ios::binary) << noise;
    const auto error = open_failure(path);
    CHECK(error.kind == ErrorKind::unavailable);
    CHECK(mentions(error, path.string() + " is not a meshctl registry: it is not an SQLite database"));
    CHECK(file_bytes(path) == noise);
  }
  SECTION("a registry cut short") {
    const auto path = folder.path() / "registry.db";
    {
      auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
      REQUIRE(registry.ok());
      for (int i = 0; i < 40; ++i) {
        REQUIRE(
            (*registry)
                ->publish(testing::make_manifest("sales", "product-" + std::to_string(i), "1.0.0"), PublishMode::apply)
                .ok());
      }
    }
    const auto size = std::filesystem::file_size(path);
    REQUIRE(size > 8 * 4096);
    std::filesystem::resize_file(path, size / 2);
    // Opening may still succeed (the schema is on the first page); reading what was cut off must not.
    auto registry = LocalRegistry::open(path, "tester", testing::test_clock());
    if (registry.ok()) {
      auto products = (*registry)->list_products({{}, {}, 500});
      REQUIRE_FALSE(products.ok());
      CHECK(products.error().kind == ErrorKind::unavailable);
      CHECK(mentions(products.error(), "the registry " + path.string() + " is corrupt"));
    } else {
      CHECK(registry.error().kind == ErrorKind::unavailable);
      CHECK(mentions(registry.error(), path.string()));
    }
  }
}

}  // namespace
}  // namespace meshctl::registry
