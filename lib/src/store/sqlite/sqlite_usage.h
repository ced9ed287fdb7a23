#pragma once

// The SQLite store's usage tables (schema version 4; the freshness history, 13): the SQL behind
// StoreTransaction's usage block, as free functions over the transaction's
// connection, so SqliteTransaction only forwards. Contracts: store.h.

#include <optional>
#include <string>
#include <vector>

#include "meshctl/store/store.h"
#include "store/sqlite/sqlite_connection.h"

namespace meshctl::registry::sqlite_usage {

using Connection = SqliteStore::Connection;

Status upsert_subscription(Connection& connection, TransactionMode mode, const Subscription& subscription);
Result<std::int64_t> delete_subscriptions(Connection& connection, TransactionMode mode, const ProductRef& product,
                                          const std::string& consumer, const std::optional<std::string>& port);
Result<std::vector<Subscription>> list_subscriptions(Connection& connection, const std::optional<ProductRef>& product);
Result<std::vector<bool>> remember_usage_ids(Connection& connection, TransactionMode mode,
                                             const std::vector<std::string>& ids, const std::string& reported_by);
Status add_usage_days(Connection& connection, TransactionMode mode, const std::vector<UsageDay>& days);
Result<std::vector<UsageDay>> usage_days(Connection& connection, const ProductRef& product,
                                         const std::string& since_day);
Status record_freshness(Connection& connection, TransactionMode mode, const FreshnessRecord& record,
                        const std::string& history_since);
Result<std::vector<FreshnessRecord>> freshness_of(Connection& connection, const ProductRef& product);
Result<std::vector<FreshnessRecord>> freshness_history(Connection& connection, const ProductRef& product,
                                                       const std::string& since);
Result<std::vector<DependencyEdge>> all_dependencies(Connection& connection);

}  // namespace meshctl::registry::sqlite_usage
