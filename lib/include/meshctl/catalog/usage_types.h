#pragma once

// Records of the usage side of the registry: subscriptions of
// consumers that are not data products, usage events and their daily
// aggregates, freshness reports, and the lineage graph. Times are UTC RFC 3339
// with second precision, days are "YYYY-MM-DD" (UTC), as in types.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/types.h"

namespace meshctl::registry {

// A consumer that is not a data product (a dashboard, a model, an application)
// declares that it reads a product. Identity: (product, consumer, port); an
// empty port means the whole product.
struct Subscription {
  ProductRef product;
  std::string consumer;
  std::string team;
  std::string port;                // empty: every port
  std::string version_constraint;  // e.g. "^2"; empty: any
  std::string purpose;
  std::string created_at;
  std::string created_by;
  // The domains of the owner principal that made it: that team may remove it. Empty when an admin or
  // the embedded registry's local user made it.
  std::vector<std::string> owner_domains;
};

// How a store keeps Subscription::owner_domains: "a,b" (a domain name never holds a comma), and back.
std::string join_domains(const std::vector<std::string>& domains);
std::vector<std::string> split_domains(std::string_view text);

struct SubscribeRequest {
  ProductRef product;
  std::string consumer;            // required
  std::string team;                // required
  std::string port;                // Default: the whole product; else an output port of the latest version
  std::string version_constraint;  // Default: any; else a constraint (semver.h)
  std::string purpose;
};

struct SubscribeOutcome {
  Subscription subscription;
  bool changed = false;               // false: the same subscription existed already
  std::vector<std::string> warnings;  // e.g. the product is deprecated, with its sunset
};

struct UnsubscribeRequest {
  ProductRef product;
  std::string consumer;
  std::optional<std::string> port;  // Default: every subscription of the consumer on the product
};

// One access of a consumer to a product's port. `id` makes ingest idempotent.
struct UsageEvent {
  std::string id;
  std::string time;  // RFC 3339; its UTC date is the event's day
  ProductRef product;
  std::string port;
  std::string consumer;
  std::string operation;  // free text (read, query, export); every operation counts as an access
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  std::string version;   // optional: the product version the consumer read
  std::size_t line = 0;  // 1-based line of the source, for error reports; 0 when not from a file
};

// The port's data last changed at `updated_at` (reported at `time`).
struct FreshnessEvent {
  std::string time;
  ProductRef product;
  std::string port;
  std::string updated_at;
  std::size_t line = 0;
};

// The aggregate of one (product, day, consumer, port, version).
struct UsageDay {
  ProductRef product;
  std::string day;  // YYYY-MM-DD
  std::string consumer;
  std::string port;
  std::string version;  // empty when the events did not say
  std::int64_t events = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  std::string last_seen;  // the latest event time of the aggregate
};

// The latest data change of a port: the greatest updated_at ever reported.
struct FreshnessRecord {
  ProductRef product;
  std::string port;
  std::string updated_at;
  std::string reported_at;
  std::string reported_by;  // the principal (or local user) that reported it
};

// One input line refused by ingest, with what is wrong.
struct UsageProblem {
  std::size_t line = 0;
  std::string message;
};

struct UsageReport {
  std::size_t accepted = 0;    // new usage events counted
  std::size_t duplicates = 0;  // usage events whose id was already ingested (not counted again)
  std::size_t freshness = 0;   // freshness events recorded
  std::vector<UsageProblem> problems;
};

struct UsageQuery {
  std::int64_t since_days = 30;  // the window: today and the since_days - 1 days before it. REQUIRES: > 0
};

// Judgment of a port's freshness against the SLO its manifest declares.
enum class FreshnessVerdict {
  met,       // the last reported change is not older than slo.freshness
  violated,  // it is older
  unknown,   // no SLO freshness, an SLO that is not a duration, or no freshness report yet
};
const char* to_string(FreshnessVerdict verdict);  // "met", "violated", "unknown"

struct PortFreshness {
  std::string port;
  std::string slo;                         // as declared ("1h"); empty when none
  std::optional<std::string> updated_at;   // the last reported change
  std::optional<std::string> reported_by;  // who reported it (absent for a report recorded before meshctl kept it)
  std::optional<std::int64_t> age_seconds;
  FreshnessVerdict verdict = FreshnessVerdict::unknown;
  // The SLO day by day over the summary's slo_days (from the port's kept data changes): the days it
  // was met, and the days that could be judged (a change known by the day's start, an SLO that is a
  // duration; today until now).
  std::int64_t slo_days_met = 0;
  std::int64_t slo_days_judged = 0;
};

// Everyone who reads the product, from the three sources.
struct ConsumerUsage {
  std::string consumer;  // a subscription's consumer, a dependent's "domain/name", or an event's consumer
  bool subscribed = false;
  bool dependent = false;
  bool observed = false;           // events in the window
  std::string team;                // subscriptions only
  std::vector<std::string> ports;  // subscribed, read through (dependent) or observed, sorted
  std::string version_constraint;  // subscription or input port constraint; empty when none
  std::int64_t events = 0;         // in the window
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
  std::optional<std::string> last_access;  // latest event ever seen within the window
};

struct DailyUsage {
  std::string day;
  std::int64_t events = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
};

// A published version some consumer may read: the highest version matching a
// constraint, or a version reported by events.
struct VersionInUse {
  std::string version;
  std::vector<std::string> consumers;  // sorted
};

struct UsageSummary {
  ProductRef product;
  LifecycleStatus status = LifecycleStatus::active;
  std::string since_day;  // the window, both days included
  std::string until_day;
  std::vector<DailyUsage> days;           // every day of the window, oldest first, zeros included
  std::vector<ConsumerUsage> consumers;   // by consumer
  std::vector<std::string> unsubscribed;  // observed but neither subscribed nor dependent
  std::vector<VersionInUse> versions;     // by version precedence
  std::vector<PortFreshness> freshness;   // one per output port of the latest version
  // The freshness SLOs over the last slo_days days (the window, at most the 30 the registry keeps
  // changes for), today included: the days every port judged that day met its SLO, and the days at
  // least one port could be judged.
  std::int64_t slo_days = 0;
  std::int64_t slo_days_met = 0;
  std::int64_t slo_days_judged = 0;
  std::int64_t events = 0;                // totals of the window
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
};

// Why a product needs its owners' attention, one output port at a time: what the catalog's home page
// lists (registry/health.h's attention_reasons writes them).
struct AttentionReason {
  enum class Kind {
    slo_violated,    // the port's last reported change is older than its freshness SLO allows, now
    quality_failed,  // the port's latest quality run (of the product's latest version) has a failed or errored check
  };
  Kind kind = Kind::slo_violated;
  std::string port;
  // "freshness SLO 1h violated on orders-table: last change 2026-11-01T00:00:00Z";
  // "quality run failed on orders-table: 1 failed, 0 errors (version 1.2.0, 2026-11-03T01:00:00Z)"
  std::string text;
  friend bool operator==(const AttentionReason&, const AttentionReason&) = default;
};
const char* to_string(AttentionReason::Kind kind);  // "slo-violated", "quality-failed"

// A product that is not retired and needs its owners' attention now, with why (Registry::attention).
struct ProductAttention {
  ProductRef product;
  std::vector<AttentionReason> reasons;  // never empty: SLO violations first, then failed runs, each by port
  friend bool operator==(const ProductAttention&, const ProductAttention&) = default;
};

// Which way a lineage walks from its root.
enum class LineageDirection { upstream, downstream, both };
const char* to_string(LineageDirection direction);  // "upstream", "downstream", "both"

struct LineageRequest {
  std::optional<ProductRef> root;  // Default: the whole mesh (`lineage --all`)
  LineageDirection direction = LineageDirection::both;
  std::optional<std::size_t> depth;  // Default: no limit; 1 = direct neighbours only
};

struct LineageNode {
  ProductRef ref;
  LifecycleStatus status = LifecycleStatus::active;
  bool registered = true;  // false: named by an input port but not in the registry
  std::size_t depth = 0;   // edges from the root (0 for the root, and for every node of --all)
};

// An edge points the way data flows: from the provider to the consumer.
struct LineageEdge {
  ProductRef provider;
  ProductRef consumer;
  std::string port;  // the consumer's input port
};

struct LineageGraph {
  std::optional<ProductRef> root;
  LineageDirection direction = LineageDirection::both;
  std::vector<LineageNode> nodes;  // by (domain, name)
  std::vector<LineageEdge> edges;  // by (provider, consumer, port)
  // One cycle per group of products that read each other (a strongly
  // connected component), as the products along it, starting at its smallest.
  std::vector<std::vector<ProductRef>> cycles;
  bool truncated = false;  // the depth limit left out nodes further away
};

}  // namespace meshctl::registry
