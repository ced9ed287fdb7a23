#include "server/http_support.h"

#include <charconv>
#include <exception>

#include <fmt/format.h>

#include "registry/token.h"

namespace meshctl::server {

ServicePool::Lease::~Lease() {
  if (!slot_) return;
  std::lock_guard lock(pool_->mutex_);
  pool_->idle_.push_back(std::move(slot_));
}

Result<ServicePool::Lease> ServicePool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto slot = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(slot));
    }
  }
  // Opened outside the lock: a slow connection must not hold up the other workers.
  auto store = open_store_();
  if (!store) return store.error();
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
// holds a token.
Result<ServerCaches::Principal> authenticate_cached(LazyLease& lease, ServerCaches& caches,
                                                    std::optional<std::uint64_t> generation, const std::string& token) {
  std::string key;
  if (generation) {
    key = registry::token::hash_secret(token);
    if (auto principal = caches.principals.find(key, *generation)) return std::move(*principal);
  }
  auto service = lease.service();
  if (!service) return service.error();
  auto found = (*service)->authenticate(token);
  if (!found) return found.error();
  auto principal = std::make_shared<const registry::PrincipalRecord>(std::move(*found));
  if (generation) {
    std::size_t bytes = sizeof(*principal) + principal->name.size() + principal->token_id.size() +
                        principal->created_at.size() + principal->created_by.size();
    for (const auto& domain : principal->domains) bytes += sizeof(domain) + domain.size();
    caches.principals.put(key, *generation, principal, bytes);
  }
  return principal;
}

}  // namespace

httplib::Server::Handler Router::wrap(Handler handler, bool cacheable) {
  // Captures the pool and the caches, not the Router: a Router only lives while routes are added.
  return [&pool = pool_, &caches = caches_, handler = std::move(handler), cacheable](const httplib::Request& request,
                                                                                     httplib::Response& response) {
    try {
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
      auto principal = authenticate_cached(lease, caches, generation, *token);
      if (!principal) return reply_error(response, principal.error());
      current_request_notes().principal = (*principal)->name;
      const bool use_answers = cacheable && generation.has_value();
      if (use_answers) {
        if (auto body = caches.answers.find(request.target, *generation)) {
          current_request_notes().kept_answer = true;
          response.status = 200;
          response.body = std::move(*body);
          response.set_header("Content-Type", "application/json");
          return;
        }
      }
      auto service = lease.service();
      if (!service) return reply_error(response, service.error());
      Exchange exchange{request, response, **service, registry::Caller{(*principal)->name, **principal}};
      handler(exchange);
      if (use_answers && response.status == 200) {
        caches.answers.put(request.target, *generation, response.body, response.body.size());
      }
    } catch (const std::exception& failure) {
      reply_error(response, make_error(ErrorKind::unavailable, std::string("internal error: ") + failure.what()), 500);
    }
  };
}

void Router::get(const std::string& pattern, Handler handler) {
  http_.Get(pattern, wrap(std::move(handler), false));
}
void Router::get_cacheable(const std::string& pattern, Handler handler) {
  http_.Get(pattern, wrap(std::move(handler), true));
}
void Router::post(const std::string& pattern, Handler handler) {
  http_.Post(pattern, wrap(std::move(handler), false));
}
void Router::del(const std::string& pattern, Handler handler) {
  http_.Delete(pattern, wrap(std::move(handler), false));
}

int http_status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return 400;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::unavailable: return 503;
  }
  return 500;
}

nlohmann::json error_json(const Error& error) {
  nlohmann::json body = {{"kind", to_string(error.kind)}, {"message", error.message}};
  if (!error.details.is_null()) body["details"] = error.details;
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
  auto body = nlohmann::json::parse(exchange.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return make_error(ErrorKind::invalid, "the request body is not a JSON object");
  }
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
