#pragma once

// Printers of classified changes (meshctl diff, meshctl changelog): text for
// people, Markdown for a pull-request comment, JSON in DESIGN.md's shape.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/catalog/types.h"
#include "meshctl/evolution/evolution.h"
#include "meshctl/registry/changelog.h"

namespace meshctl::cli {

// What a diff compared, for headings and summaries.
struct DiffSubject {
  std::string product;                                                // "sales/orders" (the newer side's)
  std::string from_version;                                           // the older side's metadata.version
  std::string to_version;                                             // the newer side's
  evolution::Compatibility mode = evolution::Compatibility::forward;  // what the changes were classified under
};

// A heading line, one line per change (breaking ones marked BREAKING), and a summary
// with the required bump and whether the versions provide it.
// With `color`, BREAKING is red.
void print_diff_text(std::ostream& out, const DiffSubject& subject, const evolution::Diff& diff, bool color = false);
// A heading, a summary line and a table of changes with a breaking marker.
void print_diff_markdown(std::ostream& out, const DiffSubject& subject, const evolution::Diff& diff);
// evolution::to_json(diff) ({changes, breaking, requiredBump}) plus product, fromVersion,
// toVersion, compatibility and providedBump (null when a version is not semver).
nlohmann::json diff_to_json(const DiffSubject& subject, const evolution::Diff& diff);

using registry::ChangelogEntry;

// `entries` in the order to print (meshctl changelog passes newest first).
// With `color`, BREAKING is red.
void print_changelog_text(std::ostream& out, const std::string& product, const std::vector<ChangelogEntry>& entries,
                          bool color = false);
void print_changelog_markdown(std::ostream& out, const std::string& product,
                              const std::vector<ChangelogEntry>& entries);
// {product, versions: [{version, status, publishedAt, publishedBy, previousVersion, compatibility,
//  changes, breaking, requiredBump, providedBump}]}
nlohmann::json changelog_to_json(const std::string& product, const std::vector<ChangelogEntry>& entries);

}  // namespace meshctl::cli
