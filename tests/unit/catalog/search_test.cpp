#include "meshctl/catalog/search.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace meshctl::registry {
namespace {

using Words = std::vector<std::string>;

TEST_CASE("search_words splits names at separators and case changes, lowercased", "[search]") {
  CHECK(search_words("customer_email") == Words{"customer", "email"});
  CHECK(search_words("customer-email") == Words{"customer", "email"});
  CHECK(search_words("customerEmail") == Words{"customer", "email"});
  CHECK(search_words("HTTPServer v2Beta") == Words{"http", "server", "v2", "beta"});
  CHECK(search_words("s3://sales/orders/") == Words{"s3", "sales", "orders"});
  CHECK(search_words("\"a\" OR b* NEAR(c)") == Words{"a", "or", "b", "near", "c"});
  CHECK(search_words(std::string("a\0b", 3)) == Words{"a", "b"});
  CHECK(search_words("Käse über") == Words{"k\xc3\xa4se",
                                           "\xc3\xbc"
                                           "ber"});
  CHECK(search_words("  -- ''  ").empty());
}

TEST_CASE("parse_search_text makes one group per word, and refuses what cannot be a query", "[search]") {
  const auto query = parse_search_text("customer_email  gdpr");
  REQUIRE(query.ok());
  CHECK(query->groups == std::vector<Words>{{"customer", "email"}, {"gdpr"}});
  CHECK(parse_search_text("").value().empty());
  CHECK(parse_search_text("   ").value().empty());
  CHECK(parse_search_text("* && ||").error().kind == ErrorKind::invalid);
  CHECK(parse_search_text(std::string(kMaxSearchTextBytes + 1, 'a')).error().kind == ErrorKind::invalid);
  CHECK(parse_search_text("a b c d e f g h i j k l m n o p q").error().kind == ErrorKind::invalid);
  CHECK(parse_search_text("ok \xc3").error().kind == ErrorKind::invalid);
}

const char* kManifest = R"({"apiVersion":"meshctl/v1","kind":"DataProduct",
  "metadata":{"name":"customers","domain":"sales","version":"1.0.0","title":"Customer master",
    "description":"Everyone who bought.","tags":["gdpr"],"labels":{"tier":"gold"},
    "owner":{"team":"sales-data","email":"sales@example.com"}},
  "spec":{"outputPorts":[{"name":"customers-table","schema":{"fields":[
    {"name":"customer_email","description":"Contact.","pii":true,"term":"customer-email"},
    {"name":"address","fields":[{"name":"postCode","description":"Where."}]}]}}]}})";

TEST_CASE("search_document weighs names, schema and descriptions apart, with the filters' facets", "[search]") {
  const auto document = search_document(kManifest);
  CHECK(document.names == "customers customer master gdpr");
  CHECK(document.schema == "tier gold sales data customers table customer email customer email address post code");
  CHECK(document.text == "everyone who bought contact where");
  CHECK(document.facets == std::vector<std::pair<std::string, std::string>>{{"field", "address"},
                                                                            {"field", "address.postCode"},
                                                                            {"field", "customer_email"},
                                                                            {"field", "postCode"},
                                                                            {"pii", ""},
                                                                            {"tag", "gdpr"},
                                                                            {"term", "customer-email"}});
  CHECK(search_document("not json").names.empty());
  CHECK(search_document("[1, {\"metadata\": 3}]").facets.empty());
}

TEST_CASE("matched_items names what the words were found in, once each", "[search]") {
  const auto manifest = nlohmann::json::parse(kManifest);
  CHECK(matched_items(manifest, parse_search_text("email").value()) ==
        Words{"field customer_email", "field customer_email term customer-email"});
  CHECK(matched_items(manifest, parse_search_text("code gold").value()) ==
        Words{"label tier=gold", "field address.postCode"});
  CHECK(matched_items(manifest, parse_search_text("customer_master").value()) == Words{"title"});
  CHECK(matched_items(manifest, parse_search_text("nowhere").value()).empty());
}

}  // namespace
}  // namespace meshctl::registry
