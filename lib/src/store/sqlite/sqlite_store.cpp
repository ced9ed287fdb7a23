#include "meshctl/store/sqlite/sqlite_store.h"

#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_identity.h"
#include "store/sqlite/sqlite_schema.h"

namespace meshctl::registry {
namespace {

bool is_busy(int code) {
  const int primary = code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

}  // namespace

SqliteStore::Connection::~Connection() {
  for (auto& [sql, statement] : statements) sqlite3_finalize(statement);
  if (db != nullptr) sqlite3_close(db);
}

Error SqliteStore::Connection::error(int code, std::string_view what) const {
  const std::string file = path.string();
  if (is_busy(code)) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the registry {} is busy: another process held it for more than {} ms while {}; "
                                  "try again",
                                  file, options.lock_wait.count(), what),
                      {{"registry", file}});
  }
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return make_error(ErrorKind::conflict, fmt::format("{}: it already exists (a concurrent change won)", what));
  }
  return sqlite_file_error(path, code, what, db != nullptr ? sqlite3_system_errno(db) : 0);
}

Result<std::unique_ptr<Statement>> SqliteStore::Connection::prepare(const std::string& sql) {
  auto found = statements.find(sql);
  if (found == statements.end()) {
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                        &statement, nullptr);
    if (code != SQLITE_OK) return error(code, "preparing a query");
    found = statements.emplace(sql, statement).first;
  }
  return std::make_unique<Statement>(found->second);
}

Status SqliteStore::Connection::execute(std::string_view sql, std::string_view what) {
  // Prepared once per connection like the queries: parsing BEGIN, COMMIT and
  // ROLLBACK again on every transaction was a tenth of a describe.
  auto statement = prepare(std::string(sql));
  if (!statement.ok()) return error(sqlite3_extended_errcode(db), what);
  const int code = (*statement)->step();
  if (code != SQLITE_DONE && code != SQLITE_ROW) return error(sqlite3_extended_errcode(db), what);
  return ok_status();
}

Status SqliteStore::Connection::execute_script(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  const int code = sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return error(sqlite3_extended_errcode(db), what);
  return ok_status();
}

Status SqliteStore::Connection::execute_with_retry(std::string_view sql, std::string_view what) {
  // The busy timeout already waits inside SQLite; this loop covers the cases
  // where SQLite answers SQLITE_BUSY without waiting (WAL recovery, a
  // checkpoint in progress) and bounds the total wait by lock_wait.
  const auto deadline = std::chrono::steady_clock::now() + options.lock_wait;
  auto pause = std::chrono::milliseconds{1};
  while (true) {
    auto status = execute(sql, what);
    if (status.ok()) return status;
    if (!is_busy(sqlite3_extended_errcode(db)) || std::chrono::steady_clock::now() >= deadline) return status;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds{50});
  }
}

namespace {

Result<std::int64_t> read_schema_version(SqliteStore::Connection& connection) {
  auto statement = connection.prepare("SELECT max(version) FROM schema_version");
  if (!statement.ok()) return statement.error();
  const int code = (*statement)->step();
  if (code != SQLITE_ROW)
    return connection.error(sqlite3_extended_errcode(connection.db), "reading the schema version");
  return (*statement)->integer(0);
}

Error newer_schema(const SqliteStore::Connection& connection, std::int64_t current) {
  return make_error(ErrorKind::unavailable,
                    fmt::format("the registry {} has schema version {}, newer than this meshctl knows ({}): "
                                "upgrade meshctl",
                                connection.path.string(), current, sqlite_schema_version()),
                    {{"registry", connection.path.string()}, {"schemaVersion", current}});
}

// A registry that cannot be written is read as it is, if its schema is current.
Status check_read_only_schema(SqliteStore::Connection& connection, const SqliteFileIdentity& identity) {
  const std::string file = connection.path.string();
  if (identity.kind == SqliteFileKind::empty) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot create the registry {}: the file or its folder is read-only; make it "
                                  "writable, or give --registry another path",
                                  file),
                      {{"registry", file}});
  }
  auto current = read_schema_version(connection);
  if (!current.ok()) return current.error();
  if (*current > sqlite_schema_version()) return newer_schema(connection, *current);
  if (*current < sqlite_schema_version()) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the registry {} has schema version {} and this meshctl needs {}, but the file or "
                                  "its folder is read-only: make it writable once so that meshctl can migrate it",
                                  file, *current, sqlite_schema_version()),
                      {{"registry", file}, {"schemaVersion", *current}});
  }
  return ok_status();
}

Status migrate(SqliteStore::Connection& connection, const SqliteFileIdentity& identity) {
  if (auto status = connection.execute_with_retry("BEGIN IMMEDIATE", "opening the registry"); !status.ok()) {
    return status;
  }
  auto fail = [&connection](Error error) -> Status {
    (void)connection.execute("ROLLBACK", "rolling back");
    return error;
  };
  if (auto status = connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                                       "reading the schema version");
      !status.ok()) {
    return fail(status.error());
  }
  auto current = read_schema_version(connection);
  if (!current.ok()) return fail(current.error());
  const int latest = sqlite_schema_version();
  if (*current > latest) return fail(newer_schema(connection, *current));
  for (const auto& migration : sqlite_schema::migrations()) {
    if (migration.version <= *current) continue;
    if (auto status =
            connection.execute_script(migration.sql, fmt::format("migrating to schema {}", migration.version));
        !status.ok()) {
      return fail(status.error());
    }
    if (migration.backfill != nullptr) {
      if (auto status = migration.backfill(connection); !status.ok()) return fail(status.error());
    }
  }
  if (*current < latest) {
    const auto record = fmt::format("DELETE FROM schema_version; INSERT INTO schema_version VALUES ({})", latest);
    if (auto status = connection.execute_script(record, "recording the schema version"); !status.ok()) {
      return fail(status.error());
    }
  }
  // The mark that tells the next open (and any tool) this file is a registry;
  // registries from before it get it once, here.
  if (!identity.marked) {
    const auto mark = fmt::format("PRAGMA application_id = {}", kRegistryApplicationId);
    if (auto status = connection.execute_script(mark, "marking the file as a meshctl registry"); !status.ok()) {
      return fail(status.error());
    }
  }
  return connection.execute_with_retry("COMMIT", "migrating the registry");
}

// Errors found by looking at the path, before SQLite opens (and so may create) anything.
Status check_registry_path(const std::filesystem::path& path, const SqliteStoreOptions& options) {
  const std::string file = path.string();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (std::filesystem::is_directory(status)) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the registry {} is a folder, not a file: give --registry the path of a file, "
                                  "e.g. {}",
                                  file, (path / "registry.db").string()),
                      {{"registry", file}});
  }
  if (std::filesystem::exists(status)) return ok_status();
  if (!options.create_if_missing) {
    return make_error(ErrorKind::not_found, fmt::format("no registry at {}", file), {{"registry", file}});
  }
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const auto folder_status = std::filesystem::status(folder, error);
  if (!std::filesystem::exists(folder_status)) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot create the registry {}: its folder {} does not exist; create it first "
                                  "(mkdir -p {}) or give --registry another path",
                                  file, folder.string(), folder.string()),
                      {{"registry", file}});
  }
  if (!std::filesystem::is_directory(folder_status)) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot create the registry {}: {} is not a folder", file, folder.string()),
                      {{"registry", file}});
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path, SqliteStoreOptions options) {
  if (auto status = check_registry_path(path, options); !status.ok()) return status.error();
  auto connection = std::make_unique<Connection>();
  connection->path = path;
  connection->options = options;
  // READWRITE falls back to read-only when the file is write-protected;
  // sqlite3_db_readonly tells which one we got.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  const int code = sqlite3_open_v2(path.c_str(), &connection->db, flags, nullptr);
  if (code != SQLITE_OK) {
    if (on_read_only_filesystem(path.has_parent_path() ? path.parent_path() : ".")) {
      return sqlite_file_error(path, SQLITE_READONLY, "creating it");
    }
    const int system_errno = connection->db != nullptr ? sqlite3_system_errno(connection->db) : 0;
    return sqlite_file_error(path, code, "opening it", system_errno);
  }
  sqlite3_extended_result_codes(connection->db, 1);
  sqlite3_busy_timeout(connection->db, static_cast<int>(options.lock_wait.count()));
  connection->read_only = sqlite3_db_readonly(connection->db, "main") == 1;
  // Before any pragma that writes (journal_mode changes the header): a file
  // that is not a registry is left exactly as it was.
  auto identity = identify_sqlite_file(connection->db, path);
  if (!identity.ok() && on_read_only_filesystem(path)) {
    // Nobody writes a file on a read-only mount, so it may be read as
    // immutable: without that SQLite cannot read a WAL file whose -shm
    // it cannot create.
    sqlite3_close(connection->db);
    connection->db = nullptr;
    const int reopened = sqlite3_open_v2(immutable_uri(path).c_str(), &connection->db,
                                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (reopened != SQLITE_OK) return sqlite_file_error(path, reopened, "opening it read-only");
    sqlite3_extended_result_codes(connection->db, 1);
    connection->read_only = true;
    identity = identify_sqlite_file(connection->db, path);
  }
  if (!identity.ok()) return identity.error();
  if (identity->kind == SqliteFileKind::foreign) return not_a_registry(path, *identity);
  // WAL: readers never wait for the writer. synchronous=NORMAL is the WAL
  // setting that survives a killed process without corruption; a power loss
  // may lose the last commits, never the file.
  // journal_size_limit: the -wal file is truncated back to 64 MiB after a
  // checkpoint, and to zero bytes when the last connection closes.
  std::vector<const char*> pragmas = {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL",
                                      "PRAGMA journal_size_limit=67108864"};
  if (!connection->read_only) pragmas.insert(pragmas.begin(), "PRAGMA journal_mode=WAL");
  for (const auto* pragma : pragmas) {
    if (auto status = connection->execute_with_retry(pragma, "opening the registry"); !status.ok()) {
      return status.error();
    }
  }
  // Persistent WAL: the last connection to close keeps the -wal (emptied) and
  // -shm files instead of deleting them, so the next process does not create
  // them again. Creating and unlinking the two files was most of a read
  // command's system time (bench/registry: describe 10.4 ms, 6 ms above
  // process start; the sqlite3 shell's own keyed select 7.8 ms, 3.1 ms with it).
  int persist_wal = 1;
  (void)sqlite3_file_control(connection->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
  const auto schema =
      connection->read_only ? check_read_only_schema(*connection, *identity) : migrate(*connection, *identity);
  if (!schema.ok()) return schema.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(connection)));
}

SqliteStore::SqliteStore(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<StoreTransaction>> SqliteStore::begin(TransactionMode mode) {
  // BEGIN IMMEDIATE takes the write lock now: a deferred transaction that reads
  // and then writes could not wait for the lock (SQLite answers busy at once
  // to avoid a deadlock), which is where "database is locked" comes from.
  if (connection_->in_transaction) {
    return make_error(ErrorKind::invalid, "this registry connection already has a transaction open");
  }
  const auto* sql = mode == TransactionMode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
  if (auto status = connection_->execute_with_retry(sql, "starting a transaction"); !status.ok()) {
    return status.error();
  }
  // Whether it commits or not: changed_since_last_call may answer true for nothing.
  if (mode == TransactionMode::write) connection_->began_write = true;
  return make_sqlite_transaction(*connection_, mode);
}

Result<bool> SqliteStore::changed_since_last_call() {
  if (connection_->in_transaction) {
    return make_error(ErrorKind::invalid, "this registry connection has a transaction open");
  }
  // PRAGMA data_version changes when another connection (of this process or
  // another) commits; it does not see this connection's own commits, which
  // began_write covers.
  auto statement = connection_->prepare("PRAGMA data_version");
  if (!statement.ok()) return statement.error();
  const int code = (*statement)->step();
  if (code != SQLITE_ROW) return connection_->error(sqlite3_extended_errcode(connection_->db), "checking for changes");
  const auto version = (*statement)->integer(0);
  const bool changed = connection_->began_write || connection_->data_version != version;
  connection_->data_version = version;
  connection_->began_write = false;
  return changed;
}

}  // namespace meshctl::registry
