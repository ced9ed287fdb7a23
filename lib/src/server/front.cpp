#include "server/front.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace meshctl::server {

namespace {

struct ConnectionState {
  ConnectionStream* stream = nullptr;
  bool close_after_answer = false;
};

thread_local ConnectionState current_connection;

// A request held in memory, its answer collected: Front::answer's stream.
class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(std::string_view input) : input_(input) {}

  bool is_readable() const override { return position_ < input_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* buffer, size_t size) override {
    const auto count = std::min(size, input_.size() - position_);
    std::copy_n(input_.data() + position_, count, buffer);
    position_ += count;
    return static_cast<ssize_t>(count);
  }
  ssize_t write(const char* data, size_t size) override {
    output_.append(data, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 0;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

  std::string& output() { return output_; }

 private:
  std::string_view input_;
  std::size_t position_ = 0;
  std::string output_;
};

// Best effort, never blocking: the client learns why before the connection closes.
void refuse(int socket, std::string_view reason) {
  const auto body = fmt::format(R"({{"error":{{"kind":"unavailable","message":"{}: try again later"}}}})", reason);
  const auto answer = fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
      "Retry-After: 1\r\nContent-Length: {}\r\n\r\n{}",
      body.size(), body);
  [[maybe_unused]] const auto sent = ::send(socket, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// After an answer that left the request's body unread: closing now would make
// the kernel reset the connection, and a client still sending would lose the
// answer. So the answer goes first, then what the client still sends is read
// and dropped, for a short while and up to a bound.
void drain_before_close(int socket, const StopSignal& stop) {
  ::shutdown(socket, SHUT_WR);
  constexpr std::size_t kMaxDrainBytes = 8 * 1024 * 1024;
  const auto deadline = SteadyClock::now() + std::chrono::seconds(2);
  std::size_t drained = 0;
  char buffer[16 * 1024];
  while (drained < kMaxDrainBytes) {
    const auto count = ::recv(socket, buffer, sizeof(buffer), 0);
    if (count > 0) {
      drained += static_cast<std::size_t>(count);
      continue;
    }
    if (count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return;
    if (wait_socket(socket, POLLIN, deadline, stop, OnStop::give_up) != 1) return;
  }
}

}  // namespace

Front::Front(FrontOptions options, std::unique_ptr<TlsContext> tls)
    : options_(std::move(options)),
      tls_(std::move(tls)),
      admission_(options_.max_connections_per_client, options_.max_connections) {}

httplib::TaskQueue* Front::make_task_queue() const {
  return new ConnectionThreads(options_.max_connections);
}

void Front::widen_backlog() {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
}

void Front::headers_read() {
  if (current_connection.stream != nullptr) current_connection.stream->end_headers();
}

void Front::close_after_answer(httplib::Response& response) {
  current_connection.close_after_answer = true;
  response.set_header("Connection", "close");
}

std::string Front::answer(std::string_view request) {
  MemoryStream stream(request);
  bool closed = false;
  current_connection = {};
  process_request(stream, true, closed, nullptr);
  current_connection = {};
  return std::move(stream.output());
}

bool Front::process_and_close_socket(socket_t socket) {
  ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL) | O_NONBLOCK);
  if (ConnectionThreads::overloaded()) {
    refuse(socket, "the server holds as many connections as it may");
  } else {
    const auto address = peer_address(socket);
    if (const auto refusal = admission_.admit(address); !refusal.empty()) {
      refuse(socket, refusal);
    } else {
      if (serve(socket)) drain_before_close(socket, stop_);
      admission_.release(address);
    }
  }
  ::shutdown(socket, SHUT_RDWR);
  ::close(socket);
  return true;
}

bool Front::serve(int socket) {
  SSL* ssl = nullptr;
  if (tls_) {
    ssl = tls_->accept(socket, SteadyClock::now() + options_.limits.request_timeout, stop_);
    if (ssl == nullptr) return false;
  }
  ConnectionStream stream(socket, ssl, options_.limits, stop_);
  current_connection = {&stream, false};
  // The first request's deadline runs from the connection's start; each later
  // one's from its first byte, after at most keep_alive of waiting.
  bool waiting = stream.wait_for_request(options_.limits.request_timeout);
  for (std::size_t served = 0; waiting && !stop_.raised(); ++served) {
    if (served > 0) stream.start_request();
    current_connection.close_after_answer = false;
    const bool last = served + 1 >= options_.keep_alive_requests;
    bool closed = false;
    if (!process_request(stream, last, closed, nullptr) || closed || last || current_connection.close_after_answer) {
      break;
    }
    waiting = stream.wait_for_request(options_.keep_alive);
  }
  const bool body_left_unread = current_connection.close_after_answer;
  current_connection = {};
  if (ssl != nullptr) {
    SSL_shutdown(ssl);  // one attempt: the socket is non-blocking and closes next
    SSL_free(ssl);
  }
  return body_left_unread;
}

}  // namespace meshctl::server
