#include "commands/deprecate.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct DeprecateOptions {
  std::string product;
  std::string sunset;
  std::string reason;
};

int run_deprecate(const DeprecateOptions& options, Context& context) {
  auto argument = registry::parse_product_selector(options.product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  registry::DeprecateRequest request;
  request.ref = argument->ref;
  request.version = argument->version;
  request.sunset = options.sunset;
  request.reason = options.reason;
  auto product = (*registry)->deprecate(request);
  if (!product) return report_error(context, product.error());
  nlohmann::json body = registry::to_json(*product);
  if (argument->version) body["deprecatedVersion"] = *argument->version;
  print_as_requested(context, body, [&](std::ostream& out) {
    out << options.product << ": deprecated, sunset " << options.sunset << '\n';
  });
  return kSuccess;
}

}  // namespace

void register_deprecate(CLI::App& app, Context& context) {
  auto options = std::make_shared<DeprecateOptions>();
  auto* command = app.add_subcommand("deprecate", "Mark a product, or one version, deprecated");
  command->footer(R"(Both --sunset (YYYY-MM-DD) and --reason are required (exit 2 without them):
consumers see them in `describe`, `validate --registry` and `apply` and know when
to move. The sunset must lie in the future (after today, UTC; exit 2 otherwise):
it is the day from which the product may be retired (`meshctl retire`). Deprecating
again updates them; repeating the same deprecation changes nothing.

Examples:
  meshctl deprecate sales/orders --sunset 2027-06-30 --reason "replaced by sales/order-lines"
  meshctl deprecate sales/orders@1.2.0 --sunset 2027-01-31 --reason "2.0.0 renames amount")");
  command->add_option("product", options->product, "DOMAIN/NAME or DOMAIN/NAME@VERSION")->required();
  command->add_option("--sunset", options->sunset, "The day from which it may be retired, YYYY-MM-DD, in the future")
      ->required();
  command->add_option("--reason", options->reason, "Why, and what to use instead")->required();
  command->callback([options, &context] { context.exit_code = run_deprecate(*options, context); });
}

}  // namespace meshctl::cli
