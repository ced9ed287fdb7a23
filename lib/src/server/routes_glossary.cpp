// The business glossary: publishing a glossary (POST /v1/glossaries), its terms (GET /v1/terms,
// GET /v1/terms/NAME).

#include "meshctl/catalog/glossary.h"
#include "meshctl/manifest/glossary.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

using nlohmann::json;

// {"glossary": canonical glossary JSON, "dryRun": bool}
void publish_glossary(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  const auto dry_run = body->value("dryRun", json(false));
  if (!dry_run.is_boolean()) {
    return reply_error(exchange.response, make_error(ErrorKind::invalid, "dryRun must be true or false"));
  }
  auto glossary = manifest::glossary_from_json(body->value("glossary", json()));
  if (!glossary) {
    return reply_error(exchange.response, make_error(ErrorKind::invalid, "glossary: " + glossary.error().message));
  }
  auto change = exchange.service.publish_glossary(exchange.caller, *glossary, dry_run.get<bool>());
  if (!change) {
    return reply_error(exchange.response, change.error(), change.error().kind == ErrorKind::invalid ? 422 : 0);
  }
  const int status = change->action == registry::ChangeAction::created && !dry_run.get<bool>() ? 201 : 200;
  reply_json(exchange.response, status, registry::to_json(*change));
}

}  // namespace

void add_glossary_routes(Router& router) {
  router.post("/v1/glossaries", publish_glossary, {registry::Role::owner, "publish glossaries"});
  router.get_cacheable("/v1/terms", [](Exchange& exchange) {
    reply(exchange, exchange.service.list_terms(exchange.query("domain")),
          [](const std::vector<registry::TermRecord>& terms) {
            json list = json::array();
            for (const auto& term : terms) list.push_back(registry::to_json(term));
            return json{{"terms", std::move(list)}};
          });
  });
  router.get_cacheable(std::string("/v1/terms/") + kSegment, [](Exchange& exchange) {
    reply(exchange, exchange.service.describe_term(exchange.path_part(1)),
          [](const registry::TermDetails& details) { return registry::to_json(details); });
  });
}

}  // namespace meshctl::server
