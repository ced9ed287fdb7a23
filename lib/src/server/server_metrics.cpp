#include "server/server_metrics.h"

#include <array>

#include "server/http_support.h"

namespace meshctl::server {

namespace {

metrics::Registry* registered(metrics::Registry& registry, std::chrono::system_clock::time_point started,
                              const std::string& version) {
  registry.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.")
      .with({})
      .set(std::chrono::duration<double>(started.time_since_epoch()).count());
  registry.gauge("meshctl_build_info", "The running meshctl's version; the value is always 1.", {"version"})
      .with({version})
      .set(1);
  return &registry;
}

}  // namespace

ServerMetrics::ServerMetrics(std::chrono::system_clock::time_point started, const std::string& version)
    : requests(registered(registry, started, version)
                   ->counter("meshctl_http_requests_total",
                             "HTTP requests answered, by method, route pattern (\"other\": no route matched) and "
                             "status.",
                             {"method", "route", "status"})),
      request_seconds(registry.histogram("meshctl_http_request_duration_seconds",
                                         "Time from a request's headers read to its answer ready, in seconds.",
                                         {"method", "route"}, metrics::latency_buckets())),
      products(registry.gauge("meshctl_registry_products", "Data products registered, by domain.", {"domain"})),
      versions(registry.gauge("meshctl_registry_versions", "Published versions of data products, by domain.",
                              {"domain"})),
      cache_hits(registry.counter("meshctl_read_cache_hits_total",
                                  "Lookups answered from the server's kept answers and principals, by cache.",
                                  {"cache"})),
      cache_misses(registry.counter("meshctl_read_cache_misses_total",
                                    "Lookups the server's kept answers and principals could not answer, by cache.",
                                    {"cache"})),
      usage_events(registry.counter("meshctl_usage_events_ingested_total",
                                    "Usage events received, by result: accepted (counted) or duplicate (an id "
                                    "already ingested).",
                                    {"result"})),
      store_seconds(registry.histogram("meshctl_store_transaction_duration_seconds",
                                       "Time of the registry's store transactions, from asking for one (a write's wait "
                                       "for the lock included) to its commit or rollback, in seconds, by mode (read, "
                                       "write) and outcome (commit, rollback; a read never commits).",
                                       {"mode", "outcome"}, metrics::latency_buckets())),
      answer_hits(cache_hits.with({"answers"})),
      answer_misses(cache_misses.with({"answers"})),
      principal_hits(cache_hits.with({"principals"})),
      principal_misses(cache_misses.with({"principals"})),
      usage_accepted(usage_events.with({"accepted"})),
      usage_duplicates(usage_events.with({"duplicate"})),
      freshness_recorded(
          registry.counter("meshctl_freshness_events_ingested_total", "Freshness events recorded.").with({})) {}

void ServerMetrics::observe(const registry::TransactionTiming& timing) {
  const bool write = timing.mode == registry::TransactionMode::write;
  store_seconds.with({write ? "write" : "read", timing.committed ? "commit" : "rollback"}).observe(timing.seconds);
}

std::string route_label(std::string_view pattern) {
  constexpr std::string_view segment = kSegment;
  std::string label;
  std::string_view previous;  // the last literal segment written
  bool product_domain_named = false;
  std::size_t at = 0;
  while (at < pattern.size()) {
    if (pattern.substr(at, segment.size()) == segment) {
      std::string name;
      if (previous == "products" && !product_domain_named) {
        name = "domain";
        product_domain_named = true;
      } else if (previous.empty()) {
        name = "name";  // the product's, after its domain
      } else {
        name = std::string(previous.substr(0, previous.size() - (previous.back() == 's' ? 1 : 0)));
      }
      label.append(1, '{').append(name).append(1, '}');
      previous = "";
      at += segment.size();
      continue;
    }
    const char c = pattern[at++];
    label.append(1, c);
    if (c == '/' && pattern.substr(at, segment.size()) != segment) {
      const auto end = pattern.find('/', at);
      previous = pattern.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    }
  }
  return label;
}

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known = {"GET", "HEAD", "POST", "DELETE", "PUT", "PATCH",
                                                           "OPTIONS"};
  for (const auto name : known) {
    if (method == name) return name;
  }
  return "other";
}

}  // namespace meshctl::server
