#include "meshctl/standards/standards.h"

#include "standards/internal.h"

namespace meshctl::standards {

Standards::Standards(std::shared_ptr<const StandardsData> data) : data_(std::move(data)) {}

Standards Standards::builtin() {
  static const auto data = [] {
    auto built = std::make_shared<StandardsData>();
    built->base = default_rule_set(true);
    return std::shared_ptr<const StandardsData>(std::move(built));
  }();
  return Standards(data);
}

const std::string& Standards::source() const {
  return data_->source;
}

const std::string& Standards::extends() const {
  return data_->extends;
}

std::vector<std::string> Standards::override_domains() const {
  return data_->override_domains;
}

namespace {

const RuleSet& rule_set_for(const StandardsData& data, std::string_view domain) {
  auto found = data.by_domain.find(domain);
  return found == data.by_domain.end() ? data.base : found->second;
}

}  // namespace

std::vector<EffectiveRule> Standards::effective_rules(const std::optional<std::string>& domain) const {
  const RuleSet& set = domain ? rule_set_for(*data_, *domain) : data_->base;
  std::vector<EffectiveRule> rules;
  const auto& infos = builtin_rules();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const RuleState& state = set.builtin[i];
    rules.push_back(EffectiveRule{infos[i].id, true, state.enabled, state.severity, state.params, infos[i].summary,
                                  infos[i].rationale, "", nullptr});
  }
  for (std::size_t i = 0; i < data_->custom.size(); ++i) {
    const CustomRule& custom = data_->custom[i];
    const RuleState& state = set.custom[i];
    rules.push_back(EffectiveRule{custom.id, false, state.enabled, state.severity, nlohmann::json::object(),
                                  custom.message, "", custom.given, custom.check_json});
  }
  return rules;
}

void Standards::check(const yaml::Node& manifest, const std::string& file, std::vector<Diagnostic>& out) const {
  if (!manifest.is_mapping()) return;
  // Another kind of document is not a data product: the structural check says so, once.
  if (const auto* kind = manifest.find("kind"); kind && kind->is_string() && kind->text != "DataProduct") return;
  const RuleSet* set = &data_->base;
  if (!data_->by_domain.empty()) {
    const auto* metadata = manifest.find("metadata");
    const auto* domain = metadata != nullptr ? metadata->find("domain") : nullptr;
    if (domain != nullptr && domain->is_string()) set = &rule_set_for(*data_, domain->text);
  }
  check_builtin(manifest, *set, file, out);
  for (std::size_t i = 0; i < data_->custom.size(); ++i) {
    if (set->custom[i].enabled) check_custom(manifest, data_->custom[i], set->custom[i].severity, file, out);
  }
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
