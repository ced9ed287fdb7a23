#include "registry/registry_contract.h"

#include <regex>
#include <set>

#include <catch2/catch.hpp>

namespace meshctl::registry::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> actions_newest_first(Registry& registry, const std::string& product) {
  std::vector<std::string> actions;
  for (const auto& event : expect_ok(registry.history(ref(product), {}))) actions.push_back(event.action);
  return actions;
}

DeprecateRequest deprecation(const std::string& product, std::optional<std::string> version = std::nullopt) {
  return {ref(product), std::move(version), "2027-06-30", "replaced by sales/orders-v2", std::nullopt};
}

void check_publish(Registry& registry, const RegistryContract& contract) {
  SECTION("a new product is created with its domain, owner, labels, manifest and one audit event") {
    auto manifest = make_manifest("sales", "orders", "1.0.0");
    const auto change = expect_ok(registry.publish(manifest, PublishMode::apply));
    CHECK(change.action == ChangeAction::created);
    CHECK(change.to_version == "1.0.0");
    CHECK(change.revision == 1);

    const auto product = expect_ok(registry.get_product(ref("sales/orders")));
    CHECK(product.status == LifecycleStatus::active);
    CHECK(product.latest_version == "1.0.0");
    CHECK(product.revision == 1);
    CHECK(product.owner == Owner{"sales-data", "sales-data@example.com"});
    CHECK(product.labels == std::map<std::string, std::string>{{"tier", "gold"}});
    CHECK_FALSE(product.deprecation.has_value());
    CHECK(std::regex_match(product.created_at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));

    const auto version = expect_ok(registry.get_version(ref("sales/orders"), "1.0.0"));
    CHECK(version.manifest_json == manifest::canonical_text(manifest));
    CHECK(version.content_hash == content_hash(version.manifest_json));
    CHECK(version.content_hash.size() == 16);
    CHECK(version.published_by == contract.expected_actor);
    CHECK(version.status == LifecycleStatus::active);

    const auto domains = expect_ok(registry.list_domains());
    REQUIRE(domains.size() == 1);
    CHECK(domains[0].name == "sales");
    CHECK(domains[0].product_count == 1);

    const auto events = expect_ok(registry.history(ref("sales/orders"), {}));
    REQUIRE(events.size() == 1);
    CHECK(events[0].action == "create");
    CHECK(events[0].actor == contract.expected_actor);
    CHECK(events[0].version == "1.0.0");
    CHECK(events[0].ref == ref("sales/orders"));
    CHECK_FALSE(events[0].summary.empty());
  }

  SECTION("the same version with the identical manifest is unchanged and writes nothing") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    const auto again = expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    CHECK(again.action == ChangeAction::unchanged);
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).revision == 1);
    CHECK(actions_newest_first(registry, "sales/orders") == std::vector<std::string>{"create"});
    CHECK(expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::evolve)).action ==
          ChangeAction::unchanged);
  }

  SECTION("a different manifest for a published version is a conflict that says to bump the version") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    const auto refused =
        registry.publish(make_manifest("sales", "orders", "1.0.0", {}, "Something else entirely."), PublishMode::apply);
    const auto error = expect_error(refused, ErrorKind::conflict);
    CHECK(contains(error.message, "bump"));
    CHECK(contains(error.message, "1.0.0"));
    CHECK(expect_ok(registry.get_version(ref("sales/orders"), "1.0.0")).manifest_json ==
          manifest::canonical_text(make_manifest("sales", "orders", "1.0.0")));
    CHECK(actions_newest_first(registry, "sales/orders").size() == 1);
  }

  SECTION("a new version evolves the product; it must be greater than every published version") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    const auto evolved = expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::evolve));
    CHECK(evolved.action == ChangeAction::evolved);
    CHECK(evolved.from_version == "1.0.0");
    CHECK(evolved.to_version == "1.1.0");
    CHECK(evolved.revision == 2);
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).latest_version == "1.1.0");

    for (const auto* lower : {"1.0.5", "1.1.0-rc.1", "1.1.0+build.7", "0.9.0"}) {
      INFO("version " << lower);
      const auto error = expect_error(registry.publish(make_manifest("sales", "orders", lower), PublishMode::apply),
                                      ErrorKind::conflict);
      CHECK(contains(error.message, "1.1.0"));
    }
    // Precedence, not text order: 1.10.0 > 1.9.0, and a pre-release of a higher version is higher.
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.9.0"), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.10.0"), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("sales", "orders", "2.0.0-rc.1"), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("sales", "orders", "2.0.0"), PublishMode::apply));

    std::vector<std::string> versions;
    for (const auto& version : expect_ok(registry.list_versions(ref("sales/orders"), {}))) {
      versions.push_back(version.version);
    }
    CHECK(versions == std::vector<std::string>{"1.0.0", "1.1.0", "1.9.0", "1.10.0", "2.0.0-rc.1", "2.0.0"});
    CHECK(actions_newest_first(registry, "sales/orders") ==
          std::vector<std::string>{"evolve", "evolve", "evolve", "evolve", "evolve", "create"});
  }

  SECTION("create and evolve are strict; a malformed manifest identity is invalid") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::create));
    expect_error(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::create), ErrorKind::conflict);
    expect_error(registry.publish(make_manifest("sales", "missing", "1.0.0"), PublishMode::evolve),
                 ErrorKind::not_found);
    expect_error(registry.publish(make_manifest("sales", "orders", "1.2"), PublishMode::apply), ErrorKind::invalid);
    expect_error(registry.publish(make_manifest("sales", "other", "1.0.0", {"not-a-ref"}), PublishMode::apply),
                 ErrorKind::invalid);
  }
}

void check_lookups(Registry& registry) {
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "order-lines", "1.0.0", {"sales/orders"}), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));

  SECTION("missing products and versions are not_found with a pointer to what exists") {
    const auto typo = expect_error(registry.get_product(ref("sales/ordres")), ErrorKind::not_found);
    CHECK(contains(typo.message, "sales/orders"));
    expect_error(registry.get_product(ref("nowhere/orders")), ErrorKind::not_found);
    const auto version = expect_error(registry.get_version(ref("sales/orders"), "9.9.9"), ErrorKind::not_found);
    CHECK(contains(version.message, "1.1.0"));
    expect_error(registry.describe(ref("sales/orders"), "3.0.0"), ErrorKind::not_found);
    expect_error(registry.list_versions(ref("sales/nothing"), {}), ErrorKind::not_found);
    expect_error(registry.history(ref("sales/nothing"), {}), ErrorKind::not_found);
    expect_error(registry.dependents(ref("sales/nothing")), ErrorKind::not_found);
  }

  SECTION("list_versions gives every version with its manifest at once when asked, without otherwise") {
    const auto with_manifests = expect_ok(registry.list_versions(ref("sales/orders"), {.with_manifests = true}));
    const auto without = expect_ok(registry.list_versions(ref("sales/orders"), {}));
    REQUIRE(with_manifests.size() == 2);
    REQUIRE(without.size() == 2);
    for (std::size_t i = 0; i < with_manifests.size(); ++i) {
      INFO("version " << with_manifests[i].version);
      CHECK(with_manifests[i] == expect_ok(registry.get_version(ref("sales/orders"), with_manifests[i].version)));
      CHECK(without[i].manifest_json.empty());
      auto stripped = with_manifests[i];
      stripped.manifest_json.clear();
      CHECK(stripped == without[i]);
    }
    CHECK(with_manifests[0].manifest_json == manifest::canonical_text(make_manifest("sales", "orders", "1.0.0")));
    CHECK(with_manifests[1].manifest_json == manifest::canonical_text(make_manifest("sales", "orders", "1.1.0")));
    expect_error(registry.list_versions(ref("sales/nothing"), {.with_manifests = true}), ErrorKind::not_found);
  }

  SECTION("describe gathers the product, its versions, the selected manifest, dependencies and dependents") {
    const auto latest = expect_ok(registry.describe(ref("sales/orders"), std::nullopt));
    CHECK(latest.product.latest_version == "1.1.0");
    CHECK(latest.selected.version == "1.1.0");
    CHECK_FALSE(latest.selected.manifest_json.empty());
    CHECK(latest.versions.size() == 2);
    REQUIRE(latest.dependents.size() == 1);
    CHECK(latest.dependents[0].consumer == ref("sales/order-lines"));
    CHECK(latest.dependents[0].provider == ref("sales/orders"));
    CHECK(latest.dependents[0].version_constraint == "^1");
    CHECK(latest.dependencies.empty());
    CHECK(expect_ok(registry.describe(ref("sales/orders"), "1.0.0")).selected.version == "1.0.0");
    // Every part is what the other reads answer, however it travelled.
    CHECK(latest.product == expect_ok(registry.get_product(ref("sales/orders"))));
    CHECK(latest.selected == expect_ok(registry.get_version(ref("sales/orders"), "1.1.0")));
    CHECK(latest.versions == expect_ok(registry.list_versions(ref("sales/orders"), {})));
    CHECK(latest.dependents == expect_ok(registry.dependents(ref("sales/orders"))));
    CHECK(latest.dependencies == expect_ok(registry.dependencies(ref("sales/orders"))));

    const auto edges = expect_ok(registry.dependencies(ref("sales/order-lines")));
    REQUIRE(edges.size() == 1);
    CHECK(edges[0].provider == ref("sales/orders"));
    CHECK(expect_ok(registry.dependents(ref("sales/orders"))).size() == 1);
  }

  SECTION("describe warns of inputs read from a deprecated or retired product, each with its edge") {
    expect_ok(registry.publish(make_manifest("sales", "legacy", "1.0.0"), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("sales", "order-stats", "1.0.0", {"sales/orders", "sales/legacy"}),
                               PublishMode::apply));
    expect_ok(registry.deprecate(deprecation("sales/orders")));
    expect_ok(registry.retire({ref("sales/legacy"), true, "", std::nullopt}));
    const auto details = expect_ok(registry.describe(ref("sales/order-stats"), std::nullopt));
    const auto dependencies = expect_ok(registry.dependencies(ref("sales/order-stats")));
    CHECK(details.dependencies == dependencies);
    REQUIRE(dependencies.size() == 2);
    REQUIRE(details.input_warnings.size() == 2);
    CHECK(details.input_warnings[0].edge == dependencies[0]);
    CHECK(details.input_warnings[0].registered);
    CHECK(details.input_warnings[0].status == LifecycleStatus::deprecated);
    CHECK(details.input_warnings[0].deprecation == Deprecation{"2027-06-30", "replaced by sales/orders-v2"});
    CHECK(details.input_warnings[0].only_deprecated);
    CHECK(details.input_warnings[0].resolves_to == std::vector<std::string>{"1.0.0", "1.1.0"});
    CHECK(details.input_warnings[1].edge == dependencies[1]);
    CHECK(details.input_warnings[1].registered);
    CHECK(details.input_warnings[1].status == LifecycleStatus::retired);
    CHECK_FALSE(details.input_warnings[1].deprecation.has_value());
    CHECK(details.input_warnings[1].resolves_to.empty());
  }

  SECTION("describe warns of an input whose constraint resolves only to deprecated versions, with the sunset") {
    expect_ok(registry.publish(make_manifest("sales", "order-stats", "1.0.0", {"sales/orders"}), PublishMode::apply));
    expect_ok(registry.deprecate({ref("sales/orders"), "1.0.0", "2027-01-31", "1.1.0 fixes amounts", std::nullopt}));
    CHECK(expect_ok(registry.describe(ref("sales/order-stats"), std::nullopt)).input_warnings.empty());
    expect_ok(registry.deprecate({ref("sales/orders"), "1.1.0", "2027-03-31", "2.0.0 is out", std::nullopt}));
    const auto details = expect_ok(registry.describe(ref("sales/order-stats"), std::nullopt));
    REQUIRE(details.input_warnings.size() == 1);
    const auto& warning = details.input_warnings[0];
    CHECK(warning.status == LifecycleStatus::active);
    CHECK(warning.only_deprecated);
    CHECK(warning.resolves_to == std::vector<std::string>{"1.0.0", "1.1.0"});
    CHECK(warning.deprecation == Deprecation{"2027-03-31", "2.0.0 is out"});  // the one that ends last
    // A version of the same major that is not deprecated ends the warning.
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.2.0"), PublishMode::apply));
    CHECK(expect_ok(registry.describe(ref("sales/order-stats"), std::nullopt)).input_warnings.empty());
  }
}

void check_deprecate(Registry& registry, ContractClock& clock) {
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));

  SECTION("deprecate needs a real YYYY-MM-DD sunset and a reason: without either the request is invalid") {
    for (const auto* sunset : {"", "2027-02-30", "30.06.2027", "2027-6-30"}) {
      INFO("sunset '" << sunset << "'");
      auto request = deprecation("sales/orders");
      request.sunset = sunset;
      const auto error = expect_error(registry.deprecate(request), ErrorKind::invalid);
      CHECK(contains(error.message, std::string(sunset).empty() ? "--sunset" : "YYYY-MM-DD"));
    }
    auto request = deprecation("sales/orders");
    request.reason.clear();
    const auto error = expect_error(registry.deprecate(request), ErrorKind::invalid);
    CHECK(contains(error.message, "--reason"));
    CHECK_FALSE(contains(error.message, "date"));
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).status == LifecycleStatus::active);
    CHECK(actions_newest_first(registry, "sales/orders") == std::vector<std::string>{"evolve", "create"});
  }

  SECTION("a sunset being set lies in the future; repeating a deprecation as it is changes nothing") {
    // The clock is at 2026-11-23.
    for (const auto* past : {"2026-11-23", "2026-11-22", "2020-01-01"}) {
      INFO("sunset " << past);
      auto request = deprecation("sales/orders");
      request.sunset = past;
      const auto error = expect_error(registry.deprecate(request), ErrorKind::invalid);
      CHECK(contains(error.message, past));
      CHECK(contains(error.message, "2026-11-23"));  // today
      request.version = "1.0.0";
      expect_error(registry.deprecate(request), ErrorKind::invalid);
    }
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).status == LifecycleStatus::active);
    auto tomorrow = deprecation("sales/orders");
    tomorrow.sunset = "2026-11-24";
    CHECK(expect_ok(registry.deprecate(tomorrow)).status == LifecycleStatus::deprecated);
    const auto revision = expect_ok(registry.get_product(ref("sales/orders"))).revision;
    clock.set(std::chrono::sys_days{std::chrono::year{2026} / 12 / 1});
    expect_ok(registry.deprecate(tomorrow));  // the same again, once its day is past: nothing to check, nothing done
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).revision == revision);
    tomorrow.reason = "another reason";
    expect_error(registry.deprecate(tomorrow), ErrorKind::invalid);  // a change sets the sunset again
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).deprecation->reason == "replaced by sales/orders-v2");
  }

  SECTION("a deprecated product carries its sunset and reason; the same request again changes nothing") {
    const auto product = expect_ok(registry.deprecate(deprecation("sales/orders")));
    CHECK(product.status == LifecycleStatus::deprecated);
    REQUIRE(product.deprecation.has_value());
    CHECK(product.deprecation->sunset == "2027-06-30");
    CHECK(product.revision == 3);
    expect_ok(registry.deprecate(deprecation("sales/orders")));
    CHECK(actions_newest_first(registry, "sales/orders") == std::vector<std::string>{"deprecate", "evolve", "create"});
    const auto filtered = expect_ok(registry.list_products({product_filter(std::nullopt, LifecycleStatus::deprecated), {}, 10}));
    REQUIRE(filtered.products.size() == 1);
    // A deprecated product can still publish versions (for its consumers' migration).
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.2.0"), PublishMode::apply));
  }

  SECTION("one version can be deprecated on its own") {
    expect_ok(registry.deprecate(deprecation("sales/orders", "1.0.0")));
    CHECK(expect_ok(registry.get_version(ref("sales/orders"), "1.0.0")).status == LifecycleStatus::deprecated);
    CHECK(expect_ok(registry.get_version(ref("sales/orders"), "1.1.0")).status == LifecycleStatus::active);
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).status == LifecycleStatus::active);
    const auto events = expect_ok(registry.history(ref("sales/orders"), {}));
    CHECK(events.front().action == "deprecate");
    CHECK(events.front().version == "1.0.0");
    expect_error(registry.deprecate(deprecation("sales/orders", "7.0.0")), ErrorKind::not_found);
    expect_error(registry.deprecate(deprecation("sales/nothing")), ErrorKind::not_found);
  }

  SECTION("a stale revision is a conflict, never a lost update") {
    auto request = deprecation("sales/orders");
    request.expected_revision = 1;  // the product is at revision 2
    expect_error(registry.deprecate(request), ErrorKind::conflict);
    request.expected_revision = 2;
    expect_ok(registry.deprecate(request));
  }
}

void check_retire(Registry& registry, ContractClock& clock) {
  expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("finance", "revenue", "1.0.0", {"sales/orders"}), PublishMode::apply));
  expect_ok(registry.publish(make_manifest("sales", "order-lines", "1.0.0", {"sales/orders"}), PublishMode::apply));
  // Every product deprecated here has its sunset (2027-06-30) come by then.
  const auto after_sunset = std::chrono::sys_days{std::chrono::year{2027} / 7 / 1};

  SECTION("retire is refused while products read it, and the refusal lists them") {
    const auto error =
        expect_error(registry.retire({ref("sales/orders"), false, "", std::nullopt}), ErrorKind::conflict);
    CHECK(contains(error.message, "finance/revenue"));
    CHECK(contains(error.message, "sales/order-lines"));
    CHECK(error.details.dump().find("finance/revenue") != std::string::npos);
    CHECK(error.details["blockers"] == nlohmann::json::array({"not-deprecated", "dependents"}));
    CHECK(expect_ok(registry.get_product(ref("sales/orders"))).status == LifecycleStatus::active);
    // Deprecated, past its sunset: the readers alone still refuse it.
    expect_ok(registry.deprecate(deprecation("sales/orders")));
    clock.set(after_sunset);
    const auto readers =
        expect_error(registry.retire({ref("sales/orders"), false, "", std::nullopt}), ErrorKind::conflict);
    CHECK(readers.details["blockers"] == nlohmann::json::array({"dependents"}));
    CHECK(contains(readers.message, "finance/revenue"));
    CHECK_FALSE(contains(readers.message, "deprecate"));
  }

  SECTION("deprecated consumers still count; retired ones do not") {
    expect_ok(registry.deprecate(deprecation("finance/revenue")));
    expect_ok(registry.deprecate(deprecation("sales/order-lines")));
    expect_ok(registry.deprecate(deprecation("sales/orders")));
    clock.set(after_sunset);
    expect_ok(registry.retire({ref("sales/order-lines"), false, "", std::nullopt}));
    const auto error =
        expect_error(registry.retire({ref("sales/orders"), false, "", std::nullopt}), ErrorKind::conflict);
    CHECK(contains(error.message, "finance/revenue"));
    CHECK_FALSE(contains(error.message, "sales/order-lines"));
    expect_ok(registry.retire({ref("finance/revenue"), false, "", std::nullopt}));
    expect_ok(registry.retire({ref("sales/orders"), false, "", std::nullopt}));
  }

  SECTION("force retires anyway; history stays readable and the name cannot be created again") {
    const auto product =
        expect_ok(registry.retire({ref("sales/orders"), true, "moved to the lakehouse", std::nullopt}));
    CHECK(product.status == LifecycleStatus::retired);
    CHECK(expect_ok(registry.get_version(ref("sales/orders"), "1.0.0")).status == LifecycleStatus::retired);
    const auto events = expect_ok(registry.history(ref("sales/orders"), {}));
    REQUIRE(events.size() == 2);
    CHECK(events[0].action == "retire");
    CHECK(contains(events[0].summary, "moved to the lakehouse"));
    // The audit says what was in the way: no deprecation, and who read it.
    CHECK(contains(events[0].summary, "by force"));
    CHECK(contains(events[0].summary, "not deprecated"));
    CHECK(contains(events[0].summary, "finance/revenue"));
    CHECK(expect_ok(registry.describe(ref("sales/orders"), std::nullopt)).product.status == LifecycleStatus::retired);

    for (auto mode : {PublishMode::apply, PublishMode::create, PublishMode::evolve}) {
      const auto error =
          expect_error(registry.publish(make_manifest("sales", "orders", "2.0.0"), mode), ErrorKind::conflict);
      CHECK(contains(error.message, "retired"));
    }
    expect_error(registry.deprecate(deprecation("sales/orders")), ErrorKind::conflict);
    expect_ok(registry.retire({ref("sales/orders"), false, "", std::nullopt}));  // already retired: no-op
    CHECK(expect_ok(registry.history(ref("sales/orders"), {})).size() == 2);
  }
}

void check_listing(Registry& registry) {
  for (const auto* domain : {"finance", "sales", "marketing"}) {
    for (int i = 0; i < 7; ++i) {
      auto manifest = make_manifest(domain, "product-" + std::to_string(i), "1.0.0");
      manifest.metadata.labels["tier"] = i % 2 == 0 ? "gold" : "silver";
      expect_ok(registry.publish(manifest, PublishMode::apply));
    }
  }
  expect_ok(registry.deprecate(deprecation("sales/product-3")));

  SECTION("filters by domain, status and label") {
    auto page = expect_ok(registry.list_products({product_filter("sales", std::nullopt), {}, 100}));
    CHECK(page.products.size() == 7);
    CHECK_FALSE(page.next.has_value());
    for (const auto& product : page.products) CHECK(product.ref.domain == "sales");

    page = expect_ok(registry.list_products({product_filter("sales", LifecycleStatus::deprecated), {}, 100}));
    REQUIRE(page.products.size() == 1);
    CHECK(page.products[0].ref == ref("sales/product-3"));

    page = expect_ok(registry.list_products({product_filter(std::nullopt, std::nullopt, {{"tier", "gold"}}), {}, 100}));
    CHECK(page.products.size() == 12);
    page = expect_ok(registry.list_products({product_filter("finance", LifecycleStatus::active, {{"tier", "silver"}}), {}, 100}));
    CHECK(page.products.size() == 3);
    CHECK(expect_ok(registry.list_products({product_filter("nowhere", std::nullopt), {}, 100})).products.empty());

    const auto domains = expect_ok(registry.list_domains());
    REQUIRE(domains.size() == 3);
    CHECK(domains[0].name == "finance");
    CHECK(domains[2].name == "sales");
    CHECK(domains[2].product_count == 7);
  }

  SECTION("pages cover every product once, in (domain, name) order") {
    std::vector<ProductRef> seen;
    auto status = for_each_product(
        registry, {},
        [&](const ProductRecord& product) {
          seen.push_back(product.ref);
          return true;
        },
        4);
    REQUIRE(status.ok());
    CHECK(seen.size() == 21);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    CHECK(std::set<ProductRef>(seen.begin(), seen.end()).size() == 21);

    const auto first = expect_ok(registry.list_products({{}, {}, 5}));
    CHECK(first.products.size() == 5);
    REQUIRE(first.next.has_value());
    const auto second = expect_ok(registry.list_products({{}, first.next, 5}));
    CHECK(second.products.front().ref > first.products.back().ref);
  }
}

void check_apply(Registry& registry) {
  SECTION("a plan orders products after those they read, and writes nothing") {
    const auto plan = expect_ok(registry.plan(
        {make_manifest("sales", "revenue", "1.0.0", {"sales/orders"}),
         make_manifest("sales", "orders", "1.0.0", {"sales/events"}), make_manifest("sales", "events", "1.0.0")},
        PublishMode::apply));
    REQUIRE(plan.items.size() == 3);
    CHECK(plan.items[0].change.ref == ref("sales/events"));
    CHECK(plan.items[1].change.ref == ref("sales/orders"));
    CHECK(plan.items[2].change.ref == ref("sales/revenue"));
    for (const auto& item : plan.items) CHECK(item.change.action == ChangeAction::created);
    expect_error(registry.get_product(ref("sales/orders")), ErrorKind::not_found);
    CHECK(expect_ok(registry.list_domains()).empty());

    const auto done = expect_ok(registry.execute(plan));
    CHECK(done.size() == 3);
    CHECK(expect_ok(registry.list_products({product_filter("sales", std::nullopt), {}, 10})).products.size() == 3);
  }

  SECTION("a plan says created, evolved A -> B, or unchanged per product") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));
    expect_ok(registry.publish(make_manifest("sales", "events", "1.0.0"), PublishMode::apply));
    const auto plan =
        expect_ok(registry.plan({make_manifest("sales", "orders", "1.2.0"), make_manifest("sales", "events", "1.0.0"),
                                 make_manifest("sales", "refunds", "0.1.0")},
                                PublishMode::apply));
    REQUIRE(plan.items.size() == 3);
    CHECK(plan.items[0].change.action == ChangeAction::evolved);
    CHECK(plan.items[0].change.from_version == "1.1.0");
    CHECK(plan.items[0].change.to_version == "1.2.0");
    CHECK(plan.items[1].change.action == ChangeAction::unchanged);
    CHECK(plan.items[2].change.action == ChangeAction::created);
    expect_ok(registry.execute(plan));
    CHECK(actions_newest_first(registry, "sales/events") == std::vector<std::string>{"create"});
    CHECK(actions_newest_first(registry, "sales/orders") == std::vector<std::string>{"evolve", "create"});
    // Applying the same folder again changes nothing.
    const auto again = expect_ok(registry.plan(
        {make_manifest("sales", "orders", "1.2.0"), make_manifest("sales", "events", "1.0.0")}, PublishMode::apply));
    for (const auto& item : again.items) CHECK(item.change.action == ChangeAction::unchanged);
  }

  SECTION("one refusal refuses the whole plan, listing every refusal") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.1.0"), PublishMode::apply));
    const auto error = expect_error(
        registry.plan({make_manifest("sales", "fresh", "1.0.0"), make_manifest("sales", "orders", "1.2.0")},
                      PublishMode::create),
        ErrorKind::conflict);
    CHECK(contains(error.message, "sales/orders"));
    expect_error(registry.get_product(ref("sales/fresh")), ErrorKind::not_found);

    const auto many = expect_error(
        registry.plan({make_manifest("sales", "orders", "1.0.5"), make_manifest("sales", "orders-2", "1.0.0"),
                       make_manifest("sales", "missing", "1.0.0")},
                      PublishMode::evolve),
        ErrorKind::conflict);
    REQUIRE(many.details.contains("refusals"));
    CHECK(many.details["refusals"].size() == 3);
  }

  SECTION("execute is all or nothing: a change since the plan refuses everything") {
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    const auto plan = expect_ok(registry.plan(
        {make_manifest("sales", "first", "1.0.0"), make_manifest("sales", "orders", "1.1.0")}, PublishMode::apply));
    // Someone else evolves sales/orders between the plan and its execution.
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.1"), PublishMode::apply));
    const auto error = expect_error(registry.execute(plan), ErrorKind::conflict);
    CHECK(contains(error.message, "sales/orders"));
    expect_error(registry.get_product(ref("sales/first")), ErrorKind::not_found);
    CHECK(expect_ok(registry.list_products({product_filter("sales", std::nullopt), {}, 10})).products.size() == 1);
  }

  SECTION("a product that reached the planned manifest since the plan is unchanged, not a conflict") {
    const auto plan = expect_ok(registry.plan({make_manifest("sales", "orders", "1.0.0")}, PublishMode::apply));
    // Another apply of the very same manifest wins the race.
    expect_ok(registry.publish(make_manifest("sales", "orders", "1.0.0"), PublishMode::apply));
    const auto done = expect_ok(registry.execute(plan));
    REQUIRE(done.size() == 1);
    CHECK(done[0].action == ChangeAction::unchanged);
    CHECK(expect_ok(registry.list_versions(ref("sales/orders"), {})).size() == 1);
  }

  SECTION("a cycle among input ports, or one product twice, is invalid") {
    expect_error(registry.plan({make_manifest("sales", "a", "1.0.0", {"sales/b"}),
                                make_manifest("sales", "b", "1.0.0", {"sales/a"})},
                               PublishMode::apply),
                 ErrorKind::invalid);
    expect_error(
        registry.plan({make_manifest("sales", "a", "1.0.0"), make_manifest("sales", "a", "1.0.1")}, PublishMode::apply),
        ErrorKind::invalid);
  }
}

}  // namespace

manifest::DataProduct make_manifest(const std::string& domain, const std::string& name, const std::string& version,
                                    const std::vector<std::string>& inputs, const std::string& description) {
  manifest::DataProduct product;
  product.metadata.name = name;
  product.metadata.domain = domain;
  product.metadata.version = version;
  product.metadata.title = "The " + name + " product";
  product.metadata.description = description;
  product.metadata.owner = manifest::Owner{domain + "-data", domain + "-data@example.com"};
  product.metadata.labels = {{"tier", "gold"}};
  for (const auto& input : inputs) {
    manifest::InputPort port;
    port.name = "from-" + input.substr(input.find('/') + 1);
    port.product = input;
    port.version = "^1";
    product.spec.input_ports.push_back(port);
  }
  manifest::OutputPort output;
  output.name = name + "-table";
  output.type = "table";
  output.format = "parquet";
  output.location = "s3://" + domain + "/" + name + "/";
  // One field, so that the manifest passes the built-in standards the registry enforces.
  manifest::Field id;
  id.name = "id";
  id.type = "string";
  id.description = "Identifies the row.";
  output.schema = manifest::Schema{};
  output.schema->fields.push_back(id);
  output.slo = manifest::Slo{};
  output.slo->freshness = "1h";
  output.slo->availability = "99.9%";
  product.spec.output_ports.push_back(output);
  return product;
}

void check_registry_contract(const RegistryContract& contract) {
  REQUIRE(contract.as_holder_of);
  REQUIRE(contract.clock != nullptr);
  contract.clock->set(std::chrono::sys_days{std::chrono::year{2026} / 11 / 23});
  auto registry = contract.make_empty_registry();
  REQUIRE(registry != nullptr);
  SECTION("publish") {
    check_publish(*registry, contract);
  }
  SECTION("lookups") {
    check_lookups(*registry);
  }
  SECTION("deprecate") {
    check_deprecate(*registry, *contract.clock);
  }
  SECTION("retire") {
    check_retire(*registry, *contract.clock);
  }
  SECTION("retirement follows a deprecation") {
    check_retirement_lifecycle(*registry, *contract.clock);
  }
  SECTION("input ports") {
    check_input_ports(*registry);
  }
  SECTION("listing") {
    check_listing(*registry);
  }
  SECTION("apply") {
    check_apply(*registry);
  }
  SECTION("domains") {
    check_domains(*registry);
  }
  SECTION("standards") {
    check_standards(*registry);
  }
  SECTION("tokens") {
    check_tokens(*registry);
  }
  SECTION("token lifetimes") {
    check_token_lifetimes(*registry, contract);
  }
  SECTION("token rotation") {
    check_token_rotation(*registry, contract);
  }
  SECTION("audit") {
    check_audit(*registry, contract);
  }
  SECTION("audit visibility") {
    check_audit_visibility(*registry, contract);
  }
  SECTION("subscriptions") {
    check_subscriptions(*registry);
  }
  SECTION("usage") {
    check_usage(*registry);
  }
  SECTION("lineage") {
    check_lineage(*registry);
  }
  SECTION("quality") {
    check_quality(*registry, contract);
  }
  SECTION("search") {
    check_search(*registry);
  }
  SECTION("original documents") {
    check_original_documents(*registry);
  }
  SECTION("glossary") {
    check_glossary(*registry, contract);
  }
  SECTION("similar") {
    check_similar(*registry, contract);
  }
  SECTION("attention") {
    check_attention(*registry, *contract.clock);
  }
}

void insert_domain(Store& store, const std::string& name) {
  auto write = store.begin(TransactionMode::write);
  REQUIRE(write.ok());
  REQUIRE((*write)->insert_domain({name, "2026-11-23T00:00:00Z", 0, name + "-data"}).ok());
  REQUIRE((*write)->commit().ok());
}

void check_change_detection(Store& watcher, Store& other, const std::function<void()>& raw_write) {
  const auto changed = [&watcher] {
    auto answer = watcher.changed_since_last_call();
    if (!answer.ok()) FAIL(answer.error().message);
    return *answer;
  };
  // A store may answer true for nothing (PostgreSQL: any write anywhere in the
  // cluster, autovacuum's included), so "unchanged" is "false within a few calls".
  const auto settles = [&changed] {
    for (int call = 0; call < 3; ++call) {
      if (!changed()) return true;
    }
    return false;
  };
  CHECK(changed());  // nothing seen before
  CHECK(settles());
  {
    auto read = other.begin(TransactionMode::read);
    REQUIRE(read.ok());
    REQUIRE((*read)->list_domains().ok());
  }
  CHECK(settles());

  insert_domain(other, "sales");
  CHECK(changed());
  CHECK(settles());

  insert_domain(watcher, "finance");
  CHECK(changed());
  CHECK(settles());

  raw_write();
  CHECK(changed());
  CHECK(settles());

  auto open = watcher.begin(TransactionMode::read);
  REQUIRE(open.ok());
  const auto refused = watcher.changed_since_last_call();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::invalid);
}

const ManualClock& test_clock() {
  static const ManualClock clock(std::chrono::sys_days{std::chrono::year{2026} / 11 / 23});
  return clock;
}

}  // namespace meshctl::registry::testing
