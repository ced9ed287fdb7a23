#include "store/sqlite/sqlite_usage.h"

#include <fmt/format.h>

namespace meshctl::registry::sqlite_usage {
namespace {

Status require_write(TransactionMode mode, std::string_view what) {
  if (mode == TransactionMode::write) return ok_status();
  return make_error(ErrorKind::invalid, fmt::format("{}: a read transaction cannot write", what));
}

Status step_done(Connection& connection, Statement& statement, std::string_view what) {
  const int code = statement.step();
  if (code != SQLITE_DONE) return connection.error(sqlite3_extended_errcode(connection.db), what);
  return ok_status();
}

// Reads every row of `statement` with `read`.
template <typename T, typename Read>
Result<std::vector<T>> rows(Connection& connection, Statement& statement, std::string_view what, Read read) {
  std::vector<T> result;
  int code = 0;
  while ((code = statement.step()) == SQLITE_ROW) result.push_back(read(statement));
  if (code != SQLITE_DONE) return connection.error(code, what);
  return result;
}

constexpr const char* kSubscriptionColumns =
    "SELECT domain, name, consumer, port, team, version_constraint, purpose, created_at, created_by, owner_domains "
    "FROM subscriptions";

Subscription read_subscription(const Statement& row) {
  return {{row.text(0), row.text(1)},
          row.text(2),
          row.text(4),
          row.text(3),
          row.text(5),
          row.text(6),
          row.text(7),
          row.text(8),
          split_domains(row.text(9))};
}

}  // namespace

Status upsert_subscription(Connection& connection, TransactionMode mode, const Subscription& subscription) {
  const auto what =
      fmt::format("recording the subscription of {} to {}", subscription.consumer, subscription.product.text());
  if (auto writable = require_write(mode, what); !writable.ok()) return writable;
  auto statement = connection.prepare(
      "INSERT INTO subscriptions (domain, name, consumer, port, team, version_constraint, purpose, created_at, "
      "created_by, owner_domains) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (domain, name, consumer, port) "
      "DO UPDATE SET team = excluded.team, version_constraint = excluded.version_constraint, "
      "purpose = excluded.purpose, created_at = excluded.created_at, created_by = excluded.created_by, "
      "owner_domains = excluded.owner_domains");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, subscription.product.domain).bind(2, subscription.product.name).bind(3, subscription.consumer);
  row.bind(4, subscription.port).bind(5, subscription.team).bind(6, subscription.version_constraint);
  row.bind(7, subscription.purpose).bind(8, subscription.created_at).bind(9, subscription.created_by);
  row.bind(10, join_domains(subscription.owner_domains));
  return step_done(connection, row, what);
}

Result<std::int64_t> delete_subscriptions(Connection& connection, TransactionMode mode, const ProductRef& product,
                                          const std::string& consumer, const std::optional<std::string>& port) {
  const auto what = fmt::format("removing subscriptions of {} to {}", consumer, product.text());
  if (auto writable = require_write(mode, what); !writable.ok()) return writable.error();
  auto statement = connection.prepare(
      "DELETE FROM subscriptions WHERE domain = ? AND name = ? AND consumer = ? AND (?4 IS NULL OR port = ?4)");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, product.domain).bind(2, product.name).bind(3, consumer).bind(4, port);
  if (auto status = step_done(connection, row, what); !status.ok()) return status.error();
  return connection.changes();
}

Result<std::vector<Subscription>> list_subscriptions(Connection& connection, const std::optional<ProductRef>& product) {
  auto statement = connection.prepare(
      product ? fmt::format("{} WHERE domain = ? AND name = ? ORDER BY consumer, port", kSubscriptionColumns)
              : fmt::format("{} ORDER BY domain, name, consumer, port", kSubscriptionColumns));
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  if (product) row.bind(1, product->domain).bind(2, product->name);
  return rows<Subscription>(connection, row, "listing subscriptions", read_subscription);
}

Result<std::vector<bool>> remember_usage_ids(Connection& connection, TransactionMode mode,
                                             const std::vector<std::string>& ids, const std::string& reported_by) {
  constexpr std::string_view what = "remembering usage event ids";
  if (auto writable = require_write(mode, what); !writable.ok()) return writable.error();
  static const std::string sql = "INSERT INTO usage_event_ids (id, reported_by) VALUES (?, ?) ON CONFLICT DO NOTHING";
  std::vector<bool> fresh;
  fresh.reserve(ids.size());
  for (const auto& id : ids) {
    // The cached statement, reset when `statement` goes out of scope.
    auto statement = connection.prepare(sql);
    if (!statement.ok()) return statement.error();
    (*statement)->bind(1, id).bind(2, reported_by);
    if (auto status = step_done(connection, **statement, what); !status.ok()) return status.error();
    fresh.push_back(connection.changes() == 1);
  }
  return fresh;
}

Status add_usage_days(Connection& connection, TransactionMode mode, const std::vector<UsageDay>& days) {
  constexpr std::string_view what = "recording usage";
  if (auto writable = require_write(mode, what); !writable.ok()) return writable;
  static const std::string sql =
      "INSERT INTO usage_days (domain, name, day, consumer, port, version, event_count, row_count, byte_count, "
      "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (domain, name, day, consumer, port, version) DO UPDATE SET "
      "event_count = event_count + excluded.event_count, row_count = row_count + excluded.row_count, "
      "byte_count = byte_count + excluded.byte_count, last_seen = max(last_seen, excluded.last_seen)";
  for (const auto& day : days) {
    auto statement = connection.prepare(sql);
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, day.product.domain).bind(2, day.product.name).bind(3, day.day).bind(4, day.consumer);
    row.bind(5, day.port).bind(6, day.version).bind(7, day.events).bind(8, day.rows).bind(9, day.bytes);
    row.bind(10, day.last_seen);
    if (auto status = step_done(connection, row, what); !status.ok()) return status;
  }
  return ok_status();
}

Result<std::vector<UsageDay>> usage_days(Connection& connection, const ProductRef& product,
                                         const std::string& since_day) {
  auto statement = connection.prepare(
      "SELECT domain, name, day, consumer, port, version, event_count, row_count, byte_count, last_seen "
      "FROM usage_days WHERE domain = ? AND name = ? AND day >= ? ORDER BY day, consumer, port, version");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, product.domain).bind(2, product.name).bind(3, since_day);
  return rows<UsageDay>(connection, row, "reading usage", [](const Statement& read) {
    return UsageDay{{read.text(0), read.text(1)},
                    read.text(2),
                    read.text(3),
                    read.text(4),
                    read.text(5),
                    read.integer(6),
                    read.integer(7),
                    read.integer(8),
                    read.text(9)};
  });
}

Status record_freshness(Connection& connection, TransactionMode mode, const FreshnessRecord& record,
                        const std::string& history_since) {
  const auto what = fmt::format("recording the freshness of {} port {}", record.product.text(), record.port);
  if (auto writable = require_write(mode, what); !writable.ok()) return writable;
  for (const char* sql : {
           "INSERT INTO freshness (domain, name, port, updated_at, reported_at, reported_by) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
           "ON CONFLICT (domain, name, port) DO UPDATE SET updated_at = excluded.updated_at, "
           "reported_at = excluded.reported_at, reported_by = excluded.reported_by "
           "WHERE excluded.updated_at > freshness.updated_at",
           "INSERT INTO freshness_history (domain, name, port, updated_at, reported_at, reported_by) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (domain, name, port, updated_at) DO NOTHING",
       }) {
    auto statement = connection.prepare(sql);
    if (!statement.ok()) return statement.error();
    auto& row = **statement;
    row.bind(1, record.product.domain).bind(2, record.product.name).bind(3, record.port);
    row.bind(4, record.updated_at).bind(5, record.reported_at).bind(6, record.reported_by);
    if (auto status = step_done(connection, row, what); !status.ok()) return status;
  }
  auto prune = connection.prepare(
      "DELETE FROM freshness_history WHERE domain = ?1 AND name = ?2 AND port = ?3 AND updated_at < "
      "(SELECT max(updated_at) FROM freshness_history WHERE domain = ?1 AND name = ?2 AND port = ?3 "
      "AND updated_at < ?4)");
  if (!prune.ok()) return prune.error();
  auto& row = **prune;
  row.bind(1, record.product.domain).bind(2, record.product.name).bind(3, record.port).bind(4, history_since);
  return step_done(connection, row, what);
}

Result<std::vector<FreshnessRecord>> freshness_of(Connection& connection, const ProductRef& product) {
  auto statement = connection.prepare(
      "SELECT domain, name, port, updated_at, reported_at, reported_by FROM freshness WHERE domain = ? AND name = ? "
      "ORDER BY port");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, product.domain).bind(2, product.name);
  return rows<FreshnessRecord>(connection, row, "reading freshness", [](const Statement& read) {
    return FreshnessRecord{{read.text(0), read.text(1)}, read.text(2), read.text(3), read.text(4), read.text(5)};
  });
}

Result<std::vector<FreshnessRecord>> freshness_history(Connection& connection, const ProductRef& product,
                                                       const std::string& since) {
  auto statement = connection.prepare(
      "SELECT domain, name, port, updated_at, reported_at, reported_by FROM freshness_history h "
      "WHERE domain = ?1 AND name = ?2 AND (updated_at >= ?3 OR updated_at = (SELECT max(updated_at) "
      "FROM freshness_history WHERE domain = ?1 AND name = ?2 AND port = h.port AND updated_at < ?3)) "
      "ORDER BY port, updated_at");
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  row.bind(1, product.domain).bind(2, product.name).bind(3, since);
  return rows<FreshnessRecord>(connection, row, "reading the freshness history", [](const Statement& read) {
    return FreshnessRecord{{read.text(0), read.text(1)}, read.text(2), read.text(3), read.text(4), read.text(5)};
  });
}

Result<std::vector<DependencyEdge>> all_dependencies(Connection& connection) {
  auto statement = connection.prepare(
      "SELECT c.domain, c.name, d.port, d.provider_domain, d.provider_name, d.version_constraint, c.status "
      "FROM dependencies d JOIN products c ON c.id = d.product_id ORDER BY c.domain, c.name, d.ordinal");
  if (!statement.ok()) return statement.error();
  return rows<DependencyEdge>(connection, **statement, "reading dependencies", [](const Statement& read) {
    return DependencyEdge{{read.text(0), read.text(1)},
                          read.text(2),
                          {read.text(3), read.text(4)},
                          read.text(5),
                          parse_lifecycle_status(read.text(6)).value_or(LifecycleStatus::active)};
  });
}

}  // namespace meshctl::registry::sqlite_usage
