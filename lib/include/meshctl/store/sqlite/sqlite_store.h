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
#include "meshctl/store/store.h"

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
  // Opens (and migrates) the registry at `path`. A file that cannot be
  // written is opened read-only: reads work, writes fail with
  // ErrorKind::unavailable saying the file or its folder is read-only. Fails
  // with ErrorKind::unavailable, naming the file and the cause, when the path
  // is a folder, its folder is missing, the file is not an SQLite database or
  // is corrupt, or was written by a newer meshctl; and when it is another
  // application's database, which is left byte for byte as it was (a
  // registry is marked with PRAGMA application_id; one from before the mark
  // is known by its tables). ErrorKind::not_found when the file is missing
  // and !create_if_missing.
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
