#include "meshctl/catalog/usage_json.h"

#include <fmt/format.h>

#include "meshctl/catalog/json_reader.h"

namespace meshctl::registry {
namespace {

using nlohmann::json;

void put_if(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

std::optional<LineageDirection> parse_direction(std::string_view text) {
  if (text == "upstream") return LineageDirection::upstream;
  if (text == "downstream") return LineageDirection::downstream;
  if (text == "both") return LineageDirection::both;
  return std::nullopt;
}

std::optional<AttentionReason::Kind> parse_attention_kind(std::string_view text) {
  if (text == "slo-violated") return AttentionReason::Kind::slo_violated;
  if (text == "quality-failed") return AttentionReason::Kind::quality_failed;
  return std::nullopt;
}

std::optional<FreshnessVerdict> parse_verdict(std::string_view text) {
  if (text == "met") return FreshnessVerdict::met;
  if (text == "violated") return FreshnessVerdict::violated;
  if (text == "unknown") return FreshnessVerdict::unknown;
  return std::nullopt;
}

}  // namespace

json to_json(const Subscription& subscription) {
  json object = {
      {"product", subscription.product.text()}, {"consumer", subscription.consumer}, {"team", subscription.team}};
  put_if(object, "port", subscription.port);
  put_if(object, "version", subscription.version_constraint);
  put_if(object, "purpose", subscription.purpose);
  object["createdAt"] = subscription.created_at;
  object["createdBy"] = subscription.created_by;
  if (!subscription.owner_domains.empty()) object["ownerDomains"] = subscription.owner_domains;
  return object;
}

Result<Subscription> read_subscription(const json& value) {
  ObjectReader reader(value, "subscription");
  Subscription subscription;
  subscription.product = reader.ref("product");
  subscription.consumer = reader.string("consumer");
  subscription.team = reader.string("team");
  subscription.port = reader.optional_string("port").value_or("");
  subscription.version_constraint = reader.optional_string("version").value_or("");
  subscription.purpose = reader.optional_string("purpose").value_or("");
  subscription.created_at = reader.optional_string("createdAt").value_or("");
  subscription.created_by = reader.optional_string("createdBy").value_or("");
  subscription.owner_domains = reader.strings("ownerDomains");
  return reader.finish(std::move(subscription));
}

json to_json(const SubscribeOutcome& outcome) {
  return {
      {"subscription", to_json(outcome.subscription)}, {"changed", outcome.changed}, {"warnings", outcome.warnings}};
}

Result<SubscribeOutcome> read_subscribe_outcome(const json& value) {
  ObjectReader reader(value, "answer");
  SubscribeOutcome outcome;
  auto subscription = read_subscription(value.is_object() ? value.value("subscription", json()) : json());
  if (!subscription) return subscription.error();
  outcome.subscription = std::move(*subscription);
  outcome.changed = reader.boolean("changed");
  outcome.warnings = reader.strings("warnings");
  return reader.finish(std::move(outcome));
}

json to_json(const UsageReport& report) {
  json problems = json::array();
  for (const auto& problem : report.problems)
    problems.push_back({{"line", problem.line}, {"message", problem.message}});
  return {{"accepted", report.accepted},
          {"duplicates", report.duplicates},
          {"freshness", report.freshness},
          {"rejected", report.problems.size()},
          {"problems", problems}};
}

Result<UsageReport> read_usage_report(const json& value) {
  ObjectReader reader(value, "usage report");
  UsageReport report;
  report.accepted = static_cast<std::size_t>(reader.integer("accepted"));
  report.duplicates = static_cast<std::size_t>(reader.integer("duplicates"));
  report.freshness = static_cast<std::size_t>(reader.integer("freshness"));
  for (const auto& element : reader.array("problems", false)) {
    ObjectReader problem(element, "problem");
    report.problems.push_back({static_cast<std::size_t>(problem.integer("line")), problem.string("message")});
    reader.take(problem);
  }
  return reader.finish(std::move(report));
}

json to_json(const UsageSummary& summary) {
  json days = json::array();
  for (const auto& day : summary.days) {
    days.push_back({{"day", day.day}, {"events", day.events}, {"rows", day.rows}, {"bytes", day.bytes}});
  }
  json consumers = json::array();
  for (const auto& consumer : summary.consumers) {
    json kinds = json::array();
    if (consumer.subscribed) kinds.push_back("subscribed");
    if (consumer.dependent) kinds.push_back("dependent");
    if (consumer.observed) kinds.push_back("observed");
    json object = {{"consumer", consumer.consumer}, {"kinds", kinds}};
    put_if(object, "team", consumer.team);
    object["ports"] = consumer.ports;
    put_if(object, "version", consumer.version_constraint);
    object["events"] = consumer.events;
    object["rows"] = consumer.rows;
    object["bytes"] = consumer.bytes;
    object["lastAccess"] = consumer.last_access ? json(*consumer.last_access) : json();
    consumers.push_back(std::move(object));
  }
  json versions = json::array();
  for (const auto& version : summary.versions) {
    versions.push_back({{"version", version.version}, {"consumers", version.consumers}});
  }
  json freshness = json::array();
  for (const auto& port : summary.freshness) {
    json item = {{"port", port.port},
                 {"slo", port.slo.empty() ? json() : json(port.slo)},
                 {"updatedAt", port.updated_at ? json(*port.updated_at) : json()},
                 {"ageSeconds", port.age_seconds ? json(*port.age_seconds) : json()},
                 {"verdict", to_string(port.verdict)},
                 {"sloDays", {{"met", port.slo_days_met}, {"judged", port.slo_days_judged}}}};
    if (port.reported_by) item["reportedBy"] = *port.reported_by;
    freshness.push_back(std::move(item));
  }
  return {
      {"product", summary.product.text()},
      {"status", to_string(summary.status)},
      {"since", summary.since_day},
      {"until", summary.until_day},
      {"totals", {{"events", summary.events}, {"rows", summary.rows}, {"bytes", summary.bytes}}},
      {"days", days},
      {"consumers", consumers},
      {"unsubscribed", summary.unsubscribed},
      {"versions", versions},
      {"freshness", freshness},
      {"sloDays", {{"days", summary.slo_days}, {"met", summary.slo_days_met}, {"judged", summary.slo_days_judged}}}};
}

Result<UsageSummary> read_usage_summary(const json& value) {
  ObjectReader reader(value, "usage");
  UsageSummary summary;
  summary.product = reader.ref("product");
  summary.status = reader.status("status");
  summary.since_day = reader.string("since");
  summary.until_day = reader.string("until");
  if (value.is_object() && value.contains("totals")) {
    ObjectReader totals(value["totals"], "usage.totals");
    summary.events = totals.integer("events");
    summary.rows = totals.integer("rows");
    summary.bytes = totals.integer("bytes");
    reader.take(totals);
  }
  for (const auto& element : reader.array("days", false)) {
    ObjectReader day(element, "usage.days[]");
    summary.days.push_back({day.string("day"), day.integer("events"), day.integer("rows"), day.integer("bytes")});
    reader.take(day);
  }
  for (const auto& element : reader.array("consumers", false)) {
    ObjectReader item(element, "usage.consumers[]");
    ConsumerUsage consumer;
    consumer.consumer = item.string("consumer");
    for (const auto& kind : item.strings("kinds")) {
      consumer.subscribed = consumer.subscribed || kind == "subscribed";
      consumer.dependent = consumer.dependent || kind == "dependent";
      consumer.observed = consumer.observed || kind == "observed";
    }
    consumer.team = item.optional_string("team").value_or("");
    consumer.ports = item.strings("ports");
    consumer.version_constraint = item.optional_string("version").value_or("");
    consumer.events = item.integer("events");
    consumer.rows = item.integer("rows");
    consumer.bytes = item.integer("bytes");
    consumer.last_access = item.optional_string("lastAccess");
    reader.take(item);
    summary.consumers.push_back(std::move(consumer));
  }
  summary.unsubscribed = reader.strings("unsubscribed");
  for (const auto& element : reader.array("versions", false)) {
    ObjectReader item(element, "usage.versions[]");
    summary.versions.push_back({item.string("version"), item.strings("consumers")});
    reader.take(item);
  }
  for (const auto& element : reader.array("freshness", false)) {
    ObjectReader item(element, "usage.freshness[]");
    PortFreshness port;
    port.port = item.string("port");
    port.slo = item.optional_string("slo").value_or("");
    port.updated_at = item.optional_string("updatedAt");
    port.reported_by = item.optional_string("reportedBy");
    if (element.is_object() && element.contains("ageSeconds") && !element["ageSeconds"].is_null()) {
      port.age_seconds = item.integer("ageSeconds");
    }
    const auto verdict = parse_verdict(item.string("verdict"));
    if (!verdict) item.fail(fmt::format("{} is not met, violated or unknown", item.path("verdict")));
    port.verdict = verdict.value_or(FreshnessVerdict::unknown);
    // Absent from a server older than the SLO's history: nothing judged.
    if (element.is_object() && element.contains("sloDays")) {
      ObjectReader days(element["sloDays"], "usage.freshness[].sloDays");
      port.slo_days_met = days.integer("met");
      port.slo_days_judged = days.integer("judged");
      item.take(days);
    }
    reader.take(item);
    summary.freshness.push_back(std::move(port));
  }
  if (value.is_object() && value.contains("sloDays")) {
    ObjectReader days(value["sloDays"], "usage.sloDays");
    summary.slo_days = days.integer("days");
    summary.slo_days_met = days.integer("met");
    summary.slo_days_judged = days.integer("judged");
    reader.take(days);
  }
  return reader.finish(std::move(summary));
}

json to_json(const LineageGraph& graph) {
  json nodes = json::array();
  for (const auto& node : graph.nodes) {
    nodes.push_back({{"product", node.ref.text()},
                     {"status", to_string(node.status)},
                     {"registered", node.registered},
                     {"depth", node.depth}});
  }
  json edges = json::array();
  for (const auto& edge : graph.edges) {
    edges.push_back({{"from", edge.provider.text()}, {"to", edge.consumer.text()}, {"port", edge.port}});
  }
  json cycles = json::array();
  for (const auto& cycle : graph.cycles) {
    json members = json::array();
    for (const auto& ref : cycle) members.push_back(ref.text());
    cycles.push_back(std::move(members));
  }
  json object = json::object();
  if (graph.root) object["product"] = graph.root->text();
  object["direction"] = to_string(graph.direction);
  object["nodes"] = nodes;
  object["edges"] = edges;
  object["cycles"] = cycles;
  object["truncated"] = graph.truncated;
  return object;
}

Result<LineageGraph> read_lineage_graph(const json& value) {
  ObjectReader reader(value, "lineage");
  LineageGraph graph;
  if (value.is_object() && value.contains("product")) graph.root = reader.ref("product");
  const auto direction = parse_direction(reader.string("direction"));
  if (!direction) reader.fail(fmt::format("{} is not upstream, downstream or both", reader.path("direction")));
  graph.direction = direction.value_or(LineageDirection::both);
  for (const auto& element : reader.array("nodes", false)) {
    ObjectReader item(element, "lineage.nodes[]");
    graph.nodes.push_back({item.ref("product"), item.status("status"), item.boolean("registered"),
                           static_cast<std::size_t>(item.integer("depth"))});
    reader.take(item);
  }
  for (const auto& element : reader.array("edges", false)) {
    ObjectReader item(element, "lineage.edges[]");
    graph.edges.push_back({item.ref("from"), item.ref("to"), item.string("port")});
    reader.take(item);
  }
  for (const auto& element : reader.array("cycles", false)) {
    std::vector<ProductRef> cycle;
    if (!element.is_array()) reader.fail(fmt::format("{} is not a list of lists", reader.path("cycles")));
    for (const auto& member : element.is_array() ? element : json::array()) {
      auto ref = member.is_string() ? parse_product_ref(member.get<std::string>())
                                    : Result<ProductRef>(make_error(ErrorKind::invalid, ""));
      if (!ref) {
        reader.fail(fmt::format("{} is not lists of DOMAIN/NAME", reader.path("cycles")));
        break;
      }
      cycle.push_back(*ref);
    }
    graph.cycles.push_back(std::move(cycle));
  }
  graph.truncated = reader.boolean("truncated");
  return reader.finish(std::move(graph));
}

json to_json(const std::vector<ProductAttention>& attention) {
  json products = json::array();
  for (const auto& product : attention) {
    json reasons = json::array();
    for (const auto& reason : product.reasons) {
      reasons.push_back({{"kind", to_string(reason.kind)}, {"port", reason.port}, {"text", reason.text}});
    }
    products.push_back({{"product", product.product.text()}, {"reasons", reasons}});
  }
  return {{"products", products}};
}

Result<std::vector<ProductAttention>> read_attention(const json& value) {
  ObjectReader reader(value, "attention");
  std::vector<ProductAttention> attention;
  for (const auto& element : reader.array("products", true)) {
    ObjectReader item(element, "attention.products[]");
    ProductAttention product;
    product.product = item.ref("product");
    for (const auto& reason_element : item.array("reasons", true)) {
      ObjectReader reason_reader(reason_element, "attention.products[].reasons[]");
      AttentionReason reason;
      const auto kind = parse_attention_kind(reason_reader.string("kind"));
      if (!kind) reason_reader.fail(fmt::format("{} is not slo-violated or quality-failed", reason_reader.path("kind")));
      reason.kind = kind.value_or(AttentionReason::Kind::slo_violated);
      reason.port = reason_reader.string("port");
      reason.text = reason_reader.string("text");
      item.take(reason_reader);
      product.reasons.push_back(std::move(reason));
    }
    reader.take(item);
    attention.push_back(std::move(product));
  }
  return reader.finish(std::move(attention));
}

}  // namespace meshctl::registry
