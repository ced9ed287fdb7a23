#include "commands/token.h"

#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/text.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct TokenCreateOptions {
  std::string name;
  std::string role;
  std::vector<std::string> domains;
  std::string expires_in;  // empty: never expires
};

struct TokenRotateOptions {
  std::string name;
  std::string expires_in;  // empty: keep the expiry
};

std::string role_column(const registry::PrincipalRecord& principal) {
  std::string text = registry::to_string(principal.role);
  for (std::size_t i = 0; i < principal.domains.size(); ++i) text += (i == 0 ? " of " : ", ") + principal.domains[i];
  return text;
}

// --expires-in as seconds; nullopt when not given. Checked before anything is opened.
Result<std::optional<std::int64_t>> lifetime_of(const std::string& expires_in) {
  if (expires_in.empty()) return std::optional<std::int64_t>();
  const auto seconds = parse_period(expires_in);
  if (!seconds) {
    return make_error(ErrorKind::invalid,
                      fmt::format("--expires-in '{}' is not a lifetime: write a positive number and m, h, d or w, "
                                  "e.g. 90d or 12h (leave it out for a token that never expires)",
                                  expires_in),
                      {{"expiresIn", expires_in}});
  }
  if (*seconds > registry::kMaxTokenLifetimeSeconds) {
    return make_error(ErrorKind::invalid,
                      fmt::format("--expires-in '{}' is longer than a token may live: at most {}d (10 years); leave "
                                  "it out for a token that never expires",
                                  expires_in, registry::kMaxTokenLifetimeSeconds / 86400),
                      {{"expiresIn", expires_in}});
  }
  return std::optional<std::int64_t>(*seconds);
}

// Prints a token as created or rotated: the secret (or the whole record with -o
// json|yaml) on stdout, once; what happened on stderr.
void print_new_token(Context& context, const registry::NewToken& token, const std::string& what) {
  print_as_requested(context, registry::to_json(token), [&](std::ostream& out) { out << token.secret << "\n"; });
  const auto& principal = token.principal;
  const auto expiry = principal.expires_at ? ", expires " + *principal.expires_at : std::string();
  *context.err << "token " << principal.name << " (" << role_column(principal) << expiry << ") " << what
               << ": this is the only time it is shown; store it in a secret store now\n";
}

int run_token_create(const TokenCreateOptions& options, Context& context) {
  const auto lifetime = lifetime_of(options.expires_in);
  if (!lifetime) return report_error(context, lifetime.error());
  // CLI11 checks the role's spelling; parse_role cannot fail here.
  const registry::TokenRequest request{
      options.name, registry::parse_role(options.role).value_or(registry::Role::reader), options.domains, *lifetime};
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto created = (*registry)->create_token(request);
  if (!created) return report_error(context, created.error());
  print_new_token(context, *created, "created");
  return kSuccess;
}

int run_token_rotate(const TokenRotateOptions& options, Context& context) {
  const auto lifetime = lifetime_of(options.expires_in);
  if (!lifetime) return report_error(context, lifetime.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto rotated = (*registry)->rotate_token({options.name, *lifetime});
  if (!rotated) return report_error(context, rotated.error());
  print_new_token(context, *rotated, "rotated, the old secret no longer works");
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
    Table table({"NAME", "ROLE", "TOKEN ID", "CREATED", "CREATED BY", "EXPIRES", "REVOKED"});
    for (const auto& principal : *principals) {
      table.add({principal.name, role_column(principal), principal.token_id, principal.created_at, principal.created_by,
                 principal.expires_at.value_or("never"), principal.revoked_at.value_or("-")});
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
  auto* command =
      app.add_subcommand("token", "Create, list, rotate and revoke the tokens of a registry server (admin)");
  command->footer(R"(A token belongs to a named principal with a role: admin (everything), owner of one
or more domains (writes there, reads everywhere) or reader. The token is printed once,
at creation and at each rotation; the registry keeps only a hash of its secret.
A token may expire (--expires-in 90d; m, h, d or w; at most 3650d): past that time a
server refuses it (exit 5, saying when it expired) until an admin rotates it.
Against the embedded registry (a SQLite file) the local user may do everything: that
is how an operator seeds a server's file.

Examples:
  meshctl token create --name ci-sales --role owner --domain sales --expires-in 90d
  meshctl token create --name dashboards --role reader
  meshctl token list
  meshctl token rotate ci-sales --expires-in 90d
  meshctl token revoke ci-sales)");
  command->require_subcommand(1);

  auto create_options = std::make_shared<TokenCreateOptions>();
  auto* create = command->add_subcommand("create", "Create a token and print it (once)");
  create->add_option("name,--name", create_options->name, "The principal's name, unique (e.g. ci-sales)")->required();
  create->add_option("--role", create_options->role, "admin, owner or reader")
      ->required()
      ->check(CLI::IsMember({"admin", "owner", "reader"}));
  create->add_option("--domain", create_options->domains, "A domain an owner writes in (repeat for several)");
  create->add_option("--expires-in", create_options->expires_in,
                     "How long the token works, e.g. 90d, 12h, 2w (Default: it never expires)");
  create->callback([create_options, &context] { context.exit_code = run_token_create(*create_options, context); });

  command->add_subcommand("list", "List tokens (never their secrets) with their expiry")->callback([&context] {
    context.exit_code = run_token_list(context);
  });

  auto rotate_options = std::make_shared<TokenRotateOptions>();
  auto* rotate = command->add_subcommand(
      "rotate", "Give a token a new secret and print it (once); the old secret stops working at once");
  rotate->footer(R"(The principal keeps its name, role and domains; its token id and secret change.
Without --expires-in the expiry stays as it was (never, or the same time); a token
that has already expired needs --expires-in. A revoked token cannot be rotated.

Examples:
  meshctl token rotate ci-sales --expires-in 90d
  meshctl -o json token rotate dashboards)");
  rotate->add_option("name", rotate_options->name, "The token's name")->required();
  rotate->add_option("--expires-in", rotate_options->expires_in,
                     "How long the new secret works, from now, e.g. 90d (Default: the expiry stays)");
  rotate->callback([rotate_options, &context] { context.exit_code = run_token_rotate(*rotate_options, context); });

  auto revoked_name = std::make_shared<std::string>();
  auto* revoke = command->add_subcommand("revoke", "Revoke a token: it stops working at once");
  revoke->add_option("name", *revoked_name, "The token's name")->required();
  revoke->callback([revoked_name, &context] { context.exit_code = run_token_revoke(*revoked_name, context); });
}

}  // namespace meshctl::cli
