#include <catch2/catch.hpp>

#include "meshctl/core/text.h"
#include "meshctl/usage/aggregate.h"
#include "meshctl/usage/events.h"
#include "meshctl/usage/time.h"

using namespace meshctl;

TEST_CASE("timestamps, days and durations") {
  CHECK(usage::parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(usage::parse_timestamp("2026-11-23T10:00:00+02:00") == usage::parse_timestamp("2026-11-23T08:00:00Z"));
  CHECK(usage::parse_timestamp("2026-11-23T10:00:00.123Z") == usage::parse_timestamp("2026-11-23T10:00:00Z"));
  CHECK_FALSE(usage::parse_timestamp("2026-02-30T10:00:00Z"));
  CHECK_FALSE(usage::parse_timestamp("2026-11-23 10:00"));
  CHECK_FALSE(usage::parse_timestamp("yesterday"));
  const auto time = *usage::parse_timestamp("2024-02-29T23:59:59Z");
  CHECK(usage::format_timestamp(time) == "2024-02-29T23:59:59Z");
  CHECK(usage::day_of(time) == "2024-02-29");
  CHECK(usage::day_start("2024-03-01") == time + 1);
  CHECK(meshctl::parse_duration("1h") == 3600);
  CHECK(meshctl::parse_duration("30m") == 1800);
  CHECK(meshctl::parse_duration("7d") == 7 * 86400);
  CHECK_FALSE(meshctl::parse_duration("0h"));
  CHECK_FALSE(meshctl::parse_duration("1.5h"));
  CHECK_FALSE(meshctl::parse_duration("h"));
  CHECK_FALSE(meshctl::parse_duration("10"));
  CHECK(usage::window_days("30d") == 30);
  CHECK(usage::window_days("12h") == 1);
  CHECK(usage::window_days("25h") == 2);
  CHECK_FALSE(usage::window_days("30"));
}

TEST_CASE("bad lines are reported with their number and the good lines kept") {
  const std::string text =
      R"({"id":"a","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t","consumer":"dash","rows":5,"bytes":10})"
      "\n"
      "not json\n"
      "\n"
      R"({"id":"b","time":"2026-11-23T10:00:00Z","product":"orders","port":"t","consumer":"dash"})"
      "\n"
      R"({"id":"c","time":"tuesday","product":"sales/orders","port":"t","consumer":"dash"})"
      "\n"
      R"({"id":"d","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t","consumer":"dash","rows":-1})"
      "\n"
      R"({"time":"2026-11-23T10:05:00Z","product":"sales/orders","port":"t","updatedAt":"2026-11-23T10:00:00+01:00"})"
      "\n"
      R"({"id":"e","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t"})"
      "\n"
      "[1,2]\n";
  const auto parsed = usage::parse_events(text, 10);
  REQUIRE(parsed.usage.size() == 1);
  CHECK(parsed.usage[0].id == "a");
  CHECK(parsed.usage[0].operation == "read");
  CHECK(parsed.usage[0].line == 10);
  REQUIRE(parsed.freshness.size() == 1);
  CHECK(parsed.freshness[0].updated_at == "2026-11-23T09:00:00Z");
  REQUIRE(parsed.problems.size() == 6);
  CHECK(parsed.problems[0].line == 11);
  CHECK(parsed.problems[0].message == "not valid JSON");
  CHECK(parsed.problems[1].line == 13);
  CHECK(parsed.problems[1].message == "'product' must be DOMAIN/NAME, not 'orders'");
  CHECK(parsed.problems[2].line == 14);
  CHECK_THAT(parsed.problems[2].message, Catch::Contains("'time' is not an RFC 3339 time"));
  CHECK(parsed.problems[3].message == "'rows' must be a whole number of 0 or more");
  CHECK(parsed.problems[4].line == 17);
  CHECK(parsed.problems[4].message == "'consumer' is missing");
  CHECK(parsed.problems[5].message == "not a JSON object");
}

TEST_CASE("every spelling of an event line reads the same, whichever reader takes it") {
  // Plain ASCII lines without escapes take the fast reader; the others, nlohmann::json.
  const std::string plain =
      R"({"id":"e-1","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t","consumer":"dash","rows":5,"bytes":0})";
  const std::vector<std::string> spellings = {
      plain,
      R"(  { "bytes" : 0 , "rows": 5, "consumer":"dash", "port":"t", "product":"sales/orders",)"
      R"( "time":"2026-11-23T10:00:00Z", "id":"e-1", "extra": null, "ok": true }  )",
      R"({"id":"e-1","time":"2026-11-23T10:00:00Z","product":"sales\/orders","port":"t","consumer":"dash","rows":5,"bytes":-0})",
      R"({"id":"e-1","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t","consumer":"dash","rows":5,"nested":{"a":[1]}})",
      R"({"id":"x","id":"e-1","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t","consumer":"dash","rows":5})",
  };
  for (const auto& line : spellings) {
    INFO(line);
    const auto parsed = usage::parse_events(line);
    REQUIRE(parsed.problems.empty());
    REQUIRE(parsed.usage.size() == 1);
    CHECK(parsed.usage[0].id == "e-1");
    CHECK(parsed.usage[0].product.text() == "sales/orders");
    CHECK(parsed.usage[0].consumer == "dash");
    CHECK(parsed.usage[0].rows == 5);
    CHECK(parsed.usage[0].bytes == 0);
  }
  const auto unicode = usage::parse_events(
      R"({"id":"e-2","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t","consumer":"caf\u00e9 \"bi\""})");
  REQUIRE(unicode.usage.size() == 1);
  CHECK(unicode.usage[0].consumer == "caf\xc3\xa9 \"bi\"");
}

TEST_CASE("a line is refused for the same reason, whichever reader takes it") {
  const std::string head = R"({"id":"e-1","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"t",)";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {head + R"("consumer":"dash","rows":1.0})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":"dash","rows":1e3})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":"dash","rows":-3})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":"dash","rows":99999999999999999999})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":"dash","rows":9223372036854775808})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":"dash","rows":"5"})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":"dash","rows":[5]})", "'rows' must be a whole number of 0 or more"},
      {head + R"("consumer":""})", "'consumer' must be a non-empty string"},
      {head + R"("consumer":true})", "'consumer' must be a non-empty string"},
      {head + R"("consumer":"dé","type":false})", "'type' must be \"usage\" or \"freshness\""},
      {head + R"("consumer":null})", "'consumer' is missing"},
      {head + R"("consumer":"dash",})", "not valid JSON"},
      {head + R"("consumer":"dash","rows":01})", "not valid JSON"},
      {head + R"("consumer":"dash"} x)", "not valid JSON"},
      {head + "\"consumer\":\"da\tsh\"}", "not valid JSON"},
      {head + "\"consumer\":\"\xff\"}", "not valid JSON"},
      {head + R"("consumer":"dash")", "not valid JSON"},
  };
  for (const auto& [line, reason] : cases) {
    INFO(line);
    const auto parsed = usage::parse_events(line);
    CHECK(parsed.usage.empty());
    REQUIRE(parsed.problems.size() == 1);
    CHECK(parsed.problems[0].message == reason);
  }
}

TEST_CASE("a time already in UTC with a Z is kept as written; others are normalized") {
  CHECK(usage::normalize_timestamp("2026-11-23T10:00:00Z") == "2026-11-23T10:00:00Z");
  CHECK(usage::normalize_timestamp("2026-11-23t10:00:00z") == "2026-11-23T10:00:00Z");
  CHECK(usage::normalize_timestamp("2026-11-23T10:00:00.5Z") == "2026-11-23T10:00:00Z");
  CHECK(usage::normalize_timestamp("2026-12-31T23:59:60Z") == "2027-01-01T00:00:00Z");
  CHECK(usage::normalize_timestamp("2026-11-23T10:00:00-01:30") == "2026-11-23T11:30:00Z");
  CHECK_FALSE(usage::normalize_timestamp("2026-11-31T10:00:00Z"));
}

TEST_CASE("events fold into one aggregate per product, day, consumer, port and version") {
  const std::string text =
      R"({"id":"1","time":"2026-11-23T10:00:00Z","product":"s/o","port":"t","consumer":"a","rows":1,"bytes":10})"
      "\n"
      R"({"id":"2","time":"2026-11-23T23:00:00Z","product":"s/o","port":"t","consumer":"a","rows":2,"bytes":20})"
      "\n"
      R"({"id":"3","time":"2026-11-24T01:00:00+02:00","product":"s/o","port":"t","consumer":"a","rows":4})"
      "\n"
      R"({"id":"4","time":"2026-11-24T01:00:00Z","product":"s/o","port":"t","consumer":"b"})"
      "\n";
  usage::DayAggregator aggregator;
  for (const auto& event : usage::parse_events(text).usage) aggregator.add(event);
  const auto days = aggregator.take();
  REQUIRE(days.size() == 2);
  CHECK(days[0].day == "2026-11-23");
  CHECK(days[0].consumer == "a");
  CHECK(days[0].events == 3);  // 01:00+02:00 is still the 23rd in UTC
  CHECK(days[0].rows == 7);
  CHECK(days[0].bytes == 30);
  CHECK(days[0].last_seen == "2026-11-23T23:00:00Z");
  CHECK(days[1].day == "2026-11-24");
  CHECK(days[1].consumer == "b");
}

TEST_CASE("split_lines keeps whole lines under the limit") {
  const std::string text = "aaaa\nbbbb\ncccc\ndddddddddddd\ne";
  const auto pieces = usage::split_lines(text, 10);
  REQUIRE(pieces.size() == 4);
  CHECK(pieces[0] == std::pair<std::size_t, std::string_view>{1, "aaaa\nbbbb\n"});
  CHECK(pieces[1] == std::pair<std::size_t, std::string_view>{3, "cccc\n"});
  CHECK(pieces[2] == std::pair<std::size_t, std::string_view>{4, "dddddddddddd\n"});
  CHECK(pieces[3] == std::pair<std::size_t, std::string_view>{5, "e"});
}
