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
  // Near in length is not enough, and a word far longer than every key is never compared letter by letter.
  CHECK(closest_match("versions", keys) == "version");
  CHECK(closest_match("descriptionxx", keys) == "description");
  CHECK_FALSE(closest_match("descriptionxxxx", keys));
  CHECK_FALSE(closest_match(std::string(1 << 20, 'n'), keys));
}

TEST_CASE("join_words") {
  CHECK(join_words({}).empty());
  CHECK(join_words({"a"}) == "'a'");
  CHECK(join_words({"a", "b", "c"}) == "'a', 'b' and 'c'");
}

TEST_CASE("decode_utf8 reads one well-formed character and refuses the rest", "[core][utf8]") {
  const auto one = decode_utf8("\xe2\x82\xac!", 0);  // €
  REQUIRE(one);
  CHECK(one->code_point == U'\u20ac');
  CHECK(one->length == 3);
  CHECK(decode_utf8("a", 0)->length == 1);
  CHECK_FALSE(decode_utf8("\x80", 0));              // a continuation byte on its own
  CHECK_FALSE(decode_utf8("\xc0\xaf", 0));          // overlong '/'
  CHECK_FALSE(decode_utf8("\xed\xa0\x80", 0));      // a UTF-16 surrogate
  CHECK_FALSE(decode_utf8("\xf4\x90\x80\x80", 0));  // beyond U+10FFFF
  CHECK_FALSE(decode_utf8("\xe2\x82", 0));          // cut short
  CHECK_FALSE(decode_utf8("\x85", 0));              // what yaml-cpp makes of "\N"
}

TEST_CASE("first_invalid_utf8 gives the byte offset of the first bad byte", "[core][utf8]") {
  CHECK_FALSE(first_invalid_utf8("Rücksendungen – 返品 😀"));
  CHECK(first_invalid_utf8("ab\xa0") == 2u);
  CHECK(first_invalid_utf8("\xc3\xa9\xff") == 2u);
}

TEST_CASE("printable_text escapes what a terminal would act on and keeps letters", "[core][utf8]") {
  CHECK(printable_text("Rücksendungen – 返品 😀") == "Rücksendungen – 返品 😀");
  CHECK(printable_text("\x1b[31mred\x1b[0m") == "\\x1B[31mred\\x1B[0m");
  CHECK(printable_text("a\rb\x7f"
                       "c") == "a\\x0Db\\x7Fc");
  CHECK(printable_text(std::string_view("nul\0end", 7)) == "nul\\x00end");
  CHECK(printable_text("c1 \xc2\x9b"
                       "2J") == "c1 \\u009B2J");  // CSI as one C1 character
  CHECK(printable_text("bad \xff\xc3") == "bad \\xFF\\xC3");
  CHECK(printable_text("tab\there") == "tab\there");
  CHECK(printable_text("two\nlines") == "two\\x0Alines");
  CHECK(printable_text("two\nlines", LineBreaks::keep) == "two\nlines");
  CHECK(printable_text("back\\slash") == "back\\slash");
}

TEST_CASE("parse_period takes parse_duration's forms and weeks, nothing else", "[core]") {
  CHECK(meshctl::parse_period("90d") == 90 * 86400);
  CHECK(meshctl::parse_period("12h") == 12 * 3600);
  CHECK(meshctl::parse_period("30m") == 1800);
  CHECK(meshctl::parse_period("45s") == 45);
  CHECK(meshctl::parse_period("2w") == 14 * 86400);
  for (const auto* text : {"", "w", "0w", "0d", "-1d", "-2w", "1.5w", "d", "7", "1y", "1W", " 1w", "ww", "1dw"}) {
    INFO("'" << text << "'");
    CHECK_FALSE(meshctl::parse_period(text));
  }
}
