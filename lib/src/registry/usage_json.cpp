#include "meshctl/registry/usage_json.h"

#include <fmt/format.h>

namespace meshctl::registry {
namespace {

using nlohmann::json;

// Reads keys of one JSON object, remembering the first key of a wrong shape.
class Reader {
 public:
  Reader(const json& value, const char* what) : value_(value), what_(what) {
    if (!value.is_object()) fail("", "an object");
  }

  std::string text(const char* key, bool required = true) {
    const json* found = find(key);
    if (found == nullptr) {
      if (required) fail(key, "a string");
      return {};
    }
    if (!found->is_string()) fail(key, "a string");
    return found->is_string() ? found->get<std::string>() : std::string();
  }
  std::optional<std::string> optional_text(const char* key) {
    const json* found = find(key);
    if (found == nullptr) return std::nullopt;
    return text(key);
  }
  std::int64_t integer(const char* key) {
    const json* found = find(key);
    if (found == nullptr) return 0;
    if (!found->is_number_integer()) {
      fail(key, "a whole number");
      return 0;
    }
    return found->get<std::int64_t>();
  }
  bool boolean(const char* key) {
    const json* found = find(key);
    if (found == nullptr) return false;
    if (!found->is_boolean()) fail(key, "true or false");
    return found->is_boolean() && found->get<bool>();
  }
  std::vector<std::string> texts(const char* key) {
    std::vector<std::string> result;
    for (const auto& element : list(key)) {
      if (!element.is_string()) {
        fail(key, "a list of strings");
        break;
      }
      result.push_back(element.get<std::string>());
    }
    return result;
  }
  const json& list(const char* key) {
    static const json empty = json::array();
    const json* found = find(key);
    if (found == nullptr) return empty;
    if (!found->is_array()) {
      fail(key, "a list");
      return empty;
    }
    return *found;
  }
  ProductRef product(const char* key) {
    const auto value = text(key);
    if (!ok()) return {};
    auto ref = parse_product_ref(value);
    if (!ref) {
      fail(key, "DOMAIN/NAME");
      return {};
    }
    return *ref;
  }
  LifecycleStatus status(const char* key) {
    const auto value = text(key, false);
    if (value.empty()) return LifecycleStatus::active;
    auto status = parse_lifecycle_status(value);
    if (!status) fail(key, "active, deprecated or retired");
    return status.value_or(LifecycleStatus::active);
  }
  void fail(const std::string& key, const char* expected) {
    if (!error_) {
      error_ = make_error(ErrorKind::invalid, key.empty() ? fmt::format("{} must be {}", what_, expected)
                                                          : fmt::format("{}.{} must be {}", what_, key, expected));
    }
  }
  void absorb(const Error& error) {
    if (!error_) error_ = error;
  }
  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }

 private:
  const json* find(const char* key) const {
    if (!value_.is_object()) return nullptr;
    const auto found = value_.find(key);
    return found == value_.end() || found->is_null() ? nullptr : &*found;
  }

  const json& value_;
  const char* what_;
  std::optional<Error> error_;
};

template <typename T>
Result<T> finish(const Reader& reader, T value) {
  if (!reader.ok()) return reader.error();
  return value;
}

void put_if(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

std::optional<LineageDirection> parse_direction(std::string_view text) {
  if (text == "upstream") return LineageDirection::upstream;
  if (text == "downstream") return LineageDirection::downstream;
  if (text == "both") return LineageDirection::both;
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
  json object = {{"product", subscription.product.text()},
                 {"consumer", subscription.consumer},
                 {"team", subscription.team}};
  put_if(object, "port", subscription.port);
  put_if(object, "version", subscription.version_constraint);
  put_if(object, "purpose", subscription.purpose);
  object["createdAt"] = subscription.created_at;
  object["createdBy"] = subscription.created_by;
  return object;
}

Result<Subscription> read_subscription(const json& value) {
  Reader reader(value, "subscription");
  Subscription subscription;
  subscription.product = reader.product("product");
  subscription.consumer = reader.text("consumer");
  subscription.team = reader.text("team");
  subscription.port = reader.text("port", false);
  subscription.version_constraint = reader.text("version", false);
  subscription.purpose = reader.text("purpose", false);
  subscription.created_at = reader.text("createdAt", false);
  subscription.created_by = reader.text("createdBy", false);
  return finish(reader, std::move(subscription));
}

json to_json(const SubscribeOutcome& outcome) {
  return {{"subscription", to_json(outcome.subscription)}, {"changed", outcome.changed}, {"warnings", outcome.warnings}};
}

Result<SubscribeOutcome> read_subscribe_outcome(const json& value) {
  Reader reader(value, "answer");
  SubscribeOutcome outcome;
  auto subscription = read_subscription(value.is_object() ? value.value("subscription", json()) : json());
  if (!subscription) return subscription.error();
  outcome.subscription = std::move(*subscription);
  outcome.changed = reader.boolean("changed");
  outcome.warnings = reader.texts("warnings");
  return finish(reader, std::move(outcome));
}

json to_json(const UsageReport& report) {
  json problems = json::array();
  for (const auto& problem : report.problems) problems.push_back({{"line", problem.line}, {"message", problem.message}});
  return {{"accepted", report.accepted},
          {"duplicates", report.duplicates},
          {"freshness", report.freshness},
          {"rejected", report.problems.size()},
          {"problems", problems}};
}

Result<UsageReport> read_usage_report(const json& value) {
  Reader reader(value, "usage report");
  UsageReport report;
  report.accepted = static_cast<std::size_t>(reader.integer("accepted"));
  report.duplicates = static_cast<std::size_t>(reader.integer("duplicates"));
  report.freshness = static_cast<std::size_t>(reader.integer("freshness"));
  for (const auto& element : reader.list("problems")) {
    Reader problem(element, "problem");
    report.problems.push_back({static_cast<std::size_t>(problem.integer("line")), problem.text("message")});
    if (!problem.ok()) reader.absorb(problem.error());
  }
  return finish(reader, std::move(report));
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
    freshness.push_back({{"port", port.port},
                         {"slo", port.slo.empty() ? json() : json(port.slo)},
                         {"updatedAt", port.updated_at ? json(*port.updated_at) : json()},
                         {"ageSeconds", port.age_seconds ? json(*port.age_seconds) : json()},
                         {"verdict", to_string(port.verdict)}});
  }
  return {{"product", summary.product.text()},
          {"status", to_string(summary.status)},
          {"since", summary.since_day},
          {"until", summary.until_day},
          {"totals", {{"events", summary.events}, {"rows", summary.rows}, {"bytes", summary.bytes}}},
          {"days", days},
          {"consumers", consumers},
          {"unsubscribed", summary.unsubscribed},
          {"versions", versions},
          {"freshness", freshness}};
}

Result<UsageSummary> read_usage_summary(const json& value) {
  Reader reader(value, "usage");
  UsageSummary summary;
  summary.product = reader.product("product");
  summary.status = reader.status("status");
  summary.since_day = reader.text("since");
  summary.until_day = reader.text("until");
  if (value.is_object() && value.contains("totals")) {
    Reader totals(value["totals"], "usage.totals");
    summary.events = totals.integer("events");
    summary.rows = totals.integer("rows");
    summary.bytes = totals.integer("bytes");
    if (!totals.ok()) reader.absorb(totals.error());
  }
  for (const auto& element : reader.list("days")) {
    Reader day(element, "usage.days[]");
    summary.days.push_back({day.text("day"), day.integer("events"), day.integer("rows"), day.integer("bytes")});
    if (!day.ok()) reader.absorb(day.error());
  }
  for (const auto& element : reader.list("consumers")) {
    Reader item(element, "usage.consumers[]");
    ConsumerUsage consumer;
    consumer.consumer = item.text("consumer");
    for (const auto& kind : item.texts("kinds")) {
      consumer.subscribed = consumer.subscribed || kind == "subscribed";
      consumer.dependent = consumer.dependent || kind == "dependent";
      consumer.observed = consumer.observed || kind == "observed";
    }
    consumer.team = item.text("team", false);
    consumer.ports = item.texts("ports");
    consumer.version_constraint = item.text("version", false);
    consumer.events = item.integer("events");
    consumer.rows = item.integer("rows");
    consumer.bytes = item.integer("bytes");
    consumer.last_access = item.optional_text("lastAccess");
    if (!item.ok()) reader.absorb(item.error());
    summary.consumers.push_back(std::move(consumer));
  }
  summary.unsubscribed = reader.texts("unsubscribed");
  for (const auto& element : reader.list("versions")) {
    Reader item(element, "usage.versions[]");
    summary.versions.push_back({item.text("version"), item.texts("consumers")});
    if (!item.ok()) reader.absorb(item.error());
  }
  for (const auto& element : reader.list("freshness")) {
    Reader item(element, "usage.freshness[]");
    PortFreshness port;
    port.port = item.text("port");
    port.slo = item.text("slo", false);
    port.updated_at = item.optional_text("updatedAt");
    if (element.is_object() && element.contains("ageSeconds") && !element["ageSeconds"].is_null()) {
      port.age_seconds = item.integer("ageSeconds");
    }
    const auto verdict = parse_verdict(item.text("verdict"));
    if (!verdict) item.fail("verdict", "met, violated or unknown");
    port.verdict = verdict.value_or(FreshnessVerdict::unknown);
    if (!item.ok()) reader.absorb(item.error());
    summary.freshness.push_back(std::move(port));
  }
  return finish(reader, std::move(summary));
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
  Reader reader(value, "lineage");
  LineageGraph graph;
  if (value.is_object() && value.contains("product")) graph.root = reader.product("product");
  const auto direction = parse_direction(reader.text("direction"));
  if (!direction) reader.fail("direction", "upstream, downstream or both");
  graph.direction = direction.value_or(LineageDirection::both);
  for (const auto& element : reader.list("nodes")) {
    Reader item(element, "lineage.nodes[]");
    graph.nodes.push_back({item.product("product"), item.status("status"), item.boolean("registered"),
                           static_cast<std::size_t>(item.integer("depth"))});
    if (!item.ok()) reader.absorb(item.error());
  }
  for (const auto& element : reader.list("edges")) {
    Reader item(element, "lineage.edges[]");
    graph.edges.push_back({item.product("from"), item.product("to"), item.text("port")});
    if (!item.ok()) reader.absorb(item.error());
  }
  for (const auto& element : reader.list("cycles")) {
    std::vector<ProductRef> cycle;
    if (!element.is_array()) reader.fail("cycles", "a list of lists");
    for (const auto& member : element.is_array() ? element : json::array()) {
      auto ref = member.is_string() ? parse_product_ref(member.get<std::string>()) : Result<ProductRef>(make_error(ErrorKind::invalid, ""));
      if (!ref) {
        reader.fail("cycles", "lists of DOMAIN/NAME");
        break;
      }
      cycle.push_back(*ref);
    }
    graph.cycles.push_back(std::move(cycle));
  }
  graph.truncated = reader.boolean("truncated");
  return finish(reader, std::move(graph));
}

}  // namespace meshctl::registry
