#include "commands/describe.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/registry/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

int run_describe(const std::string& product, Context& context) {
  auto argument = registry::parse_product_selector(product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto details = (*registry)->describe(argument->ref, argument->version);
  if (!details) return report_error(context, details.error());
  print_as_requested(context, registry::to_json(*details),
                     [&](std::ostream& out) { print_product_details(out, *details); });
  return kSuccess;
}

}  // namespace

void register_describe(CLI::App& app, Context& context) {
  auto product = std::make_shared<std::string>();
  auto* command = app.add_subcommand("describe", "Show one product: owner, status, versions, ports, dependencies");
  command->footer(R"(Examples:
  meshctl describe sales/orders
  meshctl describe sales/orders@1.1.0
  meshctl describe sales/orders -o json)");
  command->add_option("product", *product, "DOMAIN/NAME or DOMAIN/NAME@VERSION")->required();
  command->callback([product, &context] { context.exit_code = run_describe(*product, context); });
}

}  // namespace meshctl::cli
