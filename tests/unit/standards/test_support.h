#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/manifest/shape.h"
#include "meshctl/standards/standards.h"
#include "meshctl/yaml/loader.h"

namespace meshctl::test {

// A manifest that passes check_shape and every built-in rule with no finding at all.
inline const char* const kCleanManifest = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: orders
  domain: sales
  version: 1.2.0
  title: Confirmed orders
  description: One row per confirmed order line, updated hourly from the shop.
  owner: { team: sales-data, email: sales-data@example.com }
  tags: [orders, revenue]
  labels: { tier: gold, team.io/cost-center: cc-1234 }
spec:
  compatibility: forward
  inputPorts:
    - name: order-events
      product: sales/order-events
      version: "^2"
  outputPorts:
    - name: orders-table
      type: table
      format: parquet
      location: s3://sales/orders/
      schema:
        fields:
          - { name: order_id, type: string, required: true, unique: true, description: Order key, classification: internal }
          - { name: customer_email, type: string, description: Buyer contact, classification: confidential, pii: true }
          - name: address
            type: object
            description: Delivery address
            fields:
              - { name: city, type: string, description: City }
      slo: { freshness: 1h, availability: "99.9%" }
      quality:
        - { rule: not_null, field: order_id }
        - { rule: row_count, min: 1 }
        - { rule: accepted_values, field: address.city, values: [Berlin] }
)";

// Replaces the first `from` in `text` by `to`; fails the test when `from` is absent.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

// Structural and standards findings for `text` (which must be valid YAML).
inline std::vector<Diagnostic> check_with(const standards::Standards& rules, const std::string& text,
                                          bool with_shape = false) {
  auto loaded = yaml::parse_yaml(text, "test.yaml");
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.documents.size() == 1);
  std::vector<Diagnostic> out;
  if (with_shape) manifest::check_shape(loaded.documents[0].root, "test.yaml", out);
  rules.check(loaded.documents[0].root, "test.yaml", out);
  return out;
}

inline standards::Standards parse_ok(const std::string& text) {
  auto loaded = standards::parse_standards(text, "standards.yaml");
  for (const auto& d : loaded.diagnostics)
    UNSCOPED_INFO(d.position.line << ":" << d.position.column << " " << d.rule << " " << d.message);
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.standards);
  return *loaded.standards;
}

inline std::string rules_of(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += (out.empty() ? "" : " ") + d.rule;
  return out;
}

}  // namespace meshctl::test
