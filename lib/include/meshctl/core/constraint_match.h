#pragma once

// Which published versions a reader's version constraint accepts: the one rule
// behind the registry's input-port check (apply, create, evolve), describe's
// and subscribe's warnings, and `validate --registry`, so they cannot disagree.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl {

// A published version as a reader sees it.
struct OfferedVersion {
  std::string version;
  bool retired = false;  // the version, or its product, is retired: nobody can resolve to it
  // Set when the version, or its product, is deprecated: the sunset (YYYY-MM-DD; empty when none was given).
  std::optional<std::string> deprecated_until;
};

struct ConstraintMatch {
  bool valid = true;                   // false: the constraint is not one (see parse_constraint); nothing matches
  std::vector<std::string> available;  // every version that is not retired, in the order offered
  std::vector<std::string> matching;   // those of `available` the constraint accepts
  // `matching` is not empty and every version in it is deprecated: the reader resolves only to
  // versions on their way out.
  bool only_deprecated = false;
  std::string last_sunset;  // when only_deprecated: the latest sunset among `matching` (empty when none has one)
};

// Matches `constraint` (as parse_constraint reads it) against `offered`. An
// empty constraint accepts every version that is not retired; a version that
// is not semantic is accepted by no constraint but the empty one.
ConstraintMatch match_constraint(std::string_view constraint, const std::vector<OfferedVersion>& offered);

// "1.0.0, 1.1.0", or "none" when `versions` is empty: how refusals name what exists.
std::string version_list_text(const std::vector<std::string>& versions);

}  // namespace meshctl
