#include "commands/get.h"

#include <memory>

#include <fmt/format.h>

#include "commands/search.h"
#include "commands/subscribe.h"
#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "meshctl/interop/convert.h"
#include "meshctl/yaml/emit.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct GetProductsOptions {
  ProductFilterOptions filter;
};

// One line of a table: each cell padded to its column's width (at least one space), the last one not.
void print_row(std::ostream& out, const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    out << cells[i];
    if (i + 1 < cells.size()) out << std::string(widths[i] > cells[i].size() ? widths[i] - cells[i].size() : 1, ' ');
  }
  out << '\n';
}

// Products are streamed page by page: memory stays flat however many there are.
int run_get_products(const GetProductsOptions& options, Context& context) {
  auto filter = product_filter_of(options.filter);
  if (!filter) return report_error(context, filter.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());

  auto& out = *context.out;
  std::size_t count = 0;
  std::vector<std::size_t> widths;
  auto visit = [&](const registry::ProductRecord& product) {
    switch (context.output) {
      case OutputFormat::json: out << (count == 0 ? "[" : ",") << json_text(registry::to_json(product)); break;
      case OutputFormat::yaml: print_yaml(out, nlohmann::json::array({registry::to_json(product)})); break;
      case OutputFormat::text: {
        if (context.output_name == "name") {
          out << printable_text(product.ref.text()) << '\n';
          break;
        }
        const bool wide = context.output_name == "wide";
        std::vector<std::string> cells = {printable_text(product.ref.text()), printable_text(product.latest_version),
                                          registry::to_string(product.status), printable_text(product.owner.team)};
        if (wide) {
          std::string labels;
          for (const auto& [key, value] : product.labels) {
            labels += (labels.empty() ? "" : ",") + printable_text(key) + "=" + printable_text(value);
          }
          cells.push_back(printable_text(product.owner.email));
          cells.push_back(product.deprecation ? product.deprecation->sunset : "-");
          cells.push_back(product.created_at);
          cells.push_back(product.updated_at);
          cells.push_back(labels.empty() ? "-" : labels);
        } else {
          cells.push_back(product.updated_at);
        }
        if (count == 0) {
          const std::vector<std::string> header =
              wide ? std::vector<std::string>{"PRODUCT", "VERSION", "STATUS",  "OWNER", "EMAIL",
                                              "SUNSET",  "CREATED", "UPDATED", "LABELS"}
                   : std::vector<std::string>{"PRODUCT", "VERSION", "STATUS", "OWNER", "UPDATED"};
          widths = wide ? std::vector<std::size_t>{40, 12, 11, 20, 32, 12, 22, 22, 0}
                        : std::vector<std::size_t>{40, 12, 11, 20, 0};
          print_row(out, header, widths);
        }
        print_row(out, cells, widths);
        break;
      }
    }
    ++count;
    return true;
  };
  if (auto status = registry::for_each_product(**registry, *filter, visit); !status) {
    if (context.output == OutputFormat::json && count > 0) out << "]\n";
    return report_error(context, status.error());
  }
  if (context.output == OutputFormat::json) out << (count == 0 ? "[]\n" : "]\n");
  if (context.output == OutputFormat::yaml && count == 0) out << "[]\n";
  if (context.output == OutputFormat::text && count == 0 && context.output_name != "name") {
    *context.err << "no products found\n";
  }
  return kSuccess;
}

int run_get_domains(Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto domains = (*registry)->list_domains();
  if (!domains) return report_error(context, domains.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : *domains) list.push_back(registry::to_json(d));
  print_as_requested(context, list, [&](std::ostream& out) {
    Table table({"DOMAIN", "PRODUCTS", "CREATED"});
    for (const auto& d : *domains) table.add({d.name, std::to_string(d.product_count), d.created_at});
    table.print(out);
  });
  return kSuccess;
}

int run_get_versions(const std::string& product, Context& context) {
  auto argument = registry::parse_product_ref(product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto versions = (*registry)->list_versions(*argument, {});
  if (!versions) return report_error(context, versions.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : *versions) list.push_back(registry::to_json(v));
  print_as_requested(context, list, [&](std::ostream& out) {
    Table table({"VERSION", "STATUS", "PUBLISHED", "BY", "SUNSET"});
    for (const auto& v : *versions) {
      table.add({v.version, registry::to_string(v.status), v.published_at, v.published_by,
                 v.deprecation ? v.deprecation->sunset : ""});
    }
    table.print(out);
  });
  return kSuccess;
}

struct GetQualityOptions {
  std::string product;  // DOMAIN/NAME[@VERSION]
  std::string port;
  std::size_t limit = 20;
};

int run_get_quality(const GetQualityOptions& options, Context& context) {
  auto selector = registry::parse_product_selector(options.product);
  if (!selector) return report_error(context, selector.error());
  registry::QualityQuery query;
  query.version = selector->version;
  if (!options.port.empty()) query.port = options.port;
  query.limit = options.limit;
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto runs = (*registry)->quality_runs(selector->ref, query);
  if (!runs) return report_error(context, runs.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& run : *runs) list.push_back(registry::to_json(run));
  print_as_requested(context, list, [&](std::ostream& out) {
    if (runs->empty()) return;
    Table table({"RUN", "TIME", "VERSION", "PORT", "PASSED", "FAILED", "WARNING", "ERROR", "SKIPPED", "BY"});
    for (const auto& run : *runs) {
      table.add({std::to_string(run.id), run.time, run.version, run.port,
                 fmt::format("{}/{}", run.counts.passed, run.counts.total()), std::to_string(run.counts.failed),
                 std::to_string(run.counts.warning), std::to_string(run.counts.error),
                 std::to_string(run.counts.skipped), run.actor});
    }
    table.print(out);
  });
  if (context.output == OutputFormat::text && runs->empty()) {
    *context.err << "no quality runs of " << printable_text(options.product)
                 << " (meshctl test --publish records them)\n";
  }
  return kSuccess;
}

struct GetManifestOptions {
  std::string product;  // DOMAIN/NAME[@VERSION]
  std::string format = "native";
};

// A registered version's manifest in the format asked for, as YAML documents (-o json: as JSON).
int run_get_manifest(const GetManifestOptions& options, Context& context) {
  auto selector = registry::parse_product_selector(options.product);
  if (!selector) return report_error(context, selector.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  std::string version;
  if (selector->version) {
    version = *selector->version;
  } else {
    auto product = (*registry)->get_product(selector->ref);
    if (!product) return report_error(context, product.error());
    version = product->latest_version;
  }
  auto record = (*registry)->get_version(selector->ref, version);
  if (!record) return report_error(context, record.error());
  auto product = registry::decode_stored_manifest(record->ref, record->version, record->manifest_json);
  if (!product) return report_error(context, product.error());
  const auto format = options.format == "odcs"   ? interop::ManifestFormat::odcs
                      : options.format == "odps" ? interop::ManifestFormat::odps
                                                 : interop::ManifestFormat::native;
  // Applied as ODCS or ODPS and asked for in that format: the documents as they were applied.
  const auto documents = record->original ? interop::manifest_documents(*product, format, record->original->format,
                                                                        record->original->documents_json)
                                          : interop::manifest_documents(*product, format);
  if (context.output == OutputFormat::json) {
    if (documents.size() == 1) {
      *context.out << json_text(documents.front()) << '\n';
      return kSuccess;
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& document : documents) list.push_back(document);
    *context.out << json_text(list) << '\n';
    return kSuccess;
  }
  *context.out << interop::yaml_stream(documents);
  return kSuccess;
}

// A definition on one line of a table: its first line, cut at 60 characters (-o wide: whole).
std::string definition_cell(const std::string& definition, bool wide) {
  std::string line = definition.substr(0, definition.find('\n'));
  if (wide || line.size() <= 60) return line;
  std::size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return line.substr(0, cut) + "...";
}

int run_get_terms(const std::string& domain, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto terms = (*registry)->list_terms(domain.empty() ? std::nullopt : std::optional<std::string>(domain));
  if (!terms) return report_error(context, terms.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& term : *terms) list.push_back(registry::to_json(term));
  print_as_requested(context, list, [&](std::ostream& out) {
    if (context.output_name == "name") {
      for (const auto& term : *terms) out << printable_text(term.term.name) << '\n';
      return;
    }
    const bool wide = context.output_name == "wide";
    Table table(wide ? std::vector<std::string>{"TERM", "STATUS", "DOMAIN", "GLOSSARY", "OWNER", "SYNONYMS", "RELATED",
                                                "DEFINITION"}
                     : std::vector<std::string>{"TERM", "STATUS", "DOMAIN", "DEFINITION"});
    for (const auto& record : *terms) {
      const auto& term = record.term;
      if (wide) {
        table.add({term.name, term.status, record.domain, record.glossary + "@" + record.version, record.owner.team,
                   fmt::format("{}", fmt::join(term.synonyms, ",")), fmt::format("{}", fmt::join(term.related, ",")),
                   definition_cell(term.definition, true)});
      } else {
        table.add({term.name, term.status, record.domain, definition_cell(term.definition, false)});
      }
    }
    if (!terms->empty()) table.print(out);
  });
  if (context.output == OutputFormat::text && terms->empty() && context.output_name != "name") {
    *context.err << "no terms" << (domain.empty() ? "" : " in domain " + printable_text(domain))
                 << " (meshctl apply -f GLOSSARY.yaml publishes a kind: Glossary document)\n";
  }
  return kSuccess;
}

}  // namespace

void register_get(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand(
      "get", "List products, domains, versions, subscriptions, quality runs or terms; print a manifest");
  command->require_subcommand(1);
  command->footer(R"(Examples:
  meshctl get products --domain sales --status active
  meshctl get products --label tier=gold -o json
  meshctl get products --tag gdpr --pii          (tags, fields and terms: of each latest version)
  meshctl get products --owner sales-data --field customer_email
  meshctl get products -o wide          (owner email, sunset, created, labels too)
  meshctl get products -o name | xargs -n1 meshctl describe
  meshctl get domains
  meshctl get versions sales/orders
  meshctl get manifest sales/orders@1.2.0 --format odcs > orders.odcs.yaml
  meshctl get quality sales/orders@1.2.0 --port orders-table
  meshctl get terms --domain sales)");

  auto options = std::make_shared<GetProductsOptions>();
  auto* products = command->add_subcommand("products", "List products (streamed: any number of them)");
  add_product_filter_options(*products, options->filter);
  products->callback([options, &context] { context.exit_code = run_get_products(*options, context); });

  command->add_subcommand("domains", "List domains with their product counts")->callback([&context] {
    context.exit_code = run_get_domains(context);
  });

  auto product = std::make_shared<std::string>();
  auto* versions = command->add_subcommand("versions", "List the published versions of one product");
  versions->add_option("product", *product, "DOMAIN/NAME")->required();
  versions->callback([product, &context] { context.exit_code = run_get_versions(*product, context); });

  auto wanted = std::make_shared<GetManifestOptions>();
  auto* manifest = command->add_subcommand("manifest", "Print a registered version's manifest: native, ODCS or ODPS");
  manifest->footer(R"(The latest version by default. --format odcs writes one ODCS v3.1.0 contract per output
port, --format odps an ODPS v1.0.0 product followed by those contracts (YAML documents
separated by ---). Nothing is lost either way (README: "Converting to and from ODCS and
ODPS"): a product applied as ODCS or ODPS comes back as the documents it was applied as.
-o json writes the document (several: a list) as JSON.

Examples:
  meshctl get manifest sales/orders
  meshctl get manifest sales/orders@1.2.0 --format odcs
  meshctl get manifest sales/orders --format odps -o json)");
  manifest->add_option("product", wanted->product, "DOMAIN/NAME or DOMAIN/NAME@VERSION")->required();
  manifest->add_option("--format", wanted->format, "native, odcs or odps")
      ->check(CLI::IsMember({"native", "odcs", "odps"}))
      ->default_str("native");
  manifest->callback([wanted, &context] { context.exit_code = run_get_manifest(*wanted, context); });

  auto quality = std::make_shared<GetQualityOptions>();
  auto* runs = command->add_subcommand("quality", "List the quality runs `meshctl test --publish` recorded");
  runs->footer(R"(Newest first: when, which version and port, how many checks passed (of all), failed,
warned, could not run or were skipped, and who published the run. -o json adds every
check's result. DOMAIN/NAME@VERSION lists that version's runs only.)");
  runs->add_option("product", quality->product, "DOMAIN/NAME or DOMAIN/NAME@VERSION")->required();
  runs->add_option("--port", quality->port, "Only this output port's runs")->type_name("NAME");
  runs->add_option("--limit", quality->limit, "At most this many runs (1 to 1000)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, registry::kMaxQualityLimit));
  runs->callback([quality, &context] { context.exit_code = run_get_quality(*quality, context); });

  auto term_domain = std::make_shared<std::string>();
  auto* terms = command->add_subcommand("terms", "List the business glossary's terms (kind: Glossary)");
  terms->footer(R"(Every term of every glossary's latest version, by name: its status (draft, active,
deprecated), domain and definition; -o wide adds the glossary, owner, synonyms and
related terms, -o name the names only. A field binds to a term with `term: NAME`.

Examples:
  meshctl get terms
  meshctl get terms --domain sales -o wide
  meshctl describe term customer-email)");
  terms->add_option("--domain", *term_domain, "Only the terms of this domain's glossaries")->type_name("DOMAIN");
  terms->callback([term_domain, &context] { context.exit_code = run_get_terms(*term_domain, context); });

  auto subscribed = std::make_shared<std::string>();
  auto* subscriptions = command->add_subcommand("subscriptions", "List subscriptions, of one product or all");
  subscriptions->add_option("product", *subscribed, "DOMAIN/NAME (Default: every product)");
  subscriptions->callback([subscribed, &context] { context.exit_code = run_get_subscriptions(*subscribed, context); });
}

}  // namespace meshctl::cli
