// Tenancy and credentials: creating domains, and tokens. RegistryService
// decides who may (admins only); these routes only carry the requests.

#include "meshctl/registry/json.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

using nlohmann::json;

void create_domain(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::DomainRequest request{body->value("name", ""), body->value("ownerTeam", "")};
  reply(
      exchange, exchange.service.create_domain(exchange.caller, request),
      [](const registry::DomainRecord& domain) { return registry::to_json(domain); }, 201);
}

void create_token(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::TokenRequest request;
  request.name = body->value("name", "");
  const auto role_text = body->value("role", "");
  const auto role = registry::parse_role(role_text);
  if (!role) {
    return reply_error(exchange.response,
                       make_error(ErrorKind::invalid, "role must be admin, owner or reader, not '" + role_text + "'"));
  }
  request.role = *role;
  const auto domains = body->value("domains", json::array());
  for (const auto& domain : domains) {
    if (domain.is_string()) request.domains.push_back(domain.get<std::string>());
  }
  reply(
      exchange, exchange.service.create_token(exchange.caller, request),
      [](const registry::NewToken& token) { return registry::to_json(token); },
      201);
}

}  // namespace

void add_access_routes(Router& router) {
  router.post("/v1/domains", create_domain);
  router.get("/v1/tokens", [](Exchange& exchange) {
    reply(exchange, exchange.service.list_tokens(exchange.caller), [](const std::vector<registry::PrincipalRecord>& all) {
      json tokens = json::array();
      for (const auto& principal : all) tokens.push_back(registry::to_json(principal));
      return json{{"tokens", std::move(tokens)}};
    });
  });
  router.post("/v1/tokens", create_token);
  router.del(std::string("/v1/tokens/") + kSegment, [](Exchange& exchange) {
    reply(exchange, exchange.service.revoke_token(exchange.caller, exchange.path_part(1)),
          [](const registry::PrincipalRecord& principal) { return registry::to_json(principal); });
  });
}

}  // namespace meshctl::server
