#include "commands/standards.h"

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/file.h"
#include "meshctl/core/json_text.h"
#include "meshctl/standards/standards.h"
#include "meshctl/validate/registry_check.h"
#include "meshctl/validate/validator.h"
#include "output/diagnostics.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

using nlohmann::json;

struct StandardsOptions {
  std::string standards_file;  // empty: the nearest .meshctl/standards.yaml above the current folder, else built-in
  std::string domain;          // empty: before any per-domain override
  std::string rule_id;         // explain
};

// The standards in force: --standards FILE, else with --registry the registry's (its latest published
// version, else the built-in), else the nearest .meshctl/standards.yaml, else the built-in. A broken file
// is reported like `validate` reports it, and the command ends with exit 1.
std::optional<standards::Standards> load(const StandardsOptions& options, Context& context) {
  if (options.standards_file.empty() && context.registry) {
    auto registry = open_registry(context);
    auto fetched = registry ? fetch_registry_standards(**registry) : Result<registry::StandardsInForce>(registry.error());
    if (!fetched) {
      context.exit_code = report_error(context, fetched.error());
      return std::nullopt;
    }
    return std::move(fetched->rules);
  }
  std::optional<std::filesystem::path> explicit_file;
  if (!options.standards_file.empty()) explicit_file = options.standards_file;
  // The folder's standards are those a manifest in the current folder gets.
  auto loaded = validate::load_standards_for(std::filesystem::current_path() / "manifest.yaml", explicit_file);
  if (!loaded) {
    context.exit_code = report_error(context, loaded.error());
    return std::nullopt;
  }
  print_diagnostics_text(*context.err, loaded->diagnostics, color_on_err(context));
  if (!loaded->standards) context.exit_code = kFindings;
  return std::move(loaded->standards);
}

std::optional<std::string> domain_of(const StandardsOptions& options) {
  return options.domain.empty() ? std::nullopt : std::optional<std::string>(options.domain);
}

nlohmann::ordered_json rule_json(const standards::EffectiveRule& rule) {
  nlohmann::ordered_json out = {{"id", rule.id},
                                {"builtin", rule.builtin},
                                {"enabled", rule.enabled},
                                {"severity", rule.enabled ? to_string(rule.severity) : "off"},
                                {"summary", rule.summary}};
  if (rule.builtin) {
    out["params"] = rule.params;
  } else {
    out["given"] = rule.given;
    out["check"] = rule.check;
  }
  return out;
}

void run_list(const StandardsOptions& options, Context& context) {
  auto rules = load(options, context);
  if (!rules) return;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  const auto effective = rules->effective_rules(domain_of(options));
  for (const auto& rule : effective) list.push_back(rule_json(rule));
  print_as_requested(context, nlohmann::ordered_json{{"source", rules->source()}, {"rules", list}},
                     [&](std::ostream& out) {
                       std::size_t width = 0;
                       for (const auto& rule : effective) width = std::max(width, rule.id.size());
                       for (const auto& rule : effective) {
                         out << fmt::format("{:<{}}  {:<7}  {}\n", rule.id, width,
                                            rule.enabled ? to_string(rule.severity) : "off", rule.summary);
                       }
                     });
}

// A finding of the loader or the structural check: always on, whatever the standards say.
void explain_structural(const standards::RuleInfo& info, Context& context) {
  nlohmann::ordered_json out = {{"id", info.id},
                                {"structural", true},
                                {"severity", to_string(info.severity)},
                                {"summary", info.summary},
                                {"rationale", info.rationale}};
  print_as_requested(context, out, [&](std::ostream& text) {
    text << info.id << ": " << info.summary << "\n\n";
    if (validate::is_registry_rule(info.id)) {
      text << "With --registry: " << to_string(info.severity)
           << " (validate checks input ports and field terms against the registry only when --registry is given)\n";
    } else {
      text << "Always on: " << to_string(info.severity)
           << " (a structural check of every file; standards files cannot turn it off)\n";
    }
    text << "\nWhy: " << info.rationale << "\n";
    if (!info.example_violation.empty()) {
      text << "\nViolation:\n  " << info.example_violation << "\n\nFix:\n  " << info.example_fix << "\n";
    }
  });
}

void run_explain(const StandardsOptions& options, Context& context) {
  auto rules = load(options, context);
  if (!rules) return;
  const auto effective = rules->effective_rules(domain_of(options));
  auto found = std::find_if(effective.begin(), effective.end(),
                            [&](const standards::EffectiveRule& rule) { return rule.id == options.rule_id; });
  if (found == effective.end()) {
    if (const auto* structural = standards::find_structural_rule(options.rule_id)) {
      explain_structural(*structural, context);
      return;
    }
    context.exit_code = report_error(
        context, make_error(ErrorKind::not_found, fmt::format("no rule '{}' in {}: see `meshctl standards list`",
                                                              options.rule_id, rules->source())));
    return;
  }
  const standards::RuleInfo* info = standards::find_builtin_rule(found->id);
  nlohmann::ordered_json out = rule_json(*found);
  if (info != nullptr) {
    out["defaultSeverity"] = to_string(info->severity);
    out["rationale"] = info->rationale;
    out["defaultParams"] = info->params;
    out["exampleViolation"] = info->example_violation;
    out["exampleFix"] = info->example_fix;
  }
  print_as_requested(context, out, [&](std::ostream& text) {
    text << found->id << ": " << found->summary << "\n\n";
    text << "In force:  " << (found->enabled ? to_string(found->severity) : "off") << " (from " << rules->source()
         << (options.domain.empty() ? "" : ", domain " + options.domain) << ")\n";
    if (info == nullptr) {
      text << "Custom rule, applied to: " << found->given << "\nCheck: " << json_text(found->check) << "\n\n"
           << "Where `given` selects nothing (an absent key, no [*] after it), only `required` can fail:\n"
           << "it is reported at the deepest member that exists. A [*] over an empty list checks nothing.\n";
      return;
    }
    text << "Default:   " << to_string(info->severity) << "\n";
    if (!info->params.empty())
      text << "Params:    " << json_text(found->params) << " (default " << json_text(info->params) << ")\n";
    text << "\nWhy: " << info->rationale << "\n";
    auto indent = [](const std::string& block) {
      std::string indented = "  ";
      for (char c : block) indented += c == '\n' ? std::string("\n  ") : std::string(1, c);
      return indented;
    };
    text << "\nViolation:\n" << indent(info->example_violation) << "\n\nFix:\n" << indent(info->example_fix) << "\n";
  });
}

void run_show(const StandardsOptions& options, Context& context) {
  auto rules = load(options, context);
  if (!rules) return;
  nlohmann::ordered_json rule_map = nlohmann::ordered_json::object();
  nlohmann::ordered_json custom = nlohmann::ordered_json::array();
  for (const auto& rule : rules->effective_rules(domain_of(options))) {
    nlohmann::ordered_json setting = {{"severity", rule.enabled ? to_string(rule.severity) : "off"}};
    if (rule.builtin) {
      if (!rule.params.empty()) setting["params"] = rule.params;
      rule_map[rule.id] = setting;
    } else {
      custom.push_back({{"id", rule.id},
                        {"severity", setting["severity"]},
                        {"message", rule.summary},
                        {"given", rule.given},
                        {"check", rule.check}});
    }
  }
  nlohmann::ordered_json shown = {
      {"apiVersion", "meshctl/v1"}, {"kind", "Standards"}, {"source", rules->source()}, {"extends", rules->extends()}};
  if (!options.domain.empty()) shown["domain"] = options.domain;
  shown["rules"] = rule_map;
  if (!custom.empty()) shown["custom"] = custom;
  if (options.domain.empty() && !rules->override_domains().empty()) {
    shown["overriddenDomains"] = rules->override_domains();
  }
  print_as_requested(context, shown, [&](std::ostream& out) { print_yaml(out, shown); });
}

int run_publish(const std::string& file, Context& context) {
  auto text = read_file(file);
  if (!text) return report_error(context, text.error());
  // Checked here first, so that a broken file's findings have positions in it.
  auto loaded = standards::parse_standards(*text, file);
  print_diagnostics_text(*context.err, loaded.diagnostics, color_on_err(context));
  if (!loaded.standards) {
    *context.err << "meshctl: nothing published: " << file << " has errors (see above)\n";
    return kFindings;
  }
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto published = (*registry)->publish_standards(*text);
  if (!published) return report_error(context, published.error());
  print_as_requested(context, registry::to_json(*published), [&](std::ostream& out) {
    const auto& record = published->record;
    if (published->unchanged) {
      out << "unchanged: the registry's standards are already this file (version " << record.version << ")\n";
    } else {
      out << "published " << file << " as the registry's standards version " << record.version
          << ": every write is checked against them from now on\n";
    }
  });
  return kSuccess;
}

void add_common(CLI::App& command, StandardsOptions& options) {
  command
      .add_option("--standards", options.standards_file,
                  "Standards file (default: the nearest .meshctl/standards.yaml, else the built-in standard)")
      ->check(CLI::ExistingFile);
  command.add_option("--domain", options.domain, "Show the rules as they apply to this domain (its overrides)");
}

}  // namespace

void register_standards(CLI::App& app, Context& context) {
  auto options = std::make_shared<StandardsOptions>();
  auto* command = app.add_subcommand("standards", "The platform standards: the rules in force and why they exist");
  command->require_subcommand(1);
  command->footer(R"(Examples:
  meshctl standards list
  meshctl standards explain MESH-PII-CLASS
  meshctl standards show --standards .meshctl/standards.yaml --domain finance
  meshctl --registry https://registry.example.com standards show
  meshctl standards publish platform-standards.yaml)");

  auto* list = command->add_subcommand("list", "List the rules in force: id, severity, summary");
  add_common(*list, *options);
  list->footer(R"(Examples:
  meshctl standards list
  meshctl standards list --standards .meshctl/standards.yaml --domain finance -o json)");
  list->callback([options, &context] { run_list(*options, context); });

  auto* explain =
      command->add_subcommand("explain", "Explain one rule: what, why, parameters, a violation and its fix");
  add_common(*explain, *options);
  explain->add_option("rule", options->rule_id, "The rule id, e.g. MESH-PII-CLASS")->required();
  explain->footer(R"(Exit codes: 0 found, 3 no such rule.

Examples:
  meshctl standards explain MESH-DESCRIPTION
  meshctl standards explain ACME-COST-CENTER --standards .meshctl/standards.yaml -o json)");
  explain->callback([options, &context] { run_explain(*options, context); });

  auto* show = command->add_subcommand("show", "Print the effective standards after the file and its overrides");
  add_common(*show, *options);
  show->footer(R"(With --registry (and no --standards), the standards the registry enforces: its latest published
version (source: registry version N), else the built-in ones.

Examples:
  meshctl standards show
  meshctl --registry https://registry.example.com standards show
  meshctl standards show --standards .meshctl/standards.yaml --domain finance -o json)");
  show->callback([options, &context] { run_show(*options, context); });

  auto publish_file = std::make_shared<std::string>();
  auto* publish = command->add_subcommand(
      "publish", "Keep a standards file in the registry: every write through it is checked against it (admin)");
  publish->add_option("file", *publish_file, "The standards file (kind: Standards)")
      ->required()
      ->check(CLI::ExistingFile);
  publish->footer(R"(The registry keeps every published version (audited as standards-publish). From then on, every
create, evolve and apply, local or through a server, is checked against the latest version (the
built-in standards until one is published): errors refuse the write (exit 1). A file given with
--standards, or a .meshctl/standards.yaml, can add strictness to a run, never remove it.
`standards show --registry R` prints what is in force; publishing the same file again changes nothing.
On a server, only admins publish (exit 5 otherwise).

Examples:
  meshctl standards publish platform-standards.yaml
  meshctl --registry https://registry.example.com standards publish platform-standards.yaml -o json)");
  publish->callback([publish_file, &context] { context.exit_code = run_publish(*publish_file, context); });
}

}  // namespace meshctl::cli
