// The compatibility and semantic-version gate inside RegistryService, exercised through LocalRegistry.

#include <chrono>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/registry/local_registry.h"
#include "registry/temporary_folder.h"

namespace meshctl::registry {
namespace {

class GateFixture {
 public:
  GateFixture() : clock_(std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}, std::chrono::seconds{1}) {
    auto opened = LocalRegistry::open(folder_.path() / "registry.db", "alice", clock_);
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    registry_ = std::move(*opened);
    // The gate's cases are minimal manifests: standards that check nothing keep them about the gate.
    auto lax = registry_->publish_standards("apiVersion: meshctl/v1\nkind: Standards\nextends: none\n");
    if (!lax.ok()) throw std::runtime_error(lax.error().message);
  }
  Registry& registry() { return *registry_; }

 private:
  testing::TemporaryFolder folder_;
  ManualClock clock_;
  std::unique_ptr<LocalRegistry> registry_;
};

manifest::Field field(const std::string& name, const std::string& type, bool required = false) {
  manifest::Field out;
  out.name = name;
  out.type = type;
  if (required) out.required = true;
  return out;
}

// sales/orders at `version` with one table: id (required), amount, and the fields in `extra`.
manifest::DataProduct orders(const std::string& version, const std::string& compatibility = "forward") {
  manifest::DataProduct product;
  product.metadata.name = "orders";
  product.metadata.domain = "sales";
  product.metadata.version = version;
  product.metadata.description = "One row per confirmed order line.";
  product.spec.compatibility = compatibility;
  auto& port = product.spec.output_ports.emplace_back();
  port.name = "orders-table";
  port.type = "table";
  port.schema.emplace().fields = {field("id", "string", true), field("amount", "double")};
  return product;
}

manifest::DataProduct without_amount(manifest::DataProduct product) {
  auto& fields = product.spec.output_ports.front().schema->fields;
  std::erase_if(fields, [](const manifest::Field& f) { return f.name == "amount"; });
  return product;
}

manifest::DataProduct with_note(manifest::DataProduct product) {
  product.spec.output_ports.front().schema->fields.push_back(field("note", "string"));
  return product;
}

manifest::DataProduct at(manifest::DataProduct product, const std::string& version, const std::string& compatibility) {
  product.metadata.version = version;
  product.spec.compatibility = compatibility;
  return product;
}

void publish_ok(Registry& registry, const manifest::DataProduct& product) {
  const auto change = registry.publish(product, PublishMode::apply);
  if (!change.ok()) FAIL("publishing " << product.metadata.version << " failed: " << change.error().message);
}

const ProductRef kOrders{"sales", "orders"};

TEST_CASE("the issue's transitive case: forward accepts v3, forward_transitive refuses it", "[registry][evolution]") {
  // v1 -> v2 under `none` removes a field inside major 1; v3 is v2 plus an optional field.
  const auto v1 = orders("1.0.0");
  const auto v2 = at(without_amount(v1), "1.1.0", "none");
  const auto v3 = with_note(v2);
  for (const auto* mode : {"forward", "forward_transitive"}) {
    GateFixture fixture;
    auto& registry = fixture.registry();
    publish_ok(registry, v1);
    publish_ok(registry, v2);
    const auto candidate = at(v3, "1.2.0", mode);
    const auto change = registry.publish(candidate, PublishMode::evolve);
    if (std::string(mode) == "forward") {
      INFO((change.ok() ? "" : change.error().message));
      CHECK(change.ok());
      continue;
    }
    REQUIRE_FALSE(change.ok());
    const auto& error = change.error();
    CHECK(error.kind == ErrorKind::conflict);
    CHECK(error.details["requiredBump"] == "major");
    CHECK(error.details["providedBump"] == "minor");
    CHECK(error.details["mode"] == "forward_transitive");
    bool removal_from_v1 = false;
    for (const auto& listed : error.details["changes"]) {
      CHECK(listed["comparedWith"] == "1.0.0");  // the comparison with 1.1.0 passes
      if (listed["kind"] == "field-removed") removal_from_v1 = true;
    }
    CHECK(removal_from_v1);
    CHECK(error.message.find("field 'amount' removed (needs major, breaking)") != std::string::npos);
    CHECK(registry.get_product(kOrders)->latest_version == "1.1.0");
    // A new major is what the removal needs.
    publish_ok(registry, at(v3, "2.0.0", mode));
  }
}

TEST_CASE("a breaking change without a major bump is refused, and nothing is written", "[registry][evolution]") {
  GateFixture fixture;
  auto& registry = fixture.registry();
  publish_ok(registry, orders("1.0.0"));
  for (const auto mode : {PublishMode::evolve, PublishMode::apply}) {
    const auto change = registry.publish(without_amount(orders("1.1.0")), mode);
    REQUIRE_FALSE(change.ok());
    CHECK(change.error().kind == ErrorKind::conflict);
    CHECK(change.error().details["requiredBump"] == "major");
    CHECK(change.error().details["providedBump"] == "minor");
    REQUIRE(change.error().details["changes"].size() == 1);
    CHECK(change.error().details["changes"][0]["path"] == "spec.outputPorts[orders-table].schema.fields[amount]");
  }
  const auto plan = registry.plan({without_amount(orders("1.0.1"))}, PublishMode::apply);
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().kind == ErrorKind::conflict);
  CHECK(registry.list_versions(kOrders, {})->size() == 1);
  CHECK(registry.history(kOrders, {})->size() == 1);

  SECTION("a new major passes, and does not retire the previous one") {
    publish_ok(registry, without_amount(orders("2.0.0")));
    const auto versions = *registry.list_versions(kOrders, {});
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].status == LifecycleStatus::active);
    CHECK(versions[1].status == LifecycleStatus::active);
  }
}

TEST_CASE("the bump needed follows the kind of change", "[registry][evolution]") {
  GateFixture fixture;
  auto& registry = fixture.registry();
  publish_ok(registry, orders("1.0.0"));
  SECTION("an added field needs a minor") {
    const auto refused = registry.publish(with_note(orders("1.0.1")), PublishMode::evolve);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().details["requiredBump"] == "minor");
    CHECK(refused.error().details["providedBump"] == "patch");
    publish_ok(registry, with_note(orders("1.1.0")));
  }
  SECTION("a reworded description needs a patch") {
    auto reworded = orders("1.0.1");
    reworded.metadata.description = "One row per confirmed order line, hourly.";
    publish_ok(registry, reworded);
  }
  SECTION("an unchanged manifest at a new version passes") {
    publish_ok(registry, orders("1.0.1"));
  }
  SECTION("under backward, a removed field is compatible and an added required one breaks") {
    publish_ok(registry, without_amount(orders("1.0.1", "backward")));
    auto required = orders("1.1.0", "backward");
    required.spec.output_ports.front().schema->fields.push_back(field("note", "string", true));
    const auto refused = registry.publish(required, PublishMode::evolve);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().details["requiredBump"] == "major");
  }
}

TEST_CASE("pre-releases promise nothing; a release is compared with the latest release", "[registry][evolution]") {
  GateFixture fixture;
  auto& registry = fixture.registry();
  publish_ok(registry, orders("1.0.0"));
  publish_ok(registry, without_amount(orders("1.1.0-rc.1")));
  const auto refused = registry.publish(without_amount(orders("1.1.0")), PublishMode::evolve);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().details["changes"][0]["comparedWith"] == "1.0.0");
  publish_ok(registry, without_amount(orders("2.0.0")));
}

TEST_CASE("before 1.0.0 a minor step may break and a patch step may add", "[registry][evolution]") {
  GateFixture fixture;
  auto& registry = fixture.registry();
  publish_ok(registry, orders("0.1.0"));
  publish_ok(registry, with_note(orders("0.1.1")));
  const auto refused = registry.publish(with_note(without_amount(orders("0.1.2"))), PublishMode::evolve);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().details["providedBump"] == "minor");
  publish_ok(registry, with_note(without_amount(orders("0.2.0"))));
}

TEST_CASE("a transitive mode compares deprecated versions of the range, not other majors", "[registry][evolution]") {
  GateFixture fixture;
  auto& registry = fixture.registry();
  publish_ok(registry, orders("1.0.0", "none"));
  publish_ok(registry, orders("2.0.0", "none"));
  REQUIRE(registry.deprecate({kOrders, std::string("2.0.0"), "2027-01-01", "superseded", std::nullopt}).ok());
  publish_ok(registry, without_amount(orders("2.1.0", "none")));
  // 2.2.0 adds a field to 2.1.0: a minor against 2.1.0, breaking against 2.0.0 (deprecated, same major);
  // 1.0.0 (another major) would break too, but is not compared.
  const auto candidate = with_note(without_amount(orders("2.2.0", "forward_transitive")));
  const auto refused = registry.publish(candidate, PublishMode::evolve);
  REQUIRE_FALSE(refused.ok());
  REQUIRE_FALSE(refused.error().details["changes"].empty());
  for (const auto& listed : refused.error().details["changes"]) CHECK(listed["comparedWith"] == "2.0.0");
  publish_ok(registry, with_note(without_amount(orders("2.2.0", "forward"))));
}

TEST_CASE("dependents whose constraint resolves to an older major are pinned", "[registry][evolution]") {
  ProductDetails details;
  details.product.ref = {"sales", "orders"};
  details.product.latest_version = "2.0.0";
  for (const auto* version : {"1.0.0", "1.3.0", "2.0.0"}) {
    VersionRecord record;
    record.version = version;
    details.versions.push_back(record);
  }
  auto reader = [&](const std::string& name, const std::string& constraint) {
    return DependencyEdge{{"finance", name}, "orders", details.product.ref, constraint, LifecycleStatus::active};
  };
  details.dependents = {reader("on-one", "^1"),
                        reader("on-two", "^2"),
                        reader("unpinned", ""),
                        reader("on-three", "^3"),
                        reader("garbled", "not a constraint"),
                        reader("exact", "1.0.0")};
  const auto pinned = dependents_on_older_major(details);
  REQUIRE(pinned.size() == 2);
  CHECK(pinned[0].edge.consumer.name == "on-one");
  CHECK(pinned[0].resolves_to == "1.3.0");
  CHECK(pinned[1].edge.consumer.name == "exact");
  CHECK(pinned[1].resolves_to == "1.0.0");
}

}  // namespace
}  // namespace meshctl::registry
