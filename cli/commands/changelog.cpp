#include "commands/changelog.h"

#include <algorithm>
#include <memory>

#include "exit_codes.h"
#include "meshctl/registry/changelog.h"
#include "output/changes.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct ChangelogOptions {
  std::string product;
  bool oldest_first = false;
};

int run_changelog(const ChangelogOptions& options, Context& context) {
  auto ref = registry::parse_product_ref(options.product);
  if (!ref) return report_error(context, ref.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto entries = registry::changelog(**registry, *ref);
  if (!entries) return report_error(context, entries.error());
  if (!options.oldest_first) std::reverse(entries->begin(), entries->end());

  const std::string name = ref->text();
  if (context.output_name == "markdown") {
    print_changelog_markdown(*context.out, name, *entries);
  } else {
    print_as_requested(context, changelog_to_json(name, *entries),
                       [&](std::ostream& out) { print_changelog_text(out, name, *entries, color_on_out(context)); });
  }
  return kSuccess;
}

}  // namespace

void register_changelog(CLI::App& app, Context& context) {
  auto options = std::make_shared<ChangelogOptions>();
  auto* command = app.add_subcommand("changelog", "Every version of a product with its classified changes");
  command->footer(R"(Newest first, as `git log` and CHANGELOG files read (--oldest-first to reverse).
Each version lists its changes since the version published before it, classified
under its own spec.compatibility, with the bump each change needs.

Examples:
  meshctl changelog sales/orders
  meshctl changelog sales/orders -o markdown > CHANGELOG.md
  meshctl changelog sales/orders -o json)");
  command->add_option("product", options->product, "DOMAIN/NAME")->required();
  command->add_flag("--oldest-first", options->oldest_first, "List the first version first");
  command->callback([options, &context] { context.exit_code = run_changelog(*options, context); });
}

}  // namespace meshctl::cli
