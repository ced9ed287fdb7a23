// Usage, subscriptions, lineage and attention routes.
//
//   POST   /v1/usage                                   JSON Lines body (?firstLine=N), or JSON {lines, firstLine}
//   GET    /v1/products/D/N/usage?since=30d            the usage summary
//   GET    /v1/subscriptions                           every subscription
//   GET    /v1/products/D/N/subscriptions              one product's
//   POST   /v1/products/D/N/subscriptions              {consumer, team, port, version, purpose}
//   DELETE /v1/products/D/N/subscriptions/CONSUMER?port=P
//   GET    /v1/lineage?product=D/N&direction=up|down|both&depth=N   (no product: the whole mesh)
//   GET    /v1/attention                               the products that need attention now (never
//                                                      cached: an SLO goes stale with time, not with a write)

#include <fmt/format.h>

#include "meshctl/catalog/usage_json.h"
#include "meshctl/core/text.h"
#include "meshctl/usage/time.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

using nlohmann::json;
using registry::ProductRef;

json subscriptions_json(const std::vector<registry::Subscription>& subscriptions) {
  json list = json::array();
  for (const auto& subscription : subscriptions) list.push_back(registry::to_json(subscription));
  return {{"subscriptions", list}};
}

void report_usage(Exchange& exchange) {
  std::string_view lines = exchange.body;
  std::size_t first_line = 1;
  json wrapped;
  if (exchange.request.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    auto body = read_json_body(exchange);
    if (!body) return reply_error(exchange.response, body.error());
    wrapped = std::move(*body);
    const auto found = wrapped.find("lines");
    if (found == wrapped.end() || !found->is_string()) {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, "lines must be the JSON Lines text"));
    }
    lines = found->get_ref<const std::string&>();
    // Absent: 1 (a default the JSON parser would not read as unsigned).
    const auto first = wrapped.value("firstLine", json(std::uint64_t{1}));
    if (!first.is_number_unsigned() || first.get<std::uint64_t>() == 0) {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, "firstLine must be a number from 1"));
    }
    first_line = first.get<std::size_t>();
  } else {
    auto first = integer_query(exchange, "firstLine");
    if (!first) return reply_error(exchange.response, first.error());
    if (*first && **first > 0) first_line = static_cast<std::size_t>(**first);
  }
  const auto ingested = exchange.service.report_usage(exchange.caller, lines, first_line);
  if (ingested) {
    exchange.metrics.usage_accepted.add(static_cast<double>(ingested->accepted));
    exchange.metrics.usage_duplicates.add(static_cast<double>(ingested->duplicates));
    exchange.metrics.freshness_recorded.add(static_cast<double>(ingested->freshness));
  }
  reply(exchange, ingested, [](const registry::UsageReport& report) { return registry::to_json(report); });
}

void usage_summary(Exchange& exchange) {
  registry::UsageQuery query;
  if (const auto since = exchange.query("since")) {
    const bool digits = !since->empty() && since->find_first_not_of("0123456789") == std::string::npos;
    if (const auto days = usage::window_days(*since)) {
      query.since_days = *days;
    } else if (digits && since->size() < 9 && std::stoll(*since) > 0) {
      query.since_days = std::stoll(*since);
    } else {
      return reply_error(exchange.response,
                         make_error(ErrorKind::invalid, fmt::format("since '{}' is not a duration like 30d", *since)));
    }
  }
  reply(exchange, exchange.service.usage(product_of(exchange), query),
        [](const registry::UsageSummary& summary) { return registry::to_json(summary); });
}

void list_subscriptions(Exchange& exchange, std::optional<ProductRef> product) {
  reply(exchange, exchange.service.list_subscriptions(product), subscriptions_json);
}

void subscribe(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::SubscribeRequest request;
  request.product = product_of(exchange);
  for (const auto& [key, target] :
       {std::pair{"consumer", &request.consumer}, std::pair{"team", &request.team}, std::pair{"port", &request.port},
        std::pair{"version", &request.version_constraint}, std::pair{"purpose", &request.purpose}}) {
    const auto found = body->find(key);
    if (found == body->end() || found->is_null()) continue;
    if (!found->is_string()) {
      return reply_error(exchange.response, make_error(ErrorKind::invalid, fmt::format("{} must be a string", key)));
    }
    *target = found->get<std::string>();
  }
  auto outcome = exchange.service.subscribe(exchange.caller, request);
  if (!outcome) return reply_error(exchange.response, outcome.error());
  reply_json(exchange.response, outcome->changed ? 201 : 200, registry::to_json(*outcome));
}

void unsubscribe(Exchange& exchange) {
  registry::UnsubscribeRequest request{product_of(exchange), exchange.path_part(3), exchange.query("port")};
  auto removed = exchange.service.unsubscribe(exchange.caller, request);
  if (!removed) return reply_error(exchange.response, removed.error());
  json list = json::array();
  for (const auto& subscription : *removed) list.push_back(registry::to_json(subscription));
  reply_json(exchange.response, 200, {{"removed", list}});
}

void lineage(Exchange& exchange) {
  registry::LineageRequest request;
  if (const auto product = exchange.query("product")) {
    auto ref = registry::parse_product_ref(*product);
    if (!ref) return reply_error(exchange.response, ref.error());
    request.root = *ref;
  }
  if (const auto direction = exchange.query("direction")) {
    if (*direction == "upstream") {
      request.direction = registry::LineageDirection::upstream;
    } else if (*direction == "downstream") {
      request.direction = registry::LineageDirection::downstream;
    } else if (*direction != "both") {
      return reply_error(exchange.response,
                         make_error(ErrorKind::invalid, "direction must be upstream, downstream or both"));
    }
  }
  auto depth = integer_query(exchange, "depth");
  if (!depth) return reply_error(exchange.response, depth.error());
  if (*depth && **depth > 0) request.depth = static_cast<std::size_t>(**depth);
  reply(exchange, exchange.service.lineage(request),
        [](const registry::LineageGraph& graph) { return registry::to_json(graph); });
}

}  // namespace

void add_usage_routes(Router& router) {
  router.post("/v1/usage", report_usage);
  router.get(kProductPath + "/usage", usage_summary);
  router.get("/v1/subscriptions", [](Exchange& exchange) { list_subscriptions(exchange, std::nullopt); });
  router.get(kProductPath + "/subscriptions",
             [](Exchange& exchange) { list_subscriptions(exchange, product_of(exchange)); });
  router.post(kProductPath + "/subscriptions", subscribe, {registry::Role::owner, "subscribe to data products"});
  router.del(kProductPath + "/subscriptions/" + kSegment, unsubscribe,
             {registry::Role::owner, "unsubscribe from data products"});
  router.get("/v1/lineage", lineage);
  router.get("/v1/attention", [](Exchange& exchange) {
    reply(exchange, exchange.service.attention(),
          [](const std::vector<registry::ProductAttention>& attention) { return registry::to_json(attention); });
  });
}

}  // namespace meshctl::server
