#pragma once

// Thin RAII over the SQLite C API, private to the SQLite store: one
// connection with a cache of prepared statements, and errors mapped to
// meshctl's kinds (never SQLite's "database is locked" text).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "meshctl/core/error.h"
#include "meshctl/store/sqlite/sqlite_store.h"

namespace meshctl::registry {

// A prepared statement borrowed from the connection's cache. Resets itself
// (and its bindings) when it goes out of scope, so the cached statement is
// ready for the next use and holds no read snapshot open.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  ~Statement() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters count from 1, as in SQLite.
  Statement& bind(int index, std::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, std::int64_t number) {
    sqlite3_bind_int64(statement_, index, number);
    return *this;
  }
  Statement& bind(int index, const std::optional<std::string>& text) {
    if (text) return bind(index, std::string_view(*text));
    sqlite3_bind_null(statement_, index);
    return *this;
  }

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step() { return sqlite3_step(statement_); }
  // Ready to step again from the start, with the same bindings (bind() may change them now).
  void reset() { sqlite3_reset(statement_); }

  // Columns count from 0.
  std::string text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_, column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes),
                               static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
                 : std::string();
  }
  std::optional<std::string> optional_text(int column) const {
    if (sqlite3_column_type(statement_, column) == SQLITE_NULL) return std::nullopt;
    return text(column);
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }

 private:
  sqlite3_stmt* statement_;
};

struct SqliteStore::Connection {
  sqlite3* db = nullptr;
  std::filesystem::path path;
  SqliteStoreOptions options;
  std::unordered_map<std::string, sqlite3_stmt*> statements;
  bool in_transaction = false;
  // The file (or its folder, or the mount) cannot be written: reads work,
  // writes fail with a message that says so.
  bool read_only = false;
  // For changed_since_last_call: PRAGMA data_version at the previous call
  // (nullopt before the first), and whether a write transaction began since.
  std::optional<std::int64_t> data_version;
  bool began_write = false;

  ~Connection();

  // The cached prepared statement for `sql` (prepared on first use).
  Result<std::unique_ptr<Statement>> prepare(const std::string& sql);
  // Runs one statement whose rows are not needed (BEGIN, COMMIT, a pragma),
  // prepared once per connection.
  Status execute(std::string_view sql, std::string_view what);
  // Runs several statements separated by ';' (a migration), parsed every time.
  Status execute_script(std::string_view sql, std::string_view what);
  // Runs `sql` until it stops answering SQLITE_BUSY or the lock-wait budget is spent.
  Status execute_with_retry(std::string_view sql, std::string_view what);

  // The meshctl error for SQLite result code `code` while doing `what`.
  Error error(int code, std::string_view what) const;
  std::int64_t changes() const { return sqlite3_changes64(db); }
};

}  // namespace meshctl::registry

namespace meshctl::registry {

// Wraps a transaction the connection has already begun (see SqliteStore::begin).
std::unique_ptr<StoreTransaction> make_sqlite_transaction(SqliteStore::Connection& connection, TransactionMode mode);

// The columns of a ProductRecord, over products `p`, and the record of a row that starts with them
// (sqlite_transaction.cpp): for the queries of other files that answer products.
const char* sqlite_product_columns();
ProductRecord read_sqlite_product(const Statement& row);

}  // namespace meshctl::registry
