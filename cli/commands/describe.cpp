#include "commands/describe.h"

#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/glossary.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/text.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/health.h"
#include "meshctl/registry/service.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

nlohmann::json to_json(const std::vector<registry::PinnedDependent>& pinned) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& item : pinned) {
    list.push_back({{"product", item.edge.consumer.text()},
                    {"port", item.edge.port},
                    {"versionConstraint", item.edge.version_constraint},
                    {"resolvesTo", item.resolves_to}});
  }
  return list;
}

void print_pinned_text(std::ostream& out, const registry::ProductDetails& details,
                       const std::vector<registry::PinnedDependent>& pinned) {
  if (pinned.empty()) return;
  out << "dependents on an older major (latest is " << details.product.latest_version << "):\n";
  for (const auto& item : pinned) {
    out << "  " << printable_text(item.edge.consumer.text()) << " " << printable_text(item.edge.version_constraint)
        << "  reads " << printable_text(item.resolves_to) << "  (port " << printable_text(item.edge.port) << ")\n";
  }
}

nlohmann::json to_json(const registry::ProductHealth& health) {
  return {{"consumers", health.consumers},
          {"readsTrend", registry::to_string(health.reads_trend)},
          {"reads", health.reads},
          {"sloMet", health.slo_met},
          {"sloJudged", health.slo_judged},
          {"sloDays", {{"days", health.slo_days}, {"met", health.slo_days_met}, {"judged", health.slo_days_judged}}},
          {"qualityPorts", health.quality_ports},
          {"qualityFailed", health.quality_failed},
          {"documented", health.documented},
          {"documentable", health.documentable},
          {"line", registry::health_line(health)}};
}

// The health the web catalog shows (meshctl/registry/health.h), over the last 30 days of usage; nullopt
// when the manifest does not decode (describe prints the rest all the same).
Result<std::optional<registry::ProductHealth>> health_of(registry::Registry& registry,
                                                         const registry::ProductDetails& details) {
  auto usage = registry.usage(details.product.ref, {.since_days = 30});
  if (!usage) return usage.error();
  auto manifest = manifest::from_json(nlohmann::json::parse(details.selected.manifest_json, nullptr, false));
  if (!manifest) return std::optional<registry::ProductHealth>();
  return std::optional<registry::ProductHealth>(registry::product_health(*manifest, details, *usage));
}

int run_describe(const std::string& product, Context& context) {
  auto argument = registry::parse_product_selector(product);
  if (!argument) return report_error(context, argument.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto details = (*registry)->describe(argument->ref, argument->version);
  if (!details) return report_error(context, details.error());
  const auto pinned = registry::dependents_on_older_major(*details);
  auto health = health_of(**registry, *details);
  if (!health) return report_error(context, health.error());
  auto body = registry::to_json(*details);
  body["dependentsOnOlderMajor"] = to_json(pinned);
  // The mode in force, also when the manifest leaves it to the default (the manifest key is absent then).
  const auto& spec = body["manifest"]["spec"];
  body["compatibility"] = spec.is_object() && spec.contains("compatibility") && spec["compatibility"].is_string()
                              ? spec["compatibility"].get<std::string>()
                              : std::string("forward");
  if (*health) body["health"] = to_json(**health);
  print_as_requested(context, body, [&](std::ostream& out) {
    print_product_details(out, *details);
    print_pinned_text(out, *details, pinned);
    if (*health) out << "health: " << registry::health_line(**health) << "\n";
  });
  return kSuccess;
}

void print_term_details(std::ostream& out, const registry::TermDetails& details) {
  const auto& record = details.term;
  const auto& term = record.term;
  const auto list = [](const std::vector<std::string>& words) {
    return words.empty() ? std::string("none") : fmt::format("{}", fmt::join(words, ", "));
  };
  out << printable_text(term.name) << "  " << printable_text(term.status) << '\n';
  out << "  definition:  " << printable_text(term.definition, LineBreaks::keep) << '\n';
  out << "  synonyms:    " << printable_text(list(term.synonyms)) << '\n';
  out << "  related:     " << printable_text(list(term.related)) << '\n';
  for (const auto& link : term.authoritative_definitions) {
    out << "  link:        " << printable_text(link.type) << "  " << printable_text(link.url) << '\n';
  }
  out << "  glossary:    " << printable_text(record.domain + "/" + record.glossary) << "@"
      << printable_text(record.version) << '\n';
  out << "  owner:       " << printable_text(record.owner.team) << " <" << printable_text(record.owner.email) << ">\n";
  out << "fields bound to it (" << details.fields.size() << "):\n";
  if (details.fields.empty()) out << "  none\n";
  for (const auto& field : details.fields) {
    out << "  " << printable_text(field.product.text()) << "@" << printable_text(field.version) << "  "
        << printable_text(field.port) << "." << printable_text(field.field);
    if (field.named != term.name) out << "  (as synonym " << printable_text(field.named) << ")";
    out << '\n';
  }
}

int run_describe_term(const std::string& name, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto details = (*registry)->describe_term(name);
  if (!details) return report_error(context, details.error());
  print_as_requested(context, registry::to_json(*details),
                     [&](std::ostream& out) { print_term_details(out, *details); });
  return kSuccess;
}

}  // namespace

void register_describe(CLI::App& app, Context& context) {
  auto product = std::make_shared<std::string>();
  auto* command =
      app.add_subcommand("describe", "Show one product: owner, status, versions, ports, fields, rules, dependencies");
  command->footer(R"(Shows what a consumer needs: owner, status, compatibility mode (forward when the
manifest leaves it out), tags, labels, versions, and for each output port its
description, fields (type; required, unique, pii, classification, glossary term;
enum values and description below), SLOs, quality rules and the latest quality
run. Nested fields are named parent.child. -o json has the whole manifest under
"manifest", and the compatibility mode in force under "compatibility".
A new major version does not move dependents whose version constraint pins an older
one (an input port reading "^1" once 2.0.0 is out): describe lists them, so the old
major stays active until they migrate (-o json: dependentsOnOlderMajor).
Input ports that read a deprecated, retired or unknown product, or whose version
constraint resolves only to deprecated versions (named with the sunset), or to
none, are warnings under the dependencies (-o json: inputWarnings).
The last line is the product's health, as the web catalog shows it (-o json: health):
its consumers and whether reads of the last 15 days rose or fell against the 15
before, freshness SLOs met now, the latest quality run of each port, and how much
is documented (the description, the owner, each port's and field's description).

Examples:
  meshctl describe sales/orders
  meshctl describe sales/orders@1.1.0
  meshctl describe sales/orders -o json
  meshctl describe term customer-email     (a glossary term, and the fields bound to it))");
  command->add_option("product", *product, "DOMAIN/NAME or DOMAIN/NAME@VERSION");
  auto term = std::make_shared<std::string>();
  auto* term_command = command->add_subcommand("term", "Show one glossary term and every product field bound to it");
  term_command->footer(R"(The term's definition, status, synonyms, related terms, links (authoritativeDefinitions),
glossary and owner, then every field of a product's latest version (products that are
not retired) whose `term:` names it, as DOMAIN/PRODUCT@VERSION PORT.FIELD (a field that
names a synonym says so). An unknown name exits 3 with the closest term.

Examples:
  meshctl describe term customer-email
  meshctl describe term customer-email -o json)");
  term_command->add_option("name", *term, "The term's name")->required();
  term_command->callback([term, &context] { context.exit_code = run_describe_term(*term, context); });
  command->callback([command, term_command, product, &context] {
    if (term_command->parsed()) return;
    if (product->empty()) {
      throw CLI::ValidationError(
          fmt::format("meshctl {} needs a product (DOMAIN/NAME[@VERSION]) or `term NAME`", command->get_name()));
    }
    context.exit_code = run_describe(*product, context);
  });
}

}  // namespace meshctl::cli
