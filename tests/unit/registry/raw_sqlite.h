#pragma once

// Changing a registry file behind the store's back, as another program or an
// attacker would: the tests' one way to run SQL on a SQLite file directly.

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <sqlite3.h>

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

// The first column of every row `sql` selects from the SQLite file at `path`, as text.
inline std::vector<std::string> query_raw_text(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  const int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  std::vector<std::string> values;
  while (prepared == SQLITE_OK && sqlite3_step(statement) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(statement, 0);
    values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  REQUIRE(prepared == SQLITE_OK);
  return values;
}

}  // namespace meshctl::registry::testing
