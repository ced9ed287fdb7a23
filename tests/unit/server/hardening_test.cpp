// The server under hostile clients: what a client controls is bounded
// (bodies, chunked too; headers; the time to send a request; connections),
// bodies are read only for callers allowed to send them, JSON is read within
// the manifest's depth limit, wrong types are 400s, refusals are audited once
// per request, and names the validator refuses are refused here too.

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "meshctl/manifest/model.h"
#include "meshctl/store/store_factory.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"
#include "server/test_server.h"

namespace meshctl::server {
namespace {

using nlohmann::json;
using registry::testing::make_manifest;
using registry::testing::TemporaryFolder;

std::string sqlite_at(const TemporaryFolder& folder) {
  return "sqlite:" + (folder.path() / "registry.db").string();
}

// A raw TCP connection to the test server, for what httplib's client will not send.
class RawConnection {
 public:
  explicit RawConnection(int port) : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(socket_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawConnection() { ::close(socket_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False once the server closed its side (or reset it).
  bool send(std::string_view bytes) {
    return ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // Everything the server sends until it closes, or until `limit` passes.
  std::string receive_all(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    std::string received;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd descriptor{socket_, POLLIN, 0};
      if (::poll(&descriptor, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[4096];
      const auto count = ::recv(socket_, buffer, sizeof(buffer), 0);
      if (count <= 0) {
        closed_ = true;
        break;
      }
      received.append(buffer, static_cast<std::size_t>(count));
    }
    return received;
  }
  bool closed_by_server() const { return closed_; }

 private:
  int socket_;
  bool connected_ = false;
  bool closed_ = false;
};

int status_of(const std::string& answer) {
  if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

httplib::Result post(testing::TestServer& server, const std::string& path, const std::string& token,
                     const std::string& body) {
  httplib::Client client("127.0.0.1", server.port());
  return client.Post(path, {{"Authorization", "Bearer " + token}}, body, "application/json");
}

std::string nested_fields(std::size_t depth) {
  std::string manifest = manifest::to_json(make_manifest("sales", "orders", "1.0.0")).dump();
  std::string deep;
  for (std::size_t i = 0; i < depth; ++i) deep += R"({"name":"f","type":"record","fields":[)";
  for (std::size_t i = 0; i < depth; ++i) deep += "]}";
  return json{{"mode", "apply"}, {"manifest", json::parse(manifest)}}.dump().replace(0, 1, "{\"deep\":" + deep + ",");
}

TEST_CASE("a body nested past the manifest depth is refused before any manifest is read", "[server][hardening]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_at(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  auto reader = admin->create_token({"dashboards", registry::Role::reader, {}});
  REQUIRE(reader.ok());
  const auto deep = nested_fields(20000);  // crashed the server before, for any token

  SECTION("a reader is refused before the body is read, and the refusal is audited once") {
    for (const char* path : {"/v1/products", "/v1/plans", "/v1/plans/execute"}) {
      INFO(path);
      auto answer = post(server, path, reader->secret, deep);
      REQUIRE(answer);
      CHECK(answer->status == 403);
    }
  }
  SECTION("an admin's request is answered 400, naming the depth") {
    auto answer = post(server, "/v1/products", server.admin_token(), deep);
    REQUIRE(answer);
    CHECK(answer->status == 400);
    CHECK(answer->body.find("deeper than 64") != std::string::npos);
  }
  // The server still serves.
  CHECK(admin->get_product({"sales", "orders"}).error().kind == ErrorKind::not_found);
}

TEST_CASE("chunked bodies keep to the body limit", "[server][hardening]") {
  TemporaryFolder folder;
  ServerOptions options;
  options.max_body_bytes = 64 * 1024;
  testing::TestServer server(sqlite_at(folder), options);

  auto chunked_request = [&](const std::string& path, const std::string& token) {
    RawConnection connection(server.port());
    REQUIRE(connection.connected());
    connection.send(
        fmt::format("POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n"
                    "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n",
                    path, token));
    const std::string chunk(16 * 1024, 'x');
    // Sends up to 16 MiB; the server must answer and close long before.
    for (int i = 0; i < 1024; ++i) {
      if (!connection.send(fmt::format("{:x}\r\n{}\r\n", chunk.size(), chunk))) break;
    }
    return connection.receive_all();
  };

  SECTION("with a token: 413") {
    CHECK(status_of(chunked_request("/v1/usage", server.admin_token())) == 413);
  }
  SECTION("without a token: 401, the body unread") {
    CHECK(status_of(chunked_request("/v1/usage", "")) == 401);
  }
  SECTION("to no route: 404, the body unread") {
    CHECK(status_of(chunked_request("/v1/nothing", server.admin_token())) == 404);
  }
  SECTION("a Content-Length over the limit is refused before the body") {
    RawConnection connection(server.port());
    connection.send(
        fmt::format("POST /v1/usage HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n"
                    "Content-Length: 268435456\r\n\r\n",
                    server.admin_token()));
    CHECK(status_of(connection.receive_all()) == 413);
  }
  SECTION("a method the API does not know is refused before its body") {
    RawConnection connection(server.port());
    connection.send("PRI /v1/usage HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    CHECK(status_of(connection.receive_all()) == 405);
  }
}

TEST_CASE("slow clients hold no worker, and are dropped at the request deadline", "[server][hardening]") {
  TemporaryFolder folder;
  ServerOptions options;
  options.workers = 2;
  options.request_timeout = std::chrono::seconds(2);
  testing::TestServer server(sqlite_at(folder), options);
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());

  // Many more slow clients than workers, each half-way through its headers.
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server.port()));
    REQUIRE(slow.back()->connected());
    slow.back()->send("GET /healthz HTTP/1.1\r\nHo");
  }
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(5, 0);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(admin->describe({"sales", "orders"}, std::nullopt).ok());  // needs a worker and the store

  // Each slow client is closed once its request deadline passes (bounded by the test's 20 s wait).
  for (auto& connection : slow) {
    const auto received = connection->receive_all();
    CHECK(connection->closed_by_server());
    CHECK(received.find("200 OK") == std::string::npos);
  }
}

TEST_CASE("headers past their budget end the connection", "[server][hardening]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_at(folder));
  RawConnection connection(server.port());
  connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n");
  // Built by appending: GCC 12 at -O3 warns (-Warray-bounds, a false positive) on "..." + std::string(n, c).
  std::string header = "X-Filler: ";
  header.append(1000, 'a').append("\r\n");
  for (int i = 0; i < 200 && connection.send(header); ++i) {
  }
  const auto answer = connection.receive_all();
  CHECK(connection.closed_by_server());
  CHECK(answer.find("200 OK") == std::string::npos);
}

TEST_CASE("connections past a client's limit are answered 503 at once", "[server][hardening]") {
  TemporaryFolder folder;
  ServerOptions options;
  options.max_connections_per_client = 3;
  testing::TestServer server(sqlite_at(folder), options);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    held.back()->send("GET /healthz HTTP/1.1\r\nHo");
  }
  // The three are admitted in turn by the accepting thread; the fourth finds the limit reached.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  RawConnection extra(server.port());
  const auto answer = extra.receive_all(std::chrono::seconds(5));
  CHECK(status_of(answer) == 503);
  CHECK(answer.find("too many connections") != std::string::npos);
  held.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("stop() does not wait for a client that is still sending", "[server][hardening]") {
  TemporaryFolder folder;
  ServerOptions options;
  options.request_timeout = std::chrono::seconds(600);
  options.read_timeout = std::chrono::seconds(600);
  auto server = std::make_unique<testing::TestServer>(sqlite_at(folder), options);
  RawConnection slow(server->port());
  slow.send("GET /healthz HTTP/1.1\r\nHo");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto stopped = std::async(std::launch::async, [&] { server.reset(); });
  CHECK(stopped.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
}

TEST_CASE("wrongly typed request fields are 400s, not 500s", "[server][hardening]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_at(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"/v1/domains", R"({"name": 1, "ownerTeam": []})"},
      {"/v1/tokens", R"({"name": "x", "role": "reader", "domains": "sales"})"},
      {"/v1/tokens", R"({"name": ["x"], "role": 3})"},
      {"/v1/products/sales/orders/deprecate", R"({"sunset": 20270101, "reason": "x"})"},
      {"/v1/products/sales/orders/retire", R"({"force": "yes"})"},
      {"/v1/products/sales/orders/retire", R"({"quietDays": "30"})"},
      {"/v1/products/sales/orders/retire", R"({"expectedRevision": "1"})"},
      {"/v1/products", R"({"mode": 1, "manifest": {}})"},
      {"/v1/products", R"({"mode": "apply", "manifest": []})"},
      {"/v1/plans", R"({"mode": "apply", "manifests": {}})"},
      {"/v1/plans/execute", R"({"mode": "apply", "items": 3})"},
      {"/v1/usage", R"([1, 2])"},
  };
  for (const auto& [path, body] : requests) {
    INFO(path << " " << body);
    auto answer = post(server, path, server.admin_token(), body);
    REQUIRE(answer);
    CHECK(answer->status >= 400);
    CHECK(answer->status < 500);
  }
  CHECK(admin->get_product({"sales", "orders"}).ok());
}

TEST_CASE("a reader is refused before its request is judged, and audited once per request", "[server][hardening]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_at(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
  REQUIRE(admin->create_domain({"finance", "finance-data"}).ok());
  auto reader = admin->create_token({"dashboards", registry::Role::reader, {}});
  auto finance = admin->create_token({"finance-ci", registry::Role::owner, {"finance"}});
  REQUIRE(reader.ok());
  REQUIRE(finance.ok());

  // A bad date from a reader: forbidden, not a conflict about the date.
  auto answer =
      post(server, "/v1/products/sales/orders/deprecate", reader->secret, R"({"sunset": "not-a-date", "reason": "x"})");
  REQUIRE(answer);
  CHECK(answer->status == 403);

  json manifests = json::array();
  for (int i = 0; i < 500; ++i) {
    manifests.push_back(manifest::to_json(make_manifest("sales", fmt::format("p-{}", i), "1.0.0")));
  }
  const auto plan = json{{"mode", "apply"}, {"manifests", manifests}}.dump();
  answer = post(server, "/v1/plans", reader->secret, plan);
  REQUIRE(answer);
  CHECK(answer->status == 403);
  // An owner of another domain passes the role check; the service refuses the whole batch as one request.
  answer = post(server, "/v1/plans", finance->secret, plan);
  REQUIRE(answer);
  CHECK(answer->status == 403);

  auto store = registry::open_store(sqlite_at(folder));
  REQUIRE(store);
  auto transaction = (*store)->begin(registry::TransactionMode::read);
  REQUIRE(transaction);
  auto refusals = [&](const registry::ProductRef& ref) {
    auto events = (*transaction)->history(ref, 100000, 0);
    REQUIRE(events);
    std::size_t count = 0;
    for (const auto& event : *events) count += event.action == "forbidden" ? 1 : 0;
    return count;
  };
  CHECK(refusals({"", ""}) == 2);          // the reader's deprecation and plan, refused before they were read
  CHECK(refusals({"sales", "p-0"}) == 1);  // the owner's plan of 500 manifests
  CHECK(refusals({"sales", "p-1"}) == 0);
}

TEST_CASE("names the validator refuses are refused by the server", "[server][hardening]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_at(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  const std::vector<std::string> names = {
      "..",    "a/b",       std::string("nu\0l", 4), "line\nbreak", "ret\rurn", "\x1b[31mred",
      "Upper", "trailing-", std::string(64, 'a'),    "sp ace",      "\xc3\x28"};
  for (const auto& name : names) {
    INFO(json(name).dump(-1, ' ', false, json::error_handler_t::replace));
    auto manifest = make_manifest("sales", name, "1.0.0");
    auto refused = admin->publish(manifest, registry::PublishMode::apply);
    CHECK_FALSE(refused.ok());
    if (!refused.ok()) CHECK(refused.error().kind == ErrorKind::invalid);
    auto other_domain = make_manifest(name, "orders", "1.0.0");
    CHECK_FALSE(admin->publish(other_domain, registry::PublishMode::apply).ok());
  }
  auto listed = admin->list_products({});
  REQUIRE(listed);
  CHECK(listed->products.empty());
}

TEST_CASE("answer() serves a raw request in process", "[server][hardening]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_at(folder));
  const auto health = server.server().answer("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_of(health) == 200);
  const auto unauthenticated = server.server().answer("GET /v1/products HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_of(unauthenticated) == 401);
  const auto listed = server.server().answer(
      fmt::format("GET /v1/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n", server.admin_token()));
  CHECK(status_of(listed) == 200);
  CHECK(server.server().answer("").empty());
}

}  // namespace
}  // namespace meshctl::server
