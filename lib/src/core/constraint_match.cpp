#include "meshctl/core/constraint_match.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meshctl/core/semver.h"

namespace meshctl {

ConstraintMatch match_constraint(std::string_view constraint, const std::vector<OfferedVersion>& offered) {
  ConstraintMatch match;
  const auto parsed = constraint.empty() ? std::nullopt : parse_constraint(constraint);
  match.valid = constraint.empty() || parsed.has_value();
  std::vector<const OfferedVersion*> accepted;
  for (const auto& candidate : offered) {
    if (candidate.retired) continue;
    match.available.push_back(candidate.version);
    if (!match.valid) continue;
    if (parsed) {
      const auto version = parse_version(candidate.version);
      if (!version || !parsed->satisfied_by(*version)) continue;
    }
    match.matching.push_back(candidate.version);
    accepted.push_back(&candidate);
  }
  match.only_deprecated =
      !accepted.empty() && std::all_of(accepted.begin(), accepted.end(), [](const OfferedVersion* version) {
        return version->deprecated_until.has_value();
      });
  if (match.only_deprecated) {
    for (const auto* version : accepted) match.last_sunset = std::max(match.last_sunset, *version->deprecated_until);
  }
  return match;
}

std::string version_list_text(const std::vector<std::string>& versions) {
  if (versions.empty()) return "none";
  return fmt::format("{}", fmt::join(versions, ", "));
}

}  // namespace meshctl
