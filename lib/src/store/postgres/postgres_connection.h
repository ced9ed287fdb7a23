#pragma once

// Private to the PostgreSQL store: the one libpqxx connection of a
// PostgresStore, its cache of prepared statements, and libpqxx's exceptions
// turned into meshctl's error kinds at this seam (nothing above it sees an
// exception).

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <pqxx/pqxx>

#include "meshctl/core/error.h"
#include "meshctl/store/postgres/postgres_store.h"

namespace meshctl::registry {

// Statement parameters as text, nullopt for SQL NULL. PostgreSQL converts
// text to each parameter's inferred type (bigint, text).
using Parameters = std::vector<std::optional<std::string>>;

struct PostgresStore::Connection {
  std::unique_ptr<pqxx::connection> db;
  std::string connect_uri;  // the URI with the options meshctl adds: to connect again
  std::string location;     // redact_postgres_uri of the URI: for messages
  PostgresStoreOptions options;
  std::unordered_map<std::string, std::string> statement_names;  // SQL text -> prepared statement name
  bool in_transaction = false;
  std::optional<std::string> snapshot;  // for changed_since_last_call; nullopt before the first call

  // Runs `sql` ($1, $2... placeholders) as a statement prepared once per
  // connection. Throws what libpqxx throws.
  pqxx::result execute(pqxx::transaction_base& transaction, const std::string& sql, const Parameters& parameters);

  // The error a libpqxx exception means, for a caller that was `what`
  // ("publishing sales/orders@1.2.0"):
  //   unique violation (23505), serialization failure (40001), deadlock
  //   (40P01) -> conflict; a lock waited for past options.lock_wait (55P03)
  //   -> unavailable, "busy"; a lost connection or anything else ->
  //   unavailable, naming `location` (never the password).
  Error error(const std::exception& failure, std::string_view what) const;
};

// Connects to `uri` (nothing more: no migration). ErrorKind::unavailable
// when the server cannot be reached or refuses the login.
Result<std::unique_ptr<PostgresStore::Connection>> connect_postgres(const std::string& uri,
                                                                    PostgresStoreOptions options);

// Runs `work` (which may throw libpqxx exceptions) and returns its result, or
// the error its exception means.
template <typename Work>
auto guarded(const PostgresStore::Connection& connection, std::string_view what, Work work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::exception& failure) {
    return connection.error(failure, what);
  }
}

std::unique_ptr<StoreTransaction> make_postgres_transaction(PostgresStore::Connection& connection,
                                                            TransactionMode mode);

// A result column as text ("" for NULL), as optional text, as an integer.
inline std::string text(const pqxx::row& row, int column) {
  return row[column].is_null() ? std::string() : std::string(row[column].c_str());
}
inline std::optional<std::string> optional_text(const pqxx::row& row, int column) {
  if (row[column].is_null()) return std::nullopt;
  return std::string(row[column].c_str());
}
inline std::int64_t integer(const pqxx::row& row, int column) {
  return row[column].as<std::int64_t>();
}

}  // namespace meshctl::registry
