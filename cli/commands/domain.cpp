#include "commands/domain.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct DomainCreateOptions {
  std::string name;
  std::string owner_team;
};

int run_domain_create(const DomainCreateOptions& options, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto domain = (*registry)->create_domain({options.name, options.owner_team});
  if (!domain) return report_error(context, domain.error());
  print_as_requested(context, registry::to_json(*domain), [&](std::ostream& out) {
    out << "domain " << domain->name << ": created, owner team " << domain->owner_team << "\n";
  });
  return kSuccess;
}

int run_domain_list(Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto domains = (*registry)->list_domains();
  if (!domains) return report_error(context, domains.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& domain : *domains) list.push_back(registry::to_json(domain));
  print_as_requested(context, list, [&](std::ostream& out) {
    Table table({"DOMAIN", "OWNER TEAM", "PRODUCTS", "CREATED"});
    for (const auto& domain : *domains) {
      table.add({domain.name, domain.owner_team.empty() ? "-" : domain.owner_team, std::to_string(domain.product_count),
                 domain.created_at});
    }
    table.print(out);
  });
  return kSuccess;
}

}  // namespace

void register_domain(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("domain", "Create and list domains (the tenants of a registry)");
  command->footer(R"(Against a registry server a domain must exist before products go into it, and only
an admin creates one. The embedded registry also creates a domain on a product's
first version.

Examples:
  meshctl domain create sales --owner-team sales-data
  meshctl domain list
  meshctl --registry https://registry.example.com:8443 domain create payments --owner-team payments-core)");
  command->require_subcommand(1);

  auto create_options = std::make_shared<DomainCreateOptions>();
  auto* create = command->add_subcommand("create", "Create a domain (admin)");
  create->add_option("name", create_options->name, "The domain, kebab-case (e.g. sales)")->required();
  create->add_option("--owner-team", create_options->owner_team, "The team that owns the domain")->required();
  create->callback([create_options, &context] { context.exit_code = run_domain_create(*create_options, context); });

  command->add_subcommand("list", "List domains with their owner teams and product counts")->callback([&context] {
    context.exit_code = run_domain_list(context);
  });
}

}  // namespace meshctl::cli
