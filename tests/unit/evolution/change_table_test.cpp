// Every change kind, in every compatibility mode: one mutation of a base
// manifest per kind, with the classification written out here independently
// of the table in lib/src/evolution/change_kinds.cpp.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "evolution/evolution_fixtures.h"
#include "meshctl/evolution/evolution.h"

namespace meshctl::evolution {
namespace {

using manifest::DataProduct;
using manifest::Field;
using testing::base_product;
using testing::kFields;
using testing::kPort;
using testing::field_named;
using testing::make_field;
using testing::make_rule;
using testing::port;

struct Case {
  std::string kind;
  std::string path;
  bool breaks_forward;
  bool breaks_backward;
  Bump bump_when_compatible;
  std::function<void(DataProduct&)> mutate;
};

std::vector<Case> cases() {
  return {
      {"identity-changed", "metadata.name", true, true, Bump::patch, [](DataProduct& p) { p.metadata.name = "sales"; }},
      {"title-changed", "metadata.title", false, false, Bump::patch, [](DataProduct& p) { p.metadata.title = "New"; }},
      {"description-changed", "metadata.description", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.description = "Changed words."; }},
      {"owner-changed", "metadata.owner", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.owner->team = "other-team"; }},
      {"tag-added", "metadata.tags[revenue]", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.tags.push_back("revenue"); }},
      {"tag-removed", "metadata.tags[orders]", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.tags.clear(); }},
      {"label-added", "metadata.labels[cost-center]", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.labels["cost-center"] = "42"; }},
      {"label-removed", "metadata.labels[tier]", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.labels.erase("tier"); }},
      {"label-changed", "metadata.labels[tier]", false, false, Bump::patch,
       [](DataProduct& p) { p.metadata.labels["tier"] = "silver"; }},
      {"compatibility-changed", "spec.compatibility", false, false, Bump::patch,
       [](DataProduct& p) { p.spec.compatibility = "backward"; }},
      {"input-port-added", "spec.inputPorts[customers]", false, false, Bump::minor,
       [](DataProduct& p) {
         auto& added = p.spec.input_ports.emplace_back();
         added.name = "customers";
         added.product = "crm/customers";
       }},
      {"input-port-removed", "spec.inputPorts[events]", false, false, Bump::patch,
       [](DataProduct& p) { p.spec.input_ports.clear(); }},
      {"input-port-changed", "spec.inputPorts[events].version", false, false, Bump::patch,
       [](DataProduct& p) { p.spec.input_ports[0].version = "^3"; }},
      {"output-port-added", "spec.outputPorts[orders-topic]", false, false, Bump::minor,
       [](DataProduct& p) {
         auto& added = p.spec.output_ports.emplace_back();
         added.name = "orders-topic";
         added.type = "topic";
       }},
      {"output-port-removed", kPort, true, false, Bump::patch, [](DataProduct& p) { p.spec.output_ports.clear(); }},
      {"port-type-changed", kPort + ".type", true, true, Bump::patch, [](DataProduct& p) { port(p).type = "file"; }},
      {"port-format-changed", kPort + ".format", true, true, Bump::patch,
       [](DataProduct& p) { port(p).format = "csv"; }},
      {"port-location-changed", kPort + ".location", true, true, Bump::patch,
       [](DataProduct& p) { port(p).location = "s3://sales/orders-v2/"; }},
      {"field-added-optional", kFields + "[note]", false, false, Bump::minor,
       [](DataProduct& p) { port(p).schema->fields.push_back(make_field("note", "string")); }},
      {"field-added-required", kFields + "[note]", false, true, Bump::minor,
       [](DataProduct& p) { port(p).schema->fields.push_back(make_field("note", "string", true)); }},
      {"field-removed", kFields + "[amount]", true, false, Bump::patch,
       [](DataProduct& p) {
         std::erase_if(port(p).schema->fields, [](const Field& f) { return f.name == "amount"; });
       }},
      {"field-type-widened", kFields + "[id].type", true, false, Bump::patch,
       [](DataProduct& p) { field_named(p, "id").type = "long"; }},
      {"field-type-narrowed", kFields + "[amount].type", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "amount").type = "integer"; }},
      {"field-type-changed", kFields + "[amount].type", true, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "amount").type = "string"; }},
      {"field-made-optional", kFields + "[id].required", true, false, Bump::patch,
       [](DataProduct& p) { field_named(p, "id").required = false; }},
      {"field-made-required", kFields + "[amount].required", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "amount").required = true; }},
      {"field-unique-dropped", kFields + "[id].unique", true, false, Bump::patch,
       [](DataProduct& p) { field_named(p, "id").unique.reset(); }},
      {"field-unique-added", kFields + "[amount].unique", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "amount").unique = true; }},
      {"field-classification-stricter", kFields + "[id].classification", true, false, Bump::patch,
       [](DataProduct& p) { field_named(p, "id").classification = "restricted"; }},
      {"field-classification-looser", kFields + "[id].classification", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "id").classification = "public"; }},
      {"field-classification-changed", kFields + "[id].classification", true, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "id").classification = "secret"; }},
      {"field-pii-set", kFields + "[amount].pii", true, false, Bump::patch,
       [](DataProduct& p) { field_named(p, "amount").pii = true; }},
      {"field-pii-cleared", kFields + "[email].pii", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "email").pii = false; }},
      {"field-term-changed", kFields + "[email].term", false, false, Bump::patch,
       [](DataProduct& p) { field_named(p, "email").term = "buyer-email"; }},
      {"enum-value-added", kFields + "[status].enum[cancelled]", true, false, Bump::minor,
       [](DataProduct& p) { field_named(p, "status").enum_values.emplace_back(std::string("cancelled")); }},
      {"enum-value-removed", kFields + "[status].enum[closed]", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "status").enum_values.pop_back(); }},
      {"enum-restricted", kFields + "[email].enum", false, true, Bump::patch,
       [](DataProduct& p) { field_named(p, "email").enum_values.emplace_back(std::string("a@b.c")); }},
      {"enum-unrestricted", kFields + "[status].enum", true, false, Bump::minor,
       [](DataProduct& p) { field_named(p, "status").enum_values.clear(); }},
      {"slo-freshness-longer", kPort + ".slo.freshness", true, false, Bump::patch,
       [](DataProduct& p) { port(p).slo->freshness = "1d"; }},
      {"slo-freshness-shorter", kPort + ".slo.freshness", false, true, Bump::patch,
       [](DataProduct& p) { port(p).slo->freshness = "15m"; }},
      {"slo-availability-lower", kPort + ".slo.availability", true, false, Bump::patch,
       [](DataProduct& p) { port(p).slo->availability = "99%"; }},
      {"slo-availability-higher", kPort + ".slo.availability", false, true, Bump::patch,
       [](DataProduct& p) { port(p).slo->availability = "99.99%"; }},
      {"slo-changed", kPort + ".slo.freshness", true, true, Bump::patch,
       [](DataProduct& p) { port(p).slo->freshness = "hourly"; }},
      {"quality-rule-added", kPort + ".quality[unique(id)]", false, true, Bump::patch,
       [](DataProduct& p) { port(p).quality.push_back(make_rule("unique", "id")); }},
      {"quality-rule-removed", kPort + ".quality[not_null(id)]", true, false, Bump::patch,
       [](DataProduct& p) { port(p).quality.clear(); }},
  };
}

const std::vector<Compatibility> kModes = {Compatibility::none,
                                           Compatibility::forward,
                                           Compatibility::backward,
                                           Compatibility::full,
                                           Compatibility::forward_transitive,
                                           Compatibility::backward_transitive,
                                           Compatibility::full_transitive};

bool expected_breaking(const Case& c, Compatibility mode) {
  switch (base_mode(mode)) {
    case Compatibility::forward: return c.breaks_forward;
    case Compatibility::backward: return c.breaks_backward;
    case Compatibility::full: return c.breaks_forward || c.breaks_backward;
    default: return false;
  }
}

TEST_CASE("every change kind is classified as the README table says, in every mode", "[evolution]") {
  const auto before = base_product();
  for (const auto& c : cases()) {
    auto after = before;
    c.mutate(after);
    for (const auto mode : kModes) {
      INFO("kind " << c.kind << ", mode " << to_string(mode));
      const auto result = diff(before, after, mode);
      REQUIRE(result.changes.size() == 1);
      const auto& change = result.changes.front();
      CHECK(change.kind == c.kind);
      CHECK(change.path == c.path);
      CHECK(!change.message.empty());
      const bool breaking = expected_breaking(c, mode);
      CHECK(change.breaking == breaking);
      CHECK(change.required_bump == (breaking ? Bump::major : c.bump_when_compatible));
      CHECK(result.breaking == (breaking ? 1u : 0u));
      CHECK(result.required_bump == change.required_bump);
      CHECK(is_breaking(c.kind, mode) == breaking);
    }
  }
}

TEST_CASE("the classification table has one row per kind, and this test covers every row", "[evolution]") {
  std::set<std::string> tested;
  for (const auto& c : cases()) tested.insert(c.kind);
  std::set<std::string> table;
  for (const auto& row : change_kinds()) {
    INFO(row.kind);
    CHECK(table.insert(row.kind).second);  // no duplicate rows
    CHECK(find_change_kind(row.kind) == &row);
    CHECK((row.bump_when_compatible == Bump::minor || row.bump_when_compatible == Bump::patch));
    CHECK(std::string(row.meaning).size() > 0);
  }
  CHECK(tested == table);
  CHECK(find_change_kind("no-such-kind") == nullptr);
}

TEST_CASE("the issue's forward rules hold, and backward mirrors them", "[evolution]") {
  // In forward: removed field or port, widened or changed type, required -> optional and an added enum value break;
  // an added field, optional -> required and a removed enum value do not.
  for (const char* kind : {"field-removed", "output-port-removed", "field-type-widened", "field-type-changed",
                           "field-made-optional", "enum-value-added"}) {
    INFO(kind);
    CHECK(is_breaking(kind, Compatibility::forward));
  }
  for (const char* kind :
       {"field-added-optional", "field-added-required", "field-made-required", "enum-value-removed"}) {
    INFO(kind);
    CHECK_FALSE(is_breaking(kind, Compatibility::forward));
  }
  for (const char* kind :
       {"field-added-required", "field-made-required", "enum-value-removed", "field-type-narrowed"}) {
    INFO(kind);
    CHECK(is_breaking(kind, Compatibility::backward));
  }
  for (const char* kind : {"field-removed", "field-made-optional", "enum-value-added", "field-type-widened"}) {
    INFO(kind);
    CHECK_FALSE(is_breaking(kind, Compatibility::backward));
  }
}

}  // namespace
}  // namespace meshctl::evolution
