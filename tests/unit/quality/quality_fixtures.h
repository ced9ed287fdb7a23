#pragma once

// A manifest with every kind of check, and the same rows as CSV, JSON Lines and SQLite: clean, or with one
// planted violation of each check.

#include <fstream>
#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/manifest/model.h"
#include "meshctl/quality/test.h"
#include "meshctl/usage/time.h"
#include "meshctl/yaml/loader.h"

namespace meshctl::quality::testing {

inline constexpr const char* kManifest = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata: { name: orders, domain: sales, version: 1.0.0 }
spec:
  outputPorts:
    - name: orders-table
      type: table
      schema:
        fields:
          - { name: order_id, type: string, required: true, unique: true }
          - { name: customer_email, type: string, pii: true, classification: confidential }
          - { name: quantity, type: integer }
          - { name: amount, type: decimal }
          - { name: status, type: string, enum: [placed, paid, shipped] }
          - { name: currency, type: string }
          - { name: ordered_at, type: timestamp, required: true }
          - { name: ordered_on, type: date }
          - { name: gift, type: boolean }
      slo: { freshness: 1h }
      quality:
        - { rule: not_null, field: customer_email }
        - { rule: unique, field: order_id }
        - { rule: row_count, min: 1, max: 100 }
        - { rule: range, field: amount, min: 0, max: 1000 }
        - { rule: pattern, field: order_id, pattern: "^o-[0-9]+$" }
        - { rule: accepted_values, field: currency, values: [EUR, USD] }
        - { rule: freshness, field: ordered_at }
        - { rule: sql, query: "SELECT COUNT(*) FROM orders_table WHERE quantity > 10", mustBe: 0 }
        - { rule: sql, query: "SELECT SUM(amount) FROM \"orders-table\"", mustBeGreaterThan: 0, mustBeLessThan: 100000 }
)";

inline manifest::DataProduct test_manifest(const std::string& text = kManifest) {
  auto loaded = yaml::parse_yaml(text, "orders.yaml");
  REQUIRE(loaded.diagnostics.empty());
  return manifest::decode(loaded.documents.front().root);
}

// The newest ordered_at of the rows below.
inline std::int64_t newest_order() {
  return *usage::parse_timestamp("2026-03-01T12:00:00Z");
}

inline constexpr const char* kCleanCsv =
    "order_id,customer_email,quantity,amount,status,currency,ordered_at,ordered_on,gift,note\r\n"
    "o-1,ann@example.com,1,10.50,placed,EUR,2026-03-01T10:00:00Z,2026-03-01,true,\"first, with a comma\"\r\n"
    "o-2,bob@example.com,2,20,paid,USD,2026-03-01 11:00:00,2026-03-01,false,\"a \"\"quoted\"\" word\"\r\n"
    "o-3,cy@example.com,3,0,shipped,EUR,2026-03-01T12:00:00+00:00,2026-03-01,TRUE,\"two\nlines\"\r\n";

// Planted: o-1 twice (unique x2), "bad" (pattern), quantity x (type), amount -5 (range), an empty email
// (not_null), status lost (enum), currency GBP (accepted_values), an empty ordered_at (required), quantity 50
// (the sql rule), 2026-02-30 (date type), gift yes (boolean type), a short row (well_formed).
inline constexpr const char* kViolationsCsv =
    "order_id,customer_email,quantity,amount,status,currency,ordered_at,ordered_on,gift,note\n"
    "o-1,ann@example.com,1,10.50,placed,EUR,2026-03-01T10:00:00Z,2026-03-01,true,\n"
    "o-1,bob@example.com,2,20,paid,USD,2026-03-01T11:00:00Z,2026-03-01,false,\n"
    "bad,cy@example.com,x,-5,shipped,EUR,2026-03-01T12:00:00Z,2026-03-01,true,\n"
    "o-4,,4,40,lost,GBP,,2026-03-01,false,\n"
    "o-5,dee@example.com,50,50,paid,USD,2026-03-01T09:00:00Z,2026-02-30,yes,\n"
    "o-6,short row\n";

inline constexpr const char* kViolationsJsonl =
    R"({"order_id":"o-1","customer_email":"ann@example.com","quantity":1,"amount":10.5,"status":"placed","currency":"EUR","ordered_at":"2026-03-01T10:00:00Z","ordered_on":"2026-03-01","gift":true,"note":""})"
    "\n"
    R"({"order_id":"o-1","customer_email":"bob@example.com","quantity":2,"amount":"20","status":"paid","currency":"USD","ordered_at":"2026-03-01T11:00:00Z","ordered_on":"2026-03-01","gift":false})"
    "\n"
    R"({"order_id":"bad","customer_email":"cy@example.com","quantity":"x","amount":-5,"status":"shipped","currency":"EUR","ordered_at":"2026-03-01T12:00:00Z","ordered_on":"2026-03-01","gift":true})"
    "\n"
    R"({"order_id":"o-4","customer_email":null,"quantity":4,"amount":40,"status":"lost","currency":"GBP","ordered_at":"","ordered_on":"2026-03-01","gift":false})"
    "\n\n"
    R"({"order_id":"o-5","customer_email":"dee@example.com","quantity":50,"amount":50,"status":"paid","currency":"USD","ordered_at":"2026-03-01T09:00:00Z","ordered_on":"2026-02-30","gift":"yes"})"
    "\n"
    "[\"not\", \"an object\"]\n";

inline constexpr const char* kSqliteSchema =
    "CREATE TABLE orders (order_id TEXT, customer_email TEXT, quantity INTEGER, amount NUMERIC, status TEXT, "
    "currency TEXT, ordered_at TEXT, ordered_on DATE, gift BOOLEAN, note TEXT);";

inline constexpr const char* kViolationsSql =
    "INSERT INTO orders VALUES ('o-1','ann@example.com',1,10.5,'placed','EUR','2026-03-01T10:00:00Z','2026-03-01',1,NULL);"
    "INSERT INTO orders VALUES ('o-1','bob@example.com',2,20,'paid','USD','2026-03-01T11:00:00Z','2026-03-01',0,NULL);"
    "INSERT INTO orders VALUES ('bad','cy@example.com','x',-5,'shipped','EUR','2026-03-01T12:00:00Z','2026-03-01',1,NULL);"
    "INSERT INTO orders VALUES ('o-4',NULL,4,40,'lost','GBP',NULL,'2026-03-01',0,NULL);"
    "INSERT INTO orders VALUES ('o-5','dee@example.com',50,50,'paid','USD','2026-03-01T09:00:00Z','2026-02-30','yes',NULL);";

inline constexpr const char* kCleanSql =
    "INSERT INTO orders VALUES ('o-1','ann@example.com',1,10.5,'placed','EUR','2026-03-01T10:00:00Z','2026-03-01',1,NULL);"
    "INSERT INTO orders VALUES ('o-2','bob@example.com',2,20,'paid','USD','2026-03-01 11:00:00','2026-03-01',0,NULL);"
    "INSERT INTO orders VALUES ('o-3','cy@example.com',3,0,'shipped','EUR','2026-03-01T12:00:00Z','2026-03-01',1,NULL);";

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

inline std::map<std::string, CheckResult> by_id(const TestRun& run) {
  std::map<std::string, CheckResult> out;
  for (const auto& check : run.checks) out.emplace(check.id, check);
  return out;
}

// A port whose one sql rule never ends (a recursive WITH on SQLite; `endless` on PostgreSQL).
inline std::string endless_rule_manifest(const std::string& endless) {
  return R"(apiVersion: meshctl/v1
kind: DataProduct
metadata: { name: orders, domain: sales, version: 1.0.0 }
spec:
  outputPorts:
    - name: orders-table
      schema:
        fields:
          - { name: order_id, type: string }
      quality:
        - { rule: sql, mustBe: 0, query: ")" + endless + R"(" }
)";
}
inline constexpr const char* kEndlessInSqlite =
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r";

inline TestOptions options_for(const std::string& source) {
  TestOptions options;
  auto parsed = parse_source(source);
  REQUIRE(parsed.ok());
  options.sources.emplace("orders-table", *parsed);
  options.now = newest_order() + 600;
  return options;
}

}  // namespace meshctl::quality::testing
