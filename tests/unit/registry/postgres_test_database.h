#pragma once

// The PostgreSQL database of the tests tagged [postgres]: the one
// tests/integration/postgres_cluster.py starts and names in
// MESHCTL_TEST_POSTGRES_URL. Without it those tests pass with a warning, so a
// plain unit run needs no PostgreSQL.

#include <atomic>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

namespace meshctl::registry::testing {

inline std::optional<std::string> postgres_server_url() {
  const char* url = std::getenv("MESHCTL_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// A new, empty schema in the test database; the URL that works in it.
inline std::string fresh_schema_url(const std::string& server) {
  static std::atomic<int> made{0};
  static const auto run = std::random_device{}();
  const auto schema = "test_" + std::to_string(run) + "_" + std::to_string(++made);
  pqxx::connection admin(server);
  pqxx::nontransaction(admin).exec("CREATE SCHEMA " + schema);
  return server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

}  // namespace meshctl::registry::testing

// Declares `server` (the test database's URL), or skips the test with a warning.
#define REQUIRE_POSTGRES(server)                                                                           \
  const auto server = ::meshctl::registry::testing::postgres_server_url();                                 \
  if (!server) {                                                                                           \
    WARN("MESHCTL_TEST_POSTGRES_URL is unset: skipped (run under tests/integration/postgres_cluster.py)"); \
    return;                                                                                                \
  }
