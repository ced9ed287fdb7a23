#include "commands/subscribe.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/usage_json.h"
#include "meshctl/core/text.h"
#include "output/structured.h"
#include "output/usage.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct SubscribeOptions {
  std::string product;
  registry::SubscribeRequest request;
};

struct UnsubscribeOptions {
  std::string product;
  std::string consumer;
  std::string port;
};

int run_subscribe(SubscribeOptions options, Context& context) {
  auto argument = registry::parse_product_ref(options.product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  options.request.product = *argument;
  auto outcome = (*registry)->subscribe(options.request);
  if (!outcome) return report_error(context, outcome.error());
  if (context.output == OutputFormat::text) {
    for (const auto& warning : outcome->warnings) *context.err << "meshctl: warning: " << warning << '\n';
  }
  print_as_requested(context, registry::to_json(*outcome), [&](std::ostream& out) {
    const auto& subscription = outcome->subscription;
    out << printable_text(subscription.consumer)
        << (outcome->changed ? " subscribed to " : " was already subscribed to ")
        << printable_text(subscription.product.text());
    if (!subscription.port.empty()) out << " (port " << printable_text(subscription.port) << ")";
    out << '\n';
  });
  return kSuccess;
}

int run_unsubscribe(const UnsubscribeOptions& options, Context& context) {
  auto argument = registry::parse_product_ref(options.product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  registry::UnsubscribeRequest request{*argument, options.consumer,
                                       options.port.empty() ? std::nullopt : std::optional(options.port)};
  auto removed = (*registry)->unsubscribe(request);
  if (!removed) return report_error(context, removed.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& subscription : *removed) list.push_back(registry::to_json(subscription));
  print_as_requested(context, nlohmann::json{{"removed", list}}, [&](std::ostream& out) {
    for (const auto& subscription : *removed) {
      out << printable_text(subscription.consumer) << " unsubscribed from "
          << printable_text(subscription.product.text());
      if (!subscription.port.empty()) out << " (port " << printable_text(subscription.port) << ")";
      out << '\n';
    }
  });
  return kSuccess;
}

}  // namespace

int run_get_subscriptions(const std::string& product, Context& context) {
  std::optional<registry::ProductRef> ref;
  if (!product.empty()) {
    auto argument = registry::parse_product_ref(product);
    if (!argument) return report_error(context, argument.error());
    ref = *argument;
  }
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto subscriptions = (*registry)->list_subscriptions(ref);
  if (!subscriptions) return report_error(context, subscriptions.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& subscription : *subscriptions) list.push_back(registry::to_json(subscription));
  print_as_requested(context, list, [&](std::ostream& out) {
    if (subscriptions->empty()) {
      *context.err << "no subscriptions found\n";
      return;
    }
    print_subscriptions(out, *subscriptions);
  });
  return kSuccess;
}

void register_subscribe(CLI::App& app, Context& context) {
  auto options = std::make_shared<SubscribeOptions>();
  auto* subscribe = app.add_subcommand("subscribe", "Declare that a consumer (dashboard, model, app) reads a product");
  subscribe->footer(R"(A consumer that is not a data product subscribes, so the product's owners see it
(meshctl usage) and cannot retire the product under it. Subscribing again with the
same values changes nothing; with other values it updates the subscription.
Refused (exit 4) on a retired product; a deprecated one gives a warning. A --version
must be met by a published version (exit 3 otherwise, naming them); one that resolves
only to deprecated versions gives a warning with the sunset.

Examples:
  meshctl subscribe sales/orders --consumer revenue-dashboard --team finance-bi
  meshctl subscribe sales/orders --consumer churn-model --team ml --port orders-table --version ^1 \
      --purpose "weekly churn features")");
  subscribe->add_option("product", options->product, "DOMAIN/NAME")->required();
  subscribe->add_option("--consumer", options->request.consumer, "The consumer's name")->required();
  subscribe->add_option("--team", options->request.team, "The team that owns the consumer")->required();
  subscribe->add_option("--port", options->request.port, "Only this output port (Default: the whole product)");
  subscribe->add_option("--version", options->request.version_constraint, "Version constraint, like ^2");
  subscribe->add_option("--purpose", options->request.purpose, "What the consumer uses it for");
  subscribe->callback([options, &context] { context.exit_code = run_subscribe(*options, context); });

  auto unsubscribe_options = std::make_shared<UnsubscribeOptions>();
  auto* unsubscribe = app.add_subcommand("unsubscribe", "Remove a consumer's subscription");
  unsubscribe->footer(R"(Without --port, every subscription of the consumer to the product goes.

Examples:
  meshctl unsubscribe sales/orders --consumer revenue-dashboard
  meshctl unsubscribe sales/orders --consumer churn-model --port orders-table)");
  unsubscribe->add_option("product", unsubscribe_options->product, "DOMAIN/NAME")->required();
  unsubscribe->add_option("--consumer", unsubscribe_options->consumer, "The consumer's name")->required();
  unsubscribe->add_option("--port", unsubscribe_options->port, "Only the subscription to this port");
  unsubscribe->callback(
      [unsubscribe_options, &context] { context.exit_code = run_unsubscribe(*unsubscribe_options, context); });
}

}  // namespace meshctl::cli
