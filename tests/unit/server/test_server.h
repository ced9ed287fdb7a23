#pragma once

// A registry server on 127.0.0.1 (an ephemeral port) over a store the test
// chooses, running on its own thread, with an admin token and a captured
// access log. What the server tests talk to.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/remote/remote_registry.h"
#include "meshctl/server/server.h"
#include "meshctl/store/store_factory.h"

namespace meshctl::server::testing {

class TestServer {
 public:
  // `store_location`: "sqlite:PATH" or a PostgreSQL URL (see registry::open_store).
  // `clock` (Default: the system's) must outlive the server.
  explicit TestServer(const std::string& store_location, ServerOptions options = {},
                      const meshctl::Clock* clock = nullptr) {
    options.host = "127.0.0.1";
    options.port = 0;
    auto created = RegistryServer::create(
        options, [store_location] { return registry::open_store(store_location); }, clock ? *clock : system_clock_,
        [this](const std::string& line) {
          std::lock_guard lock(log_mutex_);
          log_.push_back(line);
        });
    if (!created) FAIL("cannot create the server: " << created.error().message);
    server_ = std::move(*created);
    auto token = server_->bootstrap_admin_token();
    if (!token || !token->has_value()) FAIL("no admin token");
    admin_token_ = **token;
    if (auto bound = server_->bind(); !bound) FAIL(bound.error().message);
    https_ = !options.tls_certificate_file.empty();
    thread_ = std::thread([this] { (void)server_->run(); });
  }
  ~TestServer() {
    server_->stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::string url() const { return (https_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port()); }
  int port() const { return server_->port(); }
  const std::string& admin_token() const { return admin_token_; }
  RegistryServer& server() { return *server_; }

  // A client with `token` (Default: none).
  std::unique_ptr<registry::RemoteRegistry> client(std::optional<std::string> token,
                                                   std::optional<std::string> ca_file = std::nullopt) const {
    registry::RemoteRegistryOptions options;
    options.base_url = url();
    options.token = std::move(token);
    options.ca_file = std::move(ca_file);
    auto client = registry::RemoteRegistry::open(options);
    if (!client) FAIL(client.error().message);
    return std::move(*client);
  }
  std::unique_ptr<registry::RemoteRegistry> admin() const { return client(admin_token_); }

  // The server logs a request after its response is sent, so the line of the
  // last request may still be on its way: waits (up to 5 s) for `at_least` lines.
  std::vector<std::string> access_log(std::size_t at_least = 0) {
    for (int attempt = 0; attempt < 500; ++attempt) {
      {
        std::lock_guard lock(log_mutex_);
        if (log_.size() >= at_least) return log_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(log_mutex_);
    return log_;
  }

 private:
  meshctl::SystemClock system_clock_;
  std::unique_ptr<RegistryServer> server_;
  std::string admin_token_;
  bool https_ = false;
  std::thread thread_;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
};

}  // namespace meshctl::server::testing
