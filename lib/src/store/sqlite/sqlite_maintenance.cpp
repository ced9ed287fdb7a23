// check, backup and restore of the SQLite registry (see maintenance.h).

#include "meshctl/store/sqlite/sqlite_maintenance.h"

#include <cerrno>
#include <cstring>
#include <functional>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include "meshctl/catalog/types.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_identity.h"

namespace meshctl::registry {
namespace {

struct SqliteFile {
  sqlite3* db = nullptr;
  std::filesystem::path path;
  SqliteFileIdentity identity;
  SqliteFile() = default;
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;
  ~SqliteFile() {
    if (db != nullptr) sqlite3_close(db);
  }
};

// Opens `path` for reading only, as a registry (not an empty or foreign database).
Status open_registry_read_only(const std::filesystem::path& path, std::chrono::milliseconds lock_wait,
                               SqliteFile& file) {
  const std::string name = path.string();
  std::error_code ignored;
  const auto status = std::filesystem::status(path, ignored);
  if (!std::filesystem::exists(status)) {
    return make_error(ErrorKind::not_found, fmt::format("no registry at {}", name), {{"registry", name}});
  }
  if (std::filesystem::is_directory(status)) {
    return make_error(ErrorKind::unavailable, fmt::format("{} is a folder, not a registry file", name),
                      {{"registry", name}});
  }
  file.path = path;
  const int code = sqlite3_open_v2(path.c_str(), &file.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK)
    return sqlite_file_error(path, code, "opening it", file.db ? sqlite3_system_errno(file.db) : 0);
  sqlite3_extended_result_codes(file.db, 1);
  sqlite3_busy_timeout(file.db, static_cast<int>(lock_wait.count()));
  auto identity = identify_sqlite_file(file.db, path);
  if (!identity.ok() && on_read_only_filesystem(path)) {
    sqlite3_close(file.db);
    file.db = nullptr;
    const int reopened = sqlite3_open_v2(immutable_uri(path).c_str(), &file.db,
                                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
    if (reopened != SQLITE_OK) return sqlite_file_error(path, reopened, "opening it read-only");
    sqlite3_extended_result_codes(file.db, 1);
    identity = identify_sqlite_file(file.db, path);
  }
  if (!identity.ok()) return identity.error();
  if (identity->kind == SqliteFileKind::foreign) return not_a_registry(path, *identity);
  if (identity->kind == SqliteFileKind::empty) {
    return make_error(ErrorKind::unavailable, fmt::format("{} is an empty database, not a meshctl registry", name),
                      {{"registry", name}});
  }
  file.identity = std::move(*identity);
  return ok_status();
}

// Runs `sql`, calling `row` for each result row; the extended result code.
int for_each_row(sqlite3* db, const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  if (code == SQLITE_OK) {
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) row(statement);
    if (code == SQLITE_DONE) code = SQLITE_OK;
  }
  if (code != SQLITE_OK) code = sqlite3_extended_errcode(db);
  sqlite3_finalize(statement);
  return code;
}

std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = sqlite3_column_text(statement, column);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<std::size_t>(sqlite3_column_bytes(statement, column)))
              : std::string();
}

// A query the check could not run: damage is a problem found, anything else a failure.
Status query_failed(const SqliteFile& file, int code, std::string_view what, RegistryCheckReport& report) {
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB) {
    report.problems.push_back({"integrity", fmt::format("cannot read {}: {}", what, sqlite3_errstr(code))});
    return ok_status();
  }
  return sqlite_file_error(file.path, code, fmt::format("reading {}", what), sqlite3_system_errno(file.db));
}

Status run_checks(const SqliteFile& file, RegistryCheckReport& report) {
  sqlite3* db = file.db;
  const auto run = [&](const char* sql, std::string_view what, const std::function<void(sqlite3_stmt*)>& row) {
    const int code = for_each_row(db, sql, row);
    return code == SQLITE_OK ? ok_status() : query_failed(file, code, what, report);
  };
  if (auto status = run("SELECT max(version) FROM schema_version", "the schema version",
                        [&](sqlite3_stmt* row) { report.schema_version = sqlite3_column_int64(row, 0); });
      !status.ok()) {
    return status;
  }
  if (report.schema_version > sqlite_schema_version()) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the registry {} has schema version {}, newer than this meshctl knows ({}): "
                                  "upgrade meshctl",
                                  file.path.string(), report.schema_version, sqlite_schema_version()),
                      {{"registry", file.path.string()}});
  }
  if (auto status = run("PRAGMA integrity_check", "the file's pages",
                        [&](sqlite3_stmt* row) {
                          const auto line = column_text(row, 0);
                          if (line != "ok") report.problems.push_back({"integrity", line});
                        });
      !status.ok()) {
    return status;
  }
  if (auto status =
          run("PRAGMA foreign_key_check", "the references between rows",
              [&](sqlite3_stmt* row) {
                report.problems.push_back({"foreign-keys", fmt::format("row {} of {} refers to a missing row of {}",
                                                                       sqlite3_column_int64(row, 1),
                                                                       column_text(row, 0), column_text(row, 2))});
              });
      !status.ok()) {
    return status;
  }
  const std::pair<const char*, std::int64_t*> counts[] = {
      {"SELECT count(*) FROM products", &report.products},
      {"SELECT count(*) FROM versions", &report.versions},
      {"SELECT count(*) FROM dependencies", &report.dependency_edges},
      {"SELECT count(*) FROM audit_events", &report.audit_events},
  };
  for (const auto& count : counts) {
    std::int64_t* into = count.second;
    if (auto status =
            run(count.first, "the number of rows", [into](sqlite3_stmt* row) { *into = sqlite3_column_int64(row, 0); });
        !status.ok()) {
      return status;
    }
  }
  if (auto status = run("SELECT coalesce(p.domain || '/' || p.name, 'product id ' || v.product_id), v.version, "
                        "v.manifest, v.content_hash FROM versions v LEFT JOIN products p ON p.id = v.product_id "
                        "ORDER BY v.rowid",
                        "the stored manifests",
                        [&](sqlite3_stmt* row) {
                          const auto manifest = column_text(row, 2);
                          const auto recorded = column_text(row, 3);
                          const auto actual = content_hash(manifest);
                          if (actual == recorded) return;
                          report.problems.push_back(
                              {"content-hash",
                               fmt::format("{}@{}: the stored manifest hashes to {}, but {} was recorded when it was "
                                           "published: it was changed outside meshctl",
                                           column_text(row, 0), column_text(row, 1), actual, recorded)});
                        });
      !status.ok()) {
    return status;
  }
  // AUTOINCREMENT ids start at 1 and are never reused; SQLite takes none for
  // a transaction that rolls back, so every gap is a deleted event.
  std::int64_t expected = 1;
  const auto report_gap = [&](std::int64_t first, std::int64_t last) {
    report.problems.push_back({"audit-ids", first == last
                                                ? fmt::format("audit event {} is missing", first)
                                                : fmt::format("audit events {} to {} are missing", first, last)});
  };
  if (auto status = run("SELECT id FROM audit_events ORDER BY id", "the audit events",
                        [&](sqlite3_stmt* row) {
                          const auto id = sqlite3_column_int64(row, 0);
                          if (id > expected) report_gap(expected, id - 1);
                          expected = id + 1;
                        });
      !status.ok()) {
    return status;
  }
  if (auto status = run("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'", "the last audit id",
                        [&](sqlite3_stmt* row) {
                          const auto last = sqlite3_column_int64(row, 0);
                          if (last >= expected) report_gap(expected, last);
                        });
      !status.ok()) {
    return status;
  }
  if (auto status = run("SELECT d.product_id, d.port, d.provider_domain || '/' || d.provider_name, "
                        "c.domain || '/' || c.name, p.id IS NOT NULL FROM dependencies d "
                        "LEFT JOIN products c ON c.id = d.product_id "
                        "LEFT JOIN products p ON p.domain = d.provider_domain AND p.name = d.provider_name "
                        "WHERE c.id IS NULL OR p.id IS NULL ORDER BY d.product_id, d.ordinal",
                        "the dependency edges",
                        [&](sqlite3_stmt* row) {
                          const auto provider = column_text(row, 2);
                          if (sqlite3_column_type(row, 3) == SQLITE_NULL) {
                            report.problems.push_back(
                                {"dependency-edges",
                                 fmt::format("an edge to {} (port '{}') belongs to product id {}, which does not exist",
                                             provider, column_text(row, 1), sqlite3_column_int64(row, 0))});
                          } else {
                            report.notes.push_back(fmt::format("{} reads {} (port '{}'), which is not registered",
                                                               column_text(row, 3), provider, column_text(row, 1)));
                          }
                        });
      !status.ok()) {
    return status;
  }
  return run(
      "SELECT p.domain || '/' || p.name, p.latest_version FROM products p "
      "WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.product_id = p.id AND v.version = p.latest_version) "
      "ORDER BY p.domain, p.name",
      "the products' latest versions", [&](sqlite3_stmt* row) {
        report.problems.push_back({"latest-version", fmt::format("{}: its latest version {} has no stored manifest",
                                                                 column_text(row, 0), column_text(row, 1))});
      });
}

Result<RegistryCheckReport> check_sqlite_registry(const std::filesystem::path& path,
                                                  std::chrono::milliseconds lock_wait) {
  SqliteFile file;
  if (auto status = open_registry_read_only(path, lock_wait, file); !status.ok()) return status.error();
  RegistryCheckReport report;
  report.registry = path.string();
  // One read transaction: every check sees the same snapshot while others write.
  if (const int code = for_each_row(file.db, "BEGIN", [](sqlite3_stmt*) {}); code != SQLITE_OK) {
    return sqlite_file_error(path, code, "starting to read", sqlite3_system_errno(file.db));
  }
  auto status = run_checks(file, report);
  (void)for_each_row(file.db, "COMMIT", [](sqlite3_stmt*) {});
  if (!status.ok()) return status.error();
  return report;
}

bool is_busy_code(int code) {
  return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
}

// Copies every page of `source` into `destination` (its "main") in one step,
// waiting up to `lock_wait` while another process holds a lock it needs.
int copy_database(sqlite3* source, sqlite3* destination, std::chrono::milliseconds lock_wait) {
  sqlite3_backup* backup = sqlite3_backup_init(destination, "main", source, "main");
  if (backup == nullptr) return sqlite3_extended_errcode(destination);
  const auto deadline = std::chrono::steady_clock::now() + lock_wait;
  int code = SQLITE_OK;
  while (true) {
    code = sqlite3_backup_step(backup, -1);
    if (!is_busy_code(code) || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  const int finished = sqlite3_backup_finish(backup);
  if (code == SQLITE_DONE) code = finished;
  return code == SQLITE_DONE ? SQLITE_OK : code;
}

void sync_folder(const std::filesystem::path& folder) {
  const int descriptor = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (descriptor < 0) return;
  (void)::fsync(descriptor);
  ::close(descriptor);
}

}  // namespace

Result<RegistryCheckReport> check_sqlite_registry_file(const std::filesystem::path& path,
                                                       std::chrono::milliseconds lock_wait) {
  return check_sqlite_registry(path, lock_wait);
}

Status backup_sqlite_registry(const std::filesystem::path& registry, const std::filesystem::path& file, bool overwrite,
                              std::chrono::milliseconds lock_wait) {
  const std::string target = file.string();
  std::error_code ignored;
  const auto target_status = std::filesystem::status(file, ignored);
  if (std::filesystem::is_directory(target_status)) {
    return make_error(ErrorKind::invalid, fmt::format("{} is a folder: give the backup's file name", target));
  }
  if (std::filesystem::exists(target_status) && !overwrite) {
    return make_error(ErrorKind::conflict,
                      fmt::format("{} already exists: give another file, or --force to replace it", target),
                      {{"file", target}});
  }
  SqliteFile source;
  if (auto status = open_registry_read_only(registry, lock_wait, source); !status.ok()) return status;

  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  const auto partial = folder / fmt::format(".{}.partial-{}", file.filename().string(), ::getpid());
  std::filesystem::remove(partial, ignored);
  const auto cleanup = [&partial] {
    std::error_code ignore;
    std::filesystem::remove(partial, ignore);
    std::filesystem::remove(partial.string() + "-journal", ignore);
  };
  const auto copy_failed = [&](int code, sqlite3* db, std::string_view what) -> Status {
    const int system_errno = db != nullptr ? sqlite3_system_errno(db) : 0;
    cleanup();
    if ((code & 0xff) == SQLITE_FULL || system_errno == ENOSPC) {
      return make_error(ErrorKind::unavailable,
                        fmt::format("cannot write the backup {}: the disk is full (while {}); no file was left "
                                    "behind: free some space and run the command again",
                                    target, what),
                        {{"file", target}});
    }
    return make_error(ErrorKind::unavailable,
                      fmt::format("cannot write the backup {} (while {}): {}", target, what, sqlite3_errstr(code)),
                      {{"file", target}, {"sqliteCode", code}});
  };
  {
    SqliteFile copy;
    copy.path = partial;
    int code = sqlite3_open_v2(partial.c_str(), &copy.db,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (code != SQLITE_OK) {
      cleanup();
      return make_error(ErrorKind::unavailable,
                        fmt::format("cannot write the backup {}: {} (is its folder there and writable?)", target,
                                    sqlite3_errstr(code)),
                        {{"file", target}});
    }
    sqlite3_extended_result_codes(copy.db, 1);
    code = copy_database(source.db, copy.db, lock_wait);
    if (code != SQLITE_OK) {
      if ((code & 0xff) == SQLITE_CORRUPT || is_busy_code(code)) {
        cleanup();
        return sqlite_file_error(registry, code, "copying it", sqlite3_system_errno(source.db));
      }
      return copy_failed(code, copy.db, "copying the registry");
    }
    // One self-contained file: no -wal beside it.
    if (const int mode = for_each_row(copy.db, "PRAGMA journal_mode=DELETE", [](sqlite3_stmt*) {}); mode != SQLITE_OK) {
      return copy_failed(mode, copy.db, "finishing the copy");
    }
    std::string integrity;
    if (const int checked = for_each_row(copy.db, "PRAGMA integrity_check",
                                         [&](sqlite3_stmt* row) { integrity += column_text(row, 0); });
        checked != SQLITE_OK || integrity != "ok") {
      cleanup();
      return make_error(ErrorKind::unavailable,
                        fmt::format("the backup {} was written but does not read back intact ({}): it was removed",
                                    target, integrity.empty() ? sqlite3_errstr(checked) : integrity),
                        {{"file", target}});
    }
  }
  // Only a complete copy takes the name; without --force, never over a file
  // that appeared meanwhile (link fails when the name exists).
  if (overwrite) {
    if (::rename(partial.c_str(), file.c_str()) != 0) {
      const auto reason = std::strerror(errno);
      cleanup();
      return make_error(ErrorKind::unavailable, fmt::format("cannot write the backup {}: {}", target, reason),
                        {{"file", target}});
    }
  } else {
    if (::link(partial.c_str(), file.c_str()) != 0) {
      const int failure = errno;
      cleanup();
      if (failure == EEXIST) {
        return make_error(ErrorKind::conflict,
                          fmt::format("{} already exists: give another file, or --force to replace it", target),
                          {{"file", target}});
      }
      return make_error(ErrorKind::unavailable,
                        fmt::format("cannot write the backup {}: {}", target, std::strerror(failure)),
                        {{"file", target}});
    }
    cleanup();
  }
  sync_folder(folder);
  return ok_status();
}

Status restore_sqlite_registry(const std::filesystem::path& registry, const std::filesystem::path& file,
                               std::chrono::milliseconds lock_wait) {
  const std::string backup_name = file.string();
  const auto refused = [&backup_name](std::string reason) -> Status {
    return make_error(ErrorKind::invalid,
                      fmt::format("cannot restore from {}: {}; the registry was left as it was", backup_name, reason),
                      {{"file", backup_name}});
  };
  SqliteFile source;
  if (auto status = open_registry_read_only(file, lock_wait, source); !status.ok()) {
    const auto& error = status.error();
    if (error.kind == ErrorKind::not_found) return refused("there is no such file");
    if (error.details.contains("tables") && !error.details["tables"].empty()) {
      std::string tables;
      for (const auto& table : error.details["tables"])
        tables += (tables.empty() ? "" : ", ") + table.get<std::string>();
      return refused(fmt::format("it is not a meshctl registry (it holds tables {})", tables));
    }
    if (error.details.contains("sqliteCode")) {
      return refused(fmt::format("it is not a meshctl registry (SQLite: {})",
                                 sqlite3_errstr(error.details["sqliteCode"].get<int>())));
    }
    return refused(error.message);
  }
  auto report = check_sqlite_registry(file, lock_wait);
  if (!report.ok()) return refused(report.error().message);
  if (!report->problems.empty()) {
    return refused(fmt::format(
        "it fails the check with {} problem{} (meshctl registry check lists them), the first: {}",
        report->problems.size(), report->problems.size() == 1 ? "" : "s", report->problems.front().message));
  }

  // The registry itself: never another application's database.
  const std::string registry_name = registry.string();
  std::error_code ignored;
  if (std::filesystem::is_directory(registry, ignored)) {
    return make_error(ErrorKind::unavailable, fmt::format("the registry {} is a folder, not a file", registry_name),
                      {{"registry", registry_name}});
  }
  SqliteFile destination;
  destination.path = registry;
  int code = sqlite3_open_v2(registry.c_str(), &destination.db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    return sqlite_file_error(registry, code, "opening it", destination.db ? sqlite3_system_errno(destination.db) : 0);
  }
  sqlite3_extended_result_codes(destination.db, 1);
  sqlite3_busy_timeout(destination.db, static_cast<int>(lock_wait.count()));
  if (sqlite3_db_readonly(destination.db, "main") == 1) {
    return sqlite_file_error(registry, SQLITE_READONLY, "restoring it");
  }
  auto identity = identify_sqlite_file(destination.db, registry);
  if (!identity.ok()) return identity.error();
  if (identity->kind == SqliteFileKind::foreign) return not_a_registry(registry, *identity);
  // The backup API writes the registry in one transaction, through its WAL
  // when it has one: readers see the old content or the new, never a mix.
  code = copy_database(source.db, destination.db, lock_wait);
  if (code != SQLITE_OK) {
    return sqlite_file_error(registry, code, "restoring it", sqlite3_system_errno(destination.db));
  }
  sqlite3_close(destination.db);
  destination.db = nullptr;
  // Brings a backup from an older meshctl to today's schema and mark.
  auto reopened = SqliteStore::open(registry, SqliteStoreOptions{lock_wait, false});
  if (!reopened.ok()) return reopened.error();
  return ok_status();
}

}  // namespace meshctl::registry
