#include "server/http_support.h"

#include <charconv>
#include <exception>

#include <fmt/format.h>

#include "meshctl/core/json.h"
#include "meshctl/registry/token.h"
#include "server/front.h"

namespace meshctl::server {

ServicePool::Lease::~Lease() {
  if (slot_) pool_->give_back(std::move(slot_));
}

void ServicePool::give_back(std::unique_ptr<Slot> slot) {
  {
    std::lock_guard lock(mutex_);
    --lent_;
    if (slot) idle_.push_back(std::move(slot));
  }
  returned_.notify_one();
}

Result<ServicePool::Lease> ServicePool::acquire() {
  {
    std::unique_lock lock(mutex_);
    if (!returned_.wait_for(lock, wait_, [this] { return lent_ < workers_; })) {
      return make_error(ErrorKind::unavailable, "the server is busy: every store connection is in use");
    }
    ++lent_;
    if (!idle_.empty()) {
      auto slot = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(slot));
    }
  }
  // Opened outside the lock: a slow connection must not hold up the other workers.
  auto store = open_store_();
  if (!store) {
    give_back(nullptr);
    return store.error();
  }
  auto slot = std::make_unique<Slot>();
  slot->store = std::move(*store);
  slot->service = std::make_unique<registry::RegistryService>(*slot->store, clock_);
  return Lease(*this, std::move(slot));
}

std::string Exchange::path_part(std::size_t index) const {
  if (index >= request.matches.size()) return "";
  return request.matches[index].str();  // httplib decoded the path before matching
}

std::optional<std::string> Exchange::query(const char* name) const {
  if (!request.has_param(name)) return std::nullopt;
  return request.get_param_value(name);
}

std::vector<std::string> Exchange::query_all(const char* name) const {
  std::vector<std::string> values;
  const auto count = request.get_param_value_count(name);
  for (std::size_t i = 0; i < count; ++i) values.push_back(request.get_param_value(name, i));
  return values;
}

namespace {

std::optional<std::string> bearer_token(const httplib::Request& request) {
  const auto header = request.get_header_value("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (header.size() <= scheme.size() || header.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
  return header.substr(scheme.size());
}

// A store connection with its RegistryService, borrowed from the pool on
// first use: a request answered from the caches needs none.
class LazyLease {
 public:
  explicit LazyLease(ServicePool& pool) : pool_(pool) {}

  void release() { lease_.reset(); }

  Result<registry::RegistryService*> service() {
    if (!lease_) {
      auto acquired = pool_.acquire();
      if (!acquired) return acquired.error();
      lease_.emplace(std::move(*acquired));
    }
    return &lease_->service();
  }

 private:
  ServicePool& pool_;
  std::optional<ServicePool::Lease> lease_;
};

// The caller of a valid token, from the cache when the store did not change
// since it was kept; the cache is keyed by the token's SHA-256, so it never
// holds a token. A kept principal's token may have expired since (time
// passes without the store changing): that is checked on every request.
Result<ServerCaches::Principal> authenticate_cached(LazyLease& lease, ServerCaches& caches, ServerMetrics& metrics,
                                                    std::optional<std::uint64_t> generation, const std::string& token,
                                                    const meshctl::Clock& clock) {
  std::string key;
  if (generation) {
    key = registry::token::hash_secret(token);
    if (auto principal = caches.principals.find(key, *generation)) {
      metrics.principal_hits.add();
      if (auto live = registry::check_token_expiry(**principal, clock.now()); !live.ok()) return live.error();
      return std::move(*principal);
    }
    metrics.principal_misses.add();
  }
  auto service = lease.service();
  if (!service) return service.error();
  auto found = (*service)->authenticate(token);
  if (!found) return found.error();
  auto principal = std::make_shared<const registry::PrincipalRecord>(std::move(*found));
  if (generation) {
    std::size_t bytes = sizeof(*principal) + principal->name.size() + principal->token_id.size() +
                        principal->created_at.size() + principal->created_by.size() +
                        principal->expires_at.value_or("").size();
    for (const auto& domain : principal->domains) bytes += sizeof(domain) + domain.size();
    caches.principals.put(key, *generation, principal, bytes);
  }
  return principal;
}

}  // namespace

namespace {

// What every route does before its handler: authenticate, check the route's
// access, read the body within the limit. Then it runs the handler with a
// borrowed service, unless a kept answer serves the request.
struct Dispatch {
  ServicePool& pool;
  ServerCaches& caches;
  ServerMetrics& metrics;
  std::string route;  // the label of the route's pattern (server_metrics.h)
  bool cacheable = false;
  Router::Access access;
  std::size_t max_body_bytes = 0;

  // `reader`: the body's reader, null for a route without a body.
  void operator()(const httplib::Request& request, httplib::Response& response, const Router::Handler& handler,
                  const httplib::ContentReader* reader) const {
    current_request_notes().route.assign(route);
    try {
      serve(request, response, handler, reader);
    } catch (const std::exception& failure) {
      reply_error(response, make_error(ErrorKind::unavailable, std::string("internal error: ") + failure.what()), 500);
    }
  }

 private:
  void serve(const httplib::Request& request, httplib::Response& response, const Router::Handler& handler,
             const httplib::ContentReader* reader) const {
    // The body is read only for a caller found allowed; a connection whose
    // body was left unread closes after the answer.
    struct UnreadBody {
      httplib::Response& response;
      bool left = false;
      ~UnreadBody() {
        if (left) Front::close_after_answer(response);
      }
    } unread{response, reader != nullptr};
    const auto token = bearer_token(request);
    if (!token) {
      return reply_error(response, make_error(ErrorKind::unauthenticated,
                                              "this registry needs a token: pass --token or set MESHCTL_TOKEN"));
    }
    // Before anything is read: see read_cache.h for why this order keeps kept answers exact.
    // When the check fails the request goes to the store as if nothing were kept.
    std::optional<std::uint64_t> generation;
    if (caches.watcher) {
      if (auto current = caches.watcher->generation()) generation = *current;
    }
    LazyLease lease(pool);
    auto principal = authenticate_cached(lease, caches, metrics, generation, *token, pool.clock());
    if (!principal) return reply_error(response, principal.error());
    current_request_notes().principal = (*principal)->name;
    const registry::Caller caller{(*principal)->name, **principal};
    if (!registry::role_reaches((*principal)->role, access.minimum)) {
      auto service = lease.service();
      if (!service) return reply_error(response, service.error());
      return reply_error(response, (*service)->authorize_role(caller, access.minimum, access.attempted).error());
    }
    std::string body;
    if (reader != nullptr) {
      lease.release();  // no store connection waits on a client still sending its body
      if (auto read = read_body(request, *reader, body); !read.ok()) {
        const bool too_large = read.error().kind == ErrorKind::invalid && !read.error().details.is_null();
        return reply_error(response, read.error(), too_large ? 413 : 0);
      }
      unread.left = false;
    }
    const bool use_answers = cacheable && generation.has_value();
    if (use_answers) {
      if (auto kept = caches.answers.find(request.target, *generation)) {
        metrics.answer_hits.add();
        current_request_notes().kept_answer = true;
        response.status = 200;
        response.body = std::move(*kept);
        response.set_header("Content-Type", "application/json");
        return;
      }
      metrics.answer_misses.add();
    }
    auto service = lease.service();
    if (!service) return reply_error(response, service.error());
    Exchange exchange{request, response, **service, caller, body, metrics};
    handler(exchange);
    if (use_answers && response.status == 200) {
      caches.answers.put(request.target, *generation, response.body, response.body.size());
    }
  }

  // The whole body into `body`, chunked or not, refused past max_body_bytes
  // (details: the limit) without reading further.
  Status read_body(const httplib::Request& request, const httplib::ContentReader& reader, std::string& body) const {
    const auto too_large = make_error(
        ErrorKind::invalid,
        fmt::format("the request body is larger than this server's limit of {} bytes: send less at once (e.g. "
                    "apply one domain's folder at a time), or ask the server's operator to raise meshctl serve "
                    "--max-body-bytes",
                    max_body_bytes),
        {{"maxBodyBytes", max_body_bytes}});
    if (request.has_header("Content-Length")) {
      const auto declared = request.get_header_value("Content-Length");
      std::uint64_t length = 0;
      const auto [end, failure] = std::from_chars(declared.data(), declared.data() + declared.size(), length);
      if (failure != std::errc{} || end != declared.data() + declared.size()) {
        return make_error(ErrorKind::invalid, "Content-Length is not a number");
      }
      if (length > max_body_bytes) return too_large;
      body.reserve(static_cast<std::size_t>(length));
    }
    bool over = false;
    const bool complete = reader([&](const char* data, std::size_t size) {
      if (body.size() + size > max_body_bytes) {
        over = true;
        return false;
      }
      body.append(data, size);
      return true;
    });
    if (over) return too_large;
    if (!complete) return make_error(ErrorKind::invalid, "the request body could not be read");
    return ok_status();
  }
};

}  // namespace

httplib::Server::Handler Router::wrap(const std::string& pattern, Handler handler, bool cacheable) {
  // Captures the pool and the caches, not the Router: a Router only lives while routes are added.
  return [dispatch = Dispatch{pool_, caches_, metrics_, route_label(pattern), cacheable, {}, max_body_bytes_},
          handler = std::move(handler)](
             const httplib::Request& request, httplib::Response& response) {
    dispatch(request, response, handler, nullptr);
  };
}

httplib::Server::HandlerWithContentReader Router::wrap_with_body(const std::string& pattern, Handler handler,
                                                                 Access access) {
  return [dispatch = Dispatch{pool_, caches_, metrics_, route_label(pattern), false, std::move(access),
                              max_body_bytes_},
          handler = std::move(handler)](
             const httplib::Request& request, httplib::Response& response, const httplib::ContentReader& reader) {
    dispatch(request, response, handler, &reader);
  };
}

void Router::get(const std::string& pattern, Handler handler) {
  http_.Get(pattern, wrap(pattern, std::move(handler), false));
}
void Router::get_cacheable(const std::string& pattern, Handler handler) {
  http_.Get(pattern, wrap(pattern, std::move(handler), true));
}
void Router::post(const std::string& pattern, Handler handler, Access access) {
  http_.Post(pattern, wrap_with_body(pattern, std::move(handler), std::move(access)));
}
void Router::del(const std::string& pattern, Handler handler, Access access) {
  http_.Delete(pattern, wrap_with_body(pattern, std::move(handler), std::move(access)));
}

void Router::refuse_unknown_bodies() {
  const auto refuse = [](const httplib::Request& request, httplib::Response& response, const httplib::ContentReader&) {
    Front::close_after_answer(response);
    reply_error(response,
                make_error(ErrorKind::not_found, fmt::format("no such endpoint: {} {}", request.method, request.path)));
  };
  http_.Post(".*", refuse);
  http_.Put(".*", refuse);
  http_.Patch(".*", refuse);
  http_.Delete(".*", refuse);
}

int http_status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return 400;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::unavailable: return 503;
    case ErrorKind::findings: return 422;
  }
  return 500;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json body = {{"kind", to_string(error.kind)}, {"message", error.message}};
  if (!error.details.is_null()) body["details"] = error.details;
  if (const auto& id = current_request_notes().request_id; !id.empty()) body["requestId"] = id;
  return {{"error", std::move(body)}};
}

void reply_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void reply_error(httplib::Response& response, const Error& error, int status) {
  reply_json(response, status == 0 ? http_status_for(error.kind) : status, error_json(error));
}

Result<nlohmann::json> read_json_body(const Exchange& exchange) {
  auto body = parse_json(exchange.body, "the request body");
  if (!body) return body.error();
  if (!body->is_object()) return make_error(ErrorKind::invalid, "the request body is not a JSON object");
  return body;
}

Result<std::optional<std::int64_t>> integer_query(const Exchange& exchange, const char* name) {
  const auto text = exchange.query(name);
  if (!text) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  const auto* end = text->data() + text->size();
  const auto [stop, failure] = std::from_chars(text->data(), end, value);
  if (failure != std::errc{} || stop != end || value < 0) {
    return make_error(ErrorKind::invalid, fmt::format("query parameter {}: '{}' is not a whole number", name, *text));
  }
  return std::optional<std::int64_t>{value};
}

RequestNotes& current_request_notes() {
  thread_local RequestNotes notes;
  return notes;
}

}  // namespace meshctl::server
