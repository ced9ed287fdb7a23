#include "commands/search.h"

#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/catalog/search.h"
#include "meshctl/core/text.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct SearchOptions {
  std::vector<std::string> words;
  ProductFilterOptions filter;
  std::size_t limit = 20;
};

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + printable_text(item);
  return text;
}

int run_search(const SearchOptions& options, Context& context) {
  registry::SearchRequest request;
  for (const auto& word : options.words) request.text += (request.text.empty() ? "" : " ") + word;
  request.limit = options.limit;
  auto filter = product_filter_of(options.filter);
  if (!filter) return report_error(context, filter.error());
  request.filter = std::move(*filter);
  // Before a registry is opened: a query that cannot be answered is a usage error wherever it would go.
  if (auto status = registry::check_search_request(request); !status) return report_error(context, status.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto result = (*registry)->search(request);
  if (!result) return report_error(context, result.error());
  print_as_requested(context, registry::to_json(*result), [&](std::ostream& out) {
    if (result->hits.empty()) {
      *context.err << "no products found\n";
      return;
    }
    Table table({"PRODUCT", "VERSION", "STATUS", "OWNER", "MATCHED"});
    for (const auto& hit : result->hits) {
      table.add({printable_text(hit.product.ref.text()), printable_text(hit.product.latest_version),
                 registry::to_string(hit.product.status), printable_text(hit.product.owner.team),
                 hit.matched.empty() ? "-" : joined(hit.matched)});
    }
    table.print(out);
  });
  return kSuccess;
}

}  // namespace

void add_product_filter_options(CLI::App& command, ProductFilterOptions& options) {
  command.add_option("--domain", options.domain, "Only this domain's products");
  command.add_option("--status", options.status, "Only products in this status")
      ->check(CLI::IsMember({"active", "deprecated", "retired"}));
  command.add_option("--label", options.labels, "Only products with this label, KEY=VALUE (repeatable)");
  command.add_option("--owner", options.owner, "Only products owned by this team (metadata.owner.team)")
      ->type_name("TEAM");
  command.add_option("--tag", options.tag, "Only products with this tag")->type_name("TAG");
  command.add_option("--term", options.term, "Only products with a field bound to this term (a field's term:)")
      ->type_name("TERM");
  command.add_option("--field", options.field, "Only products with a field of this name (nested: a.b)")
      ->type_name("NAME");
  command.add_flag("--pii", options.pii, "Only products with a field marked pii");
}

Result<registry::ProductFilter> product_filter_of(const ProductFilterOptions& options) {
  registry::ProductFilter filter;
  const auto given = [](const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
  };
  filter.domain = given(options.domain);
  if (!options.status.empty()) filter.status = registry::parse_lifecycle_status(options.status);
  for (const auto& label : options.labels) {
    auto parsed = registry::parse_label_filter(label);
    if (!parsed) return parsed.error();
    filter.labels.push_back(std::move(*parsed));
  }
  filter.owner = given(options.owner);
  filter.tag = given(options.tag);
  filter.term = given(options.term);
  filter.field = given(options.field);
  filter.pii = options.pii;
  return filter;
}

void register_search(CLI::App& app, Context& context) {
  auto options = std::make_shared<SearchOptions>();
  auto* command = app.add_subcommand("search", "Find products by words: ranked full-text search over the mesh");
  command->footer(fmt::format(R"(Searches the latest version of each product: names, titles, descriptions, tags,
labels, owner teams, port names, field names and descriptions, and fields' terms. Field names are
split at _ - and case changes: `email` finds customer_email. Every word must be found; a word
like customer_email must be found as it is written (customer then email). Best first: products
with every word in a name, title or tag; then with every word there or in a field, port, term,
label or owner; then the rest (a word only in a description); within each, those registered
first. MATCHED says where the words were found. Retired products are left
out unless --status retired. Without TEXT, every product the filters select, by name.
Punctuation is not a query language here (no quotes, AND, OR or *): it separates words.
At most {} bytes and {} words of TEXT; --limit 1 to {}.

Examples:
  meshctl search email
  meshctl search customer email --domain sales   (both words, anywhere in the product)
  meshctl search orders --tag gdpr --limit 5 -o json
  meshctl search --pii --owner sales-data        (every product of the team with PII fields)
  meshctl search --term customer-email            (every product with a field bound to the term)
  meshctl search revenue --status deprecated)",
                              registry::kMaxSearchTextBytes, registry::kMaxSearchWords, registry::kMaxSearchLimit));
  command->add_option("text", options->words, "The words to find (Default: none, filters only)")->type_name("TEXT");
  add_product_filter_options(*command, options->filter);
  command->add_option("--limit", options->limit, "At most this many products")->capture_default_str();
  command->callback([options, &context] { context.exit_code = run_search(*options, context); });
}

}  // namespace meshctl::cli
