#pragma once

// How the server holds a client's connection: private to lib/src/server.
//
// A connection is served by one thread of ConnectionThreads, which grows up
// to a fixed number of threads; store work is bounded apart from it (the
// ServicePool lends at most `workers` store connections at once). So a slow
// or idle client costs a sleeping thread, never a worker, and /healthz and
// kept answers stay quick while hundreds of clients trickle bytes.
//
// Everything a client controls is bounded here: the time to send a whole
// request (headers and body), the bytes of its headers, the connections one
// address may hold, and the connections in all. At stop() a connection that
// waits for its next request closes at once, and a request still being
// received has kStopGrace left to arrive whole: shutdown never waits long
// for a client, yet a request that was nearly sent is still served.

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace meshctl::server {

using SteadyClock = std::chrono::steady_clock;

// Raised once, by stop(); every connection's waits include its descriptor.
class StopSignal {
 public:
  StopSignal();
  ~StopSignal();
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  void raise();
  bool raised() const { return raised_; }
  // When raise() was called. REQUIRES: raised().
  SteadyClock::time_point raised_at() const { return SteadyClock::time_point(SteadyClock::duration(raised_at_)); }
  int descriptor() const { return descriptor_; }

 private:
  int descriptor_ = -1;
  std::atomic<SteadyClock::rep> raised_at_{0};
  std::atomic<bool> raised_{false};
};

inline constexpr std::chrono::seconds kStopGrace{5};

// What a wait does once the server stops.
enum class OnStop {
  give_up,  // ends the wait (-1)
  finish,   // goes on, until at most kStopGrace after the stop
  ignore,   // goes on as if nothing stopped: an answer owed is sent whole
};

// Waits until `socket` has one of `events` (1), `deadline` passes (0), or the
// socket fails or the stop ends the wait (-1).
int wait_socket(int socket, short events, SteadyClock::time_point deadline, const StopSignal& stop, OnStop on_stop);


struct ConnectionLimits {
  std::chrono::milliseconds read_timeout{30000};     // one wait for bytes
  std::chrono::milliseconds write_timeout{30000};    // one wait to send bytes
  std::chrono::milliseconds request_timeout{30000};  // the whole request, headers and body
  std::size_t max_header_bytes = 64 * 1024;
};

// A client connection (plain TCP, or TLS over it) as the httplib::Stream that
// Server::process_request reads a request from and writes its answer to.
// Reads fail once the request's deadline passes, once the headers exceed
// their budget, or once the server stops.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(int socket, SSL* ssl, const ConnectionLimits& limits, const StopSignal& stop);

  // The next request starts: a new deadline and header budget.
  void start_request();
  // The headers are read: the rest of the request is its body.
  void end_headers() { in_headers_ = false; }
  // Waits up to `timeout` for the first byte of a request; false on timeout,
  // a closed connection or stop.
  bool wait_for_request(std::chrono::milliseconds timeout);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* buffer, size_t size) override;
  ssize_t write(const char* data, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return socket_; }

 private:
  enum class Wait { ready, timeout, failed };
  Wait wait_for(short events, SteadyClock::time_point until, OnStop on_stop) const;
  ssize_t fill();

  int socket_;
  SSL* ssl_;
  const ConnectionLimits& limits_;
  const StopSignal& stop_;
  SteadyClock::time_point deadline_;
  bool in_headers_ = true;
  std::size_t header_bytes_ = 0;
  std::vector<char> buffer_;
  std::size_t buffer_start_ = 0;
  std::size_t buffer_end_ = 0;
};

// The TLS side of HTTPS: a context from a PEM certificate chain and key, and
// the handshake of one connection within a deadline.
class TlsContext {
 public:
  // nullptr when the files cannot be used.
  static std::unique_ptr<TlsContext> load(const std::string& certificate_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A finished handshake on the non-blocking `socket`, or nullptr.
  SSL* accept(int socket, SteadyClock::time_point deadline, const StopSignal& stop) const;

 private:
  explicit TlsContext(SSL_CTX* context) : context_(context) {}
  SSL_CTX* context_;
};

// The address of the other end of a connected socket ("" when unknown).
std::string peer_address(int socket);

// Counts open connections per client address; refuses past the limits.
class Admission {
 public:
  Admission(std::size_t per_client, std::size_t total) : per_client_(per_client), total_(total) {}

  // Why the connection is refused, or empty when it is admitted (then
  // release(address) must follow).
  std::string admit(const std::string& address);
  void release(const std::string& address);

 private:
  std::size_t per_client_;
  std::size_t total_;
  std::mutex mutex_;
  std::map<std::string, std::size_t> open_;
  std::size_t open_total_ = 0;
};

// httplib's task queue: one thread per connection, started on demand up to
// `max_threads` and kept for the next ones. When every thread is busy the
// task runs on the accepting thread at once with overloaded() true, so the
// connection is answered 503 and closed instead of waiting in a queue.
class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(std::size_t max_threads) : max_threads_(max_threads) {}
  ~ConnectionThreads() override;

  void enqueue(std::function<void()> task) override;
  void shutdown() override;

  // True inside a task that runs on the accepting thread because every thread is busy.
  static bool overloaded();

 private:
  void work();

  std::size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool shutting_down_ = false;
};

}  // namespace meshctl::server
