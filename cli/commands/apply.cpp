#include "commands/apply.h"

#include <map>
#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/glossary.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/json_text.h"
#include "meshctl/validate/registry_check.h"
#include "meshctl/core/text.h"
#include "output/diagnostics.h"
#include "output/records.h"
#include "output/structured.h"
#include "progress.h"
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
  std::vector<manifest::Glossary> glossaries;  // applied before the products, which may name their terms
  std::vector<validate::SourceInputs> inputs;  // where each input port is, to position the registry's findings
  // The ODCS and ODPS documents products were converted from, by "domain/name@version".
  std::map<std::string, registry::OriginalDocuments> originals;
};

std::string version_key(const manifest::DataProduct& product) {
  return product.id() + "@" + product.metadata.version;
}

// The documents a product was converted from, as the registry keeps them.
registry::OriginalDocuments original_documents(const validate::LoadedProducts::Original& original) {
  nlohmann::ordered_json list(original.documents);
  return {original.standard == interop::Standard::odcs ? "odcs" : "odps", json_text(list)};
}

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
    print_diagnostics_text(*context.err, placed, color_on_err(context));
    *context.err << "meshctl: nothing written: " << placed.size() << " duplicate"
                 << (placed.size() == 1 ? "" : "s") << " at severity error (MESH-DUPLICATE, see above)\n";
    return exit_code_for(error.kind);
  }
  if (!error.details.is_object() || !error.details.contains("unresolvedInputs")) return report_error(context, error);
  const auto placed = place_findings(error.details["unresolvedInputs"], inputs);
  if (context.output == OutputFormat::json || placed.empty()) return report_error(context, error);
  print_diagnostics_text(*context.err, placed, color_on_err(context));
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
    stdin_text = read_stdin(context);
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
  Progress progress(*context.err, progress_wanted(context) && sources->size() >= kProgressThreshold);
  validate_options.progress = [&](std::size_t done, std::size_t total) { progress.count("checking", done, total); };
  auto loaded = validate::load_products(*sources, validate_options);
  progress.finish();
  if (!loaded) return report_error(context, loaded.error());
  const auto counts = count(loaded->report.diagnostics);
  print_diagnostics_text(*context.err, loaded->report.diagnostics, color_on_err(context));
  if (counts.errors > 0) {
    *context.err << "meshctl: nothing written: " << counts.errors << (counts.errors == 1 ? " error" : " errors")
                 << " in the manifests (see above), checked with " << registry_rules.label << "\n";
    return kFindings;
  }
  std::map<std::string, registry::OriginalDocuments> originals;
  for (std::size_t i = 0; i < loaded->products.size() && i < loaded->open_standards.size(); ++i) {
    if (const auto& original = loaded->open_standards[i]) {
      originals.emplace(version_key(loaded->products[i]), original_documents(*original));
    }
  }
  return LoadedManifests{std::move(loaded->products), std::move(loaded->glossaries), std::move(loaded->report.inputs),
                         std::move(originals)};
}

// The field terms of the manifests, checked against the registry's glossary and the apply's own
// glossaries (validate::check_field_terms); prints the findings. Returns the exit code when a field names
// no term (conflict: the files are fine, the glossary lacks the term), else nullopt.
std::optional<int> check_terms(registry::Registry& registry, const LoadedManifests& loaded, Context& context) {
  auto terms = fetch_registry_terms(registry);
  if (!terms) return report_error(context, terms.error());
  validate::Report report;
  report.inputs = loaded.inputs;
  auto findings = validate::check_field_terms(report, *terms);
  std::stable_sort(findings.begin(), findings.end(), diagnostic_less);
  const auto counts = count(findings);
  if (counts.errors == 0 || context.output != OutputFormat::json) print_diagnostics_text(*context.err, findings);
  if (counts.errors == 0) return std::nullopt;
  const auto summary = fmt::format("nothing written: {} that no glossary defines; apply the glossary first, or fix "
                                   "the term",
                                   counts.errors == 1 ? "1 field names a term" : fmt::format("{} fields name terms",
                                                                                             counts.errors));
  if (context.output == OutputFormat::json) {
    nlohmann::json unknown = nlohmann::json::array();
    for (const auto& d : findings) {
      if (d.severity != Severity::error) continue;
      unknown.push_back({{"file", d.file}, {"line", d.position.line}, {"column", d.position.column},
                         {"rule", d.rule}, {"path", d.path}, {"message", d.message}});
    }
    return report_error(context, make_error(ErrorKind::conflict, summary, {{"unknownTerms", std::move(unknown)}}));
  }
  *context.err << "meshctl: " << summary << " (see above)\n";
  return exit_code_for(ErrorKind::conflict);
}

int run_apply(const ApplyOptions& options, registry::PublishMode mode, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto registry_rules = fetch_registry_standards(**registry);
  if (!registry_rules) return report_error(context, registry_rules.error());
  auto products = load(options, std::move(*registry_rules), context);
  if (const int* code = std::get_if<int>(&products)) return *code;

  if (auto refused = check_terms(**registry, std::get<LoadedManifests>(products), context)) return *refused;
  // Glossaries first: each is planned (a dry run of its publication) before anything is written, then
  // published, each in its own transaction, before the products' one.
  const auto& glossaries = std::get<LoadedManifests>(products).glossaries;
  std::vector<registry::GlossaryChange> glossary_changes;
  for (const auto& glossary : glossaries) {
    auto planned = (*registry)->publish_glossary(glossary, true);
    if (!planned) return report_error(context, planned.error());
    glossary_changes.push_back(*planned);
  }

  // A progress line on a terminal when the work is long; erased before the result is printed.
  auto& manifests = std::get<LoadedManifests>(products).products;
  const auto& inputs = std::get<LoadedManifests>(products).inputs;
  Progress progress(*context.err, progress_wanted(context) && manifests.size() >= kProgressThreshold);
  progress.show("planning " + std::to_string(manifests.size()) + " products...");
  auto plan = manifests.empty() ? Result<registry::ApplyPlan>(registry::ApplyPlan{mode, {}, {}, {}})
                                : (*registry)->plan(std::move(manifests), mode);
  progress.finish();
  if (!plan) return report_refusal(context, plan.error(), inputs);
  // The registry keeps the ODCS and ODPS documents beside the manifests they convert to.
  for (auto& item : plan->items) {
    const auto& originals = std::get<LoadedManifests>(products).originals;
    auto found = originals.find(version_key(item.manifest));
    if (found != originals.end()) item.original = found->second;
  }
  // Input ports that resolve only to deprecated versions: the apply goes ahead, with a warning.
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& warning : plan->warnings) warnings.push_back(registry::to_json(warning));
  const auto placed_warnings = place_findings(warnings, inputs);
  if (context.output == OutputFormat::text) {
    print_diagnostics_text(*context.err, placed_warnings, color_on_err(context));
  }
  // MESH-DUPLICATE findings at warning severity: the apply goes ahead, with them on the manifests' files.
  nlohmann::json duplicates = nlohmann::json::array();
  for (const auto& duplicate : plan->duplicates) duplicates.push_back(registry::to_json(duplicate));
  if (context.output == OutputFormat::text) {
    print_diagnostics_text(*context.err, duplicate_diagnostics(duplicates, inputs), color_on_err(context));
  }

  std::vector<registry::Change> changes;
  changes.reserve(plan->items.size());
  if (options.dry_run) {
    for (const auto& item : plan->items) changes.push_back(item.change);
  } else {
    for (std::size_t i = 0; i < glossaries.size(); ++i) {
      if (glossary_changes[i].action == registry::ChangeAction::unchanged) continue;
      auto done = (*registry)->publish_glossary(glossaries[i], false);
      if (!done) return report_error(context, done.error());
      glossary_changes[i] = *done;
    }
    progress.show("writing " + std::to_string(plan->items.size()) + " products in one transaction...");
    auto done = (*registry)->execute(*plan);
    progress.finish();
    if (!done) return report_refusal(context, done.error(), inputs);
    changes = std::move(*done);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& change : changes) list.push_back(registry::to_json(change));
  nlohmann::json body = {{"dryRun", options.dry_run},
                         {"changes", std::move(list)},
                         {"warnings", warnings},
                         {"duplicates", duplicates}};
  if (!glossary_changes.empty()) {
    nlohmann::json published = nlohmann::json::array();
    for (const auto& change : glossary_changes) published.push_back(registry::to_json(change));
    body["glossaries"] = std::move(published);
  }
  print_as_requested(context, body, [&](std::ostream& out) {
    for (const auto& change : glossary_changes) print_glossary_line(out, change, options.dry_run);
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
  command->add_option("-f,--file", options->paths,
                      "Manifest, ODCS or ODPS files or folders (*.yaml, *.yml), - for stdin")
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
ODCS contracts and ODPS products are applied as the native manifests they convert to
(`meshctl convert`), under the same rules: an ODPS product's contracts are found by
contractId among the files given and in its folder tree (one missing is an error at
its contractId, MESH-ODPS-CONTRACT); a contract that no product takes is a product of
its own. The registry keeps the documents too: `meshctl get manifest DOMAIN/NAME
--format odcs|odps` gives them back.
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
In a folder, files that are no meshctl document are skipped, as validate skips them.
With 200 products or more and stderr a terminal, one progress line on stderr
(checking 1200/5000, planning, writing), erased when done.
Glossaries (kind: Glossary) in the files are applied first, so the products may
name their terms: each is checked and planned before anything is written, then
published in its own transaction, versioned like a product (a published version
never changes; a removed term needs a major version), before the products' one.
Every field's `term:` must name a term of the registry's glossaries or of the
apply's (or a synonym of one: a warning naming the term, MESH-TERM-SYNONYM);
one that names none is printed where it is (MESH-TERM-UNKNOWN, with the closest
term) and nothing is written (exit 4); a deprecated term is a warning
(MESH-TERM-DEPRECATED). On a server, only admins and owners of a glossary's
domain publish it.

Examples:
  meshctl apply -f examples/products
  meshctl apply -f orders.yaml --dry-run
  meshctl apply -f contracts/orders.odcs.yaml
  meshctl apply -f shop/           (shop/product.odps.yaml and the contracts beside it)
  meshctl apply -f products/ -o json
  meshctl apply -f glossary.yaml --dry-run)");
  add_publish_command(app, context, "create", "Register new products (refused when one exists)",
                      registry::PublishMode::create, "Example:\n  meshctl create -f orders.yaml");
  add_publish_command(app, context, "evolve", "Publish new versions of existing products (refused when one is missing)",
                      registry::PublishMode::evolve, "Example:\n  meshctl evolve -f orders.yaml");
}

}  // namespace meshctl::cli
