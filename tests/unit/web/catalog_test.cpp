// The web catalog's pages over a fake reader: what they show, how they escape, where they link.

#include "meshctl/web/catalog.h"

#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/web/export.h"
#include "registry/temporary_folder.h"
#include "web/fake_reader.h"

namespace meshctl::web {

using namespace testing;

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

}  // namespace meshctl::web
