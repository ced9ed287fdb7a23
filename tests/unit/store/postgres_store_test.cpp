// The PostgreSQL store: the registry contract over it, migrations, several
// writers (each with its own connection, as server replicas have), bounded
// lock waits, and errors that name the host but never the password.
//
// Tests tagged [postgres] need the test database (postgres_test_database.h);
// each works in a fresh schema of it (search_path in the URI).

#include "meshctl/store/postgres/postgres_store.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "meshctl/core/semver.h"
#include "meshctl/registry/local_registry.h"
#include "meshctl/store/store_factory.h"
#include "registry/authenticated_registry.h"
#include "registry/postgres_test_database.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

using testing::fresh_schema_url;
using testing::test_clock;

using testing::make_manifest;

void execute_raw(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::work work(connection);
  work.exec(sql);
  work.commit();
}

std::string query_value(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::work work(connection);
  return work.exec1(sql)[0].as<std::string>();
}

std::unique_ptr<PostgresStore> open_store_at(const std::string& url, PostgresStoreOptions options = {}) {
  auto store = PostgresStore::open(url, options);
  if (!store.ok()) FAIL(store.error().message);
  return std::move(*store);
}

// RegistryService over a PostgresStore, in-process: what the contract suite talks to here.
std::unique_ptr<LocalRegistry> open_registry(const std::string& url, const Clock& clock,
                                             const std::string& actor = "tester") {
  auto store = open_store(url);
  if (!store.ok()) FAIL(store.error().message);
  return LocalRegistry::over(std::move(*store), actor, clock);
}

TEST_CASE("A PostgreSQL URI is shown without its password", "[registry]") {
  CHECK(redact_postgres_uri("postgresql://alice:s3cret@db.example:5432/mesh?sslmode=require&password=x") ==
        "postgresql://alice@db.example:5432/mesh");
  CHECK(redact_postgres_uri("postgres://db.example/mesh") == "postgres://db.example/mesh");
  CHECK(redact_postgres_uri("postgresql://a%40b:p@ss@host") == "postgresql://a%40b@host");
  CHECK(redact_postgres_uri("not a uri") == "a PostgreSQL database");
}

TEST_CASE("open_store takes paths, sqlite:PATH and PostgreSQL URIs, and refuses anything else", "[registry]") {
  testing::TemporaryFolder folder;
  auto sqlite = open_store("sqlite:" + (folder.path() / "registry.db").string());
  REQUIRE(sqlite.ok());
  CHECK((*sqlite)->begin(TransactionMode::read).ok());

  const auto unknown = open_store("mysql://root:hunter2@db/mesh");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == ErrorKind::invalid);
  CHECK(unknown.error().message.find("hunter2") == std::string::npos);
  CHECK(unknown.error().message.find("sqlite:PATH") != std::string::npos);
  CHECK_FALSE(open_store("sqlite:").ok());
  auto plain_path = open_store((folder.path() / "plain.db").string());
  REQUIRE(plain_path.ok());
  CHECK(std::filesystem::exists(folder.path() / "plain.db"));
  const auto server = open_store("https://registry.example.com");
  REQUIRE_FALSE(server.ok());
  CHECK(server.error().kind == ErrorKind::invalid);
  CHECK(server.error().message.find("is a registry server") != std::string::npos);
}

TEST_CASE("An unreachable PostgreSQL is unavailable, named by host, never by password", "[registry]") {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  const auto store = open_store("postgresql://meshctl:hunter2@127.0.0.1:1/registry", {std::chrono::seconds{2}});
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().kind == ErrorKind::unavailable);
  CHECK(store.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(store.error().message.find("hunter2") == std::string::npos);
  CHECK(store.error().details.dump().find("hunter2") == std::string::npos);
}

TEST_CASE("RegistryService over PostgresStore keeps the registry contract", "[registry][contract][postgres]") {
  REQUIRE_POSTGRES(server);
  testing::ContractClock clock;
  std::string url;
  testing::check_registry_contract({[&]() -> std::unique_ptr<Registry> {
                                      url = fresh_schema_url(*server);
                                      return open_registry(url, clock, "alice");
                                    },
                                    "alice",
                                    [&](const std::string& token) -> std::unique_ptr<Registry> {
                                      auto store = open_store(url);
                                      if (!store.ok()) FAIL(store.error().message);
                                      return std::make_unique<testing::AuthenticatedRegistry>(std::move(*store), clock,
                                                                                              token);
                                    },
                                    &clock});
}

TEST_CASE("PostgresStore migrates once, even when replicas open it together", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  constexpr int kReplicas = 6;
  std::vector<std::string> failures(kReplicas);
  std::vector<std::thread> replicas;
  for (int i = 0; i < kReplicas; ++i) {
    replicas.emplace_back([&, i] {
      auto store = PostgresStore::open(url);
      if (!store.ok()) failures[i] = store.error().message;
    });
  }
  for (auto& replica : replicas) replica.join();
  for (const auto& failure : failures) CHECK(failure.empty());

  pqxx::connection connection(url);
  pqxx::work work(connection);
  CHECK(work.exec1("SELECT count(*) FROM schema_version")[0].as<int>() == 1);
  CHECK(work.exec1("SELECT max(version) FROM schema_version")[0].as<int>() == postgres_schema_version());
}

TEST_CASE("PostgresStore refuses a database written by a newer meshctl", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  open_store_at(url).reset();
  execute_raw(url, "UPDATE schema_version SET version = " + std::to_string(postgres_schema_version() + 1));
  const auto store = PostgresStore::open(url);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().kind == ErrorKind::unavailable);
  CHECK(store.error().message.find("newer than this meshctl") != std::string::npos);
}

TEST_CASE("A PostgresStore whose connection the database closed connects again at its next transaction",
          "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  auto store = open_store_at(url);
  testing::insert_domain(*store, "sales");  // prepares statements on the first connection
  // What a restart of the database does to every connection it had.
  execute_raw(*server,
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              "WHERE application_name = 'meshctl' AND pid <> pg_backend_pid()");
  // pg_terminate_backend only signals: as after a restart, the store meets a connection already closed.
  for (int attempt = 0; attempt < 500; ++attempt) {
    const auto left = query_value(*server, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'meshctl'");
    if (left == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  testing::insert_domain(*store, "finance");
  auto read = store->begin(TransactionMode::read);
  REQUIRE(read.ok());
  CHECK((*read)->find_domain("sales").value().has_value());
  CHECK((*read)->find_domain("finance").value().has_value());
}

TEST_CASE("A read transaction cannot write, and an existing domain is a conflict", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  auto store = open_store_at(url);
  {
    auto read = store->begin(TransactionMode::read);
    REQUIRE(read.ok());
    const auto refused = (*read)->insert_domain({"sales", "2026-11-23T00:00:00Z", 0, ""});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::invalid);
  }
  for (const auto* outcome : {"created", "conflict"}) {
    auto write = store->begin(TransactionMode::write);
    REQUIRE(write.ok());
    const auto status = (*write)->insert_domain({"sales", "2026-11-23T00:00:00Z", 0, "sales-data"});
    if (std::string(outcome) == "created") {
      REQUIRE(status.ok());
      REQUIRE((*write)->commit().ok());
    } else {
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().kind == ErrorKind::conflict);
    }
  }
  auto read = store->begin(TransactionMode::read);
  REQUIRE(read.ok());
  CHECK((*read)->find_domain("sales").value()->owner_team == "sales-data");
}

TEST_CASE("PostgresStore sees every commit to its database, its own and other connections'", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  auto watcher = open_store_at(url);
  auto other = open_store_at(url);
  testing::check_change_detection(*watcher, *other,
                                  [&url] { execute_raw(url, "UPDATE domains SET owner_team = 'someone-else'"); });
}

TEST_CASE("PostgresStore keeps a bounded history of each port's data changes", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  auto store = open_store_at(fresh_schema_url(*server));
  testing::check_freshness_history(*store);
}

TEST_CASE("PostgresStore sees the commit of a transaction older than the last one it saw", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  auto watcher = open_store_at(url);
  auto older = open_store_at(url);
  auto newer = open_store_at(url);
  auto write = older->begin(TransactionMode::write);
  REQUIRE(write.ok());
  REQUIRE((*write)->insert_domain({"sales", "2026-11-23T00:00:00Z", 0, "sales-data"}).ok());  // takes an id
  testing::insert_domain(*newer, "finance");  // a later id, committed first
  REQUIRE(watcher->changed_since_last_call().ok());
  // Only the in-progress list tells this commit apart: xmax already passed its id.
  REQUIRE((*write)->commit().ok());
  CHECK(watcher->changed_since_last_call().value());
}

TEST_CASE("On PostgreSQL, a write against a revision someone else moved is a conflict", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  open_registry(url, test_clock())->publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply).value();
  auto first = open_store_at(url);
  auto second = open_store_at(url);

  ProductRecord seen;
  {
    auto read = first->begin(TransactionMode::read);
    REQUIRE(read.ok());
    seen = (*read)->find_product({"sales", "orders"}).value().value();
  }
  {
    auto write = second->begin(TransactionMode::write);
    REQUIRE(write.ok());
    auto product = seen;
    product.owner.team = "winner";
    REQUIRE((*write)->update_product(product, seen.revision).ok());
    REQUIRE((*write)->commit().ok());
  }
  auto write = first->begin(TransactionMode::write);
  REQUIRE(write.ok());
  seen.owner.team = "loser";
  const auto lost = (*write)->update_product(seen, seen.revision);
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().kind == ErrorKind::conflict);
  write->reset();
  CHECK(open_registry(url, test_clock())->get_product({"sales", "orders"})->owner.team == "winner");
}

TEST_CASE("A writer that waits past lock_wait for a product is told the registry is busy", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  open_registry(url, test_clock())->publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply).value();
  auto holder = open_store_at(url);
  auto waiter = open_store_at(url, {std::chrono::milliseconds{300}});
  auto held = holder->begin(TransactionMode::write);
  REQUIRE(held.ok());
  REQUIRE((*held)->find_product({"sales", "orders"}).ok());

  auto waiting = waiter->begin(TransactionMode::write);
  REQUIRE(waiting.ok());
  // The holder never lets go: the answer comes only because the waiter gives up after its lock_wait
  // (without it, this call would wait for ever; ctest's timeout bounds the test, no clock here).
  const auto busy = (*waiting)->find_product({"sales", "orders"});
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.error().kind == ErrorKind::unavailable);
  CHECK(busy.error().message.find("busy") != std::string::npos);
  waiting->reset();

  // Readers never wait; another product's writer neither.
  auto reader = waiter->begin(TransactionMode::read);
  REQUIRE(reader.ok());
  CHECK((*reader)->find_product({"sales", "orders"}).ok());
  reader->reset();
  auto other = waiter->begin(TransactionMode::write);
  REQUIRE(other.ok());
  CHECK((*other)->find_product({"sales", "customers"}).ok());
}

// Several replicas (one connection each) race for the same versions of one
// product, apply one identical manifest, and write products of their own.
TEST_CASE("Writers on separate connections never publish a version twice or lose an update", "[registry][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  open_registry(url, test_clock()).reset();
  constexpr int kWriters = 4;
  constexpr int kVersions = 20;
  std::atomic<int> written{0}, conflicts{0}, unchanged{0};
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> writers;
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.emplace_back([&, writer] {
      SystemClock clock;
      auto store = open_store(url);
      if (!store.ok()) {
        std::lock_guard lock(failures_mutex);
        failures.push_back(store.error().message);
        return;
      }
      auto opened = LocalRegistry::over(std::move(*store), "writer-" + std::to_string(writer), clock);
      auto& registry = *opened;
      for (int i = 0; i < kVersions; ++i) {
        const auto version = "1.0." + std::to_string(i);
        for (const auto& manifest :
             {make_manifest("sales", "orders", version, {}, "Written by the writer number " + std::to_string(writer)),
              make_manifest("sales", "same", version),
              make_manifest("sales", "own-" + std::to_string(writer), version)}) {
          auto change = registry.publish(manifest, PublishMode::apply);
          if (change.ok()) {
            (change->action == ChangeAction::unchanged ? unchanged : written)++;
          } else if (change.error().kind == ErrorKind::conflict) {
            conflicts++;
          } else {
            std::lock_guard lock(failures_mutex);
            failures.push_back(change.error().message);
          }
        }
      }
    });
  }
  for (auto& thread : writers) thread.join();
  INFO((failures.empty() ? std::string() : failures.front()));
  CHECK(failures.empty());

  auto registry = open_registry(url, test_clock());
  const auto versions = registry->list_versions({"sales", "orders"}, {});
  REQUIRE(versions.ok());
  for (std::size_t i = 1; i < versions->size(); ++i) {
    CHECK(meshctl::compare_versions(*meshctl::parse_version((*versions)[i - 1].version),
                                    *meshctl::parse_version((*versions)[i].version)) < 0);
  }
  // One event and one revision step per version: no update was lost.
  CHECK(registry->history({"sales", "orders"}, {})->size() == versions->size());
  CHECK(registry->get_product({"sales", "orders"})->revision == static_cast<std::int64_t>(versions->size()));
  // The identical manifest: every writer but the first saw it unchanged, none conflicted.
  CHECK(registry->list_versions({"sales", "same"}, {})->size() == kVersions);
  std::size_t own_versions = 0;
  for (int writer = 0; writer < kWriters; ++writer) {
    own_versions += registry->list_versions({"sales", "own-" + std::to_string(writer)}, {})->size();
  }
  CHECK(own_versions == kWriters * kVersions);
  CHECK(static_cast<std::size_t>(written.load()) == versions->size() + kVersions + own_versions);
  CHECK(written + conflicts + unchanged == 3 * kWriters * kVersions);
}

// Not a test: the store's evolve rate (bench figures; run under
// postgres_cluster.py, `meshctl_unit_tests "[.perf][postgres]" -s`).
TEST_CASE("Evolves per second on PostgreSQL", "[.perf][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto url = fresh_schema_url(*server);
  for (const int writers : {1, 2, 4}) {
    constexpr int kEvolves = 300;
    std::atomic<int> failures{0};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int writer = 0; writer < writers; ++writer) {
      threads.emplace_back([&, writer] {
        SystemClock clock;
        auto registry = open_registry(url, clock);
        const auto name = "product-" + std::to_string(writers) + "-" + std::to_string(writer);
        for (int i = 0; i < kEvolves; ++i) {
          if (!registry->publish(make_manifest("bench", name, "1.0." + std::to_string(i)), PublishMode::apply).ok()) {
            failures++;
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
    CHECK(failures == 0);
    WARN(writers << " writer(s): " << static_cast<int>(writers * kEvolves / seconds.count()) << " evolves/s");
  }
}

}  // namespace
}  // namespace meshctl::registry
