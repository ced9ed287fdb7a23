#pragma once

// The registry server: an HTTP/JSON API under /v1/ over RegistryService
// (docs/openapi.yaml lists every endpoint). Each request authenticates with
// `Authorization: Bearer <token>` and runs as that principal; /healthz and
// /readyz need no token. The server never prints: each request's access-log
// line (JSON, without any credential) goes to the sink it is given.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "meshctl/core/clock.h"
#include "meshctl/core/error.h"
#include "meshctl/store/store.h"

namespace meshctl::server {

// Who may browse the web catalog's pages (GET / and /catalog/...).
enum class CatalogAccess {
  off,          // every page answers 404 saying the catalog is off
  signed_in,    // a principal: a session from POST /login (a cookie), or a bearer token; others go to /login
  public_read,  // anyone, without a token: read-only anonymous browsing (`serve --catalog public`)
};
// How the access-log lines are written (ServerOptions::log_format):
//   json  a JSON object with bytes (of the answer's body), cached (answered
//         from the kept answers), duration_ms, method, path, principal (its
//         name, or "-"), request_id, route (the pattern that matched, or
//         "other"), status and time;
//   text  the same as key=value pairs in a fixed order (logfmt), the path
//         quoted: time=... request_id=... method=GET route=... status=200
//         duration_ms=1.234 bytes=12 principal=admin cached=false path="/v1/..."
// never with a token, a query or a header. No newline.
enum class LogFormat { json, text };

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port (see RegistryServer::port())
  // HTTPS when both are set (PEM files); plain HTTP when both are empty.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  std::size_t max_body_bytes = 8 * 1024 * 1024;  // larger request bodies are answered 413, chunked or not
  std::size_t max_header_bytes = 64 * 1024;      // request line and headers; more is answered 400
  // Requests that use the store at once; the others wait for a store connection.
  std::size_t workers = 8;
  // Connections held at once, in all and from one client address; past
  // either limit a new connection is answered 503 and closed. A connection
  // costs a sleeping thread, not a worker, until its request is read.
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_client = 256;
  std::chrono::seconds read_timeout{30};     // one wait for a client's next bytes
  std::chrono::seconds request_timeout{30};  // the whole request, headers and body
  std::chrono::seconds write_timeout{30};    // one wait while sending an answer
  // Memory for answers of read routes kept until the store changes (0: none);
  // see lib/src/server/read_cache.h for why a kept answer is never stale.
  std::size_t cache_bytes = 64 * 1024 * 1024;
  CatalogAccess catalog = CatalogAccess::signed_in;
  LogFormat log_format = LogFormat::json;
  // GET /metrics: Prometheus' text format (see lib/src/server/server_metrics.h
  // for what it holds). Off: 404 like any unknown path. When metrics_token is
  // set, a scrape must send `Authorization: Bearer <metrics_token>` (401
  // otherwise); else no token is asked, like /healthz.
  bool metrics = true;
  std::string metrics_token;
};

// Opens a new connection to the store. The server calls it once per worker
// that needs one (a Store runs one transaction at a time), never more than
// `workers` times at once, plus once for the connection that watches the
// store for changes when answers are kept (cache_bytes > 0); each result is
// used by one thread at a time.
using StoreOpener = std::function<Result<std::unique_ptr<registry::Store>>()>;


// Receives one access-log line per request (see LogFormat).
// Called from worker threads, one call at a time.
//
// Each request has an id: the client's X-Request-Id when it is 1 to 128
// characters of letters, digits and -_.:+=@/, else 32 random hex digits. It
// is sent back in the X-Request-Id header, written in the access-log line and
// in every error body ("requestId").
using AccessLogSink = std::function<void(const std::string& line)>;

// An interface, so that the CLI reaches the server through the network areas'
// entry points (meshctl/network/module.h) without linking it.
class RegistryServer {
 public:
  // Checks the options and opens the TLS certificate (ErrorKind::invalid when
  // it cannot be used) and one store connection (unavailable when that fails).
  // `clock` must outlive the server.
  static Result<std::unique_ptr<RegistryServer>> create(ServerOptions options, StoreOpener open_store,
                                                        const meshctl::Clock& clock, AccessLogSink access_log);
  virtual ~RegistryServer() = default;
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  // Creates the first admin principal ("admin") when the store has none;
  // nullopt when principals exist. The token's secret is in the result only.
  virtual Result<std::optional<std::string>> bootstrap_admin_token() = 0;

  // Binds the listening socket. Fails with ErrorKind::unavailable naming the
  // address and the cause. After it, port() is the bound port.
  virtual Status bind() = 0;
  virtual int port() const = 0;

  // Serves until stop(); returns once every request in flight has finished.
  // REQUIRES: bind() succeeded.
  virtual Status run() = 0;

  // Stops accepting connections and drops the ones that wait for a client;
  // run() returns once the requests in flight have sent their answers.
  // Safe from any thread (not from a signal handler), also before run().
  virtual void stop() = 0;

  // Serves one request given as raw HTTP/1.1 bytes in process, exactly as a
  // connection's request is served, and returns the raw answer (empty when
  // no request could be read from the bytes). For fuzzing and tests.
  virtual std::string answer(std::string_view raw_request) = 0;


 protected:
  RegistryServer() = default;
};

}  // namespace meshctl::server
