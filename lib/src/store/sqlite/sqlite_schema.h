#pragma once

// The SQLite registry's schema, as ordered migrations. Private to lib (and the
// store's tests, which build files at an older version).
//
// Rules for changing it: never edit a migration that has shipped; append a new
// one. Migration N brings a file from schema version N-1 to N, runs inside the
// transaction that records N in `schema_version`, and must keep every existing
// row readable.

#include <span>
#include <string_view>

#include "meshctl/core/error.h"
#include "meshctl/store/sqlite/sqlite_store.h"

namespace meshctl::registry::sqlite_schema {

struct Migration {
  int version;           // the schema version after this migration
  std::string_view sql;  // one or more statements
  // Rows SQL cannot compute, written after `sql` in the same transaction (nullptr: none).
  Status (*backfill)(SqliteStore::Connection& connection) = nullptr;
};

// Ascending by version, starting at 1; a gap is a number reserved by another branch (docs: the lead's
// coordination notes), never a skipped migration. 9 is unused: the similarity index, first numbered 9, is 12.
std::span<const Migration> migrations();

}  // namespace meshctl::registry::sqlite_schema
