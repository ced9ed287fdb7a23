#include "meshctl/core/semver.h"

#include <catch2/catch.hpp>

using namespace meshctl;

TEST_CASE("parse_version accepts semver 2.0.0 and nothing else", "[semver]") {
  for (const char* good : {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
                           "1.0.0-x.7.z.92", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-rc-1"}) {
    INFO(good);
    CHECK(parse_version(good));
  }
  for (const char* bad : {"", "1", "1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3+", "1.2.3-01",
                          "1.2.3-a..b", "1.2.3.4", "1.2.3 ", "a.b.c", "99999999999999999999.0.0", "1.2.3-a_b"}) {
    INFO(bad);
    CHECK_FALSE(parse_version(bad));
  }
  auto v = parse_version("2.0.1-rc.1+build.7");
  REQUIRE(v);
  CHECK(v->major == 2);
  CHECK(v->patch == 1);
  CHECK(v->prerelease == std::vector<std::string>{"rc", "1"});
  CHECK(v->build == "build.7");
  CHECK(v->to_string() == "2.0.1-rc.1+build.7");
}

TEST_CASE("compare_versions follows semver precedence", "[semver]") {
  const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                           "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                           "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                           "1.1.0",       "2.0.0",         "10.0.0"};
  for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
    INFO(ordered[i] << " < " << ordered[i + 1]);
    CHECK(compare_versions(*parse_version(ordered[i]), *parse_version(ordered[i + 1])) < 0);
    CHECK(compare_versions(*parse_version(ordered[i + 1]), *parse_version(ordered[i])) > 0);
  }
  CHECK(compare_versions(*parse_version("1.0.0+a"), *parse_version("1.0.0+b")) == 0);
}

TEST_CASE("parse_constraint accepts the input-port forms", "[semver]") {
  for (const char* good : {"^2", "~1.4", ">=3.1.0", ">2", "<=1", "<3.0", "=1.2.3", "2.0.1", "0", "^0.0.1"}) {
    INFO(good);
    auto parsed = parse_constraint(good);
    REQUIRE(parsed);
    CHECK(parsed->to_string() == (std::string(good) == "=1.2.3" ? "1.2.3" : good));
  }
  for (const char* bad :
       {"", "latest", "v2", "^2.x", "1.2.3.4", "^02", ">= 2", "^", "2.", "*", "~>1.2", "1.0.0-rc.1"}) {
    INFO(bad);
    CHECK_FALSE(parse_constraint(bad));
  }
}

TEST_CASE("satisfied_by matches each operator's range", "[semver]") {
  struct Case {
    const char* constraint;
    const char* version;
    bool expected;
  };
  const Case cases[] = {
      {"^2", "2.0.0", true},      {"^2", "2.9.9", true},       {"^2", "3.0.0", false},     {"^2", "1.9.9", false},
      {"^1.4", "1.4.0", true},    {"^1.4", "1.3.9", false},    {"^0.3", "0.3.9", true},    {"^0.3", "0.4.0", false},
      {"^0.0.3", "0.0.3", true},  {"^0.0.3", "0.0.4", false},  {"~1.4", "1.4.7", true},    {"~1.4", "1.5.0", false},
      {"~1", "1.9.0", true},      {"~1", "2.0.0", false},      {"~1.4.2", "1.4.1", false}, {"~1.4.2", "1.4.9", true},
      {">=3.1.0", "3.1.0", true}, {">=3.1.0", "3.0.9", false}, {">2", "2.9.9", false},     {">2", "3.0.0", true},
      {">2.1", "2.1.5", false},   {">2.1", "2.2.0", true},     {"<=1", "1.9.9", true},     {"<=1", "2.0.0", false},
      {"<3.0", "2.9.9", true},    {"<3.0", "3.0.0", false},    {"=1.2.3", "1.2.3", true},  {"=1.2.3", "1.2.4", false},
      {"1.2", "1.2.9", true},     {"1.2", "1.3.0", false},     {"2.0.1", "2.0.1", true},   {"^2", "2.1.0-rc.1", false},
  };
  for (const auto& c : cases) {
    INFO(c.constraint << " vs " << c.version);
    CHECK(parse_constraint(c.constraint)->satisfied_by(*parse_version(c.version)) == c.expected);
  }
}
