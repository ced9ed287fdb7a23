// Tenancy and credentials: creating domains, tokens, and the registry-wide
// audit log. RegistryService decides who may (admins; owners read the audit
// of their domains); these routes only carry the requests.

#include "meshctl/catalog/json.h"
#include "meshctl/catalog/json_reader.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

using nlohmann::json;

void create_domain(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  registry::DomainRequest request{read.optional_string("name").value_or(""),
                                  read.optional_string("ownerTeam").value_or("")};
  if (!read.ok()) return reply_error(exchange.response, read.error());
  reply(
      exchange, exchange.service.create_domain(exchange.caller, request),
      [](const registry::DomainRecord& domain) { return registry::to_json(domain); }, 201);
}

void create_token(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  registry::TokenRequest request;
  request.name = read.optional_string("name").value_or("");
  const auto role_text = read.optional_string("role").value_or("");
  request.domains = read.strings("domains");
  request.expires_in_seconds = read.optional_integer("expiresInSeconds");
  if (!read.ok()) return reply_error(exchange.response, read.error());
  const auto role = registry::parse_role(role_text);
  if (!role) {
    return reply_error(exchange.response,
                       make_error(ErrorKind::invalid, "role must be admin, owner or reader, not '" + role_text + "'"));
  }
  request.role = *role;
  reply(
      exchange, exchange.service.create_token(exchange.caller, request),
      [](const registry::NewToken& token) { return registry::to_json(token); }, 201);
}

void rotate_token(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  const registry::TokenRotation rotation{exchange.path_part(1), read.optional_integer("expiresInSeconds")};
  if (!read.ok()) return reply_error(exchange.response, read.error());
  reply(exchange, exchange.service.rotate_token(exchange.caller, rotation),
        [](const registry::NewToken& token) { return registry::to_json(token); });
}

// Not kept between requests: the answer depends on the caller (an owner sees
// its domains) and, with a relative `since`, on the time.
void read_audit(Exchange& exchange) {
  registry::AuditQuery query;
  query.domain = exchange.query("domain");
  query.actor = exchange.query("actor");
  query.action = exchange.query("action");
  query.since = exchange.query("since");
  auto limit = integer_query(exchange, "limit");
  if (!limit) return reply_error(exchange.response, limit.error());
  if (*limit) query.limit = static_cast<std::size_t>(**limit);
  auto before = integer_query(exchange, "before");
  if (!before) return reply_error(exchange.response, before.error());
  query.before_id = before->value_or(0);
  reply(exchange, exchange.service.audit(exchange.caller, query),
        [](const registry::AuditPage& page) { return registry::to_json(page); });
}

}  // namespace

void add_access_routes(Router& router) {
  router.post("/v1/domains", create_domain, {registry::Role::admin, "create domains"});
  router.get("/v1/tokens", [](Exchange& exchange) {
    reply(exchange, exchange.service.list_tokens(exchange.caller),
          [](const std::vector<registry::PrincipalRecord>& all) {
            json tokens = json::array();
            for (const auto& principal : all) tokens.push_back(registry::to_json(principal));
            return json{{"tokens", std::move(tokens)}};
          });
  });
  router.post("/v1/tokens", create_token, {registry::Role::admin, "create tokens"});
  router.del(std::string("/v1/tokens/") + kSegment,
             [](Exchange& exchange) {
               reply(exchange, exchange.service.revoke_token(exchange.caller, exchange.path_part(1)),
                     [](const registry::PrincipalRecord& principal) { return registry::to_json(principal); });
             },
             {registry::Role::admin, "revoke tokens"});
  router.post(std::string("/v1/tokens/") + kSegment + "/rotate", rotate_token,
              {registry::Role::admin, "rotate tokens"});
  router.get("/v1/audit", read_audit);
}

}  // namespace meshctl::server
