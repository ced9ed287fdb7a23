#pragma once

// What the server counts and measures, written by GET /metrics in
// Prometheus' text format (meshctl/metrics/metrics.h). Labels hold only
// bounded values the server chose: route patterns (never a raw path), known
// methods, statuses, cache names, and the names of registered domains.
// Private to lib/src/server.

#include <chrono>
#include <string>
#include <string_view>

#include "meshctl/metrics/metrics.h"
#include "meshctl/store/store.h"

namespace meshctl::server {

struct ServerMetrics {
  // `started`: the process's start, for process_start_time_seconds.
  ServerMetrics(std::chrono::system_clock::time_point started, const std::string& version);

  metrics::Registry registry;
  metrics::CounterFamily& requests;          // method, route, status
  metrics::HistogramFamily& request_seconds;  // method, route
  metrics::GaugeFamily& products;            // domain; set at each scrape
  metrics::GaugeFamily& versions;            // domain; set at each scrape
  metrics::CounterFamily& cache_hits;        // cache: answers, principals
  metrics::CounterFamily& cache_misses;      // cache
  metrics::CounterFamily& usage_events;      // result: accepted, duplicate
  metrics::HistogramFamily& store_seconds;   // mode: read, write; outcome: commit, rollback
  // The children updated on every request, found once.
  metrics::Counter& answer_hits;
  metrics::Counter& answer_misses;
  metrics::Counter& principal_hits;
  metrics::Counter& principal_misses;
  metrics::Counter& usage_accepted;
  metrics::Counter& usage_duplicates;
  metrics::Counter& freshness_recorded;

  // Records one transaction of the registry service (Store::observe_transactions).
  void observe(const registry::TransactionTiming& timing);
};

// The label of a route registered with `pattern` (a regular expression whose
// captures are path segments): each capture named from the segment before it,
// "/v1/products/{domain}/{name}/versions/{version}".
std::string route_label(std::string_view pattern);

// The method as a label: one the server knows, else "other".
std::string_view method_label(std::string_view method);

}  // namespace meshctl::server
