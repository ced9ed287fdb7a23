#include "commands/diff.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <tuple>
#include <variant>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/file.h"
#include "meshctl/evolution/evolution.h"
#include "meshctl/registry/registry.h"
#include "meshctl/validate/validator.h"
#include "output/changes.h"
#include "output/diagnostics.h"
#include "output/structured.h"
#include "product_argument.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct DiffOptions {
  std::vector<std::string> sides;  // OLD NEW: files, "-", or DOMAIN/NAME@VERSION
  std::string file;                // -f: compare with the latest registered version
  std::string compatibility;       // Default: the newer manifest's spec.compatibility
  bool fail_on_breaking = false;
  bool fail_on_missing_bump = false;
};

// The registry, opened on first use: diffing two files needs none.
class RegistryOnDemand {
 public:
  explicit RegistryOnDemand(Context& context) : context_(context) {}

  Result<registry::Registry*> get() {
    if (!registry_) {
      auto opened = open_registry(context_);
      if (!opened) return opened.error();
      registry_ = std::move(*opened);
    }
    return registry_.get();
  }

 private:
  Context& context_;
  std::unique_ptr<registry::Registry> registry_;
};

Loaded load_manifest_text(std::string text, const std::string& name, Context& context) {
  return cli::load_manifest_text(std::move(text), name, "diff", "diff compares one with one", context);
}

Loaded load_file(const std::string& argument, Context& context) {
  if (argument == "-") return load_manifest_text(read_stdin(context), "<stdin>", context);
  auto text = read_file(argument);
  if (!text) return report_error(context, text.error());
  return load_manifest_text(std::move(*text), argument, context);
}

Loaded load_registered(const registry::ProductRef& ref, const std::string& version, RegistryOnDemand& registry,
                       Context& context) {
  auto opened = registry.get();
  if (!opened) return report_error(context, opened.error());
  auto record = (*opened)->get_version(ref, version);
  if (!record) return report_error(context, record.error());
  auto product = registry::decode_stored_manifest(record->ref, record->version, record->manifest_json);
  if (!product) return report_error(context, product.error());
  return std::move(*product);
}

// OLD or NEW: "-", a file, else DOMAIN/NAME@VERSION. A file wins over a registered version
// of the same spelling; a missing path is a usage error that says both spellings.
Loaded load_side(const std::string& argument, RegistryOnDemand& registry, Context& context) {
  std::error_code ignored;
  if (argument == "-" || std::filesystem::exists(argument, ignored)) return load_file(argument, context);
  if (argument.find('@') != std::string::npos) {
    auto selector = registry::parse_product_selector(argument);
    if (!selector) return report_error(context, selector.error());
    return load_registered(selector->ref, *selector->version, registry, context);
  }
  return report_error(context,
                      make_error(ErrorKind::invalid, fmt::format("{}: no such file (a registered version is written "
                                                                 "DOMAIN/NAME@VERSION, e.g. sales/orders@1.2.0)",
                                                                 argument)));
}

// -f FILE: the file is the newer side, the latest registered version of its product the older.
std::pair<Loaded, Loaded> load_against_registry(const std::string& file, RegistryOnDemand& registry, Context& context) {
  Loaded after = load_file(file, context);
  if (std::holds_alternative<int>(after)) return {std::get<int>(after), std::move(after)};
  const auto& product = std::get<manifest::DataProduct>(after);
  const registry::ProductRef ref{product.metadata.domain, product.metadata.name};
  auto opened = registry.get();
  if (!opened) return {report_error(context, opened.error()), std::move(after)};
  auto record = (*opened)->get_product(ref);
  if (!record) return {report_error(context, record.error()), std::move(after)};
  return {load_registered(ref, record->latest_version, registry, context), std::move(after)};
}

int run_diff(const DiffOptions& options, Context& context) {
  if (options.file.empty() && options.sides.size() != 2) {
    return report_error(context, make_error(ErrorKind::invalid,
                                            "diff compares two manifests: give OLD and NEW, or -f FILE to compare "
                                            "with the latest registered version (see meshctl diff --help)"));
  }
  if (options.sides.size() == 2 && options.sides[0] == "-" && options.sides[1] == "-") {
    return report_error(context, make_error(ErrorKind::invalid, "only one side of a diff can be - (standard input)"));
  }
  std::optional<evolution::Compatibility> mode;
  if (!options.compatibility.empty()) mode = evolution::parse_compatibility(options.compatibility);

  RegistryOnDemand registry(context);
  Loaded before{kSuccess};
  Loaded after{kSuccess};
  if (options.file.empty()) {
    before = load_side(options.sides[0], registry, context);
    if (const int* code = std::get_if<int>(&before)) return *code;
    after = load_side(options.sides[1], registry, context);
  } else {
    std::tie(before, after) = load_against_registry(options.file, registry, context);
    if (const int* code = std::get_if<int>(&before)) return *code;
  }
  if (const int* code = std::get_if<int>(&after)) return *code;
  const auto& old_product = std::get<manifest::DataProduct>(before);
  const auto& new_product = std::get<manifest::DataProduct>(after);

  if (old_product.id() != new_product.id()) {
    *context.err << "meshctl: note: comparing two different products, " << old_product.id() << " and "
                 << new_product.id() << '\n';
  }
  const DiffSubject subject{new_product.id(), old_product.metadata.version, new_product.metadata.version,
                            mode.value_or(evolution::compatibility_of(new_product))};
  const auto diff = evolution::diff(old_product, new_product, subject.mode);
  if (context.output_name == "markdown") {
    print_diff_markdown(*context.out, subject, diff);
  } else {
    print_as_requested(context, diff_to_json(subject, diff),
                       [&](std::ostream& out) { print_diff_text(out, subject, diff, color_on_out(context)); });
  }
  if (options.fail_on_breaking && diff.breaking > 0) return kFindings;
  if (options.fail_on_missing_bump && !evolution::judge_step(subject.from_version, subject.to_version, diff).enough) {
    return kFindings;
  }
  return kSuccess;
}

std::vector<std::string> compatibility_words() {
  using evolution::Compatibility;
  std::vector<std::string> words;
  for (const auto mode :
       {Compatibility::forward, Compatibility::backward, Compatibility::full, Compatibility::none,
        Compatibility::forward_transitive, Compatibility::backward_transitive, Compatibility::full_transitive}) {
    words.emplace_back(evolution::to_string(mode));
  }
  return words;
}

}  // namespace

void register_diff(CLI::App& app, Context& context) {
  auto options = std::make_shared<DiffOptions>();
  auto* command =
      app.add_subcommand("diff", "Changes between two versions of a product, each classified breaking or not");
  command->footer(R"(OLD and NEW are manifest files, - for standard input, or registered versions
(DOMAIN/NAME@VERSION); -f FILE compares FILE with the latest registered version of
its product. Files need no registry. Each change is classified under the newer
manifest's spec.compatibility (forward by default) or --compatibility, with the
version bump it needs: the summary says whether OLD -> NEW provides it (what
`meshctl evolve` checks; under a _transitive mode evolve also compares with the
older versions of the same major).
Exit codes: 0 compared (even with breaking changes), 1 a breaking change with
--fail-on-breaking, a bump too small with --fail-on-missing-bump, or a file that
is not a DataProduct, 2 usage error, 3 product or version not registered.

Examples:
  meshctl diff orders-v1.yaml orders.yaml
  git show HEAD:orders.yaml | meshctl diff - orders.yaml --fail-on-missing-bump
  meshctl diff orders-v1.yaml orders.yaml --fail-on-breaking
  meshctl diff -f orders.yaml -o markdown > pr-comment.md
  meshctl diff sales/orders@1.2.0 sales/orders@2.0.0 -o json)");
  auto* sides = command->add_option("manifests", options->sides, "OLD NEW: files, - (stdin), or DOMAIN/NAME@VERSION");
  command
      ->add_option("-f,--file", options->file, "Compare this manifest (- for stdin) with its latest registered version")
      ->excludes(sides);
  command
      ->add_option("--compatibility", options->compatibility,
                   "Classify under this mode instead of the newer manifest's spec.compatibility")
      ->check(CLI::IsMember(compatibility_words()));
  command->add_flag("--fail-on-breaking", options->fail_on_breaking, "Exit 1 when a change is breaking");
  command->add_flag("--fail-on-missing-bump", options->fail_on_missing_bump,
                    "Exit 1 when NEW's version does not provide the bump the changes need (what evolve refuses)");
  command->callback([options, &context] { context.exit_code = run_diff(*options, context); });
}

}  // namespace meshctl::cli
