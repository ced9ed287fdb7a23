#pragma once

// A product's changelog: every published version with the changes since the
// version before it, classified by lib/evolution.

#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/types.h"
#include "meshctl/core/error.h"
#include "meshctl/evolution/evolution.h"
#include "meshctl/registry/registry.h"

namespace meshctl::registry {

// One version of a changelog and what changed since the version before it.
struct ChangelogEntry {
  VersionRecord version;                        // manifest_json left empty
  std::optional<std::string> previous_version;  // nullopt for the first version
  // The version's own spec.compatibility: each version is compared with the
  // one before it under the rule it was published under.
  evolution::Compatibility mode = evolution::Compatibility::forward;
  evolution::Diff diff;  // empty for the first version
};

// Every version of `ref`, oldest first, from one Registry::list_versions with
// manifests (one request to a server). Errors: those of list_versions
// (not_found for an unknown product); ErrorKind::unavailable when a stored
// manifest does not decode.
Result<std::vector<ChangelogEntry>> changelog(Registry& registry, const ProductRef& ref);

// The same from the versions themselves, with their manifests, in publication
// order (what list_versions with manifests answers; the web catalog reads them
// from the server's service). unavailable when a manifest does not decode.
Result<std::vector<ChangelogEntry>> changelog_of(std::vector<VersionRecord> versions);

}  // namespace meshctl::registry
