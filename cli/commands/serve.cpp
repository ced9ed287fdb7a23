#include "commands/serve.h"

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>
#include <pthread.h>

#include "exit_codes.h"
#include "meshctl/core/file.h"
#include "meshctl/core/json_text.h"
#include "meshctl/network/module.h"
#include "meshctl/server/server.h"
#include "meshctl/store/store_factory.h"

namespace meshctl::cli {

namespace {

struct ServeOptions {
  std::string listen;
  std::string store;
  std::string tls_certificate;
  std::string tls_key;
  std::string admin_token_file;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  std::size_t workers = 8;
  std::size_t cache_bytes = 64 * 1024 * 1024;
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_client = 256;
  unsigned read_timeout_seconds = 30;
  unsigned request_timeout_seconds = 30;
  unsigned write_timeout_seconds = 30;
  std::string catalog = "signed-in";
  std::string log_format = "json";
  bool no_metrics = false;
  std::string metrics_token_file;
};

// "HOST:PORT" or "[IPv6]:PORT".
Result<std::pair<std::string, int>> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  const auto invalid = make_error(ErrorKind::invalid, "--listen '" + text + "': write HOST:PORT, e.g. 127.0.0.1:8080");
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return invalid;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  for (const char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return invalid;
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return invalid;
  return std::pair{host, port};
}

// One JSON event line on the log (stderr), like the access log's lines.
void log_event(Context& context, nlohmann::json event) {
  *context.err << json_text(event) << std::endl;
}

// Writes the first admin token to `path` (0600) when the store has no principal yet.
Status write_admin_token(server::RegistryServer& server, const std::string& path, Context& context) {
  auto token = server.bootstrap_admin_token();
  if (!token) return token.error();
  if (!token->has_value()) {
    log_event(
        context,
        {{"event", "admin token not written"}, {"file", path}, {"reason", "the registry has principals already"}});
    return ok_status();
  }
  if (auto written = write_new_file(path, **token + "\n", 0600); !written) return written.error();
  log_event(context, {{"event", "admin token written"}, {"file", path}, {"principal", "admin"}});
  return ok_status();
}

// SIGTERM and SIGINT stop the server gracefully. They are blocked in every
// thread and taken by a watcher thread with sigwait, so nothing runs in
// signal-handler context.
class SignalWatcher {
 public:
  explicit SignalWatcher(server::RegistryServer& server) {
    thread_ = std::thread([this, &server] {
      int signal = 0;
      sigwait(&signals(), &signal);
      if (!finished_) server.stop();
    });
  }
  ~SignalWatcher() {
    finished_ = true;
    pthread_kill(thread_.native_handle(), SIGTERM);  // wakes the watcher if no signal came
    thread_.join();
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // Blocks the signals in the calling thread and every thread it starts later.
  static void block() { pthread_sigmask(SIG_BLOCK, &signals(), nullptr); }

 private:
  static const sigset_t& signals() {
    static const sigset_t set = [] {
      sigset_t value;
      sigemptyset(&value);
      sigaddset(&value, SIGTERM);
      sigaddset(&value, SIGINT);
      return value;
    }();
    return set;
  }

  std::atomic<bool> finished_{false};
  std::thread thread_;
};

int run_serve(const ServeOptions& options, Context& context) {
  // First: in meshctl, this hands the command over to meshctl-network, before anything is done twice.
  auto module = network::load_module();
  if (!module) return report_error(context, module.error());
  auto address = parse_listen_address(options.listen);
  if (!address) return report_error(context, address.error());
  server::ServerOptions server_options;
  server_options.host = address->first;
  server_options.port = address->second;
  server_options.tls_certificate_file = options.tls_certificate;
  server_options.tls_private_key_file = options.tls_key;
  server_options.max_body_bytes = options.max_body_bytes;
  server_options.workers = options.workers;
  server_options.cache_bytes = options.cache_bytes;
  server_options.max_connections = options.max_connections;
  server_options.max_connections_per_client = options.max_connections_per_client;
  server_options.read_timeout = std::chrono::seconds(options.read_timeout_seconds);
  server_options.request_timeout = std::chrono::seconds(options.request_timeout_seconds);
  server_options.write_timeout = std::chrono::seconds(options.write_timeout_seconds);
  server_options.catalog = options.catalog == "public"  ? server::CatalogAccess::public_read
                           : options.catalog == "off" ? server::CatalogAccess::off
                                                      : server::CatalogAccess::signed_in;
  server_options.log_format = options.log_format == "text" ? server::LogFormat::text : server::LogFormat::json;
  server_options.metrics = !options.no_metrics;
  if (!options.metrics_token_file.empty()) {
    auto token = read_file(options.metrics_token_file);
    if (!token) return report_error(context, token.error());
    // The file's first line, as Prometheus' bearer_token_file is read: a trailing newline is not part of it.
    server_options.metrics_token = token->substr(0, token->find_first_of("\r\n"));
    if (server_options.metrics_token.empty()) {
      return report_error(context, make_error(ErrorKind::invalid, "--metrics-token-file " +
                                                                      options.metrics_token_file +
                                                                      " is empty: write the scraper's token in it"));
    }
  }

  SignalWatcher::block();
  std::signal(SIGPIPE, SIG_IGN);  // a client gone mid-answer is an error value, not a signal
  static const meshctl::SystemClock clock;
  const auto location = options.store;
  auto open_store = [location] { return registry::open_store(location); };
  auto* log = context.err;
  // One write per line: `<< line << std::endl` on unit-buffered stderr made two system calls.
  auto access_log = [log](const std::string& line) {
    std::string text;
    text.reserve(line.size() + 1);
    text.append(line).append(1, '\n');
    log->write(text.data(), static_cast<std::streamsize>(text.size())).flush();
  };
  auto created = (*module)->create_server(server_options, open_store, clock, access_log);
  if (!created) return report_error(context, created.error());
  auto& server = **created;
  if (!options.admin_token_file.empty()) {
    if (auto written = write_admin_token(server, options.admin_token_file, context); !written) {
      return report_error(context, written.error());
    }
  }
  if (auto bound = server.bind(); !bound) return report_error(context, bound.error());
  log_event(context, {{"event", "listening"},
                      {"address", server_options.host + ":" + std::to_string(server.port())},
                      {"port", server.port()},
                      {"tls", !options.tls_certificate.empty()}});
  Status served = ok_status();
  {
    SignalWatcher watcher(server);
    served = server.run();
  }
  if (!served) return report_error(context, served.error());
  log_event(context, {{"event", "stopped"}});
  return kSuccess;
}

}  // namespace

void register_serve(CLI::App& app, Context& context) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand("serve", "Run the registry server (HTTP/JSON API under /v1/)");
  command->footer(R"x(Serves the registry in --store to `meshctl --registry http(s)://HOST:PORT` clients.
Every request needs `Authorization: Bearer TOKEN` except /healthz and /readyz.
The access log goes to stderr, one line per request (--log-format json, the
default, or text: key=value pairs): time, request_id, method, route (the
pattern that matched, e.g. /v1/products/{domain}/{name}), status,
duration_ms, bytes, principal (a name, never a token), cached, path.
Request ids: a client's X-Request-Id is kept when it is 1-128 characters of
letters, digits and -_.:+=@/, else one is made (32 hex digits); either way it
is sent back in X-Request-Id and named in error bodies ("requestId").
GET /metrics answers in Prometheus' text format, without a token by default
(like /healthz; it holds domain names and counts, no product names, paths or
secrets): requests by route pattern, method and status, latency histograms,
cache hits and misses, products and versions per
domain, usage events ingested. --metrics-token-file asks scrapers for a
bearer token of their own; --no-metrics turns it off (404).
SIGTERM or SIGINT: stop accepting, drop clients still sending, finish the
requests in flight, exit 0.
What a client controls is bounded: the body (--max-body-bytes, chunked too),
the headers (64 KiB), the time to send a whole request (--request-timeout),
and the connections it holds (--max-connections-per-client; past a limit a
connection is answered 503 at once). A slow client costs a sleeping thread,
not a worker: --workers bounds the requests using the store at once.
Answers of product reads are kept in memory (--cache-bytes) and served again
until the registry changes; a write by any process, this server or another
replica, is seen before the next answer.
The web catalog, plain HTML and CSS, read-only: GET / (search box, domains,
products needing attention: a freshness SLO violated or a latest quality run
failed; recently changed and deprecated products), /catalog/search?q=WORDS,
/catalog/domains/DOMAIN (products ranked by consumers),
/catalog/products/DOMAIN/NAME (schema with each field's glossary term linked,
health, consumers, reads per day, lineage, versions, changelog) with its
manifest to download as .../manifest.yaml (native), .../odps.yaml (ODPS
product and contracts), .../odcs.yaml or, with several output ports,
.../odcs/PORT.yaml (ODCS), and the business glossary: /catalog/terms (every
term) and /catalog/terms/TERM (definition, synonyms, related terms, links,
the fields that use it). With --catalog signed-in
(the default) a page needs a principal: /login takes a token once and sets
an HttpOnly, SameSite=Strict session cookie (Secure under TLS) that lasts 8
hours at most and ends with sign-out or when the token is revoked or rotated;
a bearer token works too. --catalog public lets anyone read without a token;
--catalog off answers 404. `meshctl catalog export DIR` writes the same pages
as a static site.

Examples:
  meshctl serve --listen 127.0.0.1:8080 --store sqlite:/var/lib/meshctl/registry.db \
      --init-admin-token-file /run/secrets/meshctl-admin
  meshctl serve --listen 0.0.0.0:8443 --store postgresql://meshctl@db/meshctl \
      --tls-cert server.pem --tls-key server.key
  meshctl serve --listen 0.0.0.0:8080 --store registry.db --catalog public   # open http://HOST:8080/
  meshctl serve --listen 0.0.0.0:8080 --store registry.db --log-format text \
      --metrics-token-file /run/secrets/meshctl-metrics
  curl -H "Authorization: Bearer $(cat /run/secrets/meshctl-metrics)" http://HOST:8080/metrics)x");
  command->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")->required();
  command->add_option("--store", options->store, "PATH, sqlite:PATH or postgresql://...")->required();
  auto* certificate = command->add_option("--tls-cert", options->tls_certificate, "PEM certificate: serve HTTPS");
  auto* key = command->add_option("--tls-key", options->tls_key, "PEM private key of --tls-cert");
  certificate->needs(key);
  key->needs(certificate);
  command->add_option("--init-admin-token-file", options->admin_token_file,
                      "Write the first admin token to FILE (mode 0600) if the registry has no principal yet");
  command->add_option("--max-body-bytes", options->max_body_bytes, "Larger request bodies are answered 413")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--workers", options->workers, "Requests that use the store at once (store connections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_option("--max-connections", options->max_connections, "Connections held at once, in all")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  command
      ->add_option("--max-connections-per-client", options->max_connections_per_client,
                   "Connections held at once from one client address")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  command
      ->add_option("--cache-bytes", options->cache_bytes,
                   "Memory for answers of reads, kept until the registry changes (0: keep none)")
      ->capture_default_str();
  command
      ->add_option("--catalog", options->catalog,
                   "Who may browse the web catalog at /: signed-in (principals, at /login), public "
                   "(anyone, read-only), or off")
      ->capture_default_str()
      ->check(CLI::IsMember({"signed-in", "public", "off"}));
  command->add_option("--read-timeout", options->read_timeout_seconds, "Seconds to wait for a client's next bytes")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--request-timeout", options->request_timeout_seconds,
                   "Seconds a client has to send a whole request, headers and body")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--write-timeout", options->write_timeout_seconds, "Seconds to wait while answering")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_option("--log-format", options->log_format, "Access-log lines: json or text (key=value)")
      ->capture_default_str()
      ->check(CLI::IsMember({"json", "text"}));
  command->add_flag("--no-metrics", options->no_metrics, "Do not serve GET /metrics");
  command
      ->add_option("--metrics-token-file", options->metrics_token_file,
                   "GET /metrics needs `Authorization: Bearer` + FILE's first line (default: no token)")
      ->excludes("--no-metrics");
  command->callback([options, &context] { context.exit_code = run_serve(*options, context); });
}

}  // namespace meshctl::cli
