#pragma once

// The usage rules other RegistryService sources call (retire, describe).
// Private to lib.

#include <cstdint>
#include <string>
#include <vector>

#include "meshctl/registry/service.h"
#include "meshctl/store/store.h"

namespace meshctl::registry::service_usage {

// What, besides dependent products, keeps a product from being retired.
struct RetireBlockers {
  std::vector<Subscription> subscriptions;
  std::vector<UsageDay> recent;  // one per consumer seen within the quiet days (latest first): its last access

  bool empty() const { return subscriptions.empty() && recent.empty(); }
  // "subscribed: finance-dashboard (team finance); used: ml-model (last 2026-11-20T10:00:00Z)"
  std::string text() const;
  // {"subscriptions": [{consumer, team, port}], "recentUsage": [{consumer, lastAccess}]}, each key only when not empty
  nlohmann::json details() const;
};

// Subscriptions of `ref`, and consumers whose usage was seen on one of the
// last `quiet_days` days (today included; 0: usage does not count).
Result<RetireBlockers> retire_blockers(StoreTransaction& transaction, const ProductRef& ref, std::int64_t now,
                                       std::int64_t quiet_days);

// Where a product stands on its way to retirement: it is retired after it was
// deprecated and its sunset has come, unless forced.
struct RetireLifecycle {
  bool deprecated = false;      // the product (not only some versions) is deprecated
  std::string sunset;           // its sunset, when deprecated
  bool sunset_reached = false;  // today (UTC) is the sunset or later
  bool ready() const { return deprecated && sunset_reached; }
};

// The conflict of a refused retirement: why its lifecycle does not allow it
// yet (not deprecated, sunset ahead), who reads it (dependent products), who
// subscribes and who used it within `quiet_days`; the message says what to do
// instead, the details list each (details.blockers names the kinds:
// not-deprecated, sunset-not-reached, dependents, subscriptions, recent-usage).
Error retire_refusal(const ProductRef& ref, const RetireLifecycle& lifecycle,
                     const std::vector<std::string>& dependents, const RetireBlockers& blockers,
                     std::int64_t quiet_days);

// What a forced retirement's audit summary adds after "retired": empty when
// nothing stood in the way, else " by force while not deprecated; read by ...; subscribed: ...".
std::string forced_retire_summary(const RetireLifecycle& lifecycle, const std::vector<std::string>& dependents,
                                  const RetireBlockers& blockers);

// The dependencies whose provider is deprecated, retired or not registered, or
// whose version constraint resolves only to deprecated versions, or to none.
Result<std::vector<InputProviderState>> input_warnings(StoreTransaction& transaction,
                                                       const std::vector<DependencyEdge>& dependencies);

// Seconds since the epoch of the clock's now.
std::int64_t epoch_seconds(const Clock& clock);

}  // namespace meshctl::registry::service_usage
