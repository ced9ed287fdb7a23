#include "commands/history.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct HistoryOptions {
  std::string product;
  std::size_t limit = 1000;
};

int run_history(const HistoryOptions& options, Context& context) {
  auto argument = registry::parse_product_ref(options.product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  registry::HistoryQuery query;
  query.limit = options.limit;
  auto events = (*registry)->history(*argument, query);
  if (!events) return report_error(context, events.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : *events) list.push_back(registry::to_json(e));
  print_as_requested(context, list, [&](std::ostream& out) {
    Table table({"TIME", "ACTOR", "ACTION", "VERSION", "SUMMARY"});
    for (const auto& e : *events) table.add({e.time, e.actor, e.action, e.version, e.summary});
    table.print(out);
  });
  return kSuccess;
}

}  // namespace

void register_history(CLI::App& app, Context& context) {
  auto options = std::make_shared<HistoryOptions>();
  auto* command = app.add_subcommand("history", "The audit log of one product, newest first");
  command->footer("Example:\n  meshctl history sales/orders -o json");
  command->add_option("product", options->product, "DOMAIN/NAME")->required();
  command->add_option("--limit", options->limit, "At most this many events")->capture_default_str();
  command->callback([options, &context] { context.exit_code = run_history(*options, context); });
}

}  // namespace meshctl::cli
