#include "meshctl/registry/changelog.h"

#include "meshctl/catalog/json.h"

namespace meshctl::registry {

Result<std::vector<ChangelogEntry>> changelog(Registry& registry, const ProductRef& ref) {
  auto versions = registry.list_versions(ref, {.with_manifests = true});
  if (!versions) return versions.error();
  return changelog_of(std::move(*versions));
}

Result<std::vector<ChangelogEntry>> changelog_of(std::vector<VersionRecord> versions) {
  std::vector<ChangelogEntry> entries;
  entries.reserve(versions.size());
  std::optional<manifest::DataProduct> previous;
  for (auto& record : versions) {
    auto product = decode_stored_manifest(record.ref, record.version, record.manifest_json);
    if (!product) return product.error();
    ChangelogEntry entry;
    entry.mode = evolution::compatibility_of(*product);
    if (previous) {
      entry.previous_version = previous->metadata.version;
      entry.diff = evolution::diff(*previous, *product, entry.mode);
    }
    record.manifest_json.clear();
    entry.version = std::move(record);
    entries.push_back(std::move(entry));
    previous = std::move(*product);
  }
  return entries;
}

}  // namespace meshctl::registry
