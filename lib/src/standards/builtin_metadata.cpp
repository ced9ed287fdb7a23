// Built-in rules on metadata: name, domain, version, title, description, owner, tags, labels.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "meshctl/core/semver.h"
#include "meshctl/core/text.h"
#include "standards/builtin_checker.h"

namespace meshctl::standards {

using yaml::Node;

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string quoted_list(const std::vector<std::string>& list) {
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += (i + 1 == list.size()) ? " or " : ", ";
    out += fmt::format("'{}'", list[i]);
  }
  return out;
}

std::string did_you_mean(std::string_view value, const std::vector<std::string>& list) {
  std::vector<std::string_view> candidates(list.begin(), list.end());
  auto match = closest_match(value, candidates);
  return match ? fmt::format(" (did you mean '{}'?)", *match) : std::string();
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

namespace {

bool is_email_local_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_email_domain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

// The R07 address form `^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$`, without a regex.
bool is_email(std::string_view text) {
  const auto at = text.find('@');
  if (at == 0 || at == std::string_view::npos) return false;
  const auto local = text.substr(0, at);
  const auto domain = text.substr(at + 1);
  if (!std::all_of(local.begin(), local.end(), is_email_local_char)) return false;
  if (!std::all_of(domain.begin(), domain.end(), is_email_domain_char)) return false;
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const auto top = domain.substr(dot + 1);
  return top.size() >= 2 &&
         std::all_of(top.begin(), top.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

// `^[a-z0-9]([a-z0-9.\-/]*[a-z0-9])?$`: lowercase keys, optionally prefixed (team.io/owner).
bool is_label_key(std::string_view key) {
  auto edge = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto inner = [&](char c) { return edge(c) || c == '.' || c == '-' || c == '/'; };
  return !key.empty() && edge(key.front()) && edge(key.back()) && std::all_of(key.begin(), key.end(), inner);
}

std::string lowercase(std::string_view text) {
  std::string out(trim(text));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  while (!out.empty() && (out.back() == '.' || out.back() == '!')) out.pop_back();
  return out;
}

}  // namespace

void check_builtin(const Node& root, const RuleSet& rules, const std::string& file, std::vector<Diagnostic>& out) {
  BuiltinChecker(rules, file, out).run(root);
}

void BuiltinChecker::report(BuiltinRule rule, Position at, std::string path, std::string message) {
  const auto index = static_cast<std::size_t>(rule);
  out_.push_back(Diagnostic{file_, at, rules_.builtin[index].severity, builtin_rules()[index].id, std::move(path),
                            std::move(message)});
}

void BuiltinChecker::run(const Node& root) {
  if (!root.is_mapping()) return;
  if (const auto* metadata = root.find_entry("metadata"); metadata && metadata->value.is_mapping()) {
    const auto* name = metadata->value.find("name");
    const auto* domain = metadata->value.find("domain");
    if (name && domain && name->is_string() && domain->is_string()) self_product_ = domain->text + "/" + name->text;
    check_metadata(metadata->value, metadata->key_position);
  }
  if (const auto* spec = root.find_entry("spec"); spec && spec->value.is_mapping()) {
    check_spec(spec->value, spec->key_position);
  }
}

void BuiltinChecker::check_metadata(const Node& metadata, Position anchor) {
  const auto* name = metadata.find("name");
  if (on(BuiltinRule::name_format) && name && name->is_string()) {
    if (!is_kebab_case(name->text)) {
      report(BuiltinRule::name_format, name->position, "metadata.name",
             fmt::format("name '{}' is not kebab-case: use lowercase words joined by '-' (orders-daily)", name->text));
    } else if (name->text.size() > params_.name_max_length) {
      report(BuiltinRule::name_format, name->position, "metadata.name",
             fmt::format("name '{}' has {} characters: shorten it to at most {}", name->text, name->text.size(),
                         params_.name_max_length));
    }
  }
  const auto* domain = metadata.find("domain");
  if (on(BuiltinRule::domain_format) && domain && domain->is_string()) {
    if (!params_.allowed_domains.empty() && !contains(params_.allowed_domains, domain->text)) {
      report(BuiltinRule::domain_format, domain->position, "metadata.domain",
             fmt::format("domain '{}' is not one of the platform's domains{}: use one of {}", domain->text,
                         did_you_mean(domain->text, params_.allowed_domains), quoted_list(params_.allowed_domains)));
    } else if (!is_kebab_case(domain->text)) {
      report(BuiltinRule::domain_format, domain->position, "metadata.domain",
             fmt::format("domain '{}' is not kebab-case: use lowercase words joined by '-'", domain->text));
    }
  }
  const auto* version = metadata.find("version");
  if (on(BuiltinRule::version_semver) && version && version->is_string() && !parse_version(version->text)) {
    report(BuiltinRule::version_semver, version->position, "metadata.version",
           fmt::format("version '{}' is not a semantic version: write MAJOR.MINOR.PATCH, like 1.2.0", version->text));
  }
  if (on(BuiltinRule::title)) {
    const auto* title = metadata.find("title");
    if (title == nullptr) {
      report(BuiltinRule::title, anchor, "metadata.title", "metadata has no title: add a short human name");
    } else if (title->is_string() && trim(title->text).empty()) {
      report(BuiltinRule::title, title->position, "metadata.title", "the title is empty: write a short human name");
    }
  }
  if (on(BuiltinRule::description)) check_description(metadata, anchor);
  check_owner(metadata, anchor);
  if (const auto* tags = metadata.find("tags"); on(BuiltinRule::tags) && tags && tags->is_sequence()) check_tags(*tags);
  if (const auto* labels = metadata.find("labels"); on(BuiltinRule::labels) && labels && labels->is_mapping()) {
    check_labels(*labels);
  }
}

void BuiltinChecker::check_description(const Node& metadata, Position anchor) {
  const auto* description = metadata.find("description");
  if (description == nullptr) {
    report(BuiltinRule::description, anchor, "metadata.description",
           "metadata has no description: say what the product holds and what it is for");
    return;
  }
  if (!description->is_string()) return;
  const auto text = trim(description->text);
  if (text.empty()) {
    report(BuiltinRule::description, description->position, "metadata.description",
           "the description is empty: say what the product holds and what it is for");
    return;
  }
  const auto said = lowercase(text);
  for (const char* key : {"name", "title"}) {
    const auto* other = metadata.find(key);
    if (other && other->is_string() && said == lowercase(other->text)) {
      report(BuiltinRule::description, description->position, "metadata.description",
             fmt::format("the description only repeats the {}: say what the product holds and what it is for", key));
      return;
    }
  }
  if (const auto length = utf8_length(text); length < params_.description_min_length) {
    report(BuiltinRule::description, description->position, "metadata.description",
           fmt::format("the description has {} characters: write at least {}", length, params_.description_min_length));
  }
}

void BuiltinChecker::check_owner(const Node& metadata, Position anchor) {
  const bool team_on = on(BuiltinRule::owner_team);
  const bool email_on = on(BuiltinRule::owner_email);
  if (!team_on && !email_on) return;
  const auto* owner_entry = metadata.find_entry("owner");
  if (owner_entry == nullptr) {
    if (team_on) {
      report(BuiltinRule::owner_team, anchor, "metadata.owner.team",
             "metadata has no owner: add owner.team, the team that answers for the product");
    }
    if (email_on) {
      report(BuiltinRule::owner_email, anchor, "metadata.owner.email",
             "metadata has no owner: add owner.email, where to reach the team");
    }
    return;
  }
  const Node& owner = owner_entry->value;
  if (!owner.is_mapping()) return;
  const auto* team = owner.find("team");
  if (team_on && team == nullptr) {
    report(BuiltinRule::owner_team, owner_entry->key_position, "metadata.owner.team",
           "owner has no team: add owner.team, the team that answers for the product");
  } else if (team_on && team->is_string() && !is_kebab_case(team->text)) {
    report(
        BuiltinRule::owner_team, team->position, "metadata.owner.team",
        fmt::format("owner team '{}' is not kebab-case: use lowercase words joined by '-' (sales-data)", team->text));
  }
  const auto* email = owner.find("email");
  if (email_on && email == nullptr) {
    report(BuiltinRule::owner_email, owner_entry->key_position, "metadata.owner.email",
           "owner has no email: add owner.email, where to reach the team");
  } else if (email_on && email->is_string() && !is_email(email->text)) {
    report(BuiltinRule::owner_email, email->position, "metadata.owner.email",
           fmt::format("owner email '{}' is not an email address: write it as team@example.com", email->text));
  }
}

void BuiltinChecker::check_tags(const Node& tags) {
  for (std::size_t i = 0; i < tags.items.size(); ++i) {
    const Node& tag = tags.items[i];
    if (!tag.is_string()) continue;
    const auto path = fmt::format("metadata.tags[{}]", i);
    if (!is_kebab_case(tag.text)) {
      report(BuiltinRule::tags, tag.position, path,
             fmt::format("tag '{}' is not kebab-case: use lowercase words joined by '-'", tag.text));
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (tags.items[j].is_string() && tags.items[j].text == tag.text) {
        report(BuiltinRule::tags, tag.position, path, fmt::format("tag '{}' is listed twice: remove one", tag.text));
        break;
      }
    }
  }
}

void BuiltinChecker::check_labels(const Node& labels) {
  for (const auto& entry : labels.entries) {
    const auto path = fmt::format("metadata.labels.{}", entry.key);
    if (!is_label_key(entry.key)) {
      report(BuiltinRule::labels, entry.key_position, path,
             fmt::format("label key '{}' is not allowed: use lowercase letters, digits, '.', '-' and '/' "
                         "(cost-center, team.io/tier)",
                         entry.key));
    } else if (entry.value.is_string() && utf8_length(entry.value.text) > params_.label_value_max_length) {
      report(BuiltinRule::labels, entry.value.position, path,
             fmt::format("label '{}' has a value of {} characters: shorten it to at most {}", entry.key,
                         utf8_length(entry.value.text), params_.label_value_max_length));
    }
  }
}

}  // namespace meshctl::standards
