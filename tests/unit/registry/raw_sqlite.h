#pragma once

// Changing a registry file behind the store's back, as another program or an
// attacker would: the tests' one way to run SQL on a SQLite file directly.

#include <sqlite3.h>

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

namespace meshctl::registry::testing {

// Runs `sql` (one or more statements) on the SQLite file at `path`; fails the test when it fails.
inline void execute_raw_sql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  INFO((message ? message : ""));
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE(code == SQLITE_OK);
}

}  // namespace meshctl::registry::testing
