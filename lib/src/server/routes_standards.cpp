// The platform's standards kept by the registry: everyone authenticated reads them, admins publish.
// RegistryService decides; these routes only carry the requests.

#include "meshctl/catalog/json.h"
#include "meshctl/catalog/json_reader.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

using nlohmann::json;

void publish_standards(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  registry::ObjectReader read(*body, "the request");
  const auto text = read.string("text");
  if (!read.ok()) return reply_error(exchange.response, read.error());
  auto published = exchange.service.publish_standards(exchange.caller, text);
  if (!published) return reply_error(exchange.response, published.error());
  reply_json(exchange.response, published->unchanged ? 200 : 201, registry::to_json(*published));
}

}  // namespace

void add_standards_routes(Router& router) {
  router.get("/v1/standards", [](Exchange& exchange) {
    reply(exchange, exchange.service.standards(), [](const std::optional<registry::StandardsRecord>& record) {
      return json{{"standards", record ? registry::to_json(*record) : json(nullptr)}};
    });
  });
  router.post("/v1/standards", publish_standards, {registry::Role::admin, "publish the platform's standards"});
}

}  // namespace meshctl::server
