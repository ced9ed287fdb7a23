#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl {

// A semantic version (https://semver.org/spec/v2.0.0.html): MAJOR.MINOR.PATCH,
// an optional pre-release (-alpha.1) and optional build metadata (+sha.5114f85).
struct Version {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::vector<std::string> prerelease;  // dot-separated identifiers; empty for a release
  std::string build;                    // ignored by precedence

  std::string to_string() const;
};

// Parses a full semantic version ("1.2.0", "2.0.0-rc.1+build.7"). nullopt for
// anything else: a leading "v", missing parts, leading zeros, empty identifiers.
std::optional<Version> parse_version(std::string_view text);

// Semver precedence: negative when a < b, 0 when equal, positive when a > b.
// Build metadata does not count; a pre-release sorts before its release.
int compare_versions(const Version& a, const Version& b);

// A version constraint as input ports write it: an optional operator (^ ~ >= > <= < =)
// and 1-3 numeric parts without leading zeros: "^2", "~1.4", ">=3.1.0", "2.0.1".
// Missing parts are wildcards: "=1.2" and "1.2" mean 1.2.x, "<=1" means below 2.0.0,
// ">2" means 3.0.0 or later. "^" allows changes that keep the left-most non-zero part
// (^0.3 is 0.3.x); "~" allows patch changes when a minor is given (~1.4 is 1.4.x),
// else minor changes (~1 is 1.x).
struct VersionConstraint {
  enum class Operator { caret, tilde, greater_equal, greater, less_equal, less, equal };
  Operator op = Operator::equal;
  std::vector<std::uint64_t> parts;  // 1 to 3 numbers

  // True when `version` lies in the range. A pre-release version never
  // satisfies a constraint (constraints name releases only), as in npm and Cargo.
  bool satisfied_by(const Version& version) const;
  std::string to_string() const;
};

// nullopt when `text` is not a constraint of the form above (spaces, "latest",
// "v2", "^2.x", "1.2.3.4", leading zeros, or an empty string).
std::optional<VersionConstraint> parse_constraint(std::string_view text);

}  // namespace meshctl
