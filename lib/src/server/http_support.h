#pragma once

// What every group of routes needs: authenticated handlers, JSON replies and
// the one mapping from ErrorKind to HTTP status. Private to lib/src/server.
//
// A group of routes lives in its own file and registers through a Router:
//   void add_catalog_routes(Router& router);   // routes_catalog.cpp
//   void add_access_routes(Router& router);    // routes_access.cpp
//   void add_usage_routes(Router& router);     // routes_usage.cpp
// (routes.h declares them; server.cpp calls each once.)

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "meshctl/core/clock.h"
#include "meshctl/core/error.h"
#include "meshctl/registry/service.h"
#include "meshctl/server/server.h"
#include "server/read_cache.h"
#include "server/server_metrics.h"

namespace meshctl::server {

// Store connections with their RegistryService, each used by one request at a
// time. Grows on demand up to `workers` connections; a request that finds them
// all lent waits for one, at most `wait`.
class ServicePool {
 public:
  ServicePool(StoreOpener open_store, const meshctl::Clock& clock, std::size_t workers, std::chrono::milliseconds wait)
      : open_store_(std::move(open_store)), clock_(clock), workers_(workers), wait_(wait) {}

  struct Slot {
    std::unique_ptr<registry::Store> store;
    std::unique_ptr<registry::RegistryService> service;
  };

  // A slot lent to one request; returned to the pool when destroyed.
  class Lease {
   public:
    Lease(ServicePool& pool, std::unique_ptr<Slot> slot) : pool_(&pool), slot_(std::move(slot)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    registry::RegistryService& service() { return *slot_->service; }
    registry::Store& store() { return *slot_->store; }

   private:
    ServicePool* pool_;
    std::unique_ptr<Slot> slot_;
  };

  // An idle slot, or a new one; unavailable when the store cannot be opened
  // or no slot came free in time.
  Result<Lease> acquire();

  // The server's clock, which every slot's service reads.
  const meshctl::Clock& clock() const { return clock_; }

 private:
  void give_back(std::unique_ptr<Slot> slot);

  StoreOpener open_store_;
  const meshctl::Clock& clock_;
  std::size_t workers_;
  std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::size_t lent_ = 0;
  std::vector<std::unique_ptr<Slot>> idle_;
};

// One authenticated request, as a route handler sees it.
struct Exchange {
  const httplib::Request& request;
  httplib::Response& response;
  registry::RegistryService& service;
  registry::Caller caller;
  // The request's body, read within the server's size limit once the caller
  // was found allowed (empty for a GET).
  std::string_view body;
  ServerMetrics& metrics;

  // The n-th capture of the route's pattern (1-based), URL-decoded.
  std::string path_part(std::size_t index) const;
  // A query parameter; nullopt when absent.
  std::optional<std::string> query(const char* name) const;
  // Every value of a repeated query parameter, in order.
  std::vector<std::string> query_all(const char* name) const;
};

// What the server remembers between requests (see read_cache.h): the answers
// of cacheable read routes by request target, and principals by the SHA-256 of
// their token. With a budget of 0 there is no watcher: nothing is kept or checked.
struct ServerCaches {
  // `open_store`: for the watcher's own connection (opened at its first check).
  ServerCaches(std::size_t answer_bytes, StoreOpener open_store)
      : watcher(answer_bytes > 0 ? std::make_unique<ChangeWatcher>(std::move(open_store)) : nullptr),
        answers(answer_bytes),
        principals(kPrincipalBytes) {}

  static constexpr std::size_t kPrincipalBytes = 1024 * 1024;
  using Principal = std::shared_ptr<const registry::PrincipalRecord>;

  std::unique_ptr<ChangeWatcher> watcher;
  GenerationCache<std::string> answers;
  GenerationCache<Principal> principals;
};

// Who may use a route at all, checked before its body is read: the finer
// rules (which domain) are the service's, once the body is decoded.
struct RouteAccess {
  registry::Role minimum = registry::Role::reader;  // reader: any principal
  std::string attempted;                            // said in a refusal: "publish data products"
};

// Registers routes on the HTTP server; it need not outlive the registration
// (the routes keep the server, the pool and the caches). Every route it adds
// authenticates first (401 without a valid bearer token; a kept principal when
// the store did not change), borrows a RegistryService for the request unless
// a kept answer serves it, and turns an escaping exception into a 500 error
// reply.
class Router {
 public:
  using Handler = std::function<void(Exchange&)>;

  using Access = RouteAccess;

  Router(httplib::Server& http, ServicePool& pool, ServerCaches& caches, ServerMetrics& metrics,
         std::size_t max_body_bytes)
      : http_(http), pool_(pool), caches_(caches), metrics_(metrics), max_body_bytes_(max_body_bytes) {}

  // `pattern` is a regular expression over the path; its captures are Exchange::path_part.
  void get(const std::string& pattern, Handler handler);
  // A GET whose 200 answers are kept and served again until the store
  // changes: only for answers that depend on the stored data and the request
  // target alone (not on the caller, nor on the time).
  void get_cacheable(const std::string& pattern, Handler handler);
  void post(const std::string& pattern, Handler handler, Access access = {});
  void del(const std::string& pattern, Handler handler, Access access = {});

  // After every route: a request with a body to any other path or method is
  // answered without reading the body (so no body escapes the size limit).
  void refuse_unknown_bodies();

 private:
  httplib::Server::Handler wrap(const std::string& pattern, Handler handler, bool cacheable);
  httplib::Server::HandlerWithContentReader wrap_with_body(const std::string& pattern, Handler handler,
                                                           Access access);

  httplib::Server& http_;
  ServicePool& pool_;
  ServerCaches& caches_;
  ServerMetrics& metrics_;
  std::size_t max_body_bytes_;
};

// The path segment pattern of a route: one non-empty segment, captured.
inline constexpr const char* kSegment = "([^/]+)";

// /v1/products/DOMAIN/NAME, and the product it names.
inline const std::string kProductPath = std::string("/v1/products/") + kSegment + "/" + kSegment;
inline registry::ProductRef product_of(const Exchange& exchange) {
  return {exchange.path_part(1), exchange.path_part(2)};
}

// 400 invalid, 401 unauthenticated, 403 forbidden, 404 not_found, 409 conflict, 503 unavailable.
int http_status_for(ErrorKind kind);

// {"error": {"kind", "message", "details" (when not null), "requestId" (the
// current request's, when it has one)}}.
nlohmann::json error_json(const Error& error);

void reply_json(httplib::Response& response, int status, const nlohmann::json& body);
// `status` 0: http_status_for(error.kind).
void reply_error(httplib::Response& response, const Error& error, int status = 0);

// Replies `to_json(value)` with `status`, or the error.
template <typename T, typename ToJson>
void reply(Exchange& exchange, const Result<T>& result, ToJson to_json, int status = 200) {
  if (!result) return reply_error(exchange.response, result.error());
  reply_json(exchange.response, status, to_json(*result));
}

// The request body as a JSON object; ErrorKind::invalid (400) when it is not
// one, or when it nests deeper than a manifest may (kMaxJsonDepth).
Result<nlohmann::json> read_json_body(const Exchange& exchange);

// A non-negative integer query parameter: nullopt when absent, invalid when malformed.
Result<std::optional<std::int64_t>> integer_query(const Exchange& exchange, const char* name);

// Where the access log and the metrics learn what was asked and by whom; the
// server and the Router record it per request. Each worker thread serves one
// request at a time, so these are per thread.
struct RequestNotes {
  static constexpr const char* kNoRoute = "other";

  std::optional<std::chrono::steady_clock::time_point> started;
  std::string request_id;    // the client's X-Request-Id when sane, else a random one
  std::string route = kNoRoute;  // the pattern of the route that matched
  std::string principal;     // empty until authenticated; the log writes "-"
  bool kept_answer = false;  // answered from the kept answers (read_cache.h)

  // Ready for the thread's next request (keeps the strings' memory).
  void clear() {
    started.reset();
    request_id.clear();
    route.assign(kNoRoute);
    principal.clear();
    kept_answer = false;
  }
};
RequestNotes& current_request_notes();

}  // namespace meshctl::server
