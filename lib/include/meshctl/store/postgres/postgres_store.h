#pragma once

// The server's store for many replicas: one PostgreSQL database shared by
// every `meshctl serve` process, with the same tables and behaviour as the
// SQLite store.
//
// Concurrency between processes rests on the database only (no in-process
// lock): unique constraints on products(domain, name), versions(product_id,
// version) and principals(name), principals(token_id); the revision check of
// update_product; and, inside a write transaction, a per-product advisory lock
// that find_product takes (see postgres_transaction.cpp), so a decision read in
// a write transaction stays true until it commits.

#include <chrono>
#include <memory>
#include <string>

#include "meshctl/core/error.h"
#include "meshctl/core/registry_location.h"
#include "meshctl/store/check_report.h"
#include "meshctl/store/store.h"

namespace meshctl::registry {

struct PostgresStoreOptions {
  // How long one statement waits for a lock another process holds (a product
  // being written, the migration lock) before the caller gets
  // ErrorKind::unavailable; also the connect timeout (rounded up to seconds).
  std::chrono::milliseconds lock_wait{10000};
};

// The schema version this build writes. An older database is migrated when
// opened (under an advisory lock, so replicas starting together do not race);
// a newer one is refused.
int postgres_schema_version();

class PostgresStore final : public Store {
 public:
  // Connects to `uri` and migrates the database. Fails with
  // ErrorKind::unavailable when the server cannot be reached or refuses the
  // login (the message names the host and database, never the password),
  // when the database was written by a newer meshctl, or when the schema the
  // registry would live in (the first of search_path) holds another
  // application's tables, which are left untouched.
  static Result<std::unique_ptr<PostgresStore>> open(const std::string& uri, PostgresStoreOptions options = {});
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // One connection, so one transaction at a time; open one PostgresStore per
  // worker thread. A read transaction is a REPEATABLE READ READ ONLY snapshot;
  // a write transaction is READ COMMITTED with the locks described above.
  // REQUIRES: no other transaction of this store is alive.
  Result<std::unique_ptr<StoreTransaction>> begin(TransactionMode mode) override;
  // Compares the database's transaction snapshot (which transactions are
  // committed) with the one at the previous call: one round trip.
  Result<bool> changed_since_last_call() override;

  struct Connection;  // defined in the source

 private:
  explicit PostgresStore(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> connection_;
};

// Checks the registry in the database at `uri` without writing to it (see
// check_registry in meshctl/store/maintenance.h for what it reports and how it
// fails).
Result<RegistryCheckReport> check_postgres_registry(const std::string& uri, std::chrono::milliseconds lock_wait);

}  // namespace meshctl::registry
