#pragma once

// The embedded registry's store: one SQLite file in WAL mode, foreign keys on.
//
// Several processes may write one file at once. A write transaction takes the
// file's write lock when it begins (BEGIN IMMEDIATE), waiting for another
// writer through SQLite's busy timeout and a retry loop bounded by
// `lock_wait`; past it the caller gets ErrorKind::unavailable with a message
// that says the registry is busy, never SQLite's "database is locked".

#include <chrono>
#include <filesystem>
#include <memory>

#include "meshctl/core/error.h"
#include "meshctl/registry/store.h"

namespace meshctl::registry {

struct SqliteStoreOptions {
  // How long a write waits in total for another process's write lock.
  std::chrono::milliseconds lock_wait{10000};
  // Default: create the file (not its folder) when missing.
  bool create_if_missing = true;
};

// The schema version this build writes. A file with an older version is
// migrated in place when opened; a newer one is refused.
int sqlite_schema_version();

class SqliteStore final : public Store {
 public:
  // Opens (and migrates) the registry at `path`. Fails with
  // ErrorKind::unavailable when the file cannot be opened, is not an SQLite
  // registry, or was written by a newer meshctl; ErrorKind::not_found when it
  // is missing and !create_if_missing.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& path, SqliteStoreOptions options = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // One transaction at a time per SqliteStore (one connection); open one
  // SqliteStore per thread for parallel work. REQUIRES: no other transaction
  // of this store is alive.
  Result<std::unique_ptr<StoreTransaction>> begin(TransactionMode mode) override;
  // PRAGMA data_version (other connections' commits) and this store's own
  // write transactions since the previous call.
  Result<bool> changed_since_last_call() override;

  struct Connection;  // defined in the source

 private:
  explicit SqliteStore(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> connection_;
};

}  // namespace meshctl::registry
