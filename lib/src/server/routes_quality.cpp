// Quality runs of a product (`meshctl test --publish`, `get quality`): everyone authenticated reads them;
// admins and the owners of the product's domain publish. RegistryService decides; these routes only carry
// the requests.

#include "meshctl/catalog/json.h"
#include "server/routes.h"

namespace meshctl::server {
namespace {

void publish_quality(Exchange& exchange) {
  auto body = read_json_body(exchange);
  if (!body) return reply_error(exchange.response, body.error());
  auto publication = registry::quality_publication_from_json(*body, product_of(exchange));
  if (!publication) return reply_error(exchange.response, publication.error());
  auto runs = exchange.service.publish_quality(exchange.caller, *publication);
  if (!runs) return reply_error(exchange.response, runs.error());
  reply_json(exchange.response, 201, registry::to_json(*runs));
}

// ?version=V&port=P&limit=N
void quality_runs(Exchange& exchange) {
  registry::QualityQuery query;
  query.version = exchange.query("version");
  query.port = exchange.query("port");
  auto limit = integer_query(exchange, "limit");
  if (!limit) return reply_error(exchange.response, limit.error());
  if (*limit) query.limit = static_cast<std::size_t>(**limit);
  reply(exchange, exchange.service.quality_runs(product_of(exchange), query),
        [](const std::vector<registry::QualityRun>& runs) { return registry::to_json(runs); });
}

}  // namespace

void add_quality_routes(Router& router) {
  router.get_cacheable(kProductPath + "/quality", quality_runs);
  // Readers are refused before the checks are read; which domain an owner may write is the service's rule.
  router.post(kProductPath + "/quality", publish_quality, {registry::Role::owner, "publish quality results"});
}

}  // namespace meshctl::server
