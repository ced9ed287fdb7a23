#include <catch2/catch.hpp>
#include <chrono>

#include "meshctl/core/sql_text.h"
#include "meshctl/quality/test.h"
#include "quality/distinct.h"
#include "quality/values.h"
#include "quality/quality_fixtures.h"
#include "registry/raw_sqlite.h"
#include "registry/temporary_folder.h"

using namespace meshctl;
using namespace meshctl::quality;
using namespace meshctl::quality::testing;
using meshctl::registry::testing::execute_raw_sql;
using meshctl::registry::testing::TemporaryFolder;

namespace {

struct Expected {
  CheckStatus status;
  std::optional<std::int64_t> failed;
};

// The planted violations, as every source reports them (CSV and JSON Lines add rows/well_formed).
const std::map<std::string, Expected> kPlanted = {
    {"orders-table/order_id/exists", {CheckStatus::passed, std::nullopt}},
    {"orders-table/order_id/type", {CheckStatus::passed, 0}},
    {"orders-table/order_id/required", {CheckStatus::passed, 0}},
    {"orders-table/order_id/unique", {CheckStatus::failed, 1}},
    {"orders-table/customer_email/type", {CheckStatus::passed, 0}},
    {"orders-table/quantity/type", {CheckStatus::failed, 1}},
    {"orders-table/amount/type", {CheckStatus::passed, 0}},
    {"orders-table/status/enum", {CheckStatus::failed, 1}},
    {"orders-table/ordered_at/type", {CheckStatus::passed, 0}},
    {"orders-table/ordered_at/required", {CheckStatus::failed, 1}},
    {"orders-table/ordered_on/type", {CheckStatus::failed, 1}},
    {"orders-table/gift/type", {CheckStatus::failed, 1}},
    {"orders-table/columns/undeclared", {CheckStatus::warning, std::nullopt}},
    {"orders-table/quality[0]/not_null", {CheckStatus::failed, 1}},
    {"orders-table/quality[1]/unique", {CheckStatus::failed, 1}},
    {"orders-table/quality[2]/row_count", {CheckStatus::passed, std::nullopt}},
    {"orders-table/quality[3]/range", {CheckStatus::failed, 1}},
    {"orders-table/quality[4]/pattern", {CheckStatus::failed, 1}},
    {"orders-table/quality[5]/accepted_values", {CheckStatus::failed, 1}},
    {"orders-table/quality[6]/freshness", {CheckStatus::failed, std::nullopt}},
    {"orders-table/quality[7]/sql", {CheckStatus::failed, std::nullopt}},
    {"orders-table/quality[8]/sql", {CheckStatus::passed, std::nullopt}},
};

void check_planted(const TestRun& run) {
  const auto checks = by_id(run);
  for (const auto& [id, expected] : kPlanted) {
    INFO(id);
    REQUIRE(checks.contains(id));
    const auto& check = checks.at(id);
    INFO(check.message);
    CHECK(check.status == expected.status);
    if (expected.failed) {
      CHECK(check.failed_rows == expected.failed);
      CHECK(check.total_rows == 5);
    }
  }
  CHECK(checks.at("orders-table/quality[2]/row_count").observed == 5);
  // 'x' is text, which SQLite orders after every number: two rows are "> 10", in every source alike.
  CHECK(checks.at("orders-table/quality[7]/sql").observed == 2);
  CHECK(checks.at("orders-table/quality[6]/freshness").observed["newest"] == "2026-03-01T12:00:00Z");
  CHECK(checks.at("orders-table/columns/undeclared").observed == nlohmann::json::array({"note"}));
  // Failing rows come with every declared field, the PII one masked.
  const auto& unique = checks.at("orders-table/order_id/unique");
  REQUIRE_FALSE(unique.samples.empty());
  for (const auto& sample : unique.samples) {
    CHECK(sample["order_id"] == "o-1");
    CHECK(sample["customer_email"] == "***");
    CHECK(sample.contains("gift"));
  }
  const auto& not_null = checks.at("orders-table/quality[0]/not_null");
  REQUIRE(not_null.samples.size() == 1);
  CHECK(not_null.samples[0]["order_id"] == "o-4");
  CHECK(not_null.samples[0]["customer_email"].is_null());
  const auto& pattern = checks.at("orders-table/quality[4]/pattern");
  REQUIRE(pattern.samples.size() == 1);
  CHECK(pattern.samples[0]["order_id"] == "bad");
  CHECK(pattern.samples[0]["customer_email"] == "***");
  for (const auto& check : run.checks) {
    for (const auto& sample : check.samples) {
      const auto text = sample.dump();
      CHECK(text.find("@example.com") == std::string::npos);
    }
  }
}

void check_clean(const TestRun& run) {
  REQUIRE_FALSE(run.checks.empty());
  for (const auto& check : run.checks) {
    INFO(check.id << ": " << check.message);
    if (check.rule == "undeclared") {
      CHECK(check.status == CheckStatus::warning);
    } else {
      CHECK(check.status == CheckStatus::passed);
    }
    CHECK(check.samples.empty());
  }
}

}  // namespace

TEST_CASE("sql rules must be one SELECT or WITH statement", "[quality]") {
  CHECK_FALSE(single_select_problem("SELECT COUNT(*) FROM t"));
  CHECK_FALSE(single_select_problem("  with x as (select 1) select * from x;  "));
  CHECK_FALSE(single_select_problem("SELECT ';DELETE FROM t' -- ; drop table t\nFROM t"));
  CHECK_FALSE(single_select_problem("SELECT $$; DELETE$$, \"a;b\" /* ; */ FROM t"));
  CHECK(single_select_problem("DELETE FROM t"));
  CHECK(single_select_problem("SELECT 1; DELETE FROM t"));
  CHECK(single_select_problem("SELECT * INTO copy FROM t"));
  CHECK(single_select_problem("WITH gone AS (DELETE FROM t RETURNING *) SELECT COUNT(*) FROM gone"));
  CHECK(single_select_problem("PRAGMA writable_schema = 1"));
  CHECK(single_select_problem("ATTACH 'x.db' AS x"));
  CHECK(single_select_problem("SELECT 'open"));
  CHECK(single_select_problem("   ;"));
}

TEST_CASE("sources are parsed and their passwords never shown", "[quality]") {
  auto csv = parse_source("csv:data/orders.csv");
  REQUIRE(csv.ok());
  CHECK(csv->kind == SourceKind::csv);
  CHECK(csv->target == "data/orders.csv");
  auto sqlite = parse_source("sqlite:/tmp/w.db#orders");
  REQUIRE(sqlite.ok());
  CHECK(sqlite->target == "/tmp/w.db");
  CHECK(sqlite->table == "orders");
  auto postgres = parse_source("postgresql://alice:s3cret@db:5432/shop#sales.orders");
  REQUIRE(postgres.ok());
  CHECK(postgres->target == "postgresql://alice:s3cret@db:5432/shop");
  CHECK(postgres->table == "sales.orders");
  CHECK(postgres->display == "postgresql://alice:***@db:5432/shop#sales.orders");
  auto bad = parse_source("s3://bucket/orders/");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::invalid);
  auto no_table = parse_source("postgresql://alice:s3cret@db/shop");
  REQUIRE_FALSE(no_table.ok());
  CHECK(no_table.error().message.find("s3cret") == std::string::npos);
  CHECK_FALSE(parse_source("sqlite:w.db").ok());
}

TEST_CASE("values are judged by their declared type", "[quality]") {
  CHECK(text_fits("integer", "-42"));
  CHECK(text_fits("integer", "+7"));
  CHECK_FALSE(text_fits("integer", "3000000000"));
  CHECK(text_fits("long", "3000000000"));
  CHECK_FALSE(text_fits("integer", "1.0"));
  CHECK(text_fits("decimal", "10.50"));
  CHECK(text_fits("decimal", "-.5"));
  CHECK_FALSE(text_fits("decimal", "1e3"));
  CHECK(text_fits("double", "1e3"));
  CHECK_FALSE(text_fits("double", "abc"));
  CHECK(text_fits("boolean", "TRUE"));
  CHECK_FALSE(text_fits("boolean", "yes"));
  CHECK(text_fits("date", "2024-02-29"));
  CHECK_FALSE(text_fits("date", "2023-02-29"));
  CHECK(text_fits("timestamp", "2026-03-01T10:00:00Z"));
  CHECK(text_fits("timestamp", "2026-03-01 10:00:00"));
  CHECK(text_fits("timestamp", "2026-03-01T10:00:00.123+02:00"));
  CHECK_FALSE(text_fits("timestamp", "2026-03-01"));
  CHECK(text_fits("array", "[1, 2]"));
  CHECK_FALSE(text_fits("object", "[1, 2]"));
  CHECK(epoch_of_text("2026-03-01") == *usage::parse_timestamp("2026-03-01T00:00:00Z"));
  const nlohmann::json integer = 5;
  const nlohmann::json text = "5";
  CHECK(value_fits("integer", Value{Value::Kind::json, {}, &integer}));
  CHECK_FALSE(value_fits("integer", Value{Value::Kind::json, "5", &text}));
  CHECK(value_fits("decimal", Value{Value::Kind::json, "5", &text}));
  CHECK(matches_scalar(Value{Value::Kind::text, "1.0"}, manifest::Scalar{std::int64_t{1}}));
  CHECK(matches_scalar(Value{Value::Kind::json, {}, &integer}, manifest::Scalar{std::int64_t{5}}));
  CHECK_FALSE(matches_scalar(Value{Value::Kind::json, "5", &text}, manifest::Scalar{std::int64_t{5}}));
}

TEST_CASE("repeats are counted exactly when the counter spills to disk", "[quality]") {
  DistinctCounter counter(0);  // the smallest table: spills every ~700 values
  std::int64_t seen_in_memory = 0;
  for (int i = 0; i < 10'000; ++i) {
    auto repeated = counter.add(std::to_string(i % 8'000));
    REQUIRE(repeated.ok());
    seen_in_memory += *repeated ? 1 : 0;
  }
  auto repeats = counter.finish();
  REQUIRE(repeats.ok());
  CHECK(*repeats == 2'000);
  CHECK(seen_in_memory <= 2'000);
  DistinctCounter small(1 << 20);
  for (const char* value : {"a", "b", "a", "c", "a"}) REQUIRE(small.add(value).ok());
  CHECK(*small.finish() == 2);
}

TEST_CASE("CSV: every planted violation is found, with counts and masked samples", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "orders.csv";
  write_text(path, kViolationsCsv);
  auto options = options_for("csv:" + path.string());
  options.now = newest_order() + 7200;
  auto run = run_tests(test_manifest(), options);
  REQUIRE(run.ok());
  check_planted(*run);
  const auto checks = by_id(*run);
  const auto& formed = checks.at("orders-table/rows/well_formed");
  CHECK(formed.status == CheckStatus::failed);
  CHECK(formed.failed_rows == 1);
  CHECK(formed.samples.at(0)["_row"] == 6);
  CHECK(checks.at("orders-table/quantity/type").samples.at(0)["_row"] == 3);
  REQUIRE(run->ports.size() == 1);
  CHECK(run->ports[0].rows == 6);
}

TEST_CASE("CSV: a clean file passes; quoting, CRLF and line breaks in fields are RFC 4180", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "orders.csv";
  write_text(path, kCleanCsv);
  auto run = run_tests(test_manifest(), options_for("csv:" + path.string()));
  REQUIRE(run.ok());
  check_clean(*run);
  CHECK(run->ports.at(0).rows == 3);
}

TEST_CASE("CSV: a field missing from the header fails exists and skips its other checks", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "orders.csv";
  write_text(path, "order_id,customer_email\no-1,a@example.com\n");
  auto run = run_tests(test_manifest(), options_for("csv:" + path.string()));
  REQUIRE(run.ok());
  const auto checks = by_id(*run);
  CHECK(checks.at("orders-table/quantity/exists").status == CheckStatus::failed);
  CHECK(checks.at("orders-table/quantity/type").status == CheckStatus::skipped);
  CHECK(checks.at("orders-table/quality[3]/range").status == CheckStatus::skipped);
  CHECK(checks.at("orders-table/order_id/unique").status == CheckStatus::passed);
}

TEST_CASE("CSV: a quote inside an unquoted field is not RFC 4180", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "orders.csv";
  write_text(path, "order_id,customer_email\no-1,a@example.com\no-\"2,b\n");
  auto run = run_tests(test_manifest(), options_for("csv:" + path.string()));
  REQUIRE(run.ok());
  const auto formed = by_id(*run).at("orders-table/rows/well_formed");
  CHECK(formed.status == CheckStatus::failed);
  CHECK(formed.samples.at(0)["_row"] == 2);
}

TEST_CASE("JSON Lines: every planted violation is found", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "orders.jsonl";
  write_text(path, kViolationsJsonl);
  auto options = options_for("jsonl:" + path.string());
  options.now = newest_order() + 7200;
  auto run = run_tests(test_manifest(), options);
  REQUIRE(run.ok());
  check_planted(*run);
  const auto formed = by_id(*run).at("orders-table/rows/well_formed");
  CHECK(formed.failed_rows == 1);
  CHECK(formed.samples.at(0)["_row"] == 7);  // line numbers, the blank line counted
}

TEST_CASE("SQLite: the checks run as one scan, samples by query", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "warehouse.db";
  execute_raw_sql(path, std::string(kSqliteSchema) + kViolationsSql);
  auto options = options_for("sqlite:" + path.string() + "#orders");
  options.now = newest_order() + 7200;
  auto run = run_tests(test_manifest(), options);
  REQUIRE(run.ok());
  check_planted(*run);
  REQUIRE(run->ports.size() == 1);
  const auto& scan = run->ports[0].scan;
  CHECK(scan.starts_with("SELECT COUNT(*), "));
  CHECK(scan.find("COUNT(\"order_id\") - COUNT(DISTINCT \"order_id\")") != std::string::npos);
  // The schema's `unique` and the quality rule share one expression of the scan.
  CHECK(scan.find("DISTINCT") == scan.rfind("DISTINCT"));
  const auto checks = by_id(*run);
  CHECK(checks.at("orders-table/quantity/type").sample_query.starts_with("SELECT "));
  CHECK_FALSE(checks.contains("orders-table/rows/well_formed"));
}

TEST_CASE("SQLite: a clean table passes; a column of the wrong type fails", "[quality]") {
  TemporaryFolder folder;
  const auto path = folder.path() / "warehouse.db";
  execute_raw_sql(path, std::string(kSqliteSchema) + kCleanSql);
  auto run = run_tests(test_manifest(), options_for("sqlite:" + path.string() + "#orders"));
  REQUIRE(run.ok());
  check_clean(*run);

  const auto other = folder.path() / "text.db";
  execute_raw_sql(other, "CREATE TABLE orders (order_id TEXT, quantity TEXT); INSERT INTO orders VALUES ('o-1', '1');");
  auto typed = run_tests(test_manifest(), options_for("sqlite:" + other.string() + "#orders"));
  REQUIRE(typed.ok());
  const auto quantity = by_id(*typed).at("orders-table/quantity/type");
  CHECK(quantity.status == CheckStatus::failed);
  CHECK(quantity.failed_rows == 0);
  CHECK(quantity.message.find("declared TEXT") != std::string::npos);
}

TEST_CASE("a source that cannot be read is unavailable, named without its password", "[quality]") {
  TemporaryFolder folder;
  for (const std::string& source :
       {"csv:" + (folder.path() / "missing.csv").string(), "jsonl:" + (folder.path() / "missing.jsonl").string(),
        "sqlite:" + (folder.path() / "missing.db").string() + "#orders"}) {
    auto run = run_tests(test_manifest(), options_for(source));
    REQUIRE_FALSE(run.ok());
    CHECK(run.error().kind == ErrorKind::unavailable);
    CHECK(run.error().message.find(source) != std::string::npos);
  }
  const auto path = folder.path() / "warehouse.db";
  execute_raw_sql(path, kSqliteSchema);
  auto no_table = run_tests(test_manifest(), options_for("sqlite:" + path.string() + "#order"));
  REQUIRE_FALSE(no_table.ok());
  CHECK(no_table.error().kind == ErrorKind::unavailable);
  CHECK(no_table.error().message.find("no table 'order'") != std::string::npos);
  const auto not_a_database = folder.path() / "notes.db";
  write_text(not_a_database, "these are not the pages of a database, but they are long enough to look like one");
  auto garbage = run_tests(test_manifest(), options_for("sqlite:" + not_a_database.string() + "#orders"));
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().kind == ErrorKind::unavailable);
}

TEST_CASE("a sql rule that is not one SELECT is refused before it runs", "[quality]") {
  std::string text = kManifest;
  text += "        - { rule: sql, query: \"DELETE FROM orders_table\", mustBe: 0 }\n";
  text += "        - { rule: sql, query: \"SELECT 1; DELETE FROM orders_table\", mustBe: 1 }\n";
  TemporaryFolder folder;
  const auto path = folder.path() / "warehouse.db";
  execute_raw_sql(path, std::string(kSqliteSchema) + kCleanSql);
  auto run = run_tests(test_manifest(text), options_for("sqlite:" + path.string() + "#orders"));
  REQUIRE(run.ok());
  const auto checks = by_id(*run);
  for (const char* id : {"orders-table/quality[9]/sql", "orders-table/quality[10]/sql"}) {
    INFO(id);
    CHECK(checks.at(id).status == CheckStatus::error);
    CHECK(checks.at(id).message.starts_with("refused before running"));
  }
  CHECK(registry::testing::query_raw_text(path, "SELECT COUNT(*) FROM orders") == std::vector<std::string>{"3"});
}

TEST_CASE("a sql rule's query is stopped at its time limit, on files and on SQLite", "[quality]") {
  TemporaryFolder folder;
  const auto csv = folder.path() / "orders.csv";
  write_text(csv, "order_id\no-1\n");
  const auto db = folder.path() / "orders.db";
  execute_raw_sql(db, "CREATE TABLE orders (order_id TEXT); INSERT INTO orders VALUES ('o-1');");
  for (const auto& source : {"csv:" + csv.string(), "sqlite:" + db.string() + "#orders"}) {
    INFO(source);
    auto options = options_for(source);
    options.rule_timeout_seconds = 1;
    const auto started = std::chrono::steady_clock::now();
    auto run = run_tests(test_manifest(endless_rule_manifest(kEndlessInSqlite)), options);
    REQUIRE(run.ok());
    const auto rule = by_id(*run).at("orders-table/quality[0]/sql");
    CHECK(rule.status == CheckStatus::error);
    CHECK_THAT(rule.message, Catch::Contains("stopped after 1 s"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  }
}
