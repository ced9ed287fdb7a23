#include "commands/lineage.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/usage_json.h"
#include "output/lineage.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct LineageOptions {
  std::string product;
  bool all = false;
  bool upstream = false;
  bool downstream = false;
  std::size_t depth = 0;  // 0: no limit
};

int run_lineage(const LineageOptions& options, Context& context) {
  const auto& format = context.output_name;
  registry::LineageRequest request;
  if (options.all == !options.product.empty()) {
    return report_error(context, make_error(ErrorKind::invalid, "lineage needs either DOMAIN/NAME or --all"));
  }
  if (!options.product.empty()) {
    auto argument = registry::parse_product_ref(options.product);
    if (!argument) return report_error(context, argument.error());
    request.root = *argument;
  }
  if (options.upstream && !options.downstream) request.direction = registry::LineageDirection::upstream;
  if (options.downstream && !options.upstream) request.direction = registry::LineageDirection::downstream;
  if (options.depth > 0) request.depth = options.depth;
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto graph = (*registry)->lineage(request);
  if (!graph) return report_error(context, graph.error());
  auto& out = *context.out;
  if (format == "dot") {
    print_lineage_dot(out, *graph);
  } else if (format == "mermaid") {
    print_lineage_mermaid(out, *graph);
  } else if (context.output != OutputFormat::text) {
    if (context.output == OutputFormat::yaml) {
      print_yaml(out, registry::to_json(*graph));
    } else {
      print_json(out, registry::to_json(*graph));
    }
  } else {
    print_lineage_tree(out, *graph);
  }
  return kSuccess;
}

}  // namespace

void register_lineage(CLI::App& app, Context& context) {
  auto options = std::make_shared<LineageOptions>();
  auto* command = app.add_subcommand("lineage", "Upstream and downstream products, as a tree, DOT or Mermaid");
  command->footer(R"(Products connect through their input ports. Cycles are found and reported
("cycle: a -> b -> a"), never followed forever. --format is the same as -o.

Examples:
  meshctl lineage sales/orders
  meshctl lineage sales/orders --downstream --depth 2
  meshctl lineage sales/orders --format dot | dot -Tsvg > orders.svg
  meshctl lineage --all --format mermaid)");
  command->add_option("product", options->product, "DOMAIN/NAME");
  command->add_flag("--all", options->all, "The whole mesh");
  command->add_flag("--upstream", options->upstream, "Only what it reads, transitively");
  command->add_flag("--downstream", options->downstream, "Only what reads it, transitively");
  command->add_option("--depth", options->depth, "At most this many edges away (Default: no limit)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option_function<std::string>(
          "--format", [&context](const std::string& value) { set_output(context, value); },
          "tree, dot, mermaid, json or yaml (Default: tree); the same as -o")
      ->check(CLI::IsMember({"tree", "text", "dot", "mermaid", "json", "yaml"}));
  command->callback([options, &context] { context.exit_code = run_lineage(*options, context); });
}

}  // namespace meshctl::cli
