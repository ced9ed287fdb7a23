// The web catalog's newer pages over the fake reader: the glossary's, the manifest's downloads, the
// products needing attention on the home page.

#include <string>

#include <catch2/catch.hpp>

#include "meshctl/web/catalog.h"
#include "web/fake_reader.h"

namespace meshctl::web {

using namespace testing;

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
  // One read for every product's attention: no product's details or usage.
  CHECK(reader.product_reads == 0);
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
