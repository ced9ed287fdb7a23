// The classification table (which change breaks in which mode), the modes, and semver bumps.

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include "meshctl/evolution/evolution.h"

namespace meshctl::evolution {

namespace {

// THE table. A change breaks `forward` when a consumer built against the
// previous version can no longer read the new version's data (or loses a
// promise it relied on: uniqueness, a classification it may hold, an SLO);
// it breaks `backward` when a consumer built against the new version cannot
// read data published under the previous one. Types follow Avro's resolution
// rules (a writer's int is promoted to a reader's long, never the reverse);
// ports and their location follow API diff tools (a removed endpoint breaks
// its callers, an added one breaks nobody). The README carries the same table
// (/work/notes/readme-evolution-table.md); a unit test checks that every kind
// diff() emits has a row.
//
// Each row: kind, breaks forward, breaks backward, the bump it needs when it does not break, meaning.
const std::vector<ChangeKind> kTable = {
    {"identity-changed", true, true, Bump::patch,
     "metadata.name or metadata.domain changed: consumers address the product by them"},
    {"title-changed", false, false, Bump::patch, "metadata.title changed"},
    {"description-changed", false, false, Bump::patch, "a description changed (product, port, field or quality rule)"},
    {"owner-changed", false, false, Bump::patch, "metadata.owner changed"},
    {"tag-added", false, false, Bump::patch, "a tag added"},
    {"tag-removed", false, false, Bump::patch, "a tag removed"},
    {"label-added", false, false, Bump::patch, "a label added"},
    {"label-removed", false, false, Bump::patch, "a label removed"},
    {"label-changed", false, false, Bump::patch, "a label's value changed"},
    {"compatibility-changed", false, false, Bump::patch,
     "spec.compatibility changed (the new mode classifies this diff)"},
    {"input-port-added", false, false, Bump::minor,
     "an input port added (what the product reads; invisible to its consumers)"},
    {"input-port-removed", false, false, Bump::patch, "an input port removed"},
    {"input-port-changed", false, false, Bump::patch, "an input port's product or version constraint changed"},
    {"output-port-added", false, false, Bump::minor, "an output port added"},
    {"output-port-removed", true, false, Bump::patch, "an output port removed"},
    {"port-type-changed", true, true, Bump::patch, "an output port's type changed (table, topic, file, api)"},
    {"port-format-changed", true, true, Bump::patch, "an output port's format changed"},
    {"port-location-changed", true, true, Bump::patch, "an output port's location changed"},
    {"field-added-optional", false, false, Bump::minor, "an optional field added"},
    {"field-added-required", false, true, Bump::minor, "a required field added: data published before lacks it"},
    {"field-removed", true, false, Bump::patch, "a field removed"},
    {"field-type-widened", true, false, Bump::patch,
     "a field's (or array item's) type widened: integer to long, float or double; long to float or double; float to "
     "double"},
    {"field-type-narrowed", false, true, Bump::patch,
     "a field's (or array item's) type narrowed: the reverse of a widening"},
    {"field-type-changed", true, true, Bump::patch,
     "a field's (or array item's) type changed otherwise, string to bytes included"},
    {"field-made-optional", true, false, Bump::patch, "a field changed from required to optional"},
    {"field-made-required", false, true, Bump::patch, "a field changed from optional to required"},
    {"field-unique-dropped", true, false, Bump::patch, "a field is no longer unique"},
    {"field-unique-added", false, true, Bump::patch, "a field became unique"},
    {"field-classification-stricter", true, false, Bump::patch,
     "a field classified stricter (public < internal < confidential < restricted; none below public): consumers may "
     "lose access"},
    {"field-classification-looser", false, true, Bump::patch, "a field classified looser"},
    {"field-classification-changed", true, true, Bump::patch,
     "a field's classification changed to or from a level outside the default four"},
    {"field-pii-set", true, false, Bump::patch, "a field became PII: its consumers now hold personal data"},
    {"field-pii-cleared", false, true, Bump::patch, "a field is no longer PII"},
    {"field-term-changed", false, false, Bump::patch, "a field's business term changed"},
    {"enum-value-added", true, false, Bump::minor, "an allowed value added: consumers built before do not know it"},
    {"enum-value-removed", false, true, Bump::patch, "an allowed value removed: data published before may hold it"},
    {"enum-restricted", false, true, Bump::patch, "a field gained a list of allowed values"},
    {"enum-unrestricted", true, false, Bump::minor,
     "a field lost its list of allowed values: any value may now appear"},
    {"slo-freshness-longer", true, false, Bump::patch, "SLO weakened: freshness longer, or removed"},
    {"slo-freshness-shorter", false, true, Bump::patch, "SLO tightened: freshness shorter, or added"},
    {"slo-availability-lower", true, false, Bump::patch, "SLO weakened: availability lower, or removed"},
    {"slo-availability-higher", false, true, Bump::patch, "SLO tightened: availability higher, or added"},
    {"slo-changed", true, true, Bump::patch,
     "an SLO value changed that is not a duration or percentage meshctl can compare"},
    {"quality-rule-added", false, true, Bump::patch, "a quality rule added: data published before was not held to it"},
    {"quality-rule-removed", true, false, Bump::patch, "a quality rule removed: a promise consumers relied on is gone"},
};

}  // namespace

const std::vector<ChangeKind>& change_kinds() {
  return kTable;
}

const ChangeKind* find_change_kind(std::string_view kind) {
  static const auto index = [] {
    std::unordered_map<std::string_view, const ChangeKind*> out;
    for (const auto& row : kTable) out.emplace(row.kind, &row);
    return out;
  }();
  const auto found = index.find(kind);
  return found == index.end() ? nullptr : found->second;
}

bool is_breaking(std::string_view kind, Compatibility mode) {
  const auto* row = find_change_kind(kind);
  if (row == nullptr) return true;  // unreachable for kinds diff() emits; fail safe
  switch (base_mode(mode)) {
    case Compatibility::forward: return row->breaks_forward;
    case Compatibility::backward: return row->breaks_backward;
    case Compatibility::full: return row->breaks_forward || row->breaks_backward;
    default: return false;
  }
}

const char* to_string(Bump bump) {
  switch (bump) {
    case Bump::none: return "none";
    case Bump::patch: return "patch";
    case Bump::minor: return "minor";
    case Bump::major: return "major";
  }
  return "none";
}

namespace {

struct ModeName {
  Compatibility mode;
  const char* name;
};

constexpr std::array<ModeName, 7> kModeNames = {{
    {Compatibility::none, "none"},
    {Compatibility::forward, "forward"},
    {Compatibility::backward, "backward"},
    {Compatibility::full, "full"},
    {Compatibility::forward_transitive, "forward_transitive"},
    {Compatibility::backward_transitive, "backward_transitive"},
    {Compatibility::full_transitive, "full_transitive"},
}};

}  // namespace

std::optional<Compatibility> parse_compatibility(std::string_view text) {
  for (const auto& entry : kModeNames) {
    if (text == entry.name) return entry.mode;
  }
  return std::nullopt;
}

const char* to_string(Compatibility mode) {
  for (const auto& entry : kModeNames) {
    if (entry.mode == mode) return entry.name;
  }
  return "none";
}

bool is_transitive(Compatibility mode) {
  return mode == Compatibility::forward_transitive || mode == Compatibility::backward_transitive ||
         mode == Compatibility::full_transitive;
}

Compatibility base_mode(Compatibility mode) {
  switch (mode) {
    case Compatibility::forward_transitive: return Compatibility::forward;
    case Compatibility::backward_transitive: return Compatibility::backward;
    case Compatibility::full_transitive: return Compatibility::full;
    default: return mode;
  }
}

Compatibility compatibility_of(const manifest::DataProduct& product) {
  return parse_compatibility(product.effective_compatibility()).value_or(Compatibility::full);
}

Bump bump_between(const Version& from, const Version& to) {
  if (compare_versions(to, from) <= 0) return Bump::none;
  if (!to.prerelease.empty()) return Bump::major;
  if (from.major == 0) {
    if (to.major > 0 || to.minor > from.minor) return Bump::major;
    return to.patch > from.patch ? Bump::minor : Bump::none;
  }
  if (to.major > from.major) return Bump::major;
  if (to.minor > from.minor) return Bump::minor;
  if (to.patch > from.patch) return Bump::patch;
  return Bump::none;
}

nlohmann::json to_json(const Change& change) {
  return {{"kind", change.kind},
          {"path", change.path},
          {"before", change.before},
          {"after", change.after},
          {"breaking", change.breaking},
          {"message", change.message},
          {"requiredBump", to_string(change.required_bump)}};
}

nlohmann::json to_json(const Diff& diff) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& change : diff.changes) changes.push_back(to_json(change));
  return {
      {"changes", std::move(changes)}, {"breaking", diff.breaking}, {"requiredBump", to_string(diff.required_bump)}};
}

}  // namespace meshctl::evolution
