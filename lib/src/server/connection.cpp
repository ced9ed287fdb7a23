#include "server/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace meshctl::server {

namespace {

constexpr std::size_t kReadBufferBytes = 16 * 1024;

std::chrono::milliseconds until(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

std::string address_text(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
  }
  return text;
}

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return 0;
}

thread_local bool running_overloaded = false;

}  // namespace

StopSignal::StopSignal() : descriptor_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

StopSignal::~StopSignal() {
  if (descriptor_ >= 0) ::close(descriptor_);
}

void StopSignal::raise() {
  raised_at_ = SteadyClock::now().time_since_epoch().count();
  raised_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(descriptor_, &one, sizeof(one));
}

ConnectionStream::ConnectionStream(int socket, SSL* ssl, const ConnectionLimits& limits, const StopSignal& stop)
    : socket_(socket), ssl_(ssl), limits_(limits), stop_(stop), buffer_(kReadBufferBytes) {
  start_request();
}

void ConnectionStream::start_request() {
  deadline_ = SteadyClock::now() + limits_.request_timeout;
  in_headers_ = true;
  header_bytes_ = 0;
}

bool ConnectionStream::wait_for_request(std::chrono::milliseconds timeout) {
  if (buffer_start_ < buffer_end_) return true;
  if (ssl_ != nullptr && SSL_pending(ssl_) > 0) return true;
  return wait_socket(socket_, POLLIN, SteadyClock::now() + timeout, stop_, OnStop::give_up) == 1;
}

ConnectionStream::Wait ConnectionStream::wait_for(short events, SteadyClock::time_point limit, OnStop on_stop) const {
  const int ready = wait_socket(socket_, events, limit, stop_, on_stop);
  return ready > 0 ? Wait::ready : ready == 0 ? Wait::timeout : Wait::failed;
}

bool ConnectionStream::is_readable() const {
  if (buffer_start_ < buffer_end_) return true;
  if (ssl_ != nullptr && SSL_pending(ssl_) > 0) return true;
  return wait_for(POLLIN, std::min(deadline_, SteadyClock::now() + limits_.read_timeout), OnStop::finish) ==
         Wait::ready;
}

bool ConnectionStream::is_writable() const {
  return wait_for(POLLOUT, SteadyClock::now() + limits_.write_timeout, OnStop::ignore) == Wait::ready;
}

// Reads what the connection has into the buffer: the count, 0 at its end, -1
// on failure, timeout or stop.
ssize_t ConnectionStream::fill() {
  for (;;) {
    const auto limit = std::min(deadline_, SteadyClock::now() + limits_.read_timeout);
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int count = SSL_read(ssl_, buffer_.data(), static_cast<int>(buffer_.size()));
      if (count > 0) return count;
      const int reason = SSL_get_error(ssl_, count);
      if (reason == SSL_ERROR_ZERO_RETURN) return 0;
      const short events = reason == SSL_ERROR_WANT_READ ? POLLIN : reason == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
      if (events == 0 || wait_for(events, limit, OnStop::finish) != Wait::ready) return -1;
      continue;
    }
    const auto count = ::recv(socket_, buffer_.data(), buffer_.size(), 0);
    if (count >= 0) return count;
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_for(POLLIN, limit, OnStop::finish) != Wait::ready) {
      return -1;
    }
  }
}

ssize_t ConnectionStream::read(char* destination, size_t size) {
  if (buffer_start_ == buffer_end_) {
    const auto count = fill();
    if (count <= 0) return count;
    buffer_start_ = 0;
    buffer_end_ = static_cast<std::size_t>(count);
  }
  std::size_t count = std::min(size, buffer_end_ - buffer_start_);
  if (in_headers_) {
    if (header_bytes_ >= limits_.max_header_bytes) return -1;
    count = std::min(count, limits_.max_header_bytes - header_bytes_);
    header_bytes_ += count;
  }
  std::copy_n(buffer_.data() + buffer_start_, count, destination);
  buffer_start_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t ConnectionStream::write(const char* data, size_t size) {
  std::size_t sent = 0;
  while (sent < size) {
    const auto limit = SteadyClock::now() + limits_.write_timeout;
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int count = SSL_write(ssl_, data + sent, static_cast<int>(std::min<std::size_t>(size - sent, 1 << 30)));
      if (count > 0) {
        sent += static_cast<std::size_t>(count);
        continue;
      }
      const int reason = SSL_get_error(ssl_, count);
      const short events = reason == SSL_ERROR_WANT_READ ? POLLIN : reason == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
      // A write finishes even after stop(): the answer of a request in flight is owed.
      if (events == 0 || wait_socket(socket_, events, limit, stop_, OnStop::ignore) != 1) return -1;
      continue;
    }
    const auto count = ::send(socket_, data + sent, size - sent, MSG_NOSIGNAL);
    if (count >= 0) {
      sent += static_cast<std::size_t>(count);
      continue;
    }
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || wait_socket(socket_, POLLOUT, limit, stop_, OnStop::ignore) != 1) {
      return -1;
    }
  }
  return static_cast<ssize_t>(size);
}

int wait_socket(int socket, short events, SteadyClock::time_point deadline, const StopSignal& stop, OnStop on_stop) {
  for (;;) {
    const bool stopping = on_stop != OnStop::ignore && stop.raised();
    if (stopping) {
      if (on_stop == OnStop::give_up) return -1;
      deadline = std::min(deadline, stop.raised_at() + kStopGrace);
    }
    // Once raised, the stop's descriptor stays readable: it is watched only until then.
    const bool watch_stop = on_stop != OnStop::ignore && !stopping;
    pollfd descriptors[2] = {{socket, events, 0}, {stop.descriptor(), POLLIN, 0}};
    const auto timeout = until(deadline);
    const int ready = ::poll(descriptors, watch_stop ? 2 : 1, static_cast<int>(timeout.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (ready == 0) {
      if (SteadyClock::now() >= deadline) return 0;
      continue;  // woken early by the clock's rounding
    }
    if ((descriptors[0].revents & events) != 0) return 1;
    if (descriptors[0].revents != 0) return -1;  // POLLERR, POLLHUP without data, POLLNVAL
    // Only the stop's descriptor: look again, as stopping.
  }
}

std::string peer_address(int socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
  return address_text(address);
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
  ip = address_text(address);
  port = port_of(address);
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
  ip = address_text(address);
  port = port_of(address);
}

std::unique_ptr<TlsContext> TlsContext::load(const std::string& certificate_file, const std::string& key_file) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return nullptr;
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION |
                                   SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(context, certificate_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context) != 1) {
    SSL_CTX_free(context);
    ERR_clear_error();
    return nullptr;
  }
  return std::unique_ptr<TlsContext>(new TlsContext(context));
}

TlsContext::~TlsContext() {
  SSL_CTX_free(context_);
}

SSL* TlsContext::accept(int socket, SteadyClock::time_point deadline, const StopSignal& stop) const {
  SSL* ssl = SSL_new(context_);
  if (ssl == nullptr) return nullptr;
  SSL_set_fd(ssl, socket);
  for (;;) {
    ERR_clear_error();
    const int result = SSL_accept(ssl);
    if (result == 1) return ssl;
    const int reason = SSL_get_error(ssl, result);
    const short events = reason == SSL_ERROR_WANT_READ ? POLLIN : reason == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0 || wait_socket(socket, events, deadline, stop, OnStop::give_up) != 1) break;
  }
  SSL_free(ssl);
  ERR_clear_error();
  return nullptr;
}

std::string Admission::admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (open_total_ >= total_) return "the server holds as many connections as it may";
  auto& count = open_[address];
  if (count >= per_client_) {
    if (count == 0) open_.erase(address);
    return "too many connections from your address";
  }
  ++count;
  ++open_total_;
  return {};
}

void Admission::release(const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto found = open_.find(address);
  if (found == open_.end()) return;
  --open_total_;
  if (--found->second == 0) open_.erase(found);
}

ConnectionThreads::~ConnectionThreads() {
  shutdown();
}

bool ConnectionThreads::overloaded() {
  return running_overloaded;
}

void ConnectionThreads::enqueue(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    const std::size_t busy = threads_.size() - idle_ + tasks_.size();
    if (busy < max_threads_) {
      tasks_.push_back(std::move(task));
      if (idle_ < tasks_.size()) threads_.emplace_back([this] { work(); });
      ready_.notify_one();
      return;
    }
  }
  running_overloaded = true;
  task();
  running_overloaded = false;
}

void ConnectionThreads::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    ready_.wait(lock, [this] { return shutting_down_ || !tasks_.empty(); });
    --idle_;
    if (tasks_.empty()) return;  // shutting down with nothing left
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

void ConnectionThreads::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    threads.swap(threads_);
  }
  ready_.notify_all();
  for (auto& thread : threads) thread.join();
}

}  // namespace meshctl::server
