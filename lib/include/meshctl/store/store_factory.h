#pragma once

// Opens a Store from the location a user gives (`meshctl serve --store`,
// --registry).

#include <chrono>
#include <memory>
#include <string_view>

#include "meshctl/core/error.h"
#include "meshctl/store/store.h"

namespace meshctl::registry {

struct StoreOpenOptions {
  // SQLite: how long a write waits for another process's write lock.
  // PostgreSQL: how long opening waits for the migration lock, and the
  // connect timeout.
  std::chrono::milliseconds lock_wait{10000};
  // SQLite only. Default: create the file (not its folder) when missing.
  bool create_if_missing = true;
};

// `location` in the grammar of meshctl/core/registry_location.h:
//   PATH or sqlite:PATH                       -> SqliteStore at PATH
//   postgresql://... or postgres://...        -> PostgresStore (a libpq URI)
// Each call opens one new connection (one Store per worker thread).
// Errors: ErrorKind::invalid for a registry server's URL or a text that is not
// a location (the message lists the accepted forms); otherwise what SqliteStore::open / PostgresStore::open return
// (ErrorKind::unavailable when the store cannot be reached, is newer than this
// build, or is not a registry). Messages never contain a password.
Result<std::unique_ptr<Store>> open_store(std::string_view location, const StoreOpenOptions& options = {});

}  // namespace meshctl::registry
