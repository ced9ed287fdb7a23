#include "commands/similar.h"

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/text.h"
#include "output/records.h"
#include "output/structured.h"
#include "product_argument.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct SimilarOptions {
  std::string product;
  std::size_t limit = 10;
  double min_score = 0.5;
};

// "3 of 4: order_id, customer_email, amount" (at most `at_most` names).
std::string shared_text(const registry::SimilarProduct& similar, std::size_t fields, std::size_t at_most) {
  std::string text = fmt::format("{} of {}", similar.shared_fields.size(), fields);
  for (std::size_t i = 0; i < similar.shared_fields.size() && i < at_most; ++i) {
    text += (i == 0 ? ": " : ", ") + printable_text(similar.shared_fields[i]);
  }
  if (similar.shared_fields.size() > at_most) text += ", ...";
  return text;
}

int run_similar(const SimilarOptions& options, Context& context) {
  registry::SimilarRequest request;
  request.limit = options.limit;
  request.min_score = options.min_score;
  std::error_code ignored;
  const bool is_file = options.product == "-" || std::filesystem::exists(options.product, ignored) ||
                       options.product.ends_with(".yaml") || options.product.ends_with(".yml");
  if (!is_file) {
    auto selector = registry::parse_product_selector(options.product);
    if (!selector) return report_error(context, selector.error());
    request.product = std::move(selector->ref);
    request.version = std::move(selector->version);
  } else {
    request.manifest = manifest::DataProduct{};  // checked below with the rest, before the file is read
  }
  // Before a registry is opened or a file read: arguments that cannot be answered are a usage error.
  if (auto status = registry::check_similar_request(request); !status) return report_error(context, status.error());
  if (is_file) {
    auto loaded = load_product(options.product, "compare", context);
    if (const int* code = std::get_if<int>(&loaded)) return *code;
    request.manifest = std::move(std::get<manifest::DataProduct>(loaded));
  }
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto result = (*registry)->similar(request);
  if (!result) return report_error(context, result.error());
  print_as_requested(context, registry::to_json(*result), [&](std::ostream& out) {
    if (result->similar.empty()) {
      *context.err << fmt::format("no registered product is at least {} similar to {}@{} ({} fields), nor at its "
                                  "output location\n",
                                  options.min_score, printable_text(result->product.text()),
                                  printable_text(result->version), result->fields);
      return;
    }
    Table table({"PRODUCT", "VERSION", "SCORE", "SHARED FIELDS", "SAME LOCATION"});
    for (const auto& similar : result->similar) {
      std::string locations;
      for (const auto& location : similar.same_locations) {
        locations += (locations.empty() ? "" : ", ") + printable_text(location);
      }
      table.add({printable_text(similar.product.ref.text()), printable_text(similar.product.latest_version),
                 fmt::format("{:.2f}", similar.score), shared_text(similar, result->fields, 4),
                 locations.empty() ? "-" : locations});
    }
    table.print(out);
  });
  return kSuccess;
}

}  // namespace

void register_similar(CLI::App& app, Context& context) {
  auto options = std::make_shared<SimilarOptions>();
  auto* command =
      app.add_subcommand("similar", "Find registered products whose output schemas overlap a product's or a file's");
  command->footer(fmt::format(R"(Compares the output ports' fields of PRODUCT (a registered DOMAIN/NAME[@VERSION], the
latest version by default, or a manifest FILE, - for standard input) with those of every
registered product that is not retired, and lists the closest, with a score from 0 to 1 and
what they share. Field names are compared normalised: case, the separators _ - . and space,
and camelCase do not count (customerEmail = customer_email = Customer-Email), and a synonym
of a glossary term is the term's name (client_id = customer_id when client-id is a synonym of
customer-id); a field's term pairs it with a field of another name bound to the same term. A pair weighs 1, less 0.25 when
the types differ, less 0.5 when the terms differ; the score is the pairs' weight over the
number of distinct fields of both (1: the same fields, types and terms). Products with the
same output location (a port's `location`, trailing / and the scheme's case aside) are listed
first, whatever their score. The product itself (same DOMAIN/NAME) is never listed.
The registry finds candidates in an index of schema fingerprints (MinHash), so a product
that shares only a few of its fields may be missed below a score of about 0.5; at 0.7 and
above practically none is. --limit 1 to {}; --min-score 0 to 1.

The same comparison runs on every apply, create and evolve: the standards rule MESH-DUPLICATE
(threshold 0.8, a warning) reports each registered product at least that similar, or at the
same output location, except the products the manifest reads through its input ports (unless
they share its location). The registry's standards decide it (meshctl standards publish):
MESH-DUPLICATE: error refuses the write with exit 1, MESH-DUPLICATE: off silences it, per
domain with overrides; params: {{ threshold: 0.9 }} changes the threshold.

Examples:
  meshctl similar sales/orders
  meshctl similar sales/orders@1.2.0 --min-score 0.3 --limit 20
  meshctl similar new-product.yaml -o json     (before it is applied)
  cat orders.yaml | meshctl similar -
  meshctl standards explain MESH-DUPLICATE)",
                              registry::kMaxSimilarLimit));
  command->add_option("product", options->product, "DOMAIN/NAME[@VERSION], or a manifest FILE (- for stdin)")
      ->type_name("PRODUCT")
      ->required();
  command->add_option("--limit", options->limit, "At most this many products")->capture_default_str();
  command->add_option("--min-score", options->min_score, "Only products at least this similar (0 to 1)")
      ->capture_default_str();
  command->callback([options, &context] { context.exit_code = run_similar(*options, context); });
}

}  // namespace meshctl::cli
