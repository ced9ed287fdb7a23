// `meshctl diff OLD NEW` on two manifests held in memory (the input split at
// kSeparator; without one, a manifest against itself): each side loaded as
// diff loads it, then the diff under the new side's mode and under every
// mode, its JSON, and the publication gate the registry runs on it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "meshctl/core/semver.h"
#include "meshctl/evolution/evolution.h"
#include "meshctl/manifest/model.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/loader.h"

using namespace meshctl;

namespace {

constexpr std::string_view kSeparator = "\n--- new\n";

// What `diff` accepts as one side: one document without a YAML or structural error.
std::optional<manifest::DataProduct> load_side(std::string_view text) {
  auto loaded = yaml::parse_yaml(text, "side.yaml");
  std::vector<Diagnostic> findings = std::move(loaded.diagnostics);
  for (const auto& document : loaded.documents) manifest::check_shape(document.root, "side.yaml", findings);
  for (const auto& finding : findings) {
    if (finding.severity == Severity::error) return std::nullopt;
  }
  if (loaded.documents.size() != 1) return std::nullopt;
  return manifest::decode(loaded.documents.front().root);
}

void check_diff(const evolution::Diff& diff) {
  std::size_t breaking = 0;
  auto largest = evolution::Bump::none;
  for (const auto& change : diff.changes) {
    fuzz::require(evolution::find_change_kind(change.kind) != nullptr, "every change has a kind of the table");
    if (change.breaking) ++breaking;
    if (change.required_bump > largest) largest = change.required_bump;
  }
  fuzz::require(breaking == diff.breaking, "Diff::breaking counts the breaking changes");
  fuzz::require(largest == diff.required_bump, "Diff::required_bump is the largest of its changes");
  (void)evolution::to_json(diff).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [before_text, after_text] = fuzz::split_at(fuzz::as_text(data, size), kSeparator);
  const auto before = load_side(before_text);
  if (!before) return 0;
  const auto after = before_text == after_text ? before : load_side(after_text);
  if (!after) return 0;

  const auto diff = evolution::diff(*before, *after);
  check_diff(diff);
  if (before_text == after_text) fuzz::require(diff.changes.empty(), "a manifest does not differ from itself");
  using evolution::Compatibility;
  for (auto mode : {Compatibility::none, Compatibility::forward, Compatibility::backward, Compatibility::full,
                    Compatibility::full_transitive}) {
    const auto in_mode = evolution::diff(*before, *after, mode);
    check_diff(in_mode);
    fuzz::require(in_mode.changes.size() == diff.changes.size(), "the mode classifies changes, never finds others");
    if (mode == Compatibility::none) fuzz::require(in_mode.breaking == 0, "nothing breaks under none");
  }

  const auto candidate = parse_version(after->metadata.version);
  if (candidate) {
    (void)evolution::check_evolution(after->id(), *candidate, evolution::compatibility_of(*after),
                                     {evolution::Comparison{before->metadata.version, diff}});
  }
  return 0;
}
