#include "commands/commands.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands/apply.h"
#include "commands/audit.h"
#include "commands/catalog.h"
#include "commands/changelog.h"
#include "commands/completion.h"
#include "commands/config.h"
#include "commands/deprecate.h"
#include "commands/describe.h"
#include "commands/convert.h"
#include "commands/diff.h"
#include "commands/export.h"
#include "commands/domain.h"
#include "commands/explain.h"
#include "commands/get.h"
#include "commands/history.h"
#include "commands/init.h"
#include "commands/lineage.h"
#include "commands/registry.h"
#include "commands/retire.h"
#include "commands/schema.h"
#include "commands/search.h"
#include "commands/serve.h"
#include "commands/similar.h"
#include "commands/standards.h"
#include "commands/subscribe.h"
#include "commands/test.h"
#include "commands/token.h"
#include "commands/usage.h"
#include "commands/validate.h"
#include "commands/version.h"
#include "meshctl/core/text.h"

namespace meshctl::cli {

namespace {

using RegisterFunction = void (*)(CLI::App&, Context&);

struct CommandEntry {
  std::string_view name;
  RegisterFunction add;
};

// Every command, in the order of the top-level --help. Some functions register several commands.
constexpr CommandEntry kCommands[] = {
    {"init", register_init},
    {"validate", register_validate},
    {"test", register_test},
    {"standards", register_standards},
    {"schema", register_schema},
    {"explain", register_explain},
    {"convert", register_convert},
    {"apply", register_apply},
    {"create", register_apply},
    {"evolve", register_apply},
    {"diff", register_diff},
    {"changelog", register_changelog},
    {"get", register_get},
    {"search", register_search},
    {"similar", register_similar},
    {"describe", register_describe},
    {"export", register_export},
    {"history", register_history},
    {"deprecate", register_deprecate},
    {"retire", register_retire},
    {"subscribe", register_subscribe},
    {"unsubscribe", register_subscribe},
    {"usage", register_usage},
    {"lineage", register_lineage},
    {"catalog", register_catalog},
    {"config", register_config},
    {"domain", register_domain},
    {"token", register_token},
    {"audit", register_audit},
    {"serve", register_serve},
    {"registry", register_registry},
    {"completion", register_completion},
    {"version", register_version},
};

struct OutputFormats {
  std::string_view command;  // its words after `meshctl`
  std::vector<std::string_view> formats;
};

// What -o accepts per command; every other command writes text, json or yaml.
const OutputFormats kOutputFormats[] = {
    {"validate", {"text", "json", "sarif", "junit"}},
    {"test", {"text", "json", "junit"}},
    {"diff", {"text", "json", "yaml", "markdown"}},
    {"changelog", {"text", "json", "yaml", "markdown"}},
    {"get products", {"text", "json", "yaml", "wide", "name"}},
    {"get terms", {"text", "json", "yaml", "wide", "name"}},
    {"lineage", {"text", "json", "yaml", "tree", "dot", "mermaid"}},
};
const std::vector<std::string_view> kCommonFormats = {"text", "json", "yaml"};

// The subcommand the command line selected, deepest first level last ("get products").
const CLI::App* selected_command(const CLI::App& app, std::string& words) {
  const CLI::App* current = &app;
  while (!current->get_subcommands().empty()) {
    current = current->get_subcommands().front();
    words += (words.empty() ? "" : " ") + current->get_name();
  }
  return current;
}

// "a, b or c"
std::string either(const std::vector<std::string_view>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text += i == 0 ? "" : i + 1 == words.size() ? " or " : ", ";
    text += words[i];
  }
  return text;
}

}  // namespace

const std::vector<std::string_view>& output_formats(std::string_view command) {
  for (const auto& entry : kOutputFormats) {
    if (entry.command == command) return entry.formats;
  }
  return kCommonFormats;
}

namespace {

// A usage error about -o, which meshctl words itself.
class OutputFormatError : public CLI::ValidationError {
 public:
  using CLI::ValidationError::ValidationError;
};

// Refuses, before the command runs, a -o (or --format) that the selected command does not write, and two
// that disagree.
void check_output_format(const CLI::App& app, const Context& context) {
  std::string words;
  selected_command(app, words);
  const auto& formats = output_formats(words);
  if (context.output_conflict) {
    throw OutputFormatError(fmt::format("two output formats given ({} and {}): give one -o", context.output_name,
                                        *context.output_conflict));
  }
  if (std::find(formats.begin(), formats.end(), context.output_name) != formats.end()) return;
  throw OutputFormatError(fmt::format("meshctl{}{} does not write {}: use -o {}", words.empty() ? "" : " ", words,
                                      context.output_name, either(formats)));
}

}  // namespace

std::optional<std::string> usage_error_advice(const CLI::App& app, const CLI::ParseError& error) {
  if (dynamic_cast<const OutputFormatError*>(&error) != nullptr) return error.what();
  std::string words;
  const CLI::App* command = selected_command(app, words);
  const std::string name = words.empty() ? "meshctl" : "meshctl " + words;
  const auto left = app.remaining(true);
  if (!left.empty() && left.front().starts_with("-")) {
    const std::string flag = left.front().substr(0, left.front().find('='));
    std::vector<std::string> names;
    for (const CLI::App* owner = command; owner != nullptr; owner = owner->get_parent()) {
      for (const CLI::Option* option : owner->get_options()) {
        for (const auto& long_name : option->get_lnames()) names.push_back("--" + long_name);
        for (const auto& short_name : option->get_snames()) names.push_back("-" + short_name);
      }
    }
    const auto match = closest_match(flag, std::vector<std::string_view>(names.begin(), names.end()));
    return fmt::format("unknown flag {} for {}{} ({} --help lists its flags)", flag, name,
                       match ? ": did you mean " + *match + "?" : "", name);
  }
  const auto commands = command->get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
  if (commands.empty() || dynamic_cast<const CLI::RequiredError*>(&error) == nullptr) return std::nullopt;
  std::vector<std::string_view> names;
  for (const CLI::App* sub : commands) names.push_back(sub->get_name());
  if (left.empty())
    return fmt::format("{} needs a command: {} ({} --help says what each does)", name, either(names), name);
  const auto match = closest_match(left.front(), names);
  return fmt::format("unknown command '{}' for {}{} ({} --help lists the commands)", left.front(), name,
                     match ? ": did you mean '" + *match + "'?" : "", name);
}

std::optional<std::string_view> command_word(std::span<const char* const> args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-o" || arg == "--output" || arg == "--registry" || arg == "--token" || arg == "--color") {
      ++i;  // the option's value
      continue;
    }
    if (arg.starts_with("--output=") || arg.starts_with("--registry=") || arg.starts_with("--token=") ||
        arg.starts_with("--color=") || (arg.starts_with("-o") && arg.size() > 2)) {
      continue;
    }
    if (arg.starts_with("-")) return std::nullopt;  // --help, --version or a mistake: CLI11 needs every command
    return arg;
  }
  return std::nullopt;
}

void register_commands(CLI::App& app, Context& context, std::span<const char* const> args) {
  app.set_version_flag("--version", std::string("meshctl ") + MESHCTL_VERSION, "Print meshctl's version and exit");
  app.footer(R"(Every command has --help, with examples. Exit codes: 0 success, 1 findings,
2 usage error, 3 not found, 4 conflict, 5 forbidden, 6 registry (or data source) unavailable.
Colours (severities, BREAKING) only on a terminal, off with NO_COLOR=1 or --color never.

Examples:
  meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com
  meshctl validate products/
  meshctl test products/orders.yaml --source csv:orders.csv
  meshctl apply -f products/
  meshctl describe sales/orders
  meshctl -o json get products --domain sales)");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option_function<std::string>(
      "-o,--output", [&context](const std::string& value) { set_output(context, value); },
      "Output format, before or after the command: text, json or yaml; validate: sarif, junit; diff, changelog: "
      "markdown; get products: wide, name; lineage: dot, mermaid");
  // Runs once every flag is parsed, before the command does.
  app.parse_complete_callback([&app, &context] { check_output_format(app, context); });
  app.add_option_function<std::string>(
      "--registry", [&context](const std::string& value) { context.registry = value; },
      "Registry: PATH or sqlite:PATH (embedded), postgresql://... (a database), http(s)://HOST:PORT (a server); env "
      "MESHCTL_REGISTRY");
  app.add_option_function<std::string>(
      "--token", [&context](const std::string& value) { context.token = value; },
      "Credential for a registry server; env MESHCTL_TOKEN");
  app.add_option("--color", context.color,
                 "Colour severities and BREAKING in text output: auto (on a terminal, unless NO_COLOR is set), "
                 "always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  const auto word = command_word(args);
  const bool known = word && std::any_of(std::begin(kCommands), std::end(kCommands),
                                         [&](const CommandEntry& entry) { return entry.name == *word; });
  RegisterFunction registered_last = nullptr;
  for (const auto& entry : kCommands) {
    if (known && entry.name != *word) continue;
    if (entry.add == registered_last) continue;  // one function registers apply, create and evolve
    entry.add(app, context);
    registered_last = entry.add;
  }
}

}  // namespace meshctl::cli
