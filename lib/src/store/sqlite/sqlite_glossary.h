#pragma once

// The SQLite store's business glossary (`kind: Glossary`), as free functions over the transaction's
// connection, so SqliteTransaction only forwards. Contract: store.h (StoreTransaction::find_glossary ...
// find_term).

#include <optional>
#include <string>
#include <vector>

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_glossary {

Result<std::optional<GlossaryRecord>> find_glossary(SqliteStore::Connection& connection, const std::string& domain,
                                                    const std::string& name);
Result<std::optional<GlossaryVersionRecord>> find_glossary_version(SqliteStore::Connection& connection,
                                                                   const std::string& domain, const std::string& name,
                                                                   const std::string& version);
Status save_glossary(SqliteStore::Connection& connection, TransactionMode mode, const GlossaryRecord& glossary,
                     std::int64_t expected_revision);
Status insert_glossary_version(SqliteStore::Connection& connection, TransactionMode mode,
                               const GlossaryVersionRecord& version, const std::vector<TermRecord>& terms);
Result<std::vector<TermRecord>> list_terms(SqliteStore::Connection& connection,
                                           const std::optional<std::string>& domain);
Result<std::optional<TermRecord>> find_term(SqliteStore::Connection& connection, const std::string& name);

}  // namespace meshctl::registry::sqlite_glossary
