#pragma once

// The web catalog's tests' registry: a CatalogReader over records held in memory (FakeReader), and a small
// mesh in it (mesh()): sales/orders reading sales/order-events, a failed quality run, a glossary of two terms.

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "meshctl/manifest/model.h"
#include "meshctl/registry/health.h"
#include "meshctl/web/catalog.h"

namespace meshctl::web::testing {

using registry::LifecycleStatus;
using registry::ProductRef;

using registry::LifecycleStatus;
using registry::ProductRef;

inline constexpr const char* kHostile = "<script>alert(\"x\")</script> & 'more'";

// The reads of a registry held in memory: one page of products, details by product.
class FakeReader final : public CatalogReader {
 public:
  std::vector<registry::DomainRecord> domains;
  std::vector<registry::ProductRecord> products;
  std::map<ProductRef, registry::ProductDetails> details;
  std::vector<registry::Subscription> subscription_list;
  std::vector<registry::DailyUsage> reads;                               // every product's reads per day
  std::map<ProductRef, std::vector<registry::PortFreshness>> freshness;  // by product
  std::vector<registry::TermRecord> terms;                               // by name
  std::vector<registry::TermBinding> bindings;                           // every term's fields
  std::size_t product_reads = 0;  // calls of describe and usage: reads of one product each

  Result<std::vector<registry::DomainRecord>> list_domains() override { return domains; }
  Result<registry::ProductPage> list_products(const registry::ProductPageRequest& request) override {
    registry::ProductPage page;
    for (const auto& product : products) {
      if (!request.filter.domain || *request.filter.domain == product.ref.domain) page.products.push_back(product);
    }
    return page;
  }
  Result<registry::ProductDetails> describe(const ProductRef& ref) override {
    ++product_reads;
    const auto found = details.find(ref);
    if (found == details.end()) return make_error(ErrorKind::not_found, "no product " + ref.text());
    return found->second;
  }
  Result<std::vector<registry::Subscription>> subscriptions(const ProductRef& ref) override {
    std::vector<registry::Subscription> matching;
    for (const auto& subscription : subscription_list) {
      if (subscription.product == ref) matching.push_back(subscription);
    }
    return matching;
  }

  Result<registry::SearchResult> search(const registry::SearchRequest& request) override {
    registry::SearchResult result;
    for (const auto& product : products) {
      if (contains_text(product.ref.name, request.text)) result.hits.push_back({product, "", kHostile, {"name"}});
    }
    return result;
  }
  Result<std::vector<registry::VersionRecord>> versions(const ProductRef& ref) override {
    const auto found = details.find(ref);
    if (found == details.end()) return make_error(ErrorKind::not_found, "no product " + ref.text());
    return std::vector<registry::VersionRecord>{found->second.selected};
  }
  Result<registry::VersionRecord> version(const ProductRef& ref, const std::string& version) override {
    const auto found = details.find(ref);
    if (found == details.end() || found->second.selected.version != version) {
      return make_error(ErrorKind::not_found, "no version " + version + " of " + ref.text());
    }
    return found->second.selected;
  }
  Result<registry::UsageSummary> usage(const ProductRef& ref, const registry::UsageQuery&) override {
    ++product_reads;
    registry::UsageSummary summary;
    summary.product = ref;
    summary.days = reads;
    summary.slo_days = 30;
    if (const auto found = freshness.find(ref); found != freshness.end()) summary.freshness = found->second;
    for (const auto& day : reads) summary.events += day.events;
    if (!reads.empty()) {
      registry::ConsumerUsage consumer;
      consumer.consumer = "bi-dashboard";
      consumer.observed = true;
      summary.consumers.push_back(consumer);
    }
    return summary;
  }
  Result<registry::LineageGraph> lineage(const registry::LineageRequest& request) override {
    registry::LineageGraph graph;
    graph.root = request.root;
    graph.nodes.push_back({*request.root});
    for (const auto& [ref, entry] : details) {
      const auto& edges =
          request.direction == registry::LineageDirection::upstream ? entry.dependencies : entry.dependents;
      if (ref != *request.root) continue;
      for (const auto& edge : edges) {
        const bool up = request.direction == registry::LineageDirection::upstream;
        graph.nodes.push_back({up ? edge.provider : edge.consumer, LifecycleStatus::active, true, 1});
        graph.edges.push_back({edge.provider, edge.consumer, edge.port});
      }
    }
    return graph;
  }
  // What the registry answers, from the same records: each product's reasons from its details and freshness.
  Result<std::vector<registry::ProductAttention>> attention() override {
    std::vector<registry::ProductAttention> attention;
    for (const auto& [ref, entry] : details) {
      registry::UsageSummary summary;
      if (const auto found = freshness.find(ref); found != freshness.end()) summary.freshness = found->second;
      auto reasons = registry::attention_reasons(entry, summary);
      if (!reasons.empty()) attention.push_back({ref, std::move(reasons)});
    }
    return attention;
  }
  Result<std::vector<registry::TermRecord>> list_terms() override { return terms; }
  Result<registry::TermDetails> describe_term(const std::string& name) override {
    for (const auto& term : terms) {
      if (term.term.name != name) continue;
      registry::TermDetails found{term, {}};
      for (const auto& binding : bindings) {
        const auto& synonyms = term.term.synonyms;
        if (binding.named == name || std::find(synonyms.begin(), synonyms.end(), binding.named) != synonyms.end()) {
          found.fields.push_back(binding);
        }
      }
      return found;
    }
    return make_error(ErrorKind::not_found, "no term '" + name + "' in the glossary");
  }
  static bool contains_text(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  // Adds the product of `manifest` at its version, published at `time`.
  registry::ProductRecord& add(const manifest::DataProduct& manifest, const std::string& time) {
    registry::ProductRecord record;
    record.ref = {manifest.metadata.domain, manifest.metadata.name};
    record.latest_version = manifest.metadata.version;
    record.updated_at = time;
    if (manifest.metadata.owner) record.owner.team = manifest.metadata.owner->team.value_or("");
    registry::VersionRecord version;
    version.ref = record.ref;
    version.version = manifest.metadata.version;
    version.published_at = time;
    version.published_by = "alice";
    auto& entry = details[record.ref];
    entry.versions.push_back(version);
    version.manifest_json = manifest::canonical_text(manifest);
    entry.selected = version;
    products.push_back(record);
    entry.product = record;
    return products.back();
  }
  void sync(const registry::ProductRecord& record) { details[record.ref].product = record; }
};

inline manifest::Field field(const std::string& name, const std::string& type) {
  manifest::Field out;
  out.name = name;
  out.type = type;
  return out;
}

inline manifest::DataProduct orders() {
  manifest::DataProduct product;
  product.metadata.name = "orders";
  product.metadata.domain = "sales";
  product.metadata.version = "1.2.0";
  product.metadata.title = "Confirmed orders";
  product.metadata.description = std::string("One row per order. ") + kHostile;
  product.metadata.owner = manifest::Owner{"sales-data", "sales-data@example.com"};
  product.metadata.tags = {"orders", "<b>tag</b>"};
  product.metadata.labels = {{"tier", "gold"}};
  auto& input = product.spec.input_ports.emplace_back();
  input.name = "events";
  input.product = "sales/order-events";
  input.version = "^2";
  auto& port = product.spec.output_ports.emplace_back();
  port.name = "orders-table";
  port.type = "table";
  port.slo = manifest::Slo{"1h", "99.9%"};
  auto id = field("order_id", "string");
  id.required = true;
  auto email = field("customer_email", "string");
  email.pii = true;
  email.classification = "confidential";
  email.description = kHostile;
  email.term = "buyer-email";  // a synonym of customer-email
  auto address = field("address", "object");
  address.fields = {field("country", "string")};
  auto amount = field("amount", "decimal");
  amount.term = "gross-amount";  // no glossary defines it
  port.schema.emplace().fields = {id, email, address, amount};
  return product;
}

inline manifest::DataProduct events() {
  manifest::DataProduct product;
  product.metadata.name = "order-events";
  product.metadata.domain = "sales";
  product.metadata.version = "2.0.0";
  auto& stream = product.spec.output_ports.emplace_back();
  stream.name = "stream";
  stream.slo = manifest::Slo{"1h", std::nullopt};
  return product;
}

inline FakeReader mesh() {
  FakeReader reader;
  reader.domains = {{"sales", "2026-11-01T00:00:00Z", 2, "sales-data"}};
  reader.add(events(), "2026-11-02T00:00:00Z");
  reader.add(orders(), "2026-11-03T00:00:00Z");
  auto& order_details = reader.details[{"sales", "orders"}];
  order_details.dependencies = {{{"sales", "orders"}, "events", {"sales", "order-events"}, "^2"}};
  reader.details[{"sales", "order-events"}].dependents = order_details.dependencies;
  registry::QualityRun run;
  run.ref = {"sales", "orders"};
  run.version = "1.2.0";
  run.port = "orders-table";
  run.time = "2026-11-03T01:00:00Z";
  run.counts = {.passed = 3, .failed = 1};
  order_details.latest_quality = {run};

  registry::TermRecord email;
  email.term.name = "customer-email";
  email.term.definition = std::string("How to reach a customer. ") + kHostile;
  email.term.synonyms = {"buyer-email"};
  email.term.related = {"order-id", "not-a-term"};
  email.term.authoritative_definitions = {{"businessDefinition", "https://wiki.example.com/terms?a=1&b=<2>"},
                                          {"script", "javascript:alert(1)"},
                                          {"file", "file:///etc/passwd"}};
  email.domain = "sales";
  email.glossary = "customer-terms";
  email.version = "1.0.0";
  email.owner = {"sales-data", "sales-data@example.com"};
  registry::TermRecord order_id = email;
  order_id.term = {};
  order_id.term.name = "order-id";
  order_id.term.definition = "The shop's key of an order.";
  order_id.term.status = "draft";
  reader.terms = {email, order_id};
  reader.bindings = {{{"sales", "orders"}, "1.2.0", "orders-table", "customer_email", "buyer-email"}};
  return reader;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace meshctl::web::testing
