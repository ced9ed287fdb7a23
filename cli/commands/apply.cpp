#include "commands/apply.h"

#include <memory>

#include <unistd.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/diagnostics.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

constexpr std::size_t kProgressThreshold = 200;  // products; fewer take well under a second

struct ApplyOptions {
  std::vector<std::string> paths;
  std::string standards_file;
  bool dry_run = false;
};

// Validates and decodes every manifest against its own standards and the registry's; prints the
// findings as `validate` does. Returns the products, or the exit code when findings refuse the write.
std::variant<std::vector<manifest::DataProduct>, int> load(const ApplyOptions& options,
                                                           RegistryStandards registry_rules, Context& context) {
  std::optional<std::string> stdin_text;
  if (std::find(options.paths.begin(), options.paths.end(), "-") != options.paths.end()) {
    stdin_text = read_all(*context.in);
  }
  auto sources = validate::collect_sources(options.paths, stdin_text);
  if (!sources) return report_error(context, sources.error());
  if (sources->empty()) {
    return report_error(context, make_error(ErrorKind::invalid, "no *.yaml or *.yml manifest under the given paths"));
  }
  validate::Options validate_options;
  if (!options.standards_file.empty()) validate_options.standards_file = options.standards_file;
  validate_options.registry_standards = std::move(registry_rules.rules);
  const bool show_progress = ::isatty(STDERR_FILENO) != 0 && sources->size() >= kProgressThreshold;
  if (show_progress) *context.err << "checking " << sources->size() << " manifests..." << std::flush;
  auto loaded = validate::load_products(*sources, validate_options);
  if (show_progress) *context.err << "\r\033[K" << std::flush;
  if (!loaded) return report_error(context, loaded.error());
  const auto counts = count(loaded->report.diagnostics);
  print_diagnostics_text(*context.err, loaded->report.diagnostics);
  if (counts.errors > 0) {
    *context.err << "meshctl: nothing written: " << counts.errors << (counts.errors == 1 ? " error" : " errors")
                 << " in the manifests (see above), checked with " << registry_rules.label << "\n";
    return kFindings;
  }
  return std::move(loaded->products);
}

int run_apply(const ApplyOptions& options, registry::PublishMode mode, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto registry_rules = fetch_registry_standards(**registry);
  if (!registry_rules) return report_error(context, registry_rules.error());
  auto products = load(options, std::move(*registry_rules), context);
  if (const int* code = std::get_if<int>(&products)) return *code;

  // A progress line on a terminal when the work is long; erased before the result is printed.
  auto& manifests = std::get<std::vector<manifest::DataProduct>>(products);
  const bool show_progress = ::isatty(STDERR_FILENO) != 0 && manifests.size() >= kProgressThreshold;
  auto progress = [&](const std::string& line) {
    if (show_progress) *context.err << "\r\033[K" << line << std::flush;
  };
  progress("planning " + std::to_string(manifests.size()) + " products...");
  auto plan = (*registry)->plan(std::move(manifests), mode);
  progress("");
  if (!plan) return report_error(context, plan.error());

  std::vector<registry::Change> changes;
  changes.reserve(plan->items.size());
  if (options.dry_run) {
    for (const auto& item : plan->items) changes.push_back(item.change);
  } else {
    progress("writing " + std::to_string(plan->items.size()) + " products in one transaction...");
    auto done = (*registry)->execute(*plan);
    progress("");
    if (!done) return report_error(context, done.error());
    changes = std::move(*done);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& change : changes) list.push_back(registry::to_json(change));
  nlohmann::json body = {{"dryRun", options.dry_run}, {"changes", std::move(list)}};
  print_as_requested(context, body, [&](std::ostream& out) {
    for (const auto& change : changes) print_change_line(out, change, options.dry_run);
    if (options.dry_run) *context.err << "dry run: nothing was written\n";
  });
  return kSuccess;
}

CLI::App* add_publish_command(CLI::App& app, Context& context, const char* name, const char* description,
                              registry::PublishMode mode, const char* footer) {
  auto options = std::make_shared<ApplyOptions>();
  auto* command = app.add_subcommand(name, description);
  command->footer(footer);
  command->add_option("-f,--file", options->paths, "Manifest files or folders (*.yaml, *.yml), - for stdin")
      ->required();
  command->add_option("--standards", options->standards_file, "Standards file the manifests must pass")
      ->check(CLI::ExistingFile);
  command->add_flag("--dry-run", options->dry_run, "Print the plan and write nothing");
  command->callback([options, mode, &context] { context.exit_code = run_apply(*options, mode, context); });
  return command;
}

}  // namespace

void register_apply(CLI::App& app, Context& context) {
  add_publish_command(app, context, "apply", "Create what is new, evolve what changed, leave what is equal",
                      registry::PublishMode::apply,
                      R"(Every manifest is validated first (as `meshctl validate` does); an error refuses the
whole apply (exit 1). A folder is applied in dependency order (a product after the
products its input ports read) in ONE transaction: all or nothing.
Refusals exit 4: a published version with a different manifest, a version not
greater than every published one, a retired product.

Examples:
  meshctl apply -f examples/products
  meshctl apply -f orders.yaml --dry-run
  meshctl apply -f products/ -o json)");
  add_publish_command(app, context, "create", "Register new products (refused when one exists)",
                      registry::PublishMode::create, "Example:\n  meshctl create -f orders.yaml");
  add_publish_command(app, context, "evolve", "Publish new versions of existing products (refused when one is missing)",
                      registry::PublishMode::evolve, "Example:\n  meshctl evolve -f orders.yaml");
}

}  // namespace meshctl::cli
