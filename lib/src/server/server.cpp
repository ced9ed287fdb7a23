#include "meshctl/server/server.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>
#include <openssl/crypto.h>

#include "server/front.h"
#include "server/http_support.h"
#include "server/routes.h"
#include "server/server_metrics.h"

namespace meshctl::server {

// The stores the request workers use report their transactions' durations to `metrics`.
StoreOpener timed(StoreOpener open_store, ServerMetrics& metrics) {
  return [open_store = std::move(open_store), &metrics]() -> Result<std::unique_ptr<registry::Store>> {
    auto store = open_store();
    if (store) (*store)->observe_transactions([&metrics](const auto& timing) { metrics.observe(timing); });
    return store;
  };
}

struct ServerState {
  ServerState(ServerOptions server_options, StoreOpener open_store, const meshctl::Clock& server_clock,
              AccessLogSink sink)
      : options(std::move(server_options)),
        clock(server_clock),
        metrics(server_clock.now(), MESHCTL_VERSION),
        access_log(std::move(sink)),
        pool(timed(open_store, metrics), server_clock, options.workers, options.request_timeout),
        caches(options.cache_bytes, std::move(open_store)) {}

  ServerOptions options;
  const meshctl::Clock& clock;
  ServerMetrics metrics;
  AccessLogSink access_log;
  std::mutex access_log_mutex;
  ServicePool pool;
  ServerCaches caches;
  std::unique_ptr<Front> http;
  std::atomic<bool> stop_requested{false};
  int port = 0;
  bool bound = false;
};

namespace {

using nlohmann::json;

// The methods the API answers; any other is refused before a body is read.
bool known_method(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "POST" || method == "DELETE" || method == "PUT" ||
         method == "PATCH" || method == "OPTIONS";
}

FrontOptions front_options(const ServerOptions& options) {
  FrontOptions front;
  front.limits.read_timeout = options.read_timeout;
  front.limits.write_timeout = options.write_timeout;
  front.limits.request_timeout = options.request_timeout;
  front.limits.max_header_bytes = options.max_header_bytes;
  front.max_connections = options.max_connections;
  front.max_connections_per_client = options.max_connections_per_client;
  return front;
}

std::string address_text(const ServerOptions& options) {
  return fmt::format("{}:{}", options.host, options.port);
}

// Fills in an error body for the replies httplib makes itself (no route 404,
// 413 body too large, 400 malformed request) and for handlers that set a
// status without a body.
httplib::Server::HandlerResponse fill_error_body(const ServerOptions& options, const httplib::Request& request,
                                                 httplib::Response& response) {
  if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  Error error;
  switch (response.status) {
    case 404:
      error = make_error(ErrorKind::not_found, fmt::format("no such endpoint: {} {}", request.method, request.path));
      break;
    case 405:
      error = make_error(ErrorKind::invalid, fmt::format("method {} is not allowed here", request.method));
      break;
    case 413:
      // Said to the client, who cannot change the limit: what to do from its side first.
      error = make_error(ErrorKind::invalid,
                         fmt::format("the request body is larger than this server's limit of {} bytes: send less "
                                     "at once (e.g. apply one domain's folder at a time), or ask the server's "
                                     "operator to raise meshctl serve --max-body-bytes",
                                     options.max_body_bytes),
                         json{{"maxBodyBytes", options.max_body_bytes}});
      break;
    case 503: error = make_error(ErrorKind::unavailable, "the server is busy"); break;
    default:
      error = make_error(response.status >= 500 ? ErrorKind::unavailable : ErrorKind::invalid,
                         fmt::format("the request failed with HTTP status {}", response.status));
  }
  reply_json(response, response.status, error_json(error));
  return httplib::Server::HandlerResponse::Handled;
}

// `text` as a JSON string. Paths and names are plain ASCII but for a rare
// request: those go through nlohmann::json, which escapes and replaces bytes
// that are not UTF-8.
std::string json_string(std::string_view text) {
  const bool plain =
      std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '"').append(text).append(1, '"');
  return quoted;
}

// A client's X-Request-Id worth keeping: short, and of characters that need
// no quoting in a header, a log line or JSON.
bool sane_request_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("-_.:+=@/").find(c) != std::string_view::npos;
         });
}

// 32 hex digits; unique enough to find a request in the logs, not a secret.
std::string random_request_id() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  const auto high = generator();
  const auto low = generator();
  return fmt::format("{:016x}{:016x}", high, low);
}

// The registry's figures (products and versions per domain) are read at each scrape, in one query.
void refresh_registry_gauges(ServicePool& pool, ServerMetrics& metrics) {
  auto lease = pool.acquire();
  if (!lease) return;  // the rest of the metrics are still worth a scrape; these keep their last values
  auto transaction = lease->store().begin(registry::TransactionMode::read);
  if (!transaction) return;
  auto domains = (*transaction)->list_domains();
  if (!domains) return;
  for (const auto& domain : *domains) {
    metrics.products.with({domain.name}).set(static_cast<double>(domain.product_count));
    metrics.versions.with({domain.name}).set(static_cast<double>(domain.version_count));
  }
}

void add_metrics_route(httplib::Server& http, ServerState& impl) {
  http.Get("/metrics", [&impl](const httplib::Request& request, httplib::Response& response) {
    current_request_notes().route.assign("/metrics");
    if (const auto& expected = impl.options.metrics_token; !expected.empty()) {
      const auto header = request.get_header_value("Authorization");
      const auto sent = header.rfind("Bearer ", 0) == 0 ? header.substr(7) : std::string();
      if (sent.size() != expected.size() || CRYPTO_memcmp(sent.data(), expected.data(), sent.size()) != 0) {
        return reply_error(response, make_error(ErrorKind::unauthenticated,
                                                "/metrics needs the metrics token: Authorization: Bearer TOKEN"));
      }
    }
    refresh_registry_gauges(impl.pool, impl.metrics);
    response.status = 200;
    response.set_content(impl.metrics.registry.render(), metrics::kContentType);
  });
}

void add_health_routes(httplib::Server& http, ServicePool& pool) {
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    current_request_notes().route.assign("/healthz");
    reply_json(response, 200, {{"status", "alive"}});
  });
  http.Get("/readyz", [&pool](const httplib::Request&, httplib::Response& response) {
    current_request_notes().route.assign("/readyz");
    auto lease = pool.acquire();
    if (!lease) return reply_error(response, lease.error());
    auto transaction = lease->store().begin(registry::TransactionMode::read);
    if (!transaction) return reply_error(response, transaction.error());
    reply_json(response, 200, {{"status", "ready"}});
  });
}

// One access-log line (server.h, LogFormat): the path only, never the query,
// headers or body, where credentials could be.
std::string access_log_line(LogFormat format, const httplib::Request& request, const httplib::Response& response,
                            const RequestNotes& notes, double duration_ms, const std::string& time) {
  const std::string_view principal = notes.principal.empty() ? std::string_view("-") : notes.principal;
  if (format == LogFormat::text) {
    // Every value but the path is of characters that need no quoting (a method that is not is logged as "other").
    return fmt::format("time={} request_id={} method={} route={} status={} duration_ms={:.3f} bytes={} principal={} "
                       "cached={} path={}",
                       time, notes.request_id, method_label(request.method), notes.route, response.status,
                       duration_ms, response.body.size(), principal, notes.kept_answer, json_string(request.path));
  }
  return fmt::format(
      R"({{"bytes":{},"cached":{},"duration_ms":{:.3f},"method":{},"path":{},"principal":{},"request_id":{},)"
      R"("route":{},"status":{},"time":"{}"}})",
      response.body.size(), notes.kept_answer, duration_ms, json_string(request.method), json_string(request.path),
      json_string(principal), json_string(notes.request_id), json_string(notes.route), response.status, time);
}

void add_api_routes(Router& router) {
  add_catalog_routes(router);
  add_access_routes(router);
  add_usage_routes(router);
  add_standards_routes(router);
  add_quality_routes(router);
  add_glossary_routes(router);
}

void configure(ServerState& impl) {
  auto& http = *impl.http;
  // httplib calls this once per run, after it marks itself running: a stop()
  // that came before is honoured here, so no stop request is lost.
  http.new_task_queue = [&impl] {
    auto* queue = impl.http->make_task_queue();
    if (impl.stop_requested) impl.http->stop();
    return queue;
  };
  http.set_payload_max_length(impl.options.max_body_bytes);
  // SO_REUSEADDR alone (httplib's default adds SO_REUSEPORT): a restart binds past connections in TIME_WAIT,
  // but a second server on a port another one listens on fails to start instead of sharing its clients.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.set_tcp_nodelay(true);  // headers and body go out in two writes: without it Nagle adds ~40 ms
  // Runs once the headers are read and before any byte of a body.
  http.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    Front::headers_read();
    auto& notes = current_request_notes();
    notes.clear();
    notes.started = std::chrono::steady_clock::now();
    if (const auto sent = request.get_header_value("X-Request-Id"); sane_request_id(sent)) {
      notes.request_id = sent;
    } else {
      notes.request_id = random_request_id();
    }
    response.set_header("X-Request-Id", notes.request_id);
    if (!known_method(request.method)) {
      Front::close_after_answer(response);
      reply_error(response,
                  make_error(ErrorKind::invalid, fmt::format("method {} is not allowed here", request.method)), 405);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([&impl](const httplib::Request& request, httplib::Response& response) {
        return fill_error_body(impl.options, request, response);
      }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    reply_error(response, make_error(ErrorKind::unavailable, "internal error"), 500);
  });
  http.set_logger([&impl](const httplib::Request& request, const httplib::Response& response) {
    auto& notes = current_request_notes();
    double seconds = 0;
    if (notes.started) {
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - *notes.started).count();
    }
    const auto method = method_label(request.method);
    impl.metrics.requests.with({std::string(method), notes.route, std::to_string(response.status)}).add();
    impl.metrics.request_seconds.with({std::string(method), notes.route}).observe(seconds);
    if (impl.access_log) {
      auto line = access_log_line(impl.options.log_format, request, response, notes, seconds * 1000,
                                  format_utc(impl.clock.now()));
      std::lock_guard lock(impl.access_log_mutex);
      impl.access_log(line);
    }
    notes.clear();
  });
  if (impl.options.metrics) add_metrics_route(http, impl);
  add_health_routes(http, impl.pool);
  add_web_routes(http, impl.pool, impl.options.catalog, !impl.options.tls_certificate_file.empty());
  Router router(http, impl.pool, impl.caches, impl.metrics, impl.options.max_body_bytes);
  add_api_routes(router);
  router.refuse_unknown_bodies();
}

}  // namespace

class HttpRegistryServer final : public RegistryServer {
 public:
  explicit HttpRegistryServer(std::unique_ptr<ServerState> impl) : impl_(std::move(impl)) {}
  Result<std::optional<std::string>> bootstrap_admin_token() override;
  Status bind() override;
  int port() const override;
  Status run() override;
  void stop() override;
  std::string answer(std::string_view raw_request) override;

 private:
  std::unique_ptr<ServerState> impl_;
};

Result<std::unique_ptr<RegistryServer>> RegistryServer::create(ServerOptions options, StoreOpener open_store,
                                                               const meshctl::Clock& clock, AccessLogSink access_log) {
  if (options.tls_certificate_file.empty() != options.tls_private_key_file.empty()) {
    return make_error(ErrorKind::invalid, "HTTPS needs both a certificate and its private key (--tls-cert, --tls-key)");
  }
  if (options.workers == 0) return make_error(ErrorKind::invalid, "the server needs at least one worker");
  if (options.max_connections == 0 || options.max_connections_per_client == 0) {
    return make_error(ErrorKind::invalid, "the server needs to hold at least one connection");
  }
  if (options.max_body_bytes == 0) return make_error(ErrorKind::invalid, "the body size limit must be at least 1 byte");
  if (options.port < 0 || options.port > 65535) {
    return make_error(ErrorKind::invalid, fmt::format("{} is not a TCP port", options.port));
  }
  auto impl = std::make_unique<ServerState>(std::move(options), std::move(open_store), clock, std::move(access_log));
  std::unique_ptr<TlsContext> tls;
  if (!impl->options.tls_certificate_file.empty()) {
    tls = TlsContext::load(impl->options.tls_certificate_file, impl->options.tls_private_key_file);
    if (!tls) {
      return make_error(ErrorKind::invalid,
                        fmt::format("cannot use the TLS certificate {} with the key {}",
                                    impl->options.tls_certificate_file, impl->options.tls_private_key_file));
    }
  }
  impl->http = std::make_unique<Front>(front_options(impl->options), std::move(tls));
  // Opens one store connection now, so a wrong store fails at start, not at the first request.
  if (auto lease = impl->pool.acquire(); !lease) return lease.error();
  configure(*impl);
  return std::unique_ptr<RegistryServer>(new HttpRegistryServer(std::move(impl)));
}

Result<std::optional<std::string>> HttpRegistryServer::bootstrap_admin_token() {
  auto lease = impl_->pool.acquire();
  if (!lease) return lease.error();
  auto token = lease->service().bootstrap_admin("admin");
  if (!token) return token.error();
  if (!token->has_value()) return std::optional<std::string>{};
  return std::optional<std::string>{(*token)->secret};
}

Status HttpRegistryServer::bind() {
  auto& options = impl_->options;
  errno = 0;
  if (options.port == 0) {
    const int port = impl_->http->bind_to_any_port(options.host);
    if (port > 0) impl_->port = port;
  } else if (impl_->http->bind_to_port(options.host, options.port)) {
    impl_->port = options.port;
  }
  if (impl_->port == 0) {
    const auto cause = errno != 0 ? std::string(std::strerror(errno)) : std::string("the address cannot be used");
    return make_error(ErrorKind::unavailable, fmt::format("cannot listen on {}: {}", address_text(options), cause));
  }
  impl_->http->widen_backlog();
  impl_->bound = true;
  return ok_status();
}

int HttpRegistryServer::port() const {
  return impl_->port;
}

Status HttpRegistryServer::run() {
  if (!impl_->bound) return make_error(ErrorKind::invalid, "the server must bind before it runs");
  // Even when stop() came first: listening is what closes the bound socket
  // (new_task_queue stops it at once), and httplib's destructor does not.
  const bool clean = impl_->http->listen_after_bind();
  if (!clean && !impl_->stop_requested) {
    return make_error(ErrorKind::unavailable,
                      fmt::format("the server on {} stopped accepting connections", address_text(impl_->options)));
  }
  return ok_status();
}

void HttpRegistryServer::stop() {
  impl_->stop_requested = true;
  impl_->http->stop_connections();
  impl_->http->stop();
}

std::string HttpRegistryServer::answer(std::string_view raw_request) {
  return impl_->http->answer(raw_request);
}

}  // namespace meshctl::server
