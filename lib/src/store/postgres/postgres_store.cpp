#include "meshctl/store/postgres/postgres_store.h"

#include <algorithm>

#include <fmt/format.h>
#include <poll.h>

#include "store/postgres/postgres_connection.h"
#include "store/postgres/postgres_schema.h"

namespace meshctl::registry {
namespace {

// Advisory lock key (the one-bigint form) held while a database is migrated;
// see also the two-int keys in postgres_transaction.cpp.
constexpr std::int64_t kMigrationLock = 0x6d657368'00000001;  // "mesh", 1

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server
// running..."); one line reads better in an error.
std::string one_line(std::string_view text) {
  std::string line;
  bool space = false;
  for (const char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

// The URI with a connect timeout (libpq waits forever by default) and an
// application name for pg_stat_activity, unless the user set them.
std::string connection_string(const std::string& uri, const PostgresStoreOptions& options) {
  std::string result = uri;
  const auto seconds = std::max<std::int64_t>(1, (options.lock_wait.count() + 999) / 1000);
  const auto add = [&result](std::string_view key, const std::string& value) {
    if (result.find(fmt::format("{}=", key)) != std::string::npos) return;
    result += result.find('?') == std::string::npos ? '?' : '&';
    result += fmt::format("{}={}", key, value);
  };
  add("connect_timeout", std::to_string(seconds));
  add("application_name", "meshctl");
  return result;
}

// The tables of the schema the registry would be created in, when it holds
// tables and is not a meshctl registry (no schema_version table of
// meshctl's shape: one column, version); empty otherwise.
std::vector<std::string> foreign_tables(pqxx::transaction_base& transaction) {
  std::vector<std::string> tables;
  for (const auto& row : transaction.exec("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = current_schema() ORDER BY table_name")) {
    tables.push_back(row[0].as<std::string>());
  }
  if (tables.empty()) return tables;
  std::vector<std::string> columns;
  for (const auto& row : transaction.exec("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_schema = current_schema() AND table_name = 'schema_version' "
                                          "ORDER BY column_name")) {
    columns.push_back(row[0].as<std::string>());
  }
  if (columns == std::vector<std::string>{"version"}) return {};
  return tables;
}

Error not_a_postgres_registry(const PostgresStore::Connection& connection, pqxx::transaction_base& transaction,
                              const std::vector<std::string>& tables) {
  const auto schema = transaction.exec1("SELECT current_schema()")[0].as<std::string>();
  std::string names;
  for (std::size_t i = 0; i < tables.size() && i < 8; ++i) names += (i == 0 ? "" : ", ") + tables[i];
  if (tables.size() > 8) names += fmt::format(" and {} more", tables.size() - 8);
  return make_error(ErrorKind::unavailable,
                    fmt::format("the schema {} of {} is not a meshctl registry: it holds table{} {}; it was left "
                                "untouched: give the registry a database of its own, or a schema of its own "
                                "(options=-csearch_path%3DSCHEMA in the URI)",
                                schema, connection.location, tables.size() == 1 ? "" : "s", names),
                    {{"registry", connection.location}, {"schema", schema}, {"tables", tables}});
}

// A new libpqxx connection in `connection`, in place of any it had: its
// prepared statements and change snapshot belonged to the old one.
Status open_connection(PostgresStore::Connection& connection) {
  try {
    auto db = std::make_unique<pqxx::connection>(connection.connect_uri);
    // Every lock wait (a product another replica is writing, the migration
    // lock) is bounded, as the SQLite store's busy timeout bounds its waits.
    db->set_variable("lock_timeout", std::to_string(connection.options.lock_wait.count()));
    connection.db = std::move(db);
  } catch (const std::exception& failure) {
    return make_error(
        ErrorKind::unavailable,
        fmt::format("cannot connect to the registry {}: {}", connection.location, one_line(failure.what())),
        {{"registry", connection.location}});
  }
  connection.statement_names.clear();
  connection.snapshot.reset();
  return ok_status();
}

// True when an idle connection has bytes or an end waiting: between
// transactions the database sends nothing but its goodbye.
bool closed_while_idle(const pqxx::connection_base& db) {
  if (!db.is_open() || db.sock() < 0) return true;
  pollfd descriptor{db.sock(), POLLIN, 0};
  return ::poll(&descriptor, 1, 0) > 0;
}

Status migrate(PostgresStore::Connection& connection) {
  return guarded(connection, "migrating the registry", [&]() -> Status {
    pqxx::work transaction(*connection.db);
    // Replicas starting together: the first migrates, the others wait here
    // and then find the schema current. Released at commit or rollback.
    transaction.exec(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
    std::int64_t current = 0;
    if (auto foreign = foreign_tables(transaction); !foreign.empty()) {
      return not_a_postgres_registry(connection, transaction, foreign);
    }
    if (!transaction.exec1("SELECT to_regclass('schema_version') IS NOT NULL")[0].as<bool>()) {
      transaction.exec("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    } else {
      current = transaction.exec1("SELECT coalesce(max(version), 0) FROM schema_version")[0].as<std::int64_t>();
    }
    const int latest = postgres_schema_version();
    if (current > latest) {
      return make_error(ErrorKind::unavailable,
                        fmt::format("the registry {} has schema version {}, newer than this meshctl knows ({}): "
                                    "upgrade meshctl",
                                    connection.location, current, latest),
                        {{"registry", connection.location}, {"schemaVersion", current}});
    }
    if (current == latest) return ok_status();  // the transaction rolls back: nothing was written
    for (const auto& migration : postgres_schema::migrations()) {
      if (migration.version <= current) continue;
      transaction.exec(std::string(migration.sql));
      if (migration.backfill != nullptr) migration.backfill(transaction);
    }
    transaction.exec(fmt::format("DELETE FROM schema_version; INSERT INTO schema_version VALUES ({})", latest));
    transaction.commit();
    return ok_status();
  });
}

}  // namespace

pqxx::result PostgresStore::Connection::execute(pqxx::transaction_base& transaction, const std::string& sql,
                                                const Parameters& parameters) {
  auto found = statement_names.find(sql);
  if (found == statement_names.end()) {
    auto name = fmt::format("meshctl_{}", statement_names.size() + 1);
    db->prepare(name, sql);
    found = statement_names.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters) values.push_back(parameter ? parameter->c_str() : nullptr);
  return transaction.exec_prepared(found->second, pqxx::prepare::make_dynamic_params(values));
}

Error PostgresStore::Connection::error(const std::exception& failure, std::string_view what) const {
  const nlohmann::json details{{"registry", location}};
  if (dynamic_cast<const pqxx::broken_connection*>(&failure) != nullptr) {
    return make_error(
        ErrorKind::unavailable,
        fmt::format("lost the connection to the registry {} while {}: {}", location, what, one_line(failure.what())),
        details);
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&failure) != nullptr) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the connection to the registry {} broke while {}, and whether it was written is "
                                  "unknown: read it again before retrying",
                                  location, what),
                      details);
  }
  const auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&failure);
  const std::string state = sql_error != nullptr ? sql_error->sqlstate() : "";
  if (state == "23505") {
    return make_error(ErrorKind::conflict, fmt::format("{}: it already exists (a concurrent change won)", what));
  }
  if (state == "40001" || state == "40P01") {
    return make_error(ErrorKind::conflict,
                      fmt::format("{}: a concurrent change won ({}); read it again and retry", what,
                                  state == "40001" ? "serialization failure" : "deadlock"),
                      {{"registry", location}, {"sqlstate", state}});
  }
  if (state == "55P03" || state == "57014") {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the registry {} is busy: another writer held what {} needs for more than {} ms; "
                                  "try again",
                                  location, what, options.lock_wait.count()),
                      details);
  }
  auto message = fmt::format("registry storage error while {} in {}: {}", what, location, one_line(failure.what()));
  if (!state.empty()) message += fmt::format(" (SQLSTATE {})", state);
  return make_error(ErrorKind::unavailable, message, {{"registry", location}, {"sqlstate", state}});
}

Result<std::unique_ptr<PostgresStore::Connection>> connect_postgres(const std::string& uri,
                                                                    PostgresStoreOptions options) {
  auto connection = std::make_unique<PostgresStore::Connection>();
  connection->connect_uri = connection_string(uri, options);
  connection->location = redact_postgres_uri(uri);
  connection->options = options;
  if (auto connected = open_connection(*connection); !connected.ok()) return connected.error();
  return connection;
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(const std::string& uri, PostgresStoreOptions options) {
  auto connection = connect_postgres(uri, options);
  if (!connection.ok()) return connection.error();
  if (auto status = migrate(**connection); !status.ok()) return status.error();
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(*connection)));
}

PostgresStore::PostgresStore(std::unique_ptr<Connection> connection) : connection_(std::move(connection)) {}

PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<StoreTransaction>> PostgresStore::begin(TransactionMode mode) {
  if (connection_->in_transaction) {
    return make_error(ErrorKind::invalid, "this registry connection already has a transaction open");
  }
  // A connection the database closed while it sat idle (a restart, an idle
  // timeout) has the database's goodbye waiting on its socket: connecting
  // again now, instead of letting BEGIN fail on it, also spares libpqxx 6's
  // failed BEGIN, which leaks that error's PGresult.
  if (closed_while_idle(*connection_->db)) {
    if (auto connected = open_connection(*connection_); !connected.ok()) return connected.error();
  }
  try {
    return make_postgres_transaction(*connection_, mode);
  } catch (const std::exception& failure) {
    // The database closed this connection since its last transaction (it
    // restarted, or an idle timeout or a proxy dropped it), found out at
    // BEGIN: nothing of this transaction was sent, so connecting again and
    // beginning once more cannot write anything twice.
    const bool lost = dynamic_cast<const pqxx::broken_connection*>(&failure) != nullptr || !connection_->db->is_open();
    if (!lost) return connection_->error(failure, "starting a transaction");
  }
  if (auto connected = open_connection(*connection_); !connected.ok()) return connected.error();
  return guarded(*connection_, "starting a transaction", [&]() -> Result<std::unique_ptr<StoreTransaction>> {
    return make_postgres_transaction(*connection_, mode);
  });
}

Result<bool> PostgresStore::changed_since_last_call() {
  if (connection_->in_transaction) {
    return make_error(ErrorKind::invalid, "this registry connection has a transaction open");
  }
  // A snapshot is xmin:xmax:in-progress ids, xmax being one past the latest
  // finished transaction id. A commit since the previous call either moves
  // xmax or takes its id out of the in-progress list, so two equal snapshots
  // see the same committed transactions: the same data. Transaction ids are
  // the cluster's: a write to another database is a false "changed".
  return guarded(*connection_, "checking for changes", [&]() -> Result<bool> {
    pqxx::nontransaction query(*connection_->db);
    auto snapshot = query.exec1("SELECT txid_current_snapshot()::text")[0].as<std::string>();
    const bool changed = connection_->snapshot != snapshot;
    connection_->snapshot = std::move(snapshot);
    return changed;
  });
}

}  // namespace meshctl::registry
