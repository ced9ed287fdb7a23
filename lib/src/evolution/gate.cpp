// check_evolution(): the semantic-version gate the registry applies on evolve and apply.

#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meshctl/evolution/evolution.h"

namespace meshctl::evolution {

namespace {

// How many change lines a refusal's message lists; the details list them all.
constexpr std::size_t kMessageLines = 50;

}  // namespace

StepVerdict judge_step(const Version& from, const Version& to, const Diff& diff) {
  const Bump provided = bump_between(from, to);
  return StepVerdict{provided, provided >= diff.required_bump};
}

StepVerdict judge_step(std::string_view from, std::string_view to, const Diff& diff) {
  const auto older = parse_version(from);
  const auto newer = parse_version(to);
  if (!older || !newer) return StepVerdict{std::nullopt, diff.required_bump == Bump::none};
  return judge_step(*older, *newer, diff);
}

std::optional<Error> check_evolution(std::string_view product, const Version& candidate, Compatibility mode,
                                     const std::vector<Comparison>& comparisons) {
  Bump required = Bump::none;
  Bump provided = Bump::major;
  bool refused = false;
  nlohmann::json changes = nlohmann::json::array();
  std::vector<std::string> lines;
  std::vector<std::string> failed_versions;
  std::size_t hidden = 0;
  for (const auto& comparison : comparisons) {
    const auto compared = parse_version(comparison.version);
    if (!compared) continue;
    const auto verdict = judge_step(*compared, candidate, comparison.diff);
    if (verdict.enough) continue;
    const Bump offered = *verdict.provided;
    refused = true;
    failed_versions.push_back(fmt::format("{} (needs {}, {} -> {} is {})", comparison.version,
                                          to_string(comparison.diff.required_bump), comparison.version,
                                          candidate.to_string(), to_string(offered)));
    if (comparison.diff.required_bump > required) required = comparison.diff.required_bump;
    if (offered < provided) provided = offered;
    for (const auto& change : comparison.diff.changes) {
      auto entry = to_json(change);
      entry["comparedWith"] = comparison.version;
      changes.push_back(std::move(entry));
      if (change.required_bump <= offered) continue;
      if (lines.size() < kMessageLines) {
        lines.push_back(fmt::format("  - {} at {}: {} (needs {}{})", change.kind, change.path, change.message,
                                    to_string(change.required_bump), change.breaking ? ", breaking" : ""));
      } else {
        ++hidden;
      }
    }
  }
  if (!refused) return std::nullopt;
  std::string message = fmt::format(
      "version {} of {} does not bump enough for its changes under {} compatibility: against {}; bump the "
      "version accordingly (a breaking change needs a new major)",
      candidate.to_string(), product, to_string(mode), fmt::join(failed_versions, ", against "));
  for (const auto& line : lines) message += "\n" + line;
  if (hidden > 0) message += fmt::format("\n  ... and {} more", hidden);
  return make_error(ErrorKind::conflict, std::move(message),
                    {{"product", std::string(product)},
                     {"version", candidate.to_string()},
                     {"mode", to_string(mode)},
                     {"requiredBump", to_string(required)},
                     {"providedBump", to_string(provided)},
                     {"changes", std::move(changes)}});
}

}  // namespace meshctl::evolution
