#include "commands/retire.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct RetireOptions {
  std::string product;
  std::string reason;
  bool force = false;
  std::int64_t quiet_days = 30;
};

int run_retire(const RetireOptions& options, Context& context) {
  auto argument = registry::parse_product_ref(options.product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  registry::RetireRequest request;
  request.ref = *argument;
  request.force = options.force;
  request.reason = options.reason;
  request.quiet_days = options.quiet_days;
  auto product = (*registry)->retire(request);
  if (!product) return report_error(context, product.error());
  print_as_requested(context, registry::to_json(*product),
                     [&](std::ostream& out) { out << options.product << ": retired\n"; });
  return kSuccess;
}

}  // namespace

void register_retire(CLI::App& app, Context& context) {
  auto options = std::make_shared<RetireOptions>();
  auto* command = app.add_subcommand("retire", "Retire a product (its history stays readable)");
  command->footer(R"(Retirement follows a deprecation: a product is retired once it was deprecated
(meshctl deprecate DOMAIN/NAME --sunset DATE --reason TEXT) and its sunset has come
(today, UTC, is the sunset date or later). Refused (exit 4) before that, while
active products read it through their input ports, while a consumer subscribes
(meshctl get subscriptions), or while usage was seen within --quiet-days; what is
in the way is listed. --force retires it anyway, and the audit log records what was
in the way. A retired product's name cannot be registered again.

Examples:
  meshctl deprecate sales/orders --sunset 2027-06-30 --reason "replaced by sales/order-lines"
  meshctl retire sales/orders --reason "replaced by sales/order-lines"    # on or after 2027-06-30
  meshctl retire sales/orders --quiet-days 7
  meshctl retire sales/orders --force --reason "leaked data: withdrawn at once")");
  command->add_option("product", options->product, "DOMAIN/NAME")->required();
  command->add_option("--reason", options->reason, "Why (recorded in the audit log)");
  command->add_flag("--force", options->force, "Retire anyway: not deprecated, before the sunset, or still read");
  command
      ->add_option("--quiet-days", options->quiet_days,
                   "Usage seen within this many days refuses the retirement (Default: 30; 0: ignore usage)")
      ->check(CLI::NonNegativeNumber);
  command->callback([options, &context] { context.exit_code = run_retire(*options, context); });
}

}  // namespace meshctl::cli
