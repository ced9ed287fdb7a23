#pragma once

// The server's HTTP front: httplib's request parsing and routing, over
// connections that this server holds itself (connection.h), so that every
// limit a client could abuse is enforced. Private to lib/src/server.

#include <memory>
#include <string>
#include <string_view>

#include <httplib.h>

#include "server/connection.h"

namespace meshctl::server {

struct FrontOptions {
  ConnectionLimits limits;
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_client = 256;
  std::chrono::milliseconds keep_alive{2000};  // an idle connection is closed after this
  std::size_t keep_alive_requests = 1000;       // requests on one connection
};

class Front : public httplib::Server {
 public:
  // `tls`: HTTPS when set.
  Front(FrontOptions options, std::unique_ptr<TlsContext> tls);

  // Serves one request given as raw HTTP/1.1 bytes, in process, as a
  // connection would; returns the raw answer (empty when the request could
  // not be read at all). For the fuzzer and for tests.
  std::string answer(std::string_view request);

  // A task queue for httplib, bounded by max_connections.
  httplib::TaskQueue* make_task_queue() const;

  // After binding: lets the kernel queue as many connections as it allows
  // (httplib listens with a backlog of 5, which drops bursts of connections
  // and makes their clients wait a second to retry).
  void widen_backlog();

  // Wakes every connection that waits for a client's bytes; requests in
  // flight still finish and send their answer.
  void stop_connections() { stop_.raise(); }

  // Called once a request's headers are read: the stream stops counting
  // header bytes. No-op outside a connection (answer()).
  static void headers_read();
  // The connection closes after the current answer (e.g. its body was not
  // read), and `response` says so (Connection: close), so a client opens a new
  // connection for its next request instead of writing into a closed one.
  static void close_after_answer(httplib::Response& response);

 private:
  bool process_and_close_socket(socket_t socket) override;
  // Serves the connection's requests; true when it ends with a body left unread.
  bool serve(int socket);

  FrontOptions options_;
  std::unique_ptr<TlsContext> tls_;
  Admission admission_;
  StopSignal stop_;
};

}  // namespace meshctl::server
