// bump_between() and check_evolution(): what a version step provides, and the refusal when it is too small.

#include <catch2/catch.hpp>

#include "evolution/evolution_fixtures.h"
#include "meshctl/evolution/evolution.h"

namespace meshctl::evolution {
namespace {

using testing::base_product;
using testing::field_named;
using testing::make_field;
using testing::make_rule;
using testing::port;

Version v(const char* text) {
  return *parse_version(text);
}

TEST_CASE("judge_step says what a step provides and whether it is enough for a diff", "[evolution]") {
  Diff needs_major;
  needs_major.required_bump = Bump::major;
  const Diff needs_nothing;
  CHECK(judge_step("1.2.0", "2.0.0", needs_major).provided == Bump::major);
  CHECK(judge_step("1.2.0", "2.0.0", needs_major).enough);
  CHECK(judge_step("1.2.0", "1.3.0", needs_major).provided == Bump::minor);
  CHECK_FALSE(judge_step("1.2.0", "1.3.0", needs_major).enough);
  SECTION("a version that is not semantic provides nothing: enough only for a diff that needs no bump") {
    CHECK_FALSE(judge_step("1.2.0", "next", needs_major).provided);
    CHECK_FALSE(judge_step("1.2.0", "next", needs_major).enough);
    CHECK(judge_step("latest", "1.3.0", needs_nothing).enough);
  }
}

TEST_CASE("bump_between reads the step semver makes", "[evolution]") {
  CHECK(bump_between(v("1.2.3"), v("2.0.0")) == Bump::major);
  CHECK(bump_between(v("1.2.3"), v("1.3.0")) == Bump::minor);
  CHECK(bump_between(v("1.2.3"), v("1.2.4")) == Bump::patch);
  CHECK(bump_between(v("1.2.3"), v("1.2.3")) == Bump::none);
  CHECK(bump_between(v("1.2.3"), v("1.2.3+build.7")) == Bump::none);
  CHECK(bump_between(v("2.0.0"), v("1.9.0")) == Bump::none);
  SECTION("0.x is initial development: a minor step is major, a patch step is minor") {
    CHECK(bump_between(v("0.3.1"), v("0.4.0")) == Bump::major);
    CHECK(bump_between(v("0.3.1"), v("0.3.2")) == Bump::minor);
    CHECK(bump_between(v("0.3.1"), v("1.0.0")) == Bump::major);
  }
  SECTION("a pre-release promises nothing") {
    CHECK(bump_between(v("1.2.3"), v("1.2.4-rc.1")) == Bump::major);
    CHECK(bump_between(v("1.3.0-rc.1"), v("1.3.0")) == Bump::none);
  }
}

TEST_CASE("modes parse from their manifest spelling and back", "[evolution]") {
  for (const char* name :
       {"none", "forward", "backward", "full", "forward_transitive", "backward_transitive", "full_transitive"}) {
    const auto mode = parse_compatibility(name);
    REQUIRE(mode);
    CHECK(std::string(to_string(*mode)) == name);
    CHECK(is_transitive(*mode) == (std::string(name).find("_transitive") != std::string::npos));
  }
  CHECK_FALSE(parse_compatibility("Forward"));
  CHECK_FALSE(parse_compatibility("forward-transitive"));
  CHECK(base_mode(Compatibility::full_transitive) == Compatibility::full);
  CHECK(base_mode(Compatibility::none) == Compatibility::none);
}

TEST_CASE("the gate lets a big enough bump through and refuses a small one, listing each change", "[evolution]") {
  const auto before = base_product("1.4.0");
  auto after = before;
  std::erase_if(port(after).schema->fields, [](const auto& f) { return f.name == "amount"; });  // breaking
  after.metadata.title = "Orders";                                                              // patch
  const auto changes = diff(before, after);
  CHECK_FALSE(check_evolution("sales/orders", v("2.0.0"), Compatibility::forward, {{"1.4.0", changes}}));
  const auto refusal = check_evolution("sales/orders", v("1.5.0"), Compatibility::forward, {{"1.4.0", changes}});
  REQUIRE(refusal);
  CHECK(refusal->kind == ErrorKind::conflict);
  CHECK(refusal->message ==
        "version 1.5.0 of sales/orders does not bump enough for its changes under forward compatibility: against "
        "1.4.0 (needs major, 1.4.0 -> 1.5.0 is minor); bump the version accordingly (a breaking change needs a new "
        "major)\n"
        "  - field-removed at spec.outputPorts[orders].schema.fields[amount]: field 'amount' removed (needs major, "
        "breaking)");
  const auto& details = refusal->details;
  CHECK(details["requiredBump"] == "major");
  CHECK(details["providedBump"] == "minor");
  CHECK(details["product"] == "sales/orders");
  CHECK(details["version"] == "1.5.0");
  CHECK(details["mode"] == "forward");
  REQUIRE(details["changes"].size() == 2);
  CHECK(details["changes"][0]["kind"] == "title-changed");
  CHECK(details["changes"][0]["requiredBump"] == "patch");
  CHECK(details["changes"][0]["comparedWith"] == "1.4.0");
  CHECK(details["changes"][1]["kind"] == "field-removed");
}

TEST_CASE("the gate wants a minor for an added field and a patch for wording", "[evolution]") {
  const auto before = base_product("1.4.0");
  auto after = before;
  port(after).schema->fields.push_back(make_field("note", "string"));
  const auto added = diff(before, after);
  CHECK(check_evolution("sales/orders", v("1.4.1"), Compatibility::forward, {{"1.4.0", added}}));
  CHECK_FALSE(check_evolution("sales/orders", v("1.5.0"), Compatibility::forward, {{"1.4.0", added}}));
  auto reworded = before;
  field_named(reworded, "id").description = "The order's key";
  const auto wording = diff(before, reworded);
  CHECK_FALSE(check_evolution("sales/orders", v("1.4.1"), Compatibility::forward, {{"1.4.0", wording}}));
  CHECK(check_evolution("sales/orders", v("1.4.0+b"), Compatibility::forward, {{"1.4.0", wording}}));
  CHECK_FALSE(check_evolution("sales/orders", v("1.4.0+b"), Compatibility::forward, {{"1.4.0", Diff{}}}));
}

TEST_CASE("the gate in a transitive mode refuses when any compared version needs more", "[evolution]") {
  const auto v1 = base_product("1.0.0");
  auto v2 = v1;
  std::erase_if(port(v2).schema->fields, [](const auto& f) { return f.name == "amount"; });
  auto v3 = v2;
  port(v3).schema->fields.push_back(make_field("note", "string"));
  const auto mode = Compatibility::forward_transitive;
  const std::vector<Comparison> comparisons = {{"1.1.0", diff(v2, v3, mode)}, {"1.0.0", diff(v1, v3, mode)}};
  const auto refusal = check_evolution("sales/orders", v("1.2.0"), mode, comparisons);
  REQUIRE(refusal);
  CHECK(refusal->details["requiredBump"] == "major");
  CHECK(refusal->details["providedBump"] == "minor");
  REQUIRE(refusal->details["changes"].size() == 2);  // only the comparison with 1.0.0 fails
  CHECK(refusal->details["changes"][0]["comparedWith"] == "1.0.0");
  CHECK(refusal->message.find("against 1.0.0 (needs major") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::evolution
