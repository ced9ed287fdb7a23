#include "meshctl/core/text.h"

#include <catch2/catch.hpp>

using namespace meshctl;

TEST_CASE("casings") {
  CHECK(is_kebab_case("orders"));
  CHECK(is_kebab_case("order-lines-v2"));
  CHECK_FALSE(is_kebab_case("Orders"));
  CHECK_FALSE(is_kebab_case("order--lines"));
  CHECK_FALSE(is_kebab_case("-orders"));
  CHECK_FALSE(is_kebab_case("orders-"));
  CHECK_FALSE(is_kebab_case("2orders"));
  CHECK_FALSE(is_kebab_case(""));
  CHECK(is_snake_case("order_id"));
  CHECK_FALSE(is_snake_case("order-id"));
  CHECK_FALSE(is_snake_case("orderId"));
  CHECK(is_camel_case("orderId"));
  CHECK_FALSE(is_camel_case("OrderId"));
  CHECK(is_pascal_case("OrderId"));
  CHECK(is_upper_snake_case("ORDER_ID"));
  CHECK_FALSE(is_upper_snake_case("Order_ID"));
}

TEST_CASE("edit distance counts an adjacent swap as one edit") {
  CHECK(edit_distance("title", "title") == 0);
  CHECK(edit_distance("titel", "title") == 1);
  CHECK(edit_distance("descripton", "description") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest match suggests near misses only") {
  const std::vector<std::string_view> keys = {"name", "domain", "version", "title", "description"};
  CHECK(closest_match("titel", keys) == "title");
  CHECK(closest_match("descripton", keys) == "description");
  CHECK(closest_match("domian", keys) == "domain");
  CHECK_FALSE(closest_match("summary", keys));
  CHECK_FALSE(closest_match("x", keys));
}

TEST_CASE("join_words") {
  CHECK(join_words({}).empty());
  CHECK(join_words({"a"}) == "'a'");
  CHECK(join_words({"a", "b", "c"}) == "'a', 'b' and 'c'");
}
