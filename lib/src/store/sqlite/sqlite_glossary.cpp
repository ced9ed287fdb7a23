#include "store/sqlite/sqlite_glossary.h"

#include <fmt/format.h>

#include "meshctl/core/json_text.h"

namespace meshctl::registry::sqlite_glossary {

namespace {

Status require_write(TransactionMode mode, std::string_view what) {
  if (mode == TransactionMode::write) return ok_status();
  return make_error(ErrorKind::invalid, fmt::format("{}: a read transaction cannot write", what));
}

// The columns of a TermRecord, over glossary_terms t joined with glossaries g.
constexpr const char* kTermColumns =
    "SELECT t.document, t.domain, t.glossary, t.version, g.owner_team, g.owner_email "
    "FROM glossary_terms t JOIN glossaries g ON g.domain = t.domain AND g.name = t.glossary";

Result<TermRecord> read_term(const Statement& row) {
  const auto text = row.text(0);
  auto document = nlohmann::json::parse(text, nullptr, false);
  auto term = manifest::glossary_term_from_json(document);
  if (!term) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the stored term of glossary {}/{} does not decode: {}", row.text(1), row.text(2),
                                  term.error().message));
  }
  return TermRecord{std::move(*term), row.text(1), row.text(2), row.text(3), Owner{row.text(4), row.text(5)}};
}

}  // namespace

Result<std::optional<GlossaryRecord>> find_glossary(SqliteStore::Connection& connection, const std::string& domain,
                                                    const std::string& name) {
  auto statement = connection.prepare(
      "SELECT latest_version, revision, owner_team, owner_email, created_at, updated_at FROM glossaries "
      "WHERE domain = ? AND name = ?");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, domain).bind(2, name);
  const int code = row.step();
  if (code == SQLITE_DONE) return std::optional<GlossaryRecord>();
  if (code != SQLITE_ROW) return connection.error(code, fmt::format("reading glossary {}/{}", domain, name));
  return std::optional<GlossaryRecord>(GlossaryRecord{domain, name, row.text(0), row.integer(1),
                                                      Owner{row.text(2), row.text(3)}, row.text(4), row.text(5)});
}

Result<std::optional<GlossaryVersionRecord>> find_glossary_version(SqliteStore::Connection& connection,
                                                                   const std::string& domain, const std::string& name,
                                                                   const std::string& version) {
  auto statement = connection.prepare(
      "SELECT document, content_hash, published_at, published_by FROM glossary_versions "
      "WHERE domain = ? AND name = ? AND version = ?");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, domain).bind(2, name).bind(3, version);
  const int code = row.step();
  if (code == SQLITE_DONE) return std::optional<GlossaryVersionRecord>();
  if (code != SQLITE_ROW) {
    return connection.error(code, fmt::format("reading version {} of glossary {}/{}", version, domain, name));
  }
  return std::optional<GlossaryVersionRecord>(
      GlossaryVersionRecord{domain, name, version, row.text(0), row.text(1), row.text(2), row.text(3)});
}

Status save_glossary(SqliteStore::Connection& connection, TransactionMode mode, const GlossaryRecord& glossary,
                     std::int64_t expected_revision) {
  const auto what = fmt::format("writing glossary {}/{}", glossary.domain, glossary.name);
  if (auto status = require_write(mode, what); !status.ok()) return status;
  if (expected_revision == 0) {
    auto statement = connection.prepare(
        "INSERT INTO glossaries (domain, name, latest_version, revision, owner_team, owner_email, created_at, "
        "updated_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)");
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, glossary.domain).bind(2, glossary.name).bind(3, glossary.latest_version);
    row.bind(4, glossary.owner.team).bind(5, glossary.owner.email).bind(6, glossary.created_at);
    row.bind(7, glossary.updated_at);
    if (const int code = row.step(); code != SQLITE_DONE) {
      return connection.error(sqlite3_extended_errcode(connection.db), what);
    }
    return ok_status();
  }
  auto statement = connection.prepare(
      "UPDATE glossaries SET latest_version = ?, revision = revision + 1, owner_team = ?, owner_email = ?, "
      "updated_at = ? WHERE domain = ? AND name = ? AND revision = ?");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, glossary.latest_version).bind(2, glossary.owner.team).bind(3, glossary.owner.email);
  row.bind(4, glossary.updated_at).bind(5, glossary.domain).bind(6, glossary.name).bind(7, expected_revision);
  if (const int code = row.step(); code != SQLITE_DONE) {
    return connection.error(sqlite3_extended_errcode(connection.db), what);
  }
  if (connection.changes() != 1) {
    return make_error(ErrorKind::conflict,
                      fmt::format("glossary {}/{} changed since it was read (a concurrent change won): apply again",
                                  glossary.domain, glossary.name));
  }
  return ok_status();
}

Status insert_glossary_version(SqliteStore::Connection& connection, TransactionMode mode,
                               const GlossaryVersionRecord& version, const std::vector<TermRecord>& terms) {
  const auto what = fmt::format("writing version {} of glossary {}/{}", version.version, version.domain, version.name);
  if (auto status = require_write(mode, what); !status.ok()) return status;
  auto insert = connection.prepare(
      "INSERT INTO glossary_versions (domain, name, version, document, content_hash, published_at, published_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  auto& row = **insert;
  row.bind(1, version.domain).bind(2, version.name).bind(3, version.version).bind(4, version.document_json);
  row.bind(5, version.content_hash).bind(6, version.published_at).bind(7, version.published_by);
  if (const int code = row.step(); code != SQLITE_DONE) {
    return connection.error(sqlite3_extended_errcode(connection.db), what);
  }
  auto remove = connection.prepare("DELETE FROM glossary_terms WHERE domain = ? AND glossary = ?");
  if (!remove.ok()) return remove.error();
  (*remove)->bind(1, version.domain).bind(2, version.name);
  if (const int code = (*remove)->step(); code != SQLITE_DONE) return connection.error(code, what);
  for (const auto& term : terms) {
    auto add = connection.prepare(
        "INSERT INTO glossary_terms (name, domain, glossary, version, status, document) VALUES (?, ?, ?, ?, ?, ?)");
    if (!add.ok()) return add.error();
    auto& term_row = **add;
    term_row.bind(1, term.term.name).bind(2, version.domain).bind(3, version.name).bind(4, version.version);
    term_row.bind(5, term.term.status).bind(6, json_text(manifest::to_json(term.term)));
    if (const int code = term_row.step(); code != SQLITE_DONE) {
      return connection.error(sqlite3_extended_errcode(connection.db),
                              fmt::format("{}: term '{}'", what, term.term.name));
    }
  }
  return ok_status();
}

Result<std::vector<TermRecord>> list_terms(SqliteStore::Connection& connection,
                                           const std::optional<std::string>& domain) {
  auto statement = connection.prepare(std::string(kTermColumns) +
                                      (domain ? " WHERE t.domain = ? ORDER BY t.name" : " ORDER BY t.name"));
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  if (domain) row.bind(1, *domain);
  std::vector<TermRecord> terms;
  int code = 0;
  while ((code = row.step()) == SQLITE_ROW) {
    auto term = read_term(row);
    if (!term) return term.error();
    terms.push_back(std::move(*term));
  }
  if (code != SQLITE_DONE) return connection.error(code, "reading the glossary's terms");
  return terms;
}

Result<std::optional<TermRecord>> find_term(SqliteStore::Connection& connection, const std::string& name) {
  auto statement = connection.prepare(std::string(kTermColumns) + " WHERE t.name = ?");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, name);
  const int code = row.step();
  if (code == SQLITE_DONE) return std::optional<TermRecord>();
  if (code != SQLITE_ROW) return connection.error(code, fmt::format("reading term {}", name));
  auto term = read_term(row);
  if (!term) return term.error();
  return std::optional<TermRecord>(std::move(*term));
}

}  // namespace meshctl::registry::sqlite_glossary
