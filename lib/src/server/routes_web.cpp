// The web catalog's pages (meshctl/web/catalog.h), outside the /v1/ API:
//   GET /                                  home
//   GET /catalog/domains/DOMAIN            a domain's products
//   GET /catalog/products/DOMAIN/NAME      a product
// With --catalog public anyone may read them (no token); otherwise every one
// answers 404 with a short page saying the catalog is off. The sign-in to come
// (a session cookie from POST /login) fits beside them: /login and /logout
// stay outside /catalog/, and a signed-in page runs as the session's principal.

#include <functional>

#include "meshctl/web/catalog.h"
#include "server/routes.h"
#include "server/server_metrics.h"

namespace meshctl::server {
namespace {

using Render = std::function<Result<std::string>(web::CatalogReader&, const httplib::Request&)>;

void reply_page(httplib::Response& response, int status, const std::string& html) {
  response.status = status;
  // The pages load nothing: no script, no other origin; their one stylesheet is inline.
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
                      "frame-ancestors 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
  response.set_content(html, "text/html; charset=utf-8");
}

void reply_notice(httplib::Response& response, int status, const std::string& heading, const std::string& text) {
  reply_page(response, status, web::render_notice(heading, text, web::CatalogLinks::served()));
}

httplib::Server::Handler page(ServicePool& pool, CatalogAccess access, const std::string& pattern, Render render) {
  return [&pool, access, label = route_label(pattern), render = std::move(render)](const httplib::Request& request,
                                                                                    httplib::Response& response) {
    current_request_notes().route.assign(label);
    if (access != CatalogAccess::public_read) {
      return reply_notice(response, 404, "The catalog is off",
                          "This registry server does not show its web catalog. Its operator can start it with "
                          "`meshctl serve --catalog public` for read-only browsing without a token.");
    }
    auto lease = pool.acquire();
    if (!lease) return reply_notice(response, 503, "The registry is busy", lease.error().message);
    web::ReaderOver<registry::RegistryService> reader(lease->service());
    auto html = render(reader, request);
    if (!html) {
      const int status = http_status_for(html.error().kind);
      const bool missing = html.error().kind == ErrorKind::not_found;
      return reply_notice(response, status, missing ? "Not found" : "The page cannot be shown", html.error().message);
    }
    reply_page(response, 200, *html);
  };
}

}  // namespace

void add_web_routes(httplib::Server& http, ServicePool& pool, CatalogAccess access) {
  const auto links = web::CatalogLinks::served();
  http.Get("/", page(pool, access, "/", [links](web::CatalogReader& reader, const httplib::Request&) {
             return web::render_home(reader, links);
           }));
  const auto domain_page = std::string("/catalog/domains/") + kSegment;
  http.Get(domain_page, page(pool, access, domain_page, [links](web::CatalogReader& reader, const httplib::Request& request) {
             return web::render_domain(reader, request.matches[1].str(), links);
           }));
  const auto product_page = std::string("/catalog/products/") + kSegment + "/" + kSegment;
  http.Get(product_page, page(pool, access, product_page, [links](web::CatalogReader& reader, const httplib::Request& request) {
             return web::render_product(reader, {request.matches[1].str(), request.matches[2].str()}, links);
           }));
}

}  // namespace meshctl::server
