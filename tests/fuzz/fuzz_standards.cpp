// A standards file (`kind: Standards`): parsing it, then everything validate
// asks of it: the rules in force per domain, and the check of a fixed manifest
// that every built-in rule and most custom paths reach (nested fields, ports of
// each kind, quality rules, labels).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "meshctl/standards/standards.h"
#include "meshctl/yaml/loader.h"

using namespace meshctl;

namespace {

constexpr const char* kManifest = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: order-events
  domain: sales
  version: 2.3.0
  title: Shop order events
  description: Every order lifecycle event emitted by the web shop, deduplicated by event id.
  owner: { team: sales-data, email: sales-data@example.com }
  tags: [orders, events, source-aligned]
  labels: { tier: silver, cost-center: cc-1001 }
spec:
  compatibility: backward
  inputPorts:
    - { name: customers, product: sales/customers, version: ^1.2 }
  outputPorts:
    - name: order-events-topic
      description: The event stream, one message per lifecycle event.
      type: topic
      format: avro
      location: kafka://events.internal:9092/sales.order-events.v2
      schema:
        fields:
          - { name: event_id, type: string, required: true, unique: true, description: Event key, classification: internal }
          - { name: event_type, type: string, description: What happened, classification: internal, enum: [placed, paid] }
          - name: order
            type: object
            description: The order as it was
            classification: confidential
            fields:
              - { name: customer_email, type: string, classification: confidential, pii: true, term: customer-email }
              - name: lines
                type: array
                fields:
                  - { name: sku, type: string, required: true, description: Stock keeping unit, classification: public }
                  - { name: unit_price, type: decimal, description: Price per unit in EUR }
      slo: { freshness: 5m, availability: "99.95%" }
      quality:
        - { rule: not_null, field: event_id }
        - { rule: range, field: unit_price, min: 0, max: 10000 }
        - { rule: accepted_values, field: event_type, values: [placed, paid] }
    - { name: orders-table, type: table, format: parquet, description: The orders., slo: { freshness: 1h } }
)";

const yaml::Node& fixed_manifest() {
  static const yaml::LoadedFile loaded = yaml::parse_yaml(kManifest, "manifest.yaml");
  fuzz::require(loaded.diagnostics.empty() && loaded.documents.size() == 1, "the fixed manifest parses");
  return loaded.documents.front().root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const yaml::Node& manifest = fixed_manifest();
  auto loaded = standards::parse_standards(fuzz::as_text(data, size), "standards.yaml");
  if (!loaded.standards) {
    fuzz::require(!loaded.diagnostics.empty(), "a refused standards file says why");
    return 0;
  }
  const auto& rules = *loaded.standards;
  std::vector<std::optional<std::string>> domains{std::nullopt, std::string("sales")};
  for (auto& domain : rules.override_domains()) domains.emplace_back(std::move(domain));
  for (const auto& domain : domains) (void)rules.effective_rules(domain);
  std::vector<Diagnostic> findings;
  rules.check(manifest, "manifest.yaml", findings);
  for (const auto& finding : findings) fuzz::require(finding.file == "manifest.yaml", "every finding names the manifest");
  return 0;
}
