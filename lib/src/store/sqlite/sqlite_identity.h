#pragma once

// Whether an SQLite file is a meshctl registry, asked before anything writes
// to it: meshctl never alters a database that another application owns.
// Private to lib.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "meshctl/core/error.h"

namespace meshctl::registry {

// PRAGMA application_id of every registry this meshctl writes: "mesh".
// Registries created before it have 0 and are recognised by their tables.
constexpr std::int32_t kRegistryApplicationId = 0x6d657368;

enum class SqliteFileKind {
  empty,     // no table, no application id, no user version: a new registry may be created in it
  registry,  // a meshctl registry (marked, or with meshctl's tables only)
  foreign,   // anything else: another application's database
};

struct SqliteFileIdentity {
  SqliteFileKind kind = SqliteFileKind::empty;
  bool marked = false;              // application_id is meshctl's
  std::vector<std::string> tables;  // tables and views, by name, SQLite's own left out
  std::int64_t application_id = 0;
  std::int64_t user_version = 0;
};

// Reads the header and the schema of `db` (opened on `path`) without writing.
// Fails with ErrorKind::unavailable when the file is not an SQLite database,
// is corrupt, or cannot be read.
Result<SqliteFileIdentity> identify_sqlite_file(sqlite3* db, const std::filesystem::path& path);

// ErrorKind::unavailable: `path` is another application's database, naming its tables.
Error not_a_registry(const std::filesystem::path& path, const SqliteFileIdentity& identity);

// The meshctl error for SQLite result `code` on the file `path` while doing
// `what` (an extended code; busy and constraint codes are the caller's), with
// the errno of the failed system call when there was one
// (sqlite3_system_errno).
Error sqlite_file_error(const std::filesystem::path& path, int code, std::string_view what, int system_errno = 0);

// Whether `path` is on a filesystem mounted read-only.
bool on_read_only_filesystem(const std::filesystem::path& path);

// file:PATH?immutable=1, for sqlite3_open_v2 with SQLITE_OPEN_URI: reading a
// file on a read-only mount, where nobody writes it, without the -shm file
// SQLite cannot create there to read a file in WAL mode.
std::string immutable_uri(const std::filesystem::path& path);

// Every table any schema version of the SQLite registry creates, SQLite's own
// sqlite_sequence included.
const std::vector<std::string>& sqlite_registry_tables();

}  // namespace meshctl::registry
