// The PostgreSQL store's transaction: the business glossary, the statements of the SQLite store
// (sqlite_glossary.cpp) in PostgreSQL's spelling.

#include <fmt/format.h>

#include "meshctl/core/json_text.h"
#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {

namespace {

constexpr const char* kTermColumns =
    "SELECT t.document, t.domain, t.glossary, t.version, g.owner_team, g.owner_email "
    "FROM glossary_terms t JOIN glossaries g ON g.domain = t.domain AND g.name = t.glossary";

Result<TermRecord> read_term(const pqxx::row& row) {
  auto document = nlohmann::json::parse(text(row, 0), nullptr, false);
  auto term = manifest::glossary_term_from_json(document);
  if (!term) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the stored term of glossary {}/{} does not decode: {}", text(row, 1), text(row, 2),
                                  term.error().message));
  }
  return TermRecord{std::move(*term), text(row, 1), text(row, 2), text(row, 3), Owner{text(row, 4), text(row, 5)}};
}

}  // namespace

Result<std::optional<GlossaryRecord>> PostgresTransaction::find_glossary(const std::string& domain,
                                                                         const std::string& name) {
  using Found = std::optional<GlossaryRecord>;
  return guarded(connection_, fmt::format("reading glossary {}/{}", domain, name), [&]() -> Result<Found> {
    lock(LockSpace::glossary, domain + "/" + name);
    const auto rows = execute(
        "SELECT latest_version, revision, owner_team, owner_email, created_at, updated_at FROM glossaries "
        "WHERE domain = $1 AND name = $2",
        {domain, name});
    if (rows.empty()) return Found();
    const auto& row = rows[0];
    return Found(GlossaryRecord{domain, name, text(row, 0), integer(row, 1), Owner{text(row, 2), text(row, 3)},
                                text(row, 4), text(row, 5)});
  });
}

Result<std::optional<GlossaryVersionRecord>> PostgresTransaction::find_glossary_version(const std::string& domain,
                                                                                        const std::string& name,
                                                                                        const std::string& version) {
  using Found = std::optional<GlossaryVersionRecord>;
  return guarded(connection_, fmt::format("reading version {} of glossary {}/{}", version, domain, name),
                 [&]() -> Result<Found> {
                   const auto rows = execute(
                       "SELECT document, content_hash, published_at, published_by FROM glossary_versions "
                       "WHERE domain = $1 AND name = $2 AND version = $3",
                       {domain, name, version});
                   if (rows.empty()) return Found();
                   const auto& row = rows[0];
                   return Found(GlossaryVersionRecord{domain, name, version, text(row, 0), text(row, 1), text(row, 2),
                                                      text(row, 3)});
                 });
}

Status PostgresTransaction::save_glossary(const GlossaryRecord& glossary, std::int64_t expected_revision) {
  const auto what = fmt::format("writing glossary {}/{}", glossary.domain, glossary.name);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    if (expected_revision == 0) {
      execute(
          "INSERT INTO glossaries (domain, name, latest_version, revision, owner_team, owner_email, created_at, "
          "updated_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $7)",
          {glossary.domain, glossary.name, glossary.latest_version, glossary.owner.team, glossary.owner.email,
           glossary.created_at, glossary.updated_at});
      return ok_status();
    }
    const auto result = execute(
        "UPDATE glossaries SET latest_version = $1, revision = revision + 1, owner_team = $2, owner_email = $3, "
        "updated_at = $4 WHERE domain = $5 AND name = $6 AND revision = $7",
        {glossary.latest_version, glossary.owner.team, glossary.owner.email, glossary.updated_at, glossary.domain,
         glossary.name, std::to_string(expected_revision)});
    if (result.affected_rows() == 0) {
      return make_error(ErrorKind::conflict,
                        fmt::format("glossary {}/{} changed since it was read (a concurrent change won): apply again",
                                    glossary.domain, glossary.name));
    }
    return ok_status();
  });
}

Status PostgresTransaction::insert_glossary_version(const GlossaryVersionRecord& version,
                                                    const std::vector<TermRecord>& terms) {
  const auto what = fmt::format("writing version {} of glossary {}/{}", version.version, version.domain, version.name);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    execute(
        "INSERT INTO glossary_versions (domain, name, version, document, content_hash, published_at, published_by) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {version.domain, version.name, version.version, version.document_json, version.content_hash,
         version.published_at, version.published_by});
    execute("DELETE FROM glossary_terms WHERE domain = $1 AND glossary = $2", {version.domain, version.name});
    for (const auto& term : terms) {
      execute(
          "INSERT INTO glossary_terms (name, domain, glossary, version, status, document) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {term.term.name, version.domain, version.name, version.version, term.term.status,
           json_text(manifest::to_json(term.term))});
    }
    return ok_status();
  });
}

Result<std::vector<TermRecord>> PostgresTransaction::list_terms(const std::optional<std::string>& domain) {
  using Terms = std::vector<TermRecord>;
  return guarded(connection_, "reading the glossary's terms", [&]() -> Result<Terms> {
    const auto rows = execute(std::string(kTermColumns) + " WHERE ($1::text IS NULL OR t.domain = $1::text) ORDER BY t.name",
                              {domain});
    Terms terms;
    for (const auto& row : rows) {
      auto term = read_term(row);
      if (!term) return term.error();
      terms.push_back(std::move(*term));
    }
    return terms;
  });
}

Result<std::optional<TermRecord>> PostgresTransaction::find_term(const std::string& name) {
  using Found = std::optional<TermRecord>;
  return guarded(connection_, fmt::format("reading term {}", name), [&]() -> Result<Found> {
    const auto rows = execute(std::string(kTermColumns) + " WHERE t.name = $1", {name});
    if (rows.empty()) return Found();
    auto term = read_term(rows[0]);
    if (!term) return term.error();
    return Found(std::move(*term));
  });
}

}  // namespace meshctl::registry
