// meshctl test on PostgreSQL: the same planted violations as the other sources, found by PostgreSQL's SQL.
// Runs under tests/integration/postgres_cluster.py (ctest postgres_store), skipped with a warning elsewhere.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "meshctl/quality/test.h"
#include "quality/quality_fixtures.h"
#include "registry/postgres_test_database.h"

using namespace meshctl;
using namespace meshctl::quality;
using namespace meshctl::quality::testing;

namespace {

// A schema of its own holding table `orders` made by `sql`; its name.
std::string schema_with(const std::string& server, const std::string& sql) {
  static int made = 0;
  const auto schema = "quality_" + std::to_string(::getpid()) + "_" + std::to_string(++made);
  pqxx::connection db(server);
  pqxx::work work(db);
  work.exec0("CREATE SCHEMA " + schema);
  work.exec0("SET search_path TO " + schema);
  work.exec0(sql);
  work.commit();
  return schema;
}

const char* const kTyped =
    "CREATE TABLE orders (order_id text, customer_email text, quantity text, amount numeric(10,2), status text, "
    "currency varchar(3), ordered_at timestamptz, ordered_on text, gift text, note text);"
    "INSERT INTO orders VALUES ('o-1','ann@example.com','1',10.5,'placed','EUR','2026-03-01T10:00:00Z','2026-03-01','true',NULL),"
    "('o-1','bob@example.com','2',20,'paid','USD','2026-03-01T11:00:00Z','2026-03-01','false',NULL),"
    "('bad','cy@example.com','x',-5,'shipped','EUR','2026-03-01T12:00:00Z','2026-03-01','true',NULL),"
    "('o-4',NULL,'4',40,'lost','GBP',NULL,'2026-03-01','false',NULL),"
    "('o-5','dee@example.com','50',50,'paid','USD','2026-03-01T09:00:00Z','2026-02-30','yes',NULL);";

}  // namespace

TEST_CASE("PostgreSQL: the planted violations are found in one scan, read-only", "[quality][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto schema = schema_with(*server, kTyped);
  auto options = options_for(*server + "#" + schema + ".orders");
  options.now = newest_order() + 7200;
  auto run = run_tests(test_manifest(), options);
  REQUIRE(run.ok());
  const auto checks = by_id(*run);
  const std::map<std::string, std::pair<CheckStatus, std::int64_t>> expected = {
      {"orders-table/order_id/unique", {CheckStatus::failed, 1}},
      {"orders-table/quantity/type", {CheckStatus::failed, 1}},
      {"orders-table/amount/type", {CheckStatus::passed, 0}},
      {"orders-table/status/enum", {CheckStatus::failed, 1}},
      {"orders-table/ordered_at/required", {CheckStatus::failed, 1}},
      {"orders-table/ordered_on/type", {CheckStatus::failed, 1}},
      {"orders-table/gift/type", {CheckStatus::failed, 1}},
      {"orders-table/quality[0]/not_null", {CheckStatus::failed, 1}},
      {"orders-table/quality[1]/unique", {CheckStatus::failed, 1}},
      {"orders-table/quality[3]/range", {CheckStatus::failed, 1}},
      {"orders-table/quality[4]/pattern", {CheckStatus::failed, 1}},
      {"orders-table/quality[5]/accepted_values", {CheckStatus::failed, 1}},
  };
  for (const auto& [id, want] : expected) {
    INFO(id << ": " << checks.at(id).message);
    CHECK(checks.at(id).status == want.first);
    CHECK(checks.at(id).failed_rows == want.second);
  }
  CHECK(checks.at("orders-table/quality[2]/row_count").observed == 5);
  CHECK(checks.at("orders-table/quality[6]/freshness").status == CheckStatus::failed);
  CHECK(checks.at("orders-table/quality[6]/freshness").observed["newest"] == "2026-03-01T12:00:00Z");
  // quantity is text here, and PostgreSQL compares no text with an integer: the rule's own error.
  CHECK(checks.at("orders-table/quality[7]/sql").status == CheckStatus::error);
  CHECK(checks.at("orders-table/quality[7]/sql").message.find("operator does not exist") != std::string::npos);
  CHECK(checks.at("orders-table/quality[8]/sql").status == CheckStatus::passed);
  CHECK(checks.at("orders-table/columns/undeclared").status == CheckStatus::warning);
  const auto& unique = checks.at("orders-table/order_id/unique");
  REQUIRE(unique.samples.size() == 2);
  CHECK(unique.samples[0]["customer_email"] == "***");
  CHECK(unique.samples[0]["amount"].is_number());
  CHECK(run->ports.at(0).scan.find("FILTER (WHERE") != std::string::npos);
}

TEST_CASE("PostgreSQL: a column of an unsuitable type fails; writes are refused; a missing table is unavailable",
          "[quality][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto schema = schema_with(*server,
                                  "CREATE TABLE orders (order_id text, quantity date); "
                                  "INSERT INTO orders VALUES ('o-1', '2026-03-01');");
  std::string text = kManifest;
  text += "        - { rule: sql, query: \"WITH gone AS (DELETE FROM orders_table RETURNING 1) SELECT COUNT(*) FROM gone\", mustBe: 0 }\n";
  auto run = run_tests(test_manifest(text), options_for(*server + "#" + schema + ".orders"));
  REQUIRE(run.ok());
  const auto checks = by_id(*run);
  CHECK(checks.at("orders-table/quantity/type").status == CheckStatus::failed);
  CHECK(checks.at("orders-table/quantity/type").message.find("of type date") != std::string::npos);
  CHECK(checks.at("orders-table/quality[9]/sql").status == CheckStatus::error);
  CHECK(checks.at("orders-table/quality[8]/sql").status == CheckStatus::error);  // SUM(amount): no such column
  pqxx::connection db(*server);
  CHECK(pqxx::read_transaction(db).exec1("SELECT COUNT(*) FROM " + schema + ".orders")[0].as<int>() == 1);

  auto missing = run_tests(test_manifest(), options_for(*server + "#" + schema + ".nothing"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::unavailable);
  CHECK(missing.error().message.find("no table") != std::string::npos);
  auto unreachable = run_tests(test_manifest(), options_for("postgresql://nobody@127.0.0.1:1/none#public.orders"));
  REQUIRE_FALSE(unreachable.ok());
  CHECK(unreachable.error().kind == ErrorKind::unavailable);
}

TEST_CASE("PostgreSQL: a sql rule's query is stopped at its time limit", "[quality][postgres]") {
  REQUIRE_POSTGRES(server);
  const auto schema = schema_with(*server, "CREATE TABLE orders (order_id text); INSERT INTO orders VALUES ('o-1');");
  auto options = options_for(*server + "#" + schema + ".orders");
  options.rule_timeout_seconds = 1;
  auto run = run_tests(test_manifest(endless_rule_manifest("SELECT count(*) FROM pg_sleep(600)")), options);
  REQUIRE(run.ok());
  const auto rule = by_id(*run).at("orders-table/quality[0]/sql");
  CHECK(rule.status == CheckStatus::error);
  CHECK_THAT(rule.message, Catch::Contains("stopped after 1 s"));
}
