#include "store/sqlite/sqlite_identity.h"

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>
#include <sys/statvfs.h>

namespace meshctl::registry {
namespace {

// Runs a one-row, one-integer pragma; the SQLite result code on failure.
int read_integer_pragma(sqlite3* db, const char* sql, std::int64_t& value) {
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  if (code == SQLITE_OK) {
    code = sqlite3_step(statement);
    if (code == SQLITE_ROW) {
      value = sqlite3_column_int64(statement, 0);
      code = SQLITE_OK;
    }
  }
  if (code != SQLITE_OK) code = sqlite3_extended_errcode(db);
  sqlite3_finalize(statement);
  return code;
}

std::string joined_names(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 8;
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) text += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > kShown) text += fmt::format(" and {} more", names.size() - kShown);
  return text;
}

}  // namespace

const std::vector<std::string>& sqlite_registry_tables() {
  // Sorted. product_names (version 14) and product_search (version 7) are FTS5 tables; the names that begin
  // like them are their shadow tables.
  static const std::vector<std::string> tables = {
      "audit_events",
      "catalog_sessions",
      "dependencies",
      "domains",
      "freshness",
      "freshness_history",
      "glossaries",
      "glossary_terms",
      "glossary_versions",
      "original_documents",
      "principal_domains",
      "principals",
      "product_facets",
      "product_labels",
      "product_names",
      "product_names_config",
      "product_names_content",
      "product_names_data",
      "product_names_idx",
      "product_search",
      "product_search_config",
      "product_search_content",
      "product_search_data",
      "product_search_docsize",
      "product_search_idx",
      "products",
      "quality_runs",
      "schema_version",
      "similarity_bands",
      "similarity_entries",
      "similarity_locations",
      "sqlite_sequence",
      "standards",
      "subscriptions",
      "usage_days",
      "usage_event_ids",
      "versions",
  };
  return tables;
}

Result<SqliteFileIdentity> identify_sqlite_file(sqlite3* db, const std::filesystem::path& path) {
  SqliteFileIdentity identity;
  if (const int code = read_integer_pragma(db, "PRAGMA application_id", identity.application_id); code != SQLITE_OK) {
    return sqlite_file_error(path, code, "reading its header");
  }
  if (const int code = read_integer_pragma(db, "PRAGMA user_version", identity.user_version); code != SQLITE_OK) {
    return sqlite_file_error(path, code, "reading its header");
  }
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(db,
                                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                                -1, &statement, nullptr);
  if (code == SQLITE_OK) {
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
      identity.tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
    }
    if (code == SQLITE_DONE) code = SQLITE_OK;
  }
  if (code != SQLITE_OK) code = sqlite3_extended_errcode(db);
  sqlite3_finalize(statement);
  if (code != SQLITE_OK) return sqlite_file_error(path, code, "reading its list of tables");

  identity.marked = identity.application_id == kRegistryApplicationId;
  const auto& known = sqlite_registry_tables();
  const bool only_registry_tables = std::all_of(identity.tables.begin(), identity.tables.end(), [&](const auto& name) {
    return std::find(known.begin(), known.end(), name) != known.end();
  });
  const bool has_schema_version =
      std::find(identity.tables.begin(), identity.tables.end(), "schema_version") != identity.tables.end();
  if (identity.marked) {
    identity.kind = SqliteFileKind::registry;
  } else if (identity.application_id != 0 || identity.user_version != 0) {
    identity.kind = SqliteFileKind::foreign;
  } else if (identity.tables.empty()) {
    identity.kind = SqliteFileKind::empty;
  } else if (has_schema_version && only_registry_tables) {
    identity.kind = SqliteFileKind::registry;  // written by a meshctl from before the application id
  } else {
    identity.kind = SqliteFileKind::foreign;
  }
  return identity;
}

bool on_read_only_filesystem(const std::filesystem::path& path) {
  struct statvfs stats {};
  return ::statvfs(path.c_str(), &stats) == 0 && (stats.f_flag & ST_RDONLY) != 0;
}

// file:PATH?immutable=1, PATH percent-encoded where SQLite's URI syntax needs it.
std::string immutable_uri(const std::filesystem::path& path) {
  std::string uri = "file:";
  for (const char c : path.string()) {
    if (c == '%' || c == '?' || c == '#') {
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      uri += c;
    }
  }
  return uri + "?immutable=1";
}

Error not_a_registry(const std::filesystem::path& path, const SqliteFileIdentity& identity) {
  const std::string file = path.string();
  std::string holds;
  if (!identity.tables.empty()) {
    holds = fmt::format("it holds table{} {}", identity.tables.size() == 1 ? "" : "s", joined_names(identity.tables));
  } else {
    holds = fmt::format("it is marked as another application's database (application_id {}, user_version {})",
                        identity.application_id, identity.user_version);
  }
  return make_error(
      ErrorKind::unavailable,
      fmt::format("{} is not a meshctl registry: {}; it was left untouched: give --registry another path", file, holds),
      {{"registry", file}, {"tables", identity.tables}});
}

Error sqlite_file_error(const std::filesystem::path& path, int code, std::string_view what, int system_errno) {
  const std::string file = path.string();
  // A failed write() reaches SQLite as an I/O error; errno says why.
  if ((code & 0xff) == SQLITE_IOERR && system_errno == ENOSPC) code = SQLITE_FULL;
  if ((code & 0xff) == SQLITE_IOERR && system_errno == EROFS) code = SQLITE_READONLY;
  const nlohmann::json details = {{"registry", file}, {"sqliteCode", code}};
  switch (code & 0xff) {
    case SQLITE_NOTADB:
      return make_error(ErrorKind::unavailable,
                        fmt::format("{} is not a meshctl registry: it is not an SQLite database, or its header is "
                                    "damaged; give --registry another path, or restore the registry from a backup "
                                    "(meshctl registry restore FILE)",
                                    file),
                        details);
    case SQLITE_CORRUPT:
      return make_error(ErrorKind::unavailable,
                        fmt::format("the registry {} is corrupt (SQLite: {}) while {}: restore it from a backup "
                                    "(meshctl registry restore FILE)",
                                    file, sqlite3_errstr(code), what),
                        details);
    case SQLITE_READONLY:
      return make_error(ErrorKind::unavailable,
                        fmt::format("cannot write the registry {} while {}: the file or its folder is read-only; "
                                    "make both writable, or write to another registry",
                                    file, what),
                        details);
    case SQLITE_FULL:
      return make_error(ErrorKind::unavailable,
                        fmt::format("the disk holding the registry {} is full (while {}): the change was not "
                                    "written; free some space and run the command again",
                                    file, what),
                        details);
    case SQLITE_CANTOPEN:
      return make_error(ErrorKind::unavailable,
                        fmt::format("cannot open the registry {} (while {}): check that the file and its folder "
                                    "exist and are readable, and that the folder is writable",
                                    file, what),
                        details);
    default: break;
  }
  return make_error(ErrorKind::unavailable,
                    fmt::format("registry storage error while {} in {}: {}", what, file, sqlite3_errstr(code)),
                    details);
}

}  // namespace meshctl::registry
