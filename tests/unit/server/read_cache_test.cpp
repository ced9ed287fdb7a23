// What the server keeps between requests (lib/src/server/read_cache.h): the
// generation cache's rules, the change watcher under concurrent requests, and,
// end to end, kept answers and principals that follow every write, whoever
// makes it (this server, another connection, another replica).

#include "server/read_cache.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/registry/service.h"
#include "meshctl/store/sqlite/sqlite_store.h"
#include "meshctl/store/store_factory.h"
#include "registry/postgres_test_database.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"
#include "server/test_server.h"

namespace meshctl::server {
namespace {

using nlohmann::json;
using registry::testing::insert_domain;
using registry::testing::make_manifest;
using registry::testing::TemporaryFolder;

TEST_CASE("A kept value is found only in its generation", "[server][cache]") {
  GenerationCache<std::string> cache(1024 * 1024);
  CHECK_FALSE(cache.find("/a", 1));
  cache.put("/a", 1, "one", 3);
  CHECK(cache.find("/a", 1) == std::optional<std::string>("one"));
  CHECK_FALSE(cache.find("/a", 2));  // a newer generation: gone
  CHECK_FALSE(cache.find("/a", 1));  // and dropped
  cache.put("/a", 2, "two", 3);
  cache.put("/a", 3, "three", 5);  // replaces
  cache.put("/a", 2, "late", 4);   // a slower, older request does not
  CHECK_FALSE(cache.find("/a", 2));
  CHECK(cache.find("/a", 3) == std::optional<std::string>("three"));
}

TEST_CASE("Values of an older generation are dropped once a newer one is seen, not kept until the budget fills",
          "[server][cache]") {
  GenerationCache<std::string> cache(64 * 1024 * 1024);
  for (std::uint64_t generation = 1; generation <= 100; ++generation) {
    for (int i = 0; i < 64; ++i) cache.put("/p/" + std::to_string(i), generation, std::string(100, 'x'), 100);
  }
  // Only the last generation's 64 values are kept (each 100 bytes, its key and the entry's overhead).
  CHECK(cache.bytes() < 64 * 300);
  CHECK(cache.find("/p/7", 100).has_value());
  CHECK_FALSE(cache.find("/p/7", 99));
  // A slower request of an older generation does not bring an outdated value back.
  cache.put("/late", 99, "late", 4);
  CHECK_FALSE(cache.find("/late", 99));
}

TEST_CASE("The cache stays within its memory budget", "[server][cache]") {
  SECTION("a budget of 0 keeps nothing") {
    GenerationCache<std::string> cache(0);
    cache.put("/a", 1, "one", 3);
    CHECK_FALSE(cache.find("/a", 1));
  }
  SECTION("a value larger than its share is not kept") {
    GenerationCache<std::string> cache(16 * 1024);  // 1 KiB per shard
    cache.put("/big", 1, std::string(2048, 'x'), 2048);
    CHECK_FALSE(cache.find("/big", 1));
  }
  SECTION("many values: what is kept never exceeds the budget") {
    constexpr std::size_t kBudget = 64 * 1024;
    constexpr std::size_t kValueBytes = 1000;
    GenerationCache<std::string> cache(kBudget);
    for (int i = 0; i < 1000; ++i) {
      cache.put("/p/" + std::to_string(i), 1, std::string(kValueBytes, 'x'), kValueBytes);
    }
    std::size_t kept = 0;
    for (int i = 0; i < 1000; ++i) kept += cache.find("/p/" + std::to_string(i), 1).has_value() ? 1 : 0;
    CHECK(kept > 0);
    CHECK(kept * kValueBytes <= kBudget);
    // Still usable after it emptied shards.
    cache.put("/again", 1, "yes", 3);
    CHECK(cache.find("/again", 1) == std::optional<std::string>("yes"));
  }
}

std::unique_ptr<registry::Store> sqlite_store(const std::filesystem::path& path) {
  auto store = registry::SqliteStore::open(path);
  if (!store) FAIL(store.error().message);
  return std::move(*store);
}

TEST_CASE("The change watcher starts a generation for every commit, also under concurrent requests",
          "[server][cache]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  auto writer = sqlite_store(path);
  ChangeWatcher watcher([&path]() -> Result<std::unique_ptr<registry::Store>> { return sqlite_store(path); });

  const auto first = watcher.generation();
  REQUIRE(first.ok());
  CHECK(watcher.generation().value() == *first);  // nothing committed
  insert_domain(*writer, "sales");
  const auto second = watcher.generation();
  REQUIRE(second.ok());
  CHECK(*second > *first);

  // Requests on other threads ask all along; after each commit returns, the
  // next request must be in a newer generation than any request before it.
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> requests;
  for (int i = 0; i < 4; ++i) {
    requests.emplace_back([&] {
      while (!done) {
        if (!watcher.generation().ok()) ++failures;
      }
    });
  }
  int stale = 0;
  for (int commit = 0; commit < 50; ++commit) {
    const auto before = watcher.generation().value();
    insert_domain(*writer, "domain-" + std::to_string(commit));
    if (watcher.generation().value() <= before) ++stale;
  }
  done = true;
  for (auto& request : requests) request.join();
  CHECK(stale == 0);
  CHECK(failures == 0);
}

TEST_CASE("A watcher whose store fails opens a new connection at its next check", "[server][cache]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "registry.db";
  int opened = 0;
  ChangeWatcher watcher([&]() -> Result<std::unique_ptr<registry::Store>> {
    if (++opened == 1) return make_error(ErrorKind::unavailable, "the registry is down");
    return sqlite_store(path);
  });
  const auto down = watcher.generation();
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().message == "the registry is down");
  const auto up = watcher.generation();
  REQUIRE(up.ok());
  CHECK(opened == 2);
  CHECK(watcher.generation().value() == *up);
  CHECK(opened == 2);
}

// The access log's "cached" of the server's n-th describe of sales/orders
// (from 1). httplib logs a request after answering it, so this waits for the line.
bool describe_was_kept(testing::TestServer& server, std::size_t n) {
  for (int attempt = 0; attempt < 500; ++attempt) {
    std::vector<bool> cached;
    for (const auto& line : server.access_log()) {
      const auto entry = json::parse(line);
      if (entry["path"] == "/v1/products/sales/orders/details") cached.push_back(entry["cached"].get<bool>());
    }
    if (cached.size() >= n) return cached[n - 1];
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("no access-log line for describe " << n);
  return false;
}

// Reads through a server (so answers and principals are kept), while writes
// come from the server itself and from another connection to its store, as
// another process or replica would make them.
void check_kept_answers_follow_writes(const std::string& location) {
  testing::TestServer server(location);
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
  auto reader = admin->create_token({"dashboards", registry::Role::reader, {}});
  REQUIRE(reader.ok());
  // The latest version a describe answers, and whether the answer was kept.
  std::size_t describes = 0;
  const auto latest = [&] {
    auto details = server.client(reader->secret)->describe({"sales", "orders"}, std::nullopt);
    if (!details) FAIL(details.error().message);
    return std::pair{details->product.latest_version, describe_was_kept(server, ++describes)};
  };
  CHECK(latest() == std::pair{std::string("1.0.0"), false});
  CHECK(latest() == std::pair{std::string("1.0.0"), true});

  auto store = registry::open_store(location);
  REQUIRE(store.ok());
  registry::RegistryService elsewhere(**store, registry::testing::test_clock());
  auto principal = elsewhere.authenticate(server.admin_token());
  REQUIRE(principal.ok());
  const registry::Caller caller{principal->name, *principal};

  REQUIRE(elsewhere.publish(caller, make_manifest("sales", "orders", "1.1.0"), registry::PublishMode::apply).ok());
  CHECK(latest() == std::pair{std::string("1.1.0"), false});
  CHECK(latest() == std::pair{std::string("1.1.0"), true});
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.2.0"), registry::PublishMode::apply).ok());
  CHECK(latest() == std::pair{std::string("1.2.0"), false});

  // The reader's principal was kept too: a revocation elsewhere holds at its next request.
  REQUIRE(elsewhere.revoke_token(caller, "dashboards").ok());
  const auto refused = server.client(reader->secret)->describe({"sales", "orders"}, std::nullopt);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::unauthenticated);
}

TEST_CASE("Kept answers follow every write to a server's SQLite file", "[server][cache]") {
  TemporaryFolder folder;
  check_kept_answers_follow_writes("sqlite:" + (folder.path() / "registry.db").string());
}

TEST_CASE("Kept answers follow every write to a server's PostgreSQL database", "[server][cache][postgres]") {
  REQUIRE_POSTGRES(server);
  check_kept_answers_follow_writes(registry::testing::fresh_schema_url(*server));
}

TEST_CASE("A server with --cache-bytes 0 keeps nothing and still answers", "[server][cache]") {
  TemporaryFolder folder;
  ServerOptions options;
  options.cache_bytes = 0;
  testing::TestServer server("sqlite:" + (folder.path() / "registry.db").string(), options);
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
  for (std::size_t describe = 1; describe <= 2; ++describe) {
    CHECK(admin->describe({"sales", "orders"}, std::nullopt).value().product.latest_version == "1.0.0");
    CHECK_FALSE(describe_was_kept(server, describe));
  }
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.1.0"), registry::PublishMode::apply).ok());
  CHECK(admin->describe({"sales", "orders"}, std::nullopt).value().product.latest_version == "1.1.0");
}

}  // namespace
}  // namespace meshctl::server
