#pragma once

// Safe evolution of a data product: the changes between two manifests, each
// classified breaking or not under a compatibility mode, and the semantic
// version bump they need.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/error.h"
#include "meshctl/core/semver.h"
#include "meshctl/manifest/model.h"

namespace meshctl::evolution {

// How big a version step is, in semver terms. Ordered: none < patch < minor < major.
enum class Bump { none, patch, minor, major };

// "none", "patch", "minor", "major".
const char* to_string(Bump bump);

// Who must keep working across a change (spec.compatibility).
//   forward:  a consumer built against the previous version reads the new version's data.
//   backward: a consumer built against the new version reads data published under the previous one.
//   full:     both. none: nothing is checked (no change breaks).
// The _transitive variants apply the same rule against every version of the
// same major that is not retired, not only the latest.
enum class Compatibility { none, forward, backward, full, forward_transitive, backward_transitive, full_transitive };

// The spelling of spec.compatibility ("forward", "full_transitive", ...).
// nullopt for any other text (matching is exact: lower case, underscores).
std::optional<Compatibility> parse_compatibility(std::string_view text);
const char* to_string(Compatibility mode);
bool is_transitive(Compatibility mode);
// The mode without _transitive: full_transitive -> full.
Compatibility base_mode(Compatibility mode);
// The product's effective mode (spec.compatibility, default forward). A word
// that is not a mode (validate reports it) is taken as `full`, the strictest.
Compatibility compatibility_of(const manifest::DataProduct& product);

// One change between two manifests.
struct Change {
  std::string kind;                 // a stable id from change_kinds(), e.g. "field-removed"
  std::string path;                 // by name: spec.outputPorts[orders].schema.fields[customer_id].type
  nlohmann::json before;            // the old value (canonical JSON of a field, port, ...); null when added
  nlohmann::json after;             // the new value; null when removed
  bool breaking = false;            // under the mode the diff was made with
  Bump required_bump = Bump::none;  // major when breaking, else minor or patch by kind
  std::string message;              // one line for people: "field 'customer_id' removed"
};

// All changes from `before` to `after`, in a stable order: metadata first,
// then spec (compatibility, input ports, output ports in the order of `after`,
// then removed ones in the order of `before`; inside a port: the port's own
// keys, schema fields depth-first, slo, quality).
struct Diff {
  std::vector<Change> changes;
  std::size_t breaking = 0;         // how many changes are breaking
  Bump required_bump = Bump::none;  // the largest required_bump of the changes; none when there are none
};

// The changes from `before` to `after`, classified under `after`'s effective
// compatibility (see compatibility_of). Matching is by name (ports, fields,
// enum values, tags, labels, quality rules by content) and linear in the size
// of the manifests. metadata.version is not compared: it is what the bump is
// measured on. Never fails: any two products can be compared.
Diff diff(const manifest::DataProduct& before, const manifest::DataProduct& after);

// The same, classified under `mode`; a _transitive mode classifies as its base mode
// (the caller chooses which versions to compare with).
Diff diff(const manifest::DataProduct& before, const manifest::DataProduct& after, Compatibility mode);

// The bump that going from `from` to `to` provides (what it promises consumers).
//   from 1.x or later: major when the major grows, minor when the minor grows,
//                      patch when the patch grows, none otherwise (same numbers).
//   from 0.x (initial development, as Cargo reads ^0.x): a bigger minor or a
//                      move to 1.0.0 or later provides major; a bigger patch provides minor.
//   `to` a pre-release (2.0.0-rc.1): provides major, since a pre-release promises
//                      nothing (semver item 9) and constraints never select one.
// REQUIRES: nothing; when `to` is not above `from`, returns none.
Bump bump_between(const Version& from, const Version& to);

// One row of the classification table: the single source of which change breaks in which mode.
struct ChangeKind {
  const char* kind;           // the stable id
  bool breaks_forward;        // breaking under forward (and full)
  bool breaks_backward;       // breaking under backward (and full)
  Bump bump_when_compatible;  // what it needs when it does not break: minor or patch
  const char* meaning;        // one line for the README table
};

// Every change kind diff() can produce, in the README's order.
const std::vector<ChangeKind>& change_kinds();

// The row of `kind`; nullptr for an unknown id.
const ChangeKind* find_change_kind(std::string_view kind);

// True when a change of `kind` breaks under `mode` (a _transitive mode as its base mode).
// none never breaks; full breaks when forward or backward does. REQUIRES: a kind from change_kinds().
bool is_breaking(std::string_view kind, Compatibility mode);

// JSON of a change: {kind, path, before, after, breaking, message, requiredBump}.
nlohmann::json to_json(const Change& change);
// JSON of a diff (DESIGN.md's shape): {"changes": [...], "breaking": N, "requiredBump": "major|minor|patch|none"}.
nlohmann::json to_json(const Diff& diff);

// The gate's verdict on one step between two versions: the bump going from
// `from` to `to` provides, and whether it is enough for `diff`'s changes
// (check_evolution refuses a candidate when it is not, against any version it
// compares with).
struct StepVerdict {
  std::optional<Bump> provided;  // nullopt when either version is not a semantic version
  // provided >= diff.required_bump. A version that is not semantic provides
  // nothing (evolve refuses it): then enough only when the diff needs no bump.
  bool enough = true;
};
StepVerdict judge_step(const Version& from, const Version& to, const Diff& diff);
StepVerdict judge_step(std::string_view from, std::string_view to, const Diff& diff);

// One comparison the publication gate made: a published version and the diff from it to the candidate.
struct Comparison {
  std::string version;  // the published version compared with, e.g. "1.2.0"
  Diff diff;
};

// The semantic-version gate: nullopt when `candidate` provides, against each
// compared version, the bump the diff from it requires
// (bump_between(compared, candidate) >= diff.required_bump). Otherwise an
// ErrorKind::conflict Error (exit 4). Its message names the product, the
// candidate and each compared version it fails against, then one line per
// change needing more than the bump provided ("  - field-removed at <path>:
// <message> (needs major)"; at most 50 lines, then "... and N more").
// Its details:
//   {"product": "sales/orders", "version": "1.1.0", "mode": "forward_transitive",
//    "requiredBump": the largest bump a failing comparison requires,
//    "providedBump": the smallest bump provided to a failing comparison,
//    "changes": [to_json(change) + {"comparedWith": "1.0.0"}, ...]   every change of every failing comparison}
// Comparisons are reported in the order given (the gate passes the latest first).
// A comparison whose version does not parse as semver is skipped.
std::optional<Error> check_evolution(std::string_view product, const Version& candidate, Compatibility mode,
                                     const std::vector<Comparison>& comparisons);

}  // namespace meshctl::evolution
