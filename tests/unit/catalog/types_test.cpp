#include "meshctl/catalog/types.h"

#include <catch2/catch.hpp>

namespace meshctl::registry {
namespace {

TEST_CASE("content_hash is 64-bit FNV-1a in lowercase hex", "[registry]") {
  CHECK(content_hash("") == "cbf29ce484222325");
  CHECK(content_hash("a") == "af63dc4c8601ec8c");
  CHECK(content_hash("foobar") == "85944171f73967e8");
}

TEST_CASE("Sunset dates are real calendar dates", "[registry]") {
  CHECK(is_calendar_date("2027-06-30"));
  CHECK(is_calendar_date("2028-02-29"));
  CHECK_FALSE(is_calendar_date("2027-02-29"));
  CHECK_FALSE(is_calendar_date("2027-13-01"));
  CHECK_FALSE(is_calendar_date("2027-6-30"));
  CHECK_FALSE(is_calendar_date("2027-06-30T00:00"));
  CHECK_FALSE(is_calendar_date(""));
}

TEST_CASE("Product references and selectors parse DOMAIN/NAME[@VERSION]", "[registry]") {
  CHECK(parse_product_ref("sales/orders")->text() == "sales/orders");
  for (const auto* bad : {"sales", "/orders", "sales/", "a/b/c", ""}) {
    INFO(bad);
    CHECK(parse_product_ref(bad).error().kind == ErrorKind::invalid);
  }
  const auto selector = parse_product_selector("sales/orders@1.2.0");
  REQUIRE(selector.ok());
  CHECK(selector->ref == ProductRef{"sales", "orders"});
  CHECK(selector->version == "1.2.0");
  CHECK_FALSE(parse_product_selector("sales/orders")->version.has_value());
  CHECK_FALSE(parse_product_selector("sales/orders@").ok());
  CHECK(parse_label_filter("tier=gold").value() == std::pair<std::string, std::string>{"tier", "gold"});
  CHECK(parse_label_filter("empty=")->second.empty());
  CHECK_FALSE(parse_label_filter("tier").ok());
  CHECK_FALSE(parse_label_filter("=gold").ok());
}

TEST_CASE("Lifecycle statuses round-trip through text", "[registry]") {
  for (auto status : {LifecycleStatus::active, LifecycleStatus::deprecated, LifecycleStatus::retired}) {
    CHECK(parse_lifecycle_status(to_string(status)) == status);
  }
  CHECK_FALSE(parse_lifecycle_status("Active").has_value());
}

}  // namespace
}  // namespace meshctl::registry
