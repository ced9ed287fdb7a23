#include "meshctl/metrics/metrics.h"

#include <thread>

#include <catch2/catch.hpp>

using namespace meshctl::metrics;

TEST_CASE("a counter family renders its children sorted by label values", "[metrics]") {
  Registry registry;
  auto& requests = registry.counter("requests_total", "Requests served.", {"method", "status"});
  requests.with({"POST", "201"}).add();
  requests.with({"GET", "200"}).add(2);
  requests.with({"GET", "200"}).add();
  CHECK(registry.render() ==
        "# HELP requests_total Requests served.\n"
        "# TYPE requests_total counter\n"
        "requests_total{method=\"GET\",status=\"200\"} 3\n"
        "requests_total{method=\"POST\",status=\"201\"} 1\n");
}

TEST_CASE("families are written sorted by name, a family without children by its header", "[metrics]") {
  Registry registry;
  registry.gauge("zeta", "Last.").with({}).set(1.5);
  registry.counter("alpha_total", "First.");
  CHECK(registry.render() ==
        "# HELP alpha_total First.\n# TYPE alpha_total counter\n"
        "# HELP zeta Last.\n# TYPE zeta gauge\nzeta 1.5\n");
}

TEST_CASE("label values and help texts are escaped", "[metrics]") {
  CHECK(escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  CHECK(escape_help("a\\b\"c\nd") == "a\\\\b\"c\\nd");
  Registry registry;
  registry.gauge("products", "Products per domain.\nBackslash \\ too.", {"domain"}).with({"we\"ird\\\n"}).set(2);
  CHECK(registry.render() ==
        "# HELP products Products per domain.\\nBackslash \\\\ too.\n"
        "# TYPE products gauge\n"
        "products{domain=\"we\\\"ird\\\\\\n\"} 2\n");
}

TEST_CASE("values are written as the format reads them", "[metrics]") {
  CHECK(format_value(0) == "0");
  CHECK(format_value(3) == "3");
  CHECK(format_value(0.25) == "0.25");
  CHECK(format_value(1e21) == "1e+21");
  CHECK(format_value(1.0 / 0.0) == "+Inf");
  CHECK(format_value(-1.0 / 0.0) == "-Inf");
  CHECK(format_value(0.0 / 0.0) == "NaN");
}

TEST_CASE("histogram buckets are cumulative, end with +Inf, and count equals it", "[metrics]") {
  Registry registry;
  auto& latency = registry.histogram("latency_seconds", "Latency.", {"route"}, {0.25, 1});
  auto& child = latency.with({"/a"});
  child.observe(0.125);
  child.observe(0.25);  // on a bound: in that bucket
  child.observe(0.5);
  child.observe(7);
  CHECK(registry.render() ==
        "# HELP latency_seconds Latency.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{route=\"/a\",le=\"0.25\"} 2\n"
        "latency_seconds_bucket{route=\"/a\",le=\"1\"} 3\n"
        "latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"
        "latency_seconds_sum{route=\"/a\"} 7.875\n"
        "latency_seconds_count{route=\"/a\"} 4\n");
}

TEST_CASE("a histogram without labels has le as its only label", "[metrics]") {
  Registry registry;
  registry.histogram("h", "H.", {}, {1}).with({}).observe(2);
  CHECK(registry.render() ==
        "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\n");
}

TEST_CASE("missing label values are empty, extra ones ignored", "[metrics]") {
  Registry registry;
  auto& family = registry.counter("c_total", "C.", {"a", "b"});
  family.with({"x"}).add();
  family.with({"x", "", "ignored"}).add();
  CHECK(registry.render() == "# HELP c_total C.\n# TYPE c_total counter\nc_total{a=\"x\",b=\"\"} 2\n");
}

TEST_CASE("a name registered twice keeps the first family on the output", "[metrics]") {
  Registry registry;
  registry.counter("n_total", "First.").with({}).add();
  registry.counter("n_total", "Second.").with({}).add(5);
  CHECK(registry.render() == "# HELP n_total First.\n# TYPE n_total counter\nn_total 1\n");
}

TEST_CASE("metric and label names are checked against the format's grammar", "[metrics]") {
  CHECK(valid_metric_name("meshctl_http_requests_total"));
  CHECK(valid_metric_name("a:b"));
  CHECK_FALSE(valid_metric_name(""));
  CHECK_FALSE(valid_metric_name("1abc"));
  CHECK_FALSE(valid_metric_name("a-b"));
  CHECK(valid_label_name("route"));
  CHECK_FALSE(valid_label_name("a:b"));
  CHECK_FALSE(valid_label_name("9"));
}

TEST_CASE("concurrent updates of one family lose nothing", "[metrics]") {
  Registry registry;
  auto& counter = registry.counter("hits_total", "Hits.", {"thread"});
  auto& histogram = registry.histogram("seconds", "S.", {}, latency_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        counter.with({std::to_string(t % 2)}).add();
        histogram.with({}).observe(0.003);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(counter.with({"0"}).value() == 20000);
  CHECK(counter.with({"1"}).value() == 20000);
  const auto snapshot = histogram.with({}).snapshot();
  CHECK(snapshot.count == 40000);
  CHECK(snapshot.cumulative[1] == 0);      // le 0.0025
  CHECK(snapshot.cumulative[2] == 40000);  // le 0.005
}
