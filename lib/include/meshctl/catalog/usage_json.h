#pragma once

// The usage records as JSON (camelCase, stable): what `-o json` of subscribe,
// usage and lineage prints, and what the server's usage routes carry. Each
// read_* is the inverse of its to_json and fails with ErrorKind::invalid,
// naming the key, on a value of another shape.

#include <nlohmann/json.hpp>

#include "meshctl/catalog/usage_types.h"
#include "meshctl/core/error.h"

namespace meshctl::registry {

// {product, consumer, team, port (when set), version (when set), purpose (when set), createdAt, createdBy}
nlohmann::json to_json(const Subscription& subscription);
Result<Subscription> read_subscription(const nlohmann::json& value);

// {subscription, changed, warnings[]}
nlohmann::json to_json(const SubscribeOutcome& outcome);
Result<SubscribeOutcome> read_subscribe_outcome(const nlohmann::json& value);

// {accepted, duplicates, freshness, rejected, problems: [{line, message}]}
nlohmann::json to_json(const UsageReport& report);
Result<UsageReport> read_usage_report(const nlohmann::json& value);

// {product, status, since, until, totals {events, rows, bytes}, days [{day, events, rows, bytes}],
//  consumers [{consumer, kinds [subscribed|dependent|observed], team, ports, version, events, rows, bytes,
//  lastAccess}], unsubscribed [], versions [{version, consumers}], freshness [{port, slo, updatedAt,
//  ageSeconds, verdict}]}
nlohmann::json to_json(const UsageSummary& summary);
Result<UsageSummary> read_usage_summary(const nlohmann::json& value);

// {product (the root, when set), direction, nodes [{product, status, registered, depth}],
//  edges [{from: provider, to: consumer, port}], cycles [[product, ...]], truncated}
nlohmann::json to_json(const LineageGraph& graph);
Result<LineageGraph> read_lineage_graph(const nlohmann::json& value);

// {products: [{product, reasons: [{kind: slo-violated|quality-failed, port, text}]}]}: GET /v1/attention
nlohmann::json to_json(const std::vector<ProductAttention>& attention);
Result<std::vector<ProductAttention>> read_attention(const nlohmann::json& value);

}  // namespace meshctl::registry
