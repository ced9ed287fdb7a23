// PLACEHOLDER: replaced by the real rules engine (see issue 2).
#include "meshctl/standards/standards.h"

namespace meshctl::standards {

struct StandardsData {
  std::string source;
};

const std::vector<RuleInfo>& builtin_rules() {
  static const std::vector<RuleInfo> rules;
  return rules;
}

Standards::Standards(std::shared_ptr<const StandardsData> data) : data_(std::move(data)) {}

Standards Standards::builtin() { return Standards(std::make_shared<StandardsData>(StandardsData{"built-in"})); }

const std::string& Standards::source() const { return data_->source; }

std::vector<EffectiveRule> Standards::effective_rules(const std::optional<std::string>&) const { return {}; }

void Standards::check(const yaml::Node&, const std::string&, std::vector<Diagnostic>&) const {}

LoadedStandards parse_standards(std::string_view, const std::string& file_name, const yaml::LoadLimits&) {
  return LoadedStandards{Standards(std::make_shared<StandardsData>(StandardsData{file_name})), {}};
}

std::optional<std::filesystem::path> find_standards_file(const std::filesystem::path& manifest) {
  std::error_code ec;
  auto dir = std::filesystem::absolute(manifest, ec).parent_path();
  while (!dir.empty()) {
    auto candidate = dir / ".meshctl" / "standards.yaml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

}  // namespace meshctl::standards
