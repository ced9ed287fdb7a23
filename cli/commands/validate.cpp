#include "commands/validate.h"

#include <chrono>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "environment.h"
#include "exit_codes.h"
#include "meshctl/core/text.h"
#include "meshctl/registry/service.h"
#include "meshctl/validate/cache.h"
#include "meshctl/validate/registry_check.h"
#include "output/diagnostics.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace fs = std::filesystem;

namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string standards_file;
  std::string fail_on = "error";
  std::size_t max_file_size = yaml::LoadLimits{}.max_file_bytes;
  unsigned jobs = 0;
  bool cache = false;
  std::string cache_location;  // implies cache
  std::vector<std::string> excludes;
};

// ", 3 skipped (not a meshctl document)", or ", 3 skipped" when the reasons differ (-o json lists them).
std::string skipped_summary(const std::vector<validate::SkippedSource>& skipped) {
  if (skipped.empty()) return "";
  const bool one_reason = std::all_of(skipped.begin(), skipped.end(),
                                      [&](const auto& source) { return source.reason == skipped.front().reason; });
  return fmt::format(", {} skipped{}", skipped.size(), one_reason ? " (" + skipped.front().reason + ")" : "");
}

validate::ProductStatus to_product_status(registry::LifecycleStatus status) {
  switch (status) {
    case registry::LifecycleStatus::deprecated: return validate::ProductStatus::deprecated;
    case registry::LifecycleStatus::retired: return validate::ProductStatus::retired;
    case registry::LifecycleStatus::active: break;
  }
  return validate::ProductStatus::active;
}

// Adds the input-port and field-term findings of `validate --registry` to `report`, in diagnostic order.
Status check_against_registry(validate::Report& report, registry::Registry& registry) {
  auto lookup = [&registry](std::string_view domain,
                            std::string_view name) -> Result<std::optional<validate::RegisteredProduct>> {
    auto record = registry.get_product(registry::ProductRef{std::string(domain), std::string(name)});
    if (!record) {
      if (record.error().kind == ErrorKind::not_found) return std::optional<validate::RegisteredProduct>{};
      return record.error();
    }
    validate::RegisteredProduct found{to_product_status(record->status), "", "", {}};
    if (record->deprecation) {
      found.sunset = record->deprecation->sunset;
      found.reason = record->deprecation->reason;
    }
    if (record->status != registry::LifecycleStatus::retired) {
      auto versions = registry.list_versions(record->ref, {});
      if (!versions) return versions.error();
      found.versions = registry::offered_versions(*record, *versions);
    }
    return std::optional<validate::RegisteredProduct>{std::move(found)};
  };
  auto findings = validate::check_input_products(report, lookup);
  if (!findings) return findings.error();
  auto terms = fetch_registry_terms(registry);
  if (!terms) return terms.error();
  auto term_findings = validate::check_field_terms(report, *terms);
  report.diagnostics.insert(report.diagnostics.end(), findings->begin(), findings->end());
  report.diagnostics.insert(report.diagnostics.end(), term_findings.begin(), term_findings.end());
  std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(), diagnostic_less);
  return ok_status();
}

int run_validate(const ValidateOptions& options, Context& context) {
  std::optional<std::string> stdin_text;
  if (std::find(options.paths.begin(), options.paths.end(), "-") != options.paths.end()) {
    stdin_text = read_stdin(context);
  }
  auto sources = validate::collect_sources(options.paths, stdin_text, options.excludes);
  if (!sources) return report_error(context, sources.error());

  validate::Options lib_options;
  if (!options.standards_file.empty()) lib_options.standards_file = options.standards_file;
  lib_options.limits.max_file_bytes = options.max_file_size;
  lib_options.jobs = options.jobs;
  // Only an explicit --registry turns the registry check on: MESHCTL_REGISTRY or a context alone
  // keep validate offline and fast for pre-commit hooks.
  lib_options.collect_input_ports = context.registry.has_value();
  // With --registry, the registry's standards count besides each file's own (they may only add strictness).
  std::unique_ptr<registry::Registry> registry;
  std::string standards_label;
  if (context.registry) {
    auto opened = open_registry(context);
    if (!opened) return report_error(context, opened.error());
    registry = std::move(*opened);
    auto registry_rules = fetch_registry_standards(*registry);
    if (!registry_rules) return report_error(context, registry_rules.error());
    lib_options.registry_standards = std::move(registry_rules->rules);
    lib_options.registry_standards_key = std::move(registry_rules->key);
    standards_label = std::move(registry_rules->label);
  }
  std::optional<validate::FindingsCache> cache;
  if (options.cache || !options.cache_location.empty()) {
    cache.emplace(options.cache_location.empty() ? default_validate_cache_path() : fs::path(options.cache_location),
                  std::chrono::system_clock::now());
    lib_options.cache = &*cache;
  }
  auto report = validate::validate_sources(*sources, lib_options);
  if (!report) return report_error(context, report.error());
  if (cache) {
    cache->prune();
    for (const auto& warning : cache->warnings()) {
      *context.err << "meshctl: warning: " << printable_text(warning) << '\n';
    }
  }
  if (registry) {
    if (auto checked = check_against_registry(*report, *registry); !checked) {
      return report_error(context, checked.error());
    }
  }

  const auto& format = context.output_name;
  if (format == "json") {
    print_diagnostics_json(*context.out, *report);
  } else if (format == "sarif") {
    print_diagnostics_sarif(*context.out, *report);
  } else if (format == "junit") {
    std::vector<std::string> files;
    for (const auto& source : *sources) {
      const bool skipped = std::any_of(report->skipped.begin(), report->skipped.end(),
                                       [&](const auto& s) { return s.file == source.name; });
      if (!skipped) files.push_back(source.name);
    }
    print_diagnostics_junit(*context.out, *report, files,
                            options.fail_on == "warning" ? Severity::warning : Severity::error);
  } else {
    print_diagnostics_text(*context.out, report->diagnostics, color_on_out(context));
  }
  const auto counts = count(report->diagnostics);
  if (format == "text") {
    // One write: stderr is unbuffered, and a hook's output interleaves with other processes'.
    // "2 files checked, 1 skipped: ...[, with the registry's standards (version 3)]: 1 error, 0 warnings
    // (standards: built-in)": the registry's standards, when asked, and each file's own.
    std::string summary = fmt::format(
        "{} {} checked{}{}: {} {}, {} {}", report->files, report->files == 1 ? "file" : "files",
        skipped_summary(report->skipped), standards_label.empty() ? "" : ", with " + standards_label, counts.errors,
        counts.errors == 1 ? "error" : "errors", counts.warnings, counts.warnings == 1 ? "warning" : "warnings");
    if (counts.infos > 0) summary += fmt::format(", {} info", counts.infos);
    if (!report->standards.empty()) {
      summary += fmt::format(" ({}standards: {})", standards_label.empty() ? "" : "own ",
                             fmt::join(report->standards, ", "));
    }
    *context.err << summary + '\n';
  }
  const bool failed = counts.errors > 0 || (options.fail_on == "warning" && counts.warnings > 0);
  return failed ? kFindings : kSuccess;
}

}  // namespace

void register_validate(CLI::App& app, Context& context) {
  auto options = std::make_shared<ValidateOptions>();
  auto* command =
      app.add_subcommand("validate", "Check manifests against the platform's standards (no registry needed)");
  command->footer(R"(Files are checked in parallel; findings come out in a stable order.
Standards: --standards FILE, else the nearest .meshctl/standards.yaml above each
manifest, else the built-in standard (see `meshctl standards list`).
With the global --registry (given explicitly; MESHCTL_REGISTRY and contexts are
not enough), the input ports of manifests without errors are checked against it,
as apply will check them: a product that is neither registered nor defined in the
same run (MESH-INPUT-UNKNOWN), a retired one (MESH-INPUT-RETIRED) and a version
constraint that no published version meets (MESH-INPUT-UNMATCHED) are errors; a
deprecated product, or a constraint that resolves only to deprecated versions, is
a warning with the sunset (MESH-INPUT-DEPRECATED). Each field's `term:` must name
a term of the registry's glossaries or of a Glossary document of the same run
(MESH-TERM-UNKNOWN, an error with the closest term); a deprecated term
(MESH-TERM-DEPRECATED) and a synonym of a term (MESH-TERM-SYNONYM, naming the
term) are warnings. Without --registry, terms are not checked.
Glossaries (kind: Glossary) are checked for their structure and format
(MESH-SCHEMA-*, MESH-GLOSSARY-FORMAT), not against the standards.
In a folder, only documents meshctl reads are checked: those with apiVersion
meshctl/... or kind DataProduct, Standards (a standards file), DataContract (ODCS),
DataProduct (ODPS) or Glossary, decided from their first keys. Other YAML files
(docker-compose.yml, a dbt schema.yml, CI workflows) are skipped and counted in
the summary: "12 files checked, 3 skipped (not a meshctl document): ..."; -o json lists
them under "skipped". A file named on the command line is always checked: one that is no
manifest gets the findings that say what it lacks. Text too malformed to tell is
checked, so a broken manifest is never skipped.
--exclude GLOB (repeatable) and the lines of a .meshctlignore file in the folder
given or any folder below it leave paths out of the walk: `*` and `?` match within
a name, `**` across folders, [a-z] a set; a pattern without '/' matches a name at
any depth, one with '/' the path relative to the folder given (--exclude) or to
the .meshctlignore's folder; a trailing '/' matches folders only; in
.meshctlignore, `#` starts a comment and `!PATTERN` takes a path back (not inside
a folder already left out). Files named explicitly are never left out.
The summary names the standards in force: their files, or built-in.
Open standards: an ODCS data contract (kind: DataContract; apiVersion v2.2.x,
v3.0.x, v3.1.0) or an ODPS data product (kind: DataProduct, apiVersion v0.9.0
or v1.0.0) is checked against the JSON Schema of the version it declares,
shipped inside meshctl (MESH-ODCS-SCHEMA, MESH-ODPS-SCHEMA); when it follows a
newer version instead, a finding at its apiVersion says which.
With --cache, each file's findings are kept and reused while the file's bytes,
the standards in force for it and meshctl's build are unchanged: the output is
the same as without. Kept in --cache-location (default
$XDG_CACHE_HOME/meshctl/validate, else ~/.cache/meshctl/validate); entries unused
for 30 days are removed, and the folder is safe to delete at any time. Standard
input is not cached; with --registry, input ports are checked against the
registry on every run. An unreadable or unwritable cache is a warning, never a
finding.
Exit codes: 0 clean, 1 findings at or above --fail-on, 2 a path cannot be read,
6 the registry is unavailable.

Examples:
  meshctl validate examples/
  meshctl validate contracts/orders.odcs.yaml
  meshctl validate --format json orders.yaml
  git show HEAD:orders.yaml | meshctl validate -
  meshctl validate --format sarif . > meshctl.sarif
  meshctl validate --cache products/
  meshctl validate --exclude 'dbt/**' --exclude docker-compose.yml .
  meshctl validate --format junit --fail-on warning products/ > meshctl-junit.xml
  meshctl --registry https://mesh.example.com validate products/)");
  command->add_option("paths", options->paths, "Manifest files, folders (searched for *.yaml, *.yml), or - for stdin")
      ->required();
  command->add_option("--standards", options->standards_file, "Standards file to check against")
      ->check(CLI::ExistingFile);
  command
      ->add_option_function<std::string>(
          "--format", [&context](const std::string& value) { set_output(context, value); },
          "Output format: text, json, sarif or junit (Default: text); the same as -o")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit"}));
  command->add_option("--fail-on", options->fail_on, "Lowest severity that fails the run (exit 1)")
      ->check(CLI::IsMember({"error", "warning"}))
      ->capture_default_str();
  command->add_option("--max-file-size", options->max_file_size, "Largest manifest read, in bytes (8MiB, 512k...)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  command->add_option("-j,--jobs", options->jobs, "Worker threads (default: every core)");
  command
      ->add_option("--exclude", options->excludes,
                   "Leave out what this glob matches in a folder walked (repeatable; see below)")
      ->type_name("GLOB");
  command->add_flag("--cache", options->cache, "Reuse the findings of files unchanged since an earlier run");
  command->add_option("--cache-location", options->cache_location, "Where --cache keeps findings (implies --cache)")
      ->type_name("DIR");
  command->callback([options, &context] { context.exit_code = run_validate(*options, context); });
}

}  // namespace meshctl::cli
