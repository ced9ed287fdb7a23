#include "commands/token.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct TokenCreateOptions {
  std::string name;
  std::string role;
  std::vector<std::string> domains;
};

std::string role_column(const registry::PrincipalRecord& principal) {
  std::string text = registry::to_string(principal.role);
  for (std::size_t i = 0; i < principal.domains.size(); ++i) text += (i == 0 ? " of " : ", ") + principal.domains[i];
  return text;
}

int run_token_create(const TokenCreateOptions& options, Context& context) {
  // CLI11 checks the role's spelling; parse_role cannot fail here.
  const registry::TokenRequest request{
      options.name, registry::parse_role(options.role).value_or(registry::Role::reader), options.domains};
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto created = (*registry)->create_token(request);
  if (!created) return report_error(context, created.error());
  print_as_requested(context, registry::to_json(*created), [&](std::ostream& out) { out << created->secret << "\n"; });
  *context.err << "token " << created->principal.name << " (" << role_column(created->principal)
               << ") created: this is the only time it is shown; store it in a secret store now\n";
  return kSuccess;
}

int run_token_list(Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto principals = (*registry)->list_tokens();
  if (!principals) return report_error(context, principals.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& principal : *principals) list.push_back(registry::to_json(principal));
  print_as_requested(context, list, [&](std::ostream& out) {
    Table table({"NAME", "ROLE", "TOKEN ID", "CREATED", "CREATED BY", "REVOKED"});
    for (const auto& principal : *principals) {
      table.add({principal.name, role_column(principal), principal.token_id, principal.created_at, principal.created_by,
                 principal.revoked_at.value_or("-")});
    }
    table.print(out);
  });
  if (context.output == OutputFormat::text && principals->empty()) *context.err << "no tokens found\n";
  return kSuccess;
}

int run_token_revoke(const std::string& name, Context& context) {
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto principal = (*registry)->revoke_token(name);
  if (!principal) return report_error(context, principal.error());
  print_as_requested(context, registry::to_json(*principal),
                     [&](std::ostream& out) { out << "token " << name << ": revoked\n"; });
  return kSuccess;
}

}  // namespace

void register_token(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("token", "Create, list and revoke the tokens of a registry server (admin)");
  command->footer(R"(A token belongs to a named principal with a role: admin (everything), owner of one
or more domains (writes there, reads everywhere) or reader. The token is printed once,
at creation; the registry keeps only a hash of its secret. Against the embedded
registry (a SQLite file) the local user may do everything: that is how an operator
seeds a server's file.

Examples:
  meshctl token create --name ci-sales --role owner --domain sales
  meshctl token create --name dashboards --role reader
  meshctl token list
  meshctl token revoke ci-sales)");
  command->require_subcommand(1);

  auto create_options = std::make_shared<TokenCreateOptions>();
  auto* create = command->add_subcommand("create", "Create a token and print it (once)");
  create->add_option("--name", create_options->name, "The principal's name, unique (e.g. ci-sales)")->required();
  create->add_option("--role", create_options->role, "admin, owner or reader")
      ->required()
      ->check(CLI::IsMember({"admin", "owner", "reader"}));
  create->add_option("--domain", create_options->domains, "A domain an owner writes in (repeat for several)");
  create->callback([create_options, &context] { context.exit_code = run_token_create(*create_options, context); });

  command->add_subcommand("list", "List tokens (never their secrets)")->callback([&context] {
    context.exit_code = run_token_list(context);
  });

  auto revoked_name = std::make_shared<std::string>();
  auto* revoke = command->add_subcommand("revoke", "Revoke a token: it stops working at once");
  revoke->add_option("name", *revoked_name, "The token's name")->required();
  revoke->callback([revoked_name, &context] { context.exit_code = run_token_revoke(*revoked_name, context); });
}

}  // namespace meshctl::cli
