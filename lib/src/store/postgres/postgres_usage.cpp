// The PostgreSQL store's transaction: subscriptions, usage aggregates and
// freshness, the statements of the SQLite store (sqlite_usage.cpp)
// in PostgreSQL's spelling.

#include <fmt/format.h>

#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {
namespace {

constexpr const char* kPgSubscriptionColumns =
    "SELECT domain, name, consumer, port, team, version_constraint, purpose, created_at, created_by, owner_domains "
    "FROM subscriptions";

}  // namespace

Status PostgresTransaction::upsert_subscription(const Subscription& subscription) {
  const auto what =
      fmt::format("recording the subscription of {} to {}", subscription.consumer, subscription.product.text());
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    execute(
        "INSERT INTO subscriptions (domain, name, consumer, port, team, version_constraint, purpose, created_at, "
        "created_by, owner_domains) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (domain, name, consumer, port) DO UPDATE SET team = EXCLUDED.team, "
        "version_constraint = EXCLUDED.version_constraint, purpose = EXCLUDED.purpose, "
        "created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by, owner_domains = EXCLUDED.owner_domains",
        {subscription.product.domain, subscription.product.name, subscription.consumer, subscription.port,
         subscription.team, subscription.version_constraint, subscription.purpose, subscription.created_at,
         subscription.created_by, join_domains(subscription.owner_domains)});
    return ok_status();
  });
}

Result<std::int64_t> PostgresTransaction::delete_subscriptions(const ProductRef& product, const std::string& consumer,
                                                               const std::optional<std::string>& port) {
  const auto what = fmt::format("removing subscriptions of {} to {}", consumer, product.text());
  if (auto status = require_write(what); !status.ok()) return status.error();
  return guarded(connection_, what, [&]() -> Result<std::int64_t> {
    const auto result = execute(
        "DELETE FROM subscriptions WHERE domain = $1 AND name = $2 AND consumer = $3 "
        "AND ($4::text IS NULL OR port = $4::text)",
        {product.domain, product.name, consumer, port});
    return static_cast<std::int64_t>(result.affected_rows());
  });
}

Result<std::vector<Subscription>> PostgresTransaction::list_subscriptions(const std::optional<ProductRef>& product) {
  return guarded(connection_, "listing subscriptions", [&]() -> Result<std::vector<Subscription>> {
    const auto rows =
        product
            ? execute(fmt::format("{} WHERE domain = $1 AND name = $2 ORDER BY consumer, port", kPgSubscriptionColumns),
                      {product->domain, product->name})
            : execute(fmt::format("{} ORDER BY domain, name, consumer, port", kPgSubscriptionColumns), {});
    std::vector<Subscription> subscriptions;
    for (const auto& row : rows) {
      subscriptions.push_back({{text(row, 0), text(row, 1)},
                               text(row, 2),
                               text(row, 4),
                               text(row, 3),
                               text(row, 5),
                               text(row, 6),
                               text(row, 7),
                               text(row, 8),
                               split_domains(text(row, 9))});
    }
    return subscriptions;
  });
}

Result<std::vector<bool>> PostgresTransaction::remember_usage_ids(const std::vector<std::string>& ids,
                                                                  const std::string& reported_by) {
  const std::string what = "remembering usage event ids";
  if (auto status = require_write(what); !status.ok()) return status.error();
  return guarded(connection_, what, [&]() -> Result<std::vector<bool>> {
    // One statement per id keeps "new only the first time" for an id repeated
    // in `ids`; another replica inserting the same id concurrently makes this
    // insert wait for its commit, and then do nothing.
    std::vector<bool> fresh;
    fresh.reserve(ids.size());
    for (const auto& id : ids) {
      const auto result = execute(
          "INSERT INTO usage_event_ids (id, reported_by) VALUES ($1, $2) ON CONFLICT DO NOTHING", {id, reported_by});
      fresh.push_back(result.affected_rows() == 1);
    }
    return fresh;
  });
}

Status PostgresTransaction::add_usage_days(const std::vector<UsageDay>& days) {
  const std::string what = "recording usage";
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    for (const auto& day : days) {
      execute(
          "INSERT INTO usage_days (domain, name, day, consumer, port, version, event_count, row_count, "
          "byte_count, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
          "ON CONFLICT (domain, name, day, consumer, port, version) DO UPDATE SET "
          "event_count = usage_days.event_count + EXCLUDED.event_count, "
          "row_count = usage_days.row_count + EXCLUDED.row_count, "
          "byte_count = usage_days.byte_count + EXCLUDED.byte_count, "
          "last_seen = GREATEST(usage_days.last_seen, EXCLUDED.last_seen)",
          {day.product.domain, day.product.name, day.day, day.consumer, day.port, day.version,
           std::to_string(day.events), std::to_string(day.rows), std::to_string(day.bytes), day.last_seen});
    }
    return ok_status();
  });
}

Result<std::vector<UsageDay>> PostgresTransaction::usage_days(const ProductRef& product, const std::string& since_day) {
  return guarded(connection_, "reading usage", [&]() -> Result<std::vector<UsageDay>> {
    std::vector<UsageDay> days;
    for (const auto& row :
         execute("SELECT domain, name, day, consumer, port, version, event_count, row_count, byte_count, last_seen "
                 "FROM usage_days WHERE domain = $1 AND name = $2 AND day >= $3 "
                 "ORDER BY day, consumer, port, version",
                 {product.domain, product.name, since_day})) {
      days.push_back({{text(row, 0), text(row, 1)},
                      text(row, 2),
                      text(row, 3),
                      text(row, 4),
                      text(row, 5),
                      integer(row, 6),
                      integer(row, 7),
                      integer(row, 8),
                      text(row, 9)});
    }
    return days;
  });
}

Status PostgresTransaction::record_freshness(const FreshnessRecord& record, const std::string& history_since) {
  const auto what = fmt::format("recording the freshness of {} port {}", record.product.text(), record.port);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const Parameters values{record.product.domain, record.product.name, record.port,
                            record.updated_at,     record.reported_at,  record.reported_by};
    execute(
        "INSERT INTO freshness (domain, name, port, updated_at, reported_at, reported_by) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (domain, name, port) DO UPDATE SET "
        "updated_at = EXCLUDED.updated_at, reported_at = EXCLUDED.reported_at, reported_by = EXCLUDED.reported_by "
        "WHERE EXCLUDED.updated_at > freshness.updated_at",
        values);
    execute(
        "INSERT INTO freshness_history (domain, name, port, updated_at, reported_at, reported_by) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (domain, name, port, updated_at) DO NOTHING",
        values);
    execute(
        "DELETE FROM freshness_history WHERE domain = $1 AND name = $2 AND port = $3 AND updated_at < "
        "(SELECT max(updated_at) FROM freshness_history WHERE domain = $1 AND name = $2 AND port = $3 "
        "AND updated_at < $4)",
        {record.product.domain, record.product.name, record.port, history_since});
    return ok_status();
  });
}

Result<std::vector<FreshnessRecord>> PostgresTransaction::freshness_of(const ProductRef& product) {
  return guarded(connection_, "reading freshness", [&]() -> Result<std::vector<FreshnessRecord>> {
    std::vector<FreshnessRecord> records;
    for (const auto& row : execute("SELECT domain, name, port, updated_at, reported_at, reported_by FROM freshness "
                                   "WHERE domain = $1 AND name = $2 ORDER BY port",
                                   {product.domain, product.name})) {
      records.push_back({{text(row, 0), text(row, 1)}, text(row, 2), text(row, 3), text(row, 4), text(row, 5)});
    }
    return records;
  });
}

Result<std::vector<FreshnessRecord>> PostgresTransaction::freshness_history(const ProductRef& product,
                                                                            const std::string& since) {
  return guarded(connection_, "reading the freshness history", [&]() -> Result<std::vector<FreshnessRecord>> {
    std::vector<FreshnessRecord> records;
    for (const auto& row :
         execute("SELECT domain, name, port, updated_at, reported_at, reported_by FROM freshness_history h "
                 "WHERE domain = $1 AND name = $2 AND (updated_at >= $3 OR updated_at = (SELECT max(updated_at) "
                 "FROM freshness_history WHERE domain = $1 AND name = $2 AND port = h.port AND updated_at < $3)) "
                 "ORDER BY port, updated_at",
                 {product.domain, product.name, since})) {
      records.push_back({{text(row, 0), text(row, 1)}, text(row, 2), text(row, 3), text(row, 4), text(row, 5)});
    }
    return records;
  });
}

Result<std::vector<DependencyEdge>> PostgresTransaction::all_dependencies() {
  return guarded(connection_, "reading dependencies", [&]() -> Result<std::vector<DependencyEdge>> {
    std::vector<DependencyEdge> result;
    for (const auto& row :
         execute("SELECT c.domain, c.name, d.port, d.provider_domain, d.provider_name, d.version_constraint, "
                 "c.status FROM dependencies d JOIN products c ON c.id = d.product_id "
                 "ORDER BY c.domain, c.name, d.ordinal",
                 {})) {
      result.push_back({{text(row, 0), text(row, 1)},
                        text(row, 2),
                        {text(row, 3), text(row, 4)},
                        text(row, 5),
                        parse_lifecycle_status(text(row, 6)).value_or(LifecycleStatus::active)});
    }
    return result;
  });
}

}  // namespace meshctl::registry
