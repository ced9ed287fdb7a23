// The web catalog's pages over a fake reader: what they show, how they escape, where they link.

#include "meshctl/web/catalog.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/manifest/model.h"
#include "meshctl/web/export.h"
#include "registry/temporary_folder.h"

namespace meshctl::web {
namespace {

using registry::LifecycleStatus;
using registry::ProductRef;

constexpr const char* kHostile = "<script>alert(\"x\")</script> & 'more'";

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

  Result<std::vector<registry::DomainRecord>> list_domains() override { return domains; }
  Result<registry::ProductPage> list_products(const registry::ProductPageRequest& request) override {
    registry::ProductPage page;
    for (const auto& product : products) {
      if (!request.filter.domain || *request.filter.domain == product.ref.domain) page.products.push_back(product);
    }
    return page;
  }
  Result<registry::ProductDetails> describe(const ProductRef& ref) override {
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

manifest::Field field(const std::string& name, const std::string& type) {
  manifest::Field out;
  out.name = name;
  out.type = type;
  return out;
}

manifest::DataProduct orders() {
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

manifest::DataProduct events() {
  manifest::DataProduct product;
  product.metadata.name = "order-events";
  product.metadata.domain = "sales";
  product.metadata.version = "2.0.0";
  auto& stream = product.spec.output_ports.emplace_back();
  stream.name = "stream";
  stream.slo = manifest::Slo{"1h", std::nullopt};
  return product;
}

FakeReader mesh() {
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

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a product page escapes every text from the manifest", "[web]") {
  auto reader = mesh();
  auto page = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(page.ok());
  CHECK_FALSE(contains(*page, "<script>"));
  CHECK_FALSE(contains(*page, "<b>tag"));
  CHECK(contains(*page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;"));
  CHECK(contains(*page, "&lt;b&gt;tag&lt;/b&gt;"));
  // The page's own markup is not escaped: its one stylesheet and its structure.
  CHECK(contains(*page, "<style>"));
  CHECK(contains(*page, "<h1>Confirmed orders</h1>"));
}

TEST_CASE("a product page shows the schema with PII and classification flagged", "[web]") {
  auto reader = mesh();
  auto page = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(page.ok());
  CHECK(contains(*page,
                 "<code>customer_email</code></th><td>string</td><td>optional</td><td><span class=\"flag "
                 "flag-pii\">PII</span> <span class=\"flag flag-classification\">confidential</span>"));
  CHECK(contains(*page, "<code>order_id</code></th><td>string</td><td><strong>required</strong></td><td></td>"));
  CHECK(contains(*page, "<th scope=\"row\" class=\"depth-1\"><code>address.country</code>"));
  CHECK(contains(*page, "fresh within 1h, available 99.9%"));
  CHECK(contains(*page, "<strong>Latest quality run:</strong> failed: 3 passed, 1 failed"));
  CHECK(contains(*page, "<a href=\"mailto:sales-data@example.com\">sales-data@example.com</a>"));
  CHECK(contains(*page, "<li>tier=gold</li>"));
  CHECK_FALSE(contains(*page, "Deprecated"));
}

TEST_CASE("a deprecated product shows its sunset and reason first", "[web]") {
  auto reader = mesh();
  auto& record = reader.products.back();
  record.status = LifecycleStatus::deprecated;
  record.deprecation = registry::Deprecation{"2027-01-31", "Replaced by sales/orders-v2 <now>"};
  reader.sync(record);
  auto page = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(page.ok());
  const auto banner = page->find("class=\"banner banner-deprecated\" role=\"note\"");
  REQUIRE(banner != std::string::npos);
  CHECK(banner < page->find("class=\"description\""));
  CHECK(contains(*page, "Deprecated: sunset <time datetime=\"2027-01-31\">2027-01-31</time>"));
  CHECK(contains(*page, "<p>Replaced by sales/orders-v2 &lt;now&gt;</p>"));

  auto home = render_home(reader, CatalogLinks::served());
  REQUIRE(home.ok());
  CHECK(contains(*home,
                 "<td><a href=\"/catalog/products/sales/orders\">sales/orders</a></td><td><time "
                 "datetime=\"2027-01-31\">2027-01-31</time></td>"));
}

TEST_CASE("pages link the server's routes, or the export's files relative to each page", "[web]") {
  auto reader = mesh();
  auto served = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(served.ok());
  CHECK(contains(*served, "<a href=\"/catalog/products/sales/order-events\">sales/order-events</a>"));
  CHECK(contains(*served, "<a href=\"/catalog/domains/sales\">sales</a>"));
  CHECK(contains(*served, "<a href=\"/\">Catalog</a>"));

  auto exported = render_product(reader, {"sales", "order-events"}, CatalogLinks::exported(2));
  REQUIRE(exported.ok());
  CHECK(contains(*exported, "<a href=\"../../products/sales/orders.html\">sales/orders</a>"));
  CHECK(contains(*exported, "<a href=\"../../index.html\">Catalog</a>"));

  auto home = render_home(reader, CatalogLinks::exported(0));
  REQUIRE(home.ok());
  CHECK(contains(*home, "<a href=\"domains/sales.html\">sales</a> <span class=\"count\">2 products</span>"));

  // Recently changed: newest first.
  CHECK(home->find(">sales/orders</a>") < home->find(">sales/order-events</a>"));

  CHECK(CatalogLinks::served().product({"a b", "c/d"}) == "/catalog/products/a%20b/c%2Fd");
  CHECK(CatalogLinks::exported(1).domain("sales") == "../domains/sales.html");
}

TEST_CASE("a domain page lists its products with status, version and owner", "[web]") {
  auto reader = mesh();
  auto page = render_domain(reader, "sales", CatalogLinks::served());
  REQUIRE(page.ok());
  CHECK(contains(*page, "<h1>Domain sales</h1>"));
  CHECK(contains(*page,
                 "<td><a href=\"/catalog/products/sales/orders\">orders</a></td><td>0</td><td>0</td><td><span "
                 "class=\"status status-active\">active</span></td><td>1.2.0</td><td>sales-data</td>"));
  auto missing = render_domain(reader, "nowhere", CatalogLinks::served());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("a product the registry does not hold is not found", "[web]") {
  auto reader = mesh();
  auto page = render_product(reader, {"sales", "nothing"}, CatalogLinks::served());
  REQUIRE_FALSE(page.ok());
  CHECK(page.error().kind == ErrorKind::not_found);
}

TEST_CASE("export writes every page and refuses a folder that holds files", "[web]") {
  auto reader = mesh();
  registry::testing::TemporaryFolder folder;
  const auto into = [&](const char* name, bool force) {
    ExportOptions options;
    options.folder = folder.path() / name;
    options.force = force;
    return options;
  };
  std::vector<std::pair<std::size_t, std::size_t>> counts;
  auto counted = into("site", false);
  counted.progress = [&](std::size_t done, std::size_t total) { counts.emplace_back(done, total); };
  auto summary = export_catalog(reader, counted);
  REQUIRE(summary.ok());
  CHECK(summary->files == 15);
  CHECK(summary->terms == 2);
  REQUIRE(counts.size() == summary->products);  // one call per product, the last one complete
  CHECK(counts.back().first == counts.back().second);
  CHECK(std::filesystem::exists(folder.path() / "site/index.html"));
  CHECK(std::filesystem::exists(folder.path() / "site/search.html"));
  CHECK(std::filesystem::exists(folder.path() / "site/search-index.js"));
  CHECK(std::filesystem::exists(folder.path() / "site/products/sales/orders.yaml"));
  CHECK(std::filesystem::exists(folder.path() / "site/domains/sales.html"));
  CHECK(std::filesystem::exists(folder.path() / "site/products/sales/orders.html"));
  CHECK(std::filesystem::exists(folder.path() / "site/products/sales/orders.odps.yaml"));
  CHECK(std::filesystem::exists(folder.path() / "site/products/sales/orders.odcs.yaml"));
  CHECK(std::filesystem::exists(folder.path() / "site/glossary.html"));
  CHECK(std::filesystem::exists(folder.path() / "site/terms/customer-email.html"));
  CHECK(std::filesystem::exists(folder.path() / "site/terms/order-id.html"));

  auto again = export_catalog(reader, into("site", false));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == ErrorKind::conflict);
  auto forced = export_catalog(reader, into("site", true));
  CHECK(forced.ok());

  // A product whose name is no file name (its details moved along, so that every page but its own renders).
  auto moved = reader.details.extract(reader.products.back().ref);
  reader.products.back().ref.name = "../escape";
  moved.key() = reader.products.back().ref;
  moved.mapped().product.ref = moved.key();
  reader.details.insert(std::move(moved));
  auto hostile = export_catalog(reader, into("other", false));
  REQUIRE_FALSE(hostile.ok());
  CHECK(hostile.error().kind == ErrorKind::invalid);

  reader.terms.back().term.name = "../escape";
  auto hostile_term = export_catalog(reader, into("third", false));
  REQUIRE_FALSE(hostile_term.ok());
  CHECK(hostile_term.error().kind == ErrorKind::invalid);
  CHECK_FALSE(std::filesystem::exists(folder.path() / "escape.html"));
}

TEST_CASE("a product page shows health, reads per day, lineage, changelog and the manifest's download", "[web]") {
  auto reader = mesh();
  reader.reads = {{"2026-11-01", 2}, {"2026-11-02", 0}, {"2026-11-03", 8}};
  auto page = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(page.ok());
  // One observed consumer, reads rising (8 against 2), one port with a failed run, 5 of 7 parts documented.
  CHECK(contains(*page,
                 "<strong>Health:</strong> 1 consumer (reads rising) · no SLO judged · quality failed 1/1 · "
                 "docs 37%"));
  CHECK(contains(*page, "<title>2026-11-03: 8 reads</title>"));
  CHECK(contains(*page, "10 reads from"));
  CHECK(contains(*page, "<a href=\"/catalog/products/sales/order-events\"><rect class=\"node node-upstream\""));
  CHECK(contains(*page, "<h2 id=\"changelog\">Changelog</h2>"));
  CHECK(contains(*page, "First version."));
  CHECK(contains(*page,
                 "<a href=\"/catalog/products/sales/orders/manifest.yaml\" download=\"orders.yaml\">native "
                 "(YAML)</a>"));
  auto yaml = manifest_download(reader, {"sales", "orders"}, {});
  REQUIRE(yaml.ok());
  CHECK(yaml->rfind("apiVersion: meshctl/v1\nkind: DataProduct\nmetadata:\n", 0) == 0);
}

TEST_CASE("the search page shows the hits and escapes the words", "[web]") {
  auto reader = mesh();
  auto page = render_search(reader, "orders <i>", CatalogLinks::served());
  REQUIRE(page.ok());
  CHECK(contains(*page, "value=\"orders &lt;i&gt;\""));
  CHECK_FALSE(contains(*page, "<i>"));
  auto found = render_search(reader, "orders", CatalogLinks::served());
  REQUIRE(found.ok());
  CHECK(contains(*found, "1 product found"));
  CHECK(contains(*found, "<a href=\"/catalog/products/sales/orders\">orders</a>"));
  CHECK_FALSE(contains(*found, "<script>"));
  auto refused = render_search(reader, "!!!", CatalogLinks::served());
  REQUIRE(refused.ok());
  CHECK(contains(*refused, "class=\"error\""));

  const auto index =
      search_index_script({{{"sales", "orders"}, "Orders", kHostile, "{\"metadata\":{\"name\":\"orders\"}}"}});
  CHECK(contains(index, "window.meshctlSearchIndex = [{"));
  CHECK(contains(index, "\"u\":\"products/sales/orders.html\""));
}

TEST_CASE("a signed-in page names the principal and offers to sign out", "[web]") {
  auto reader = mesh();
  auto page = render_home(reader, CatalogLinks::served("alice <admin>"));
  REQUIRE(page.ok());
  CHECK(contains(*page, "Signed in as alice &lt;admin&gt;"));
  CHECK(contains(*page, "<form class=\"account\" method=\"post\" action=\"/logout\">"));
  const auto login = render_login("", "/catalog/products/sales/orders");
  CHECK(contains(login, "<input id=\"token\" name=\"token\" type=\"password\""));
  CHECK(contains(login, "value=\"/catalog/products/sales/orders\""));
}

TEST_CASE("a term's page shows its definition as text and links what it names", "[web]") {
  auto reader = mesh();
  auto page = render_term(reader, "customer-email", CatalogLinks::served());
  REQUIRE(page.ok());
  CHECK_FALSE(contains(*page, "<script>"));
  CHECK(contains(*page, "<p class=\"description\">How to reach a customer. &lt;script&gt;alert(&quot;x&quot;)"));
  CHECK(contains(*page, "<h1>customer-email</h1>"));
  CHECK(contains(*page, "<li>buyer-email</li>"));
  // Related: a term of the registry is linked, another word is text.
  CHECK(contains(*page, "<li><a href=\"/catalog/terms/order-id\">order-id</a></li><li>not-a-term</li>"));
  // Authoritative definitions: an https URL is a link (escaped), the others are text.
  CHECK(contains(*page,
                 "businessDefinition: <a rel=\"external noopener noreferrer\" "
                 "href=\"https://wiki.example.com/terms?a=1&amp;b=&lt;2&gt;\">"));
  CHECK_FALSE(contains(*page, "href=\"javascript:"));
  CHECK(contains(*page, "script: <code>javascript:alert(1)</code>"));
  CHECK_FALSE(contains(*page, "href=\"file:"));
  CHECK(contains(*page, "<a href=\"/catalog/domains/sales\">sales</a>"));
  CHECK(contains(*page, "sales/customer-terms <span class=\"muted\">version 1.0.0</span>"));
  // The fields that use it, by a synonym too, each linking its product.
  CHECK(contains(
      *page,
      "<td><a href=\"/catalog/products/sales/orders\">sales/orders</a> <span class=\"muted\">1.2.0</span>"
      "</td><td>orders-table</td><td><code>customer_email</code> <span class=\"muted\">as buyer-email</span>"));

  auto exported = render_term(reader, "customer-email", CatalogLinks::exported(1));
  REQUIRE(exported.ok());
  CHECK(contains(*exported, "<a href=\"../products/sales/orders.html\">sales/orders</a>"));
  CHECK(contains(*exported, "<a href=\"../terms/order-id.html\">order-id</a>"));
  CHECK(contains(*exported, "<a href=\"../glossary.html\">Glossary</a>"));

  auto unused = render_term(reader, "order-id", CatalogLinks::served());
  REQUIRE(unused.ok());
  CHECK(contains(*unused, "No field of a data product names this term yet."));
  CHECK(contains(*unused, "<span class=\"status status-draft\">draft</span>"));

  auto missing = render_term(reader, "nothing", CatalogLinks::served());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
}

TEST_CASE("a product page links each field's term to the term's page", "[web]") {
  auto reader = mesh();
  auto page = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(page.ok());
  // A synonym links its term's page.
  CHECK(contains(*page,
                 "<span class=\"flag flag-term\">term: <a href=\"/catalog/terms/customer-email\">buyer-email</a>"));
  // A term no glossary defines stays text.
  CHECK(contains(*page, "<span class=\"flag flag-term\">term: gross-amount</span>"));
  auto exported = render_product(reader, {"sales", "orders"}, CatalogLinks::exported(2));
  REQUIRE(exported.ok());
  CHECK(contains(*exported, "term: <a href=\"../../terms/customer-email.html\">buyer-email</a>"));
}

TEST_CASE("the glossary's index lists every term, and the home page links it", "[web]") {
  auto reader = mesh();
  auto page = render_glossary(reader, CatalogLinks::served());
  REQUIRE(page.ok());
  CHECK(contains(*page, "2 terms in 1 glossary."));
  CHECK(contains(*page, "<td><a href=\"/catalog/terms/customer-email\">customer-email</a></td>"));
  CHECK(page->find(">customer-email</a>") < page->find(">order-id</a>"));
  CHECK_FALSE(contains(*page, "<script>"));
  auto home = render_home(reader, CatalogLinks::exported(0));
  REQUIRE(home.ok());
  CHECK(contains(*home, "<a href=\"glossary.html\">2 terms</a>"));
  reader.terms.clear();
  auto empty = render_glossary(reader, CatalogLinks::served());
  REQUIRE(empty.ok());
  CHECK(contains(*empty, "No glossary yet"));
}

TEST_CASE("a product page offers its manifest as native, ODPS and ODCS", "[web]") {
  using Format = ManifestDownload::Format;
  auto reader = mesh();
  auto page = render_product(reader, {"sales", "orders"}, CatalogLinks::served());
  REQUIRE(page.ok());
  // One output port: one ODCS contract.
  CHECK(contains(*page,
                 "<a href=\"/catalog/products/sales/orders/odps.yaml\" download=\"orders.odps.yaml\">ODPS "
                 "v1.0.0 (product and contracts)</a>"));
  CHECK(contains(*page,
                 "<a href=\"/catalog/products/sales/orders/odcs.yaml\" download=\"orders.odcs.yaml\">ODCS "
                 "v3.1.0 contract</a>"));
  auto odps = manifest_download(reader, {"sales", "orders"}, {Format::odps, ""});
  REQUIRE(odps.ok());
  CHECK(odps->rfind("apiVersion: v1.0.0\nkind: DataProduct\n", 0) == 0);
  CHECK(contains(*odps, "\n---\napiVersion: v3.1.0\nkind: DataContract\n"));
  auto odcs = manifest_download(reader, {"sales", "orders"}, {Format::odcs, ""});
  REQUIRE(odcs.ok());
  CHECK(odcs->rfind("apiVersion: v3.1.0\nkind: DataContract\n", 0) == 0);
  CHECK_FALSE(contains(*odcs, "\n---\n"));
  auto no_port = manifest_download(reader, {"sales", "orders"}, {Format::odcs, "orders-table"});
  REQUIRE_FALSE(no_port.ok());
  CHECK(no_port.error().kind == ErrorKind::not_found);

  // Several output ports: a contract each, but for a port whose name is no file name.
  auto several = orders();
  several.metadata.name = "order-lines";
  several.spec.output_ports.push_back(several.spec.output_ports.front());
  several.spec.output_ports.back().name = "lines-api";
  several.spec.output_ports.push_back(several.spec.output_ports.front());
  several.spec.output_ports.back().name = "../odd port";
  reader.add(several, "2026-11-04T00:00:00Z");
  const ProductRef lines{"sales", "order-lines"};
  auto exported = render_product(reader, lines, CatalogLinks::exported(2));
  REQUIRE(exported.ok());
  CHECK(contains(*exported,
                 "<a href=\"../../products/sales/order-lines.odcs.lines-api.yaml\" "
                 "download=\"order-lines.odcs.lines-api.yaml\">ODCS v3.1.0 contract of lines-api</a>"));
  CHECK(contains(*exported, "order-lines.odcs.orders-table.yaml"));
  CHECK_FALSE(contains(*exported, "contract of ../odd port"));
  CHECK_FALSE(contains(*exported, "odd%20port"));
  CHECK_FALSE(contains(*exported, "order-lines.odcs.yaml"));
  CHECK(CatalogLinks::served().download(lines, {Format::odcs, "lines-api"}) ==
        "/catalog/products/sales/order-lines/odcs/lines-api.yaml");
  auto second = manifest_download(reader, lines, {Format::odcs, "lines-api"});
  REQUIRE(second.ok());
  CHECK(contains(*second, "name: lines-api"));
  CHECK_FALSE(manifest_download(reader, lines, {Format::odcs, ""}).ok());
  CHECK_FALSE(manifest_download(reader, lines, {Format::odcs, "../odd port"}).ok());
}

TEST_CASE("a version applied as ODCS downloads as the contract it was applied as", "[web]") {
  auto reader = mesh();
  auto& version = reader.details[{"sales", "orders"}].selected;
  version.original = registry::OriginalDocuments{
      "odcs", R"([{"kind": "DataContract", "apiVersion": "v3.0.2", "id": "as-applied", "name": "<kept>"}])"};
  auto odcs = manifest_download(reader, {"sales", "orders"}, {ManifestDownload::Format::odcs, ""});
  REQUIRE(odcs.ok());
  CHECK(*odcs == "kind: DataContract\napiVersion: v3.0.2\nid: as-applied\nname: <kept>\n");
  // Another format is converted from the manifest.
  auto odps = manifest_download(reader, {"sales", "orders"}, {ManifestDownload::Format::odps, ""});
  REQUIRE(odps.ok());
  CHECK(odps->rfind("apiVersion: v1.0.0\n", 0) == 0);
}

TEST_CASE("the home page lists the products that need attention, with why", "[web]") {
  auto reader = mesh();
  registry::PortFreshness stale;
  stale.port = "stream";
  stale.slo = "1h";
  stale.updated_at = "2026-11-01T00:00:00Z";
  stale.verdict = registry::FreshnessVerdict::violated;
  reader.freshness[{"sales", "order-events"}] = {stale};
  auto home = render_home(reader, CatalogLinks::served());
  REQUIRE(home.ok());
  const auto section = home->find("<h2 id=\"attention\">Needs attention</h2>");
  // The product page says how the SLO held over the last days, and the health line for the product.
  reader.freshness[{"sales", "order-events"}].front().slo_days_met = 27;
  reader.freshness[{"sales", "order-events"}].front().slo_days_judged = 29;
  auto events_page = render_product(reader, {"sales", "order-events"}, CatalogLinks::served());
  REQUIRE(events_page.ok());
  CHECK(contains(*events_page,
                 "<span class=\"verdict verdict-violated\">violated</span> · met 27/29 days of the last 30</p>"));
  REQUIRE(section != std::string::npos);
  CHECK(contains(*home,
                 "<td><a href=\"/catalog/products/sales/order-events\">sales/order-events</a></td><td><ul "
                 "class=\"plain\"><li class=\"attention-slo\">freshness SLO 1h violated on stream: last change "
                 "2026-11-01T00:00:00Z</li></ul></td>"));
  CHECK(contains(*home,
                 "<td><a href=\"/catalog/products/sales/orders\">sales/orders</a></td><td><ul class=\"plain\"><li "
                 "class=\"attention-quality\">quality run failed on orders-table: 1 failed, 0 errors (version 1.2.0, "
                 "2026-11-03T01:00:00Z)</li></ul></td><td>sales-data</td>"));

  reader.freshness.clear();
  reader.details[{"sales", "orders"}].latest_quality.clear();
  auto calm = render_home(reader, CatalogLinks::exported(0));
  REQUIRE(calm.ok());
  CHECK(contains(*calm, "No product has a violated freshness SLO or a failed latest quality run."));
}

}  // namespace meshctl::web
