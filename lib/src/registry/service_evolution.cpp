// RegistryService: the compatibility and semantic-version gate on evolve.

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/core/semver.h"
#include "meshctl/evolution/evolution.h"
#include "registry/service_support.h"

namespace meshctl::registry::service_support {

namespace {

// The versions a consumer may move between without a major bump, as caret
// constraints read them: the same major, and for 0.x the same minor.
bool same_compatible_range(const Version& a, const Version& b) {
  return a.major == b.major && (a.major != 0 || a.minor == b.minor);
}

}  // namespace

Status check_evolution_gate(StoreTransaction& transaction, const ManifestFacts& facts) {
  const auto candidate = parse_version(facts.version);
  if (!candidate || !candidate->prerelease.empty()) return ok_status();  // a pre-release promises nothing
  auto candidate_product = decode_stored_manifest(facts.ref, facts.version, facts.canonical_json);
  if (!candidate_product.ok()) return candidate_product.error();
  const auto mode = evolution::compatibility_of(*candidate_product);

  auto versions = transaction.list_versions(facts.ref);
  if (!versions.ok()) return versions.error();
  // Released versions below the candidate, highest first. Pre-releases are
  // skipped: no version constraint selects one, so no consumer relies on it.
  std::vector<std::pair<Version, const VersionRecord*>> released;
  for (const auto& record : *versions) {
    const auto parsed = parse_version(record.version);
    if (parsed && parsed->prerelease.empty() && compare_versions(*parsed, *candidate) < 0) {
      released.emplace_back(*parsed, &record);
    }
  }
  std::sort(released.begin(), released.end(),
            [](const auto& a, const auto& b) { return compare_versions(a.first, b.first) > 0; });
  if (released.empty()) return ok_status();

  // The latest release always; in a _transitive mode also every other one in
  // the candidate's range that is not retired.
  std::vector<evolution::Comparison> comparisons;
  for (std::size_t i = 0; i < released.size(); ++i) {
    const auto& [version, record] = released[i];
    const bool compared = i == 0 || (evolution::is_transitive(mode) && record->status != LifecycleStatus::retired &&
                                     same_compatible_range(version, *candidate));
    if (!compared) continue;
    auto before = decode_stored_manifest(facts.ref, record->version, record->manifest_json);
    if (!before.ok()) return before.error();
    comparisons.push_back({record->version, evolution::diff(*before, *candidate_product, mode)});
  }
  if (auto refusal = evolution::check_evolution(facts.ref.text(), *candidate, mode, comparisons)) return *refusal;
  return ok_status();
}

}  // namespace meshctl::registry::service_support
