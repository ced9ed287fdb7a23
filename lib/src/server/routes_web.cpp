// The web catalog's pages (meshctl/web/catalog.h), outside the /v1/ API:
//   GET  /                                               home
//   GET  /catalog/domains/DOMAIN                         a domain's products
//   GET  /catalog/products/DOMAIN/NAME                   a product
//   GET  /catalog/products/DOMAIN/NAME/manifest.yaml     its latest manifest, native
//   GET  /catalog/products/DOMAIN/NAME/odps.yaml         as ODPS: the product, then its contracts
//   GET  /catalog/products/DOMAIN/NAME/odcs.yaml         as ODCS (a product with one output port)
//   GET  /catalog/products/DOMAIN/NAME/odcs/PORT.yaml    an output port's ODCS contract (several ports)
//   GET  /catalog/search?q=WORDS                         search results
//   GET  /catalog/terms                                  the glossary's terms
//   GET  /catalog/terms/TERM                             a term with the fields that use it
//   GET  /login, POST /login (form field `token`), POST /logout
// Who may read them is ServerOptions::catalog: with `signed_in` a page needs a
// session (the cookie POST /login sets) or a bearer token, and sends anyone
// else to /login; with `public` anyone reads; with `off` every page answers 404.
// Nothing here writes to the registry but a session's creation and removal.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "meshctl/registry/service.h"
#include "meshctl/web/catalog.h"
#include "server/routes.h"
#include "server/server_metrics.h"

namespace meshctl::server {
namespace {

constexpr std::string_view kSessionCookie = "meshctl_session";

using Render =
    std::function<Result<std::string>(web::CatalogReader&, const httplib::Request&, const web::CatalogLinks&)>;

void secure_headers(httplib::Response& response) {
  // The pages load nothing: no script, no other origin; their one stylesheet is inline.
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; "
                      "frame-ancestors 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
}

void reply_page(httplib::Response& response, int status, const std::string& html) {
  response.status = status;
  secure_headers(response);
  response.set_content(html, "text/html; charset=utf-8");
}

void reply_notice(httplib::Response& response, int status, const std::string& heading, const std::string& text) {
  reply_page(response, status, web::render_notice(heading, text, web::CatalogLinks::served()));
}

void redirect(httplib::Response& response, const std::string& location) {
  response.status = 303;
  response.set_header("Location", location);
  response.set_header("Cache-Control", "no-store");
}

// A value of the request's Cookie header; empty when it has none of that name.
std::string cookie(const httplib::Request& request, std::string_view name) {
  const auto header = request.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    auto pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
  }
  return {};
}

// Where to go after signing in: a path of this server only, never another site ("//host", "/\host").
std::string local_path(const std::string& next) {
  const bool local = next.size() >= 1 && next.front() == '/' && next.rfind("//", 0) != 0 &&
                     next.find('\\') == std::string::npos && next.find_first_of("\r\n\t") == std::string::npos;
  return local ? next : "/";
}

std::string encode_component(std::string_view text) {
  std::string encoded;
  for (const unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '/') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

// False when a browser says the form was sent from another site: the session cookie is SameSite=Strict,
// and this refuses the rest (signing someone in with the sender's token, signing them out). A client
// that sends neither header (curl, a script) is no browser a site could drive.
bool same_origin(const httplib::Request& request) {
  const auto site = request.get_header_value("Sec-Fetch-Site");
  if (!site.empty() && site != "same-origin" && site != "none") return false;
  const auto origin = request.get_header_value("Origin");
  if (origin.empty()) return true;
  const auto scheme_end = origin.find("://");
  return scheme_end != std::string::npos && origin.substr(scheme_end + 3) == request.get_header_value("Host");
}

// A form's fields (application/x-www-form-urlencoded), read from the body up to a few KiB: a sign-in form
// holds a token and a path. Registered as a reader of the body, as every route with one is (http_support.h).
httplib::Params form_fields(const httplib::ContentReader& reader) {
  constexpr std::size_t kMaxFormBytes = 8 * 1024;
  std::string body;
  reader([&body](const char* data, std::size_t length) {
    body.append(data, length);
    return body.size() <= kMaxFormBytes;
  });
  httplib::Params fields;
  if (body.size() <= kMaxFormBytes) httplib::detail::parse_query_text(body, fields);
  return fields;
}

std::string field(const httplib::Params& fields, const std::string& name) {
  const auto found = fields.find(name);
  return found == fields.end() ? std::string() : found->second;
}

// The principal of a page's request: its session cookie, else its bearer token.
Result<registry::PrincipalRecord> principal_of(const httplib::Request& request, registry::RegistryService& service) {
  const auto header = request.get_header_value("Authorization");
  if (header.rfind("Bearer ", 0) == 0) return service.authenticate(std::string_view(header).substr(7));
  const auto session = cookie(request, kSessionCookie);
  if (session.empty()) return make_error(ErrorKind::unauthenticated, "sign in to read the catalog");
  return service.authenticate_session(session);
}

void reply_catalog_off(httplib::Response& response) {
  reply_notice(response, 404, "The catalog is off",
               "This registry server does not show its web catalog. Its operator can start it with "
               "`meshctl serve --catalog signed-in` (its principals sign in) or `--catalog public`.");
}

// The name a download is saved as (Content-Disposition), from its request.
using FileName = std::function<std::string(const httplib::Request&)>;

// A file name for a Content-Disposition header's quoted string: what could end the string or the header
// becomes '_'.
std::string quoted_file_name(const std::string& name) {
  std::string quoted;
  for (const char c : name) {
    const bool unsafe = c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    quoted += unsafe ? '_' : c;
  }
  return quoted;
}

// With `file_name`: the answer is a manifest to save (application/yaml, as an attachment of that name), not
// a page.
httplib::Server::Handler page(ServicePool& pool, CatalogAccess access, const std::string& pattern, Render render,
                              FileName file_name = nullptr) {
  return [&pool, access, label = route_label(pattern), render = std::move(render), file_name = std::move(file_name)](
             const httplib::Request& request, httplib::Response& response) {
    current_request_notes().route.assign(label);
    if (access == CatalogAccess::off) return reply_catalog_off(response);
    auto lease = pool.acquire();
    if (!lease) return reply_notice(response, 503, "The registry is busy", lease.error().message);
    auto links = web::CatalogLinks::served();
    if (access == CatalogAccess::signed_in) {
      auto principal = principal_of(request, lease->service());
      if (!principal) {
        if (principal.error().kind != ErrorKind::unauthenticated) {
          return reply_notice(response, http_status_for(principal.error().kind), "The page cannot be shown",
                              principal.error().message);
        }
        std::string target = request.path;
        if (!request.params.empty()) target = request.target;
        return redirect(response, "/login?next=" + encode_component(target));
      }
      current_request_notes().principal = principal->name;
      links = web::CatalogLinks::served(principal->name);
      response.set_header("Cache-Control", "private, no-store");
    }
    web::ReaderOver<registry::RegistryService> reader(lease->service());
    auto html = render(reader, request, links);
    if (!html) {
      const int status = http_status_for(html.error().kind);
      const bool missing = html.error().kind == ErrorKind::not_found;
      return reply_notice(response, status, missing ? "Not found" : "The page cannot be shown", html.error().message);
    }
    if (!file_name) return reply_page(response, 200, *html);
    response.status = 200;
    secure_headers(response);
    response.set_header("Content-Disposition", "attachment; filename=\"" + quoted_file_name(file_name(request)) + "\"");
    response.set_content(*html, "application/yaml; charset=utf-8");
  };
}

void add_sign_in_routes(httplib::Server& http, ServicePool& pool, CatalogAccess access, bool tls) {
  http.Get("/login", [access](const httplib::Request& request, httplib::Response& response) {
    current_request_notes().route.assign("/login");
    if (access == CatalogAccess::off) return reply_catalog_off(response);
    response.set_header("Cache-Control", "no-store");
    reply_page(response, 200, web::render_login("", local_path(request.get_param_value("next"))));
  });
  http.Post("/login", [&pool, access, tls](const httplib::Request& request, httplib::Response& response,
                                           const httplib::ContentReader& reader) {
    current_request_notes().route.assign("/login");
    if (access == CatalogAccess::off) return reply_catalog_off(response);
    response.set_header("Cache-Control", "no-store");
    const auto fields = form_fields(reader);
    const auto next = local_path(field(fields, "next"));
    if (!same_origin(request)) {
      return reply_page(response, 403, web::render_login("Sign in from this page, not from another site.", next));
    }
    const auto token = field(fields, "token");
    if (token.empty()) return reply_page(response, 400, web::render_login("Type your token to sign in.", next));
    auto lease = pool.acquire();
    if (!lease) return reply_notice(response, 503, "The registry is busy", lease.error().message);
    auto session = lease->service().sign_in(token);
    if (!session) {
      return reply_page(response, http_status_for(session.error().kind),
                        web::render_login(session.error().message, next));
    }
    current_request_notes().principal = session->principal.name;
    response.set_header("Set-Cookie",
                        fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie,
                                    session->secret, session->max_age_seconds, tls ? "; Secure" : ""));
    redirect(response, next);
  });
  http.Post("/logout", [&pool, access, tls](const httplib::Request& request, httplib::Response& response,
                                            const httplib::ContentReader& reader) {
    form_fields(reader);  // read and dropped: the session is the cookie's
    current_request_notes().route.assign("/logout");
    if (access == CatalogAccess::off) return reply_catalog_off(response);
    if (!same_origin(request)) {
      return reply_notice(response, 403, "Not signed out", "Sign out from the catalog's own pages.");
    }
    if (const auto session = cookie(request, kSessionCookie); !session.empty()) {
      auto lease = pool.acquire();
      if (!lease) return reply_notice(response, 503, "The registry is busy", lease.error().message);
      if (auto ended = lease->service().sign_out(session); !ended) {
        return reply_notice(response, http_status_for(ended.error().kind), "Not signed out", ended.error().message);
      }
    }
    response.set_header("Set-Cookie", fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}", kSessionCookie,
                                                  tls ? "; Secure" : ""));
    redirect(response, "/login");
  });
}

}  // namespace

void add_web_routes(httplib::Server& http, ServicePool& pool, CatalogAccess access, bool tls) {
  add_sign_in_routes(http, pool, access, tls);
  http.Get("/", page(pool, access, "/",
                     [](web::CatalogReader& reader, const httplib::Request&, const web::CatalogLinks& links) {
                       return web::render_home(reader, links);
                     }));
  http.Get("/catalog/search",
           page(pool, access, "/catalog/search",
                [](web::CatalogReader& reader, const httplib::Request& request, const web::CatalogLinks& links) {
                  return web::render_search(reader, request.get_param_value("q"), links);
                }));
  http.Get("/catalog/terms", page(pool, access, "/catalog/terms",
                                  [](web::CatalogReader& reader, const httplib::Request&,
                                     const web::CatalogLinks& links) { return web::render_glossary(reader, links); }));
  const auto term_page = std::string("/catalog/terms/") + kSegment;
  http.Get(term_page,
           page(pool, access, term_page,
                [](web::CatalogReader& reader, const httplib::Request& request, const web::CatalogLinks& links) {
                  return web::render_term(reader, request.matches[1].str(), links);
                }));
  const auto domain_page = std::string("/catalog/domains/") + kSegment;
  http.Get(domain_page,
           page(pool, access, domain_page,
                [](web::CatalogReader& reader, const httplib::Request& request, const web::CatalogLinks& links) {
                  return web::render_domain(reader, request.matches[1].str(), links);
                }));
  const auto product_page = std::string("/catalog/products/") + kSegment + "/" + kSegment;
  http.Get(product_page,
           page(pool, access, product_page,
                [](web::CatalogReader& reader, const httplib::Request& request, const web::CatalogLinks& links) {
                  return web::render_product(reader, {request.matches[1].str(), request.matches[2].str()}, links);
                }));
  // The manifest's downloads: /manifest.yaml, /odps.yaml, /odcs.yaml, /odcs/PORT.yaml.
  const auto add_download = [&](const std::string& suffix, web::ManifestDownload::Format format, bool port) {
    const auto pattern = product_page + suffix;
    const auto download = [format, port](const httplib::Request& request) {
      return web::ManifestDownload{format, port ? request.matches[3].str() : std::string()};
    };
    const auto ref = [](const httplib::Request& request) {
      return registry::ProductRef{request.matches[1].str(), request.matches[2].str()};
    };
    http.Get(pattern, page(
                          pool, access, pattern,
                          [download, ref](web::CatalogReader& reader, const httplib::Request& request,
                                          const web::CatalogLinks&) {
                            return web::manifest_download(reader, ref(request), download(request));
                          },
                          [download, ref](const httplib::Request& request) {
                            return web::download_file_name(ref(request), download(request));
                          }));
  };
  using Format = web::ManifestDownload::Format;
  add_download("/manifest\\.yaml", Format::native, false);
  add_download("/odps\\.yaml", Format::odps, false);
  add_download("/odcs\\.yaml", Format::odcs, false);
  add_download(std::string("/odcs/") + kSegment + "\\.yaml", Format::odcs, true);
}

}  // namespace meshctl::server
