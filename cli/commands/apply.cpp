#include "commands/apply.h"

#include <memory>

#include <fmt/format.h>
#include <unistd.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/text.h"
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

struct LoadedManifests {
  std::vector<manifest::DataProduct> products;
  std::vector<validate::SourceInputs> inputs;  // where each input port is, to position the registry's findings
};

// Where the registry's finding about an input port is in the files: the port's
// `version` for a constraint that meets nothing, else its `product`.
Diagnostic positioned(const registry::InputPortFinding& finding, const std::vector<validate::SourceInputs>& inputs) {
  const auto severity = finding.rule == "MESH-INPUT-DEPRECATED" ? Severity::warning : Severity::error;
  const auto at_version = finding.rule == "MESH-INPUT-UNMATCHED" && !finding.version_constraint.empty();
  const auto reader = finding.consumer.text();
  for (const auto& source : inputs) {
    for (const auto& read : source.reads) {
      if (read.reader != reader || read.index != finding.index) continue;
      return Diagnostic{source.file,
                        at_version ? read.version_position : read.position,
                        severity,
                        finding.rule,
                        fmt::format("spec.inputPorts[{}].{}", finding.index, at_version ? "version" : "product"),
                        finding.message};
    }
  }
  return Diagnostic{reader,         {}, severity, finding.rule, fmt::format("spec.inputPorts[{}]", finding.index),
                    finding.message};
}

// The findings of a JSON list of InputPortFinding, each with its place in the
// files; for -o json each item also gets file, line and column.
std::vector<Diagnostic> place_findings(nlohmann::json& list, const std::vector<validate::SourceInputs>& inputs) {
  std::vector<Diagnostic> placed;
  if (!list.is_array()) return placed;
  for (auto& item : list) {
    auto finding = registry::input_port_finding_from_json(item);
    if (!finding) continue;
    auto diagnostic = positioned(*finding, inputs);
    item["file"] = diagnostic.file;
    item["line"] = diagnostic.position.line;
    item["column"] = diagnostic.position.column;
    placed.push_back(std::move(diagnostic));
  }
  return placed;
}

// MESH-DUPLICATE findings (DuplicateFinding JSON) as diagnostics on the file that defines each product.
std::vector<Diagnostic> duplicate_diagnostics(const nlohmann::json& list,
                                              const std::vector<validate::SourceInputs>& inputs) {
  std::vector<Diagnostic> placed;
  if (!list.is_array()) return placed;
  for (const auto& item : list) {
    auto finding = registry::duplicate_finding_from_json(item);
    if (!finding) continue;
    std::string file = finding->product.text();
    for (const auto& source : inputs) {
      if (std::find(source.defined.begin(), source.defined.end(), file) != source.defined.end()) file = source.file;
    }
    placed.push_back(Diagnostic{file, {}, parse_severity(finding->severity).value_or(Severity::warning),
                                "MESH-DUPLICATE", "spec.outputPorts", finding->message});
  }
  return placed;
}

// A refusal of the registry. Its input ports that do not resolve are printed
// where they are in the files, as `validate` prints findings, followed by the
// plan's other refusals and a count; with -o json, the error with each port's
// file, line and column.
int report_refusal(Context& context, Error error, const std::vector<validate::SourceInputs>& inputs) {
  if (error.details.is_object() && error.details.contains("duplicates") && context.output != OutputFormat::json) {
    const auto placed = duplicate_diagnostics(error.details["duplicates"], inputs);
    print_diagnostics_text(*context.err, placed);
    *context.err << "meshctl: nothing written: " << placed.size() << " duplicate"
                 << (placed.size() == 1 ? "" : "s") << " at severity error (MESH-DUPLICATE, see above)\n";
    return exit_code_for(error.kind);
  }
  if (!error.details.is_object() || !error.details.contains("unresolvedInputs")) return report_error(context, error);
  const auto placed = place_findings(error.details["unresolvedInputs"], inputs);
  if (context.output == OutputFormat::json || placed.empty()) return report_error(context, error);
  print_diagnostics_text(*context.err, placed);
  for (const auto& refusal : error.details.value("refusals", nlohmann::json::array())) {
    const auto& details = refusal.value("details", nlohmann::json::object());
    if (details.is_object() && details.contains("unresolvedInputs")) continue;
    *context.err << "meshctl: error: " << printable_text(refusal.value("message", ""), LineBreaks::keep) << '\n';
  }
  *context.err << "meshctl: nothing written: " << placed.size()
               << (placed.size() == 1 ? " input port reads" : " input ports read")
               << " what the registry cannot provide (see above)\n";
  return exit_code_for(error.kind);
}

// Validates and decodes every manifest against its own standards and the registry's; prints the
// findings as `validate` does. Returns the products, or the exit code when findings refuse the write.
std::variant<LoadedManifests, int> load(const ApplyOptions& options, registry::StandardsInForce registry_rules,
                                        Context& context) {
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
  validate_options.collect_input_ports = true;
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
  return LoadedManifests{std::move(loaded->products), std::move(loaded->report.inputs)};
}

int run_apply(const ApplyOptions& options, registry::PublishMode mode, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto registry_rules = fetch_registry_standards(**registry);
  if (!registry_rules) return report_error(context, registry_rules.error());
  auto products = load(options, std::move(*registry_rules), context);
  if (const int* code = std::get_if<int>(&products)) return *code;

  // A progress line on a terminal when the work is long; erased before the result is printed.
  auto& manifests = std::get<LoadedManifests>(products).products;
  const auto& inputs = std::get<LoadedManifests>(products).inputs;
  const bool show_progress = ::isatty(STDERR_FILENO) != 0 && manifests.size() >= kProgressThreshold;
  auto progress = [&](const std::string& line) {
    if (show_progress) *context.err << "\r\033[K" << line << std::flush;
  };
  progress("planning " + std::to_string(manifests.size()) + " products...");
  auto plan = (*registry)->plan(std::move(manifests), mode);
  progress("");
  if (!plan) return report_refusal(context, plan.error(), inputs);
  // Input ports that resolve only to deprecated versions: the apply goes ahead, with a warning.
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& warning : plan->warnings) warnings.push_back(registry::to_json(warning));
  const auto placed_warnings = place_findings(warnings, inputs);
  if (context.output == OutputFormat::text) print_diagnostics_text(*context.err, placed_warnings);
  nlohmann::json duplicates = nlohmann::json::array();
  for (const auto& duplicate : plan->duplicates) duplicates.push_back(registry::to_json(duplicate));
  if (context.output == OutputFormat::text) print_diagnostics_text(*context.err, duplicate_diagnostics(duplicates, inputs));

  std::vector<registry::Change> changes;
  changes.reserve(plan->items.size());
  if (options.dry_run) {
    for (const auto& item : plan->items) changes.push_back(item.change);
  } else {
    progress("writing " + std::to_string(plan->items.size()) + " products in one transaction...");
    auto done = (*registry)->execute(*plan);
    progress("");
    if (!done) return report_refusal(context, done.error(), inputs);
    changes = std::move(*done);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& change : changes) list.push_back(registry::to_json(change));
  nlohmann::json body = {{"dryRun", options.dry_run}, {"changes", std::move(list)}, {"warnings", warnings}, {"duplicates", duplicates}};
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
greater than every published one, a retired product, an input port that reads
what the registry cannot provide. Every input port must read a registered
product that is not retired (or one of the same apply), and its version
constraint must meet a version of it that is not retired (the same apply's
count); each port that does not is printed where it is, as `validate` prints
findings (MESH-INPUT-UNKNOWN, -RETIRED, -UNMATCHED), and nothing is written.
A port whose constraint resolves only to deprecated versions is a warning
(MESH-INPUT-DEPRECATED, with the sunset). Exit 4, not 1: the files are fine
(validate passes them); the registry's state refuses them until what they read
is published.

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
