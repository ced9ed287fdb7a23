// The server's HTTP face: authentication on every API route, health without
// it, the body limit, error replies and their mapping back to Errors, the
// access log (never a token), unreachable servers, and HTTPS.

#include <cstdlib>
#include <fstream>
#include <set>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "meshctl/manifest/model.h"
#include "meshctl/registry/changelog.h"
#include "registry/registry_contract.h"
#include "registry/temporary_folder.h"
#include "server/test_server.h"

namespace meshctl::server {
namespace {

using nlohmann::json;
using registry::testing::make_manifest;
using registry::testing::TemporaryFolder;

struct Endpoint {
  const char* method;
  const char* path;
};

// Every route that changes something, and a few that read.
const std::vector<Endpoint> kWriteEndpoints = {
    {"POST", "/v1/products"},
    {"POST", "/v1/plans"},
    {"POST", "/v1/plans/execute"},
    {"POST", "/v1/products/sales/orders/deprecate"},
    {"POST", "/v1/products/sales/orders/retire"},
    {"POST", "/v1/domains"},
    {"POST", "/v1/tokens"},
    {"DELETE", "/v1/tokens/someone"},
    {"POST", "/v1/tokens/someone/rotate"},
};
const std::vector<Endpoint> kReadEndpoints = {
    {"GET", "/v1/products"},
    {"GET", "/v1/products/sales/orders"},
    {"GET", "/v1/products/sales/orders/details"},
    {"GET", "/v1/domains"},
    {"GET", "/v1/tokens"},
    {"GET", "/v1/products/sales/orders/history"},
    {"GET", "/v1/audit"},
};

// A body each write endpoint accepts as well-formed, so a refusal is about the caller.
std::string body_for(const Endpoint& endpoint) {
  const std::string path = endpoint.path;
  const auto manifest = manifest::to_json(make_manifest("sales", "orders", "1.0.0"));
  if (path == "/v1/products") return json{{"mode", "apply"}, {"manifest", manifest}}.dump();
  if (path == "/v1/plans") return json{{"mode", "apply"}, {"manifests", json::array({manifest})}}.dump();
  if (path == "/v1/plans/execute") return json{{"mode", "apply"}, {"items", json::array()}}.dump();
  if (path.ends_with("/deprecate")) return json{{"sunset", "2099-06-30"}, {"reason", "replaced"}}.dump();
  if (path == "/v1/domains") return json{{"name", "sales"}, {"ownerTeam", "sales-data"}}.dump();
  if (path == "/v1/tokens") return json{{"name", "ci"}, {"role", "reader"}}.dump();
  return "{}";
}

struct Answer {
  int status = 0;
  json body;
};

Answer send(testing::TestServer& server, const Endpoint& endpoint, const std::optional<std::string>& token,
            const std::string& body = "") {
  httplib::Client client("127.0.0.1", server.port());
  httplib::Headers headers;
  if (token) headers.emplace("Authorization", "Bearer " + *token);
  const std::string method = endpoint.method;
  httplib::Result result = method == "GET"    ? client.Get(endpoint.path, headers)
                           : method == "POST" ? client.Post(endpoint.path, headers, body, "application/json")
                                              : client.Delete(endpoint.path, headers);
  REQUIRE(result);
  return {result->status, json::parse(result->body, nullptr, false)};
}

std::string sqlite_location(const TemporaryFolder& folder) {
  return "sqlite:" + (folder.path() / "registry.db").string();
}

void check_error_reply(const Answer& answer, int status, const char* kind) {
  INFO("answer: " << answer.body.dump());
  CHECK(answer.status == status);
  REQUIRE(answer.body.is_object());
  REQUIRE(answer.body.contains("error"));
  CHECK(answer.body["error"]["kind"] == kind);
  CHECK_FALSE(answer.body["error"]["message"].get<std::string>().empty());
}

// A token in the format the server issues (mesh_<16 hex>_<64 hex>) that no principal holds.
const std::string kUnknownToken =
    "mesh_0000000000000000_0000000000000000000000000000000000000000000000000000000000000000";

// `token` with the last hex digit of its secret changed: its token id still finds the principal.
std::string with_other_secret(std::string token) {
  REQUIRE(token.rfind("mesh_", 0) == 0);
  token.back() = token.back() == '0' ? '1' : '0';
  return token;
}

TEST_CASE("health needs no token; every API route needs a valid one", "[server]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  CHECK(send(server, {"GET", "/healthz"}, std::nullopt).status == 200);
  CHECK(send(server, {"GET", "/readyz"}, std::nullopt).status == 200);

  auto endpoints = kWriteEndpoints;
  endpoints.insert(endpoints.end(), kReadEndpoints.begin(), kReadEndpoints.end());
  for (const auto& endpoint : endpoints) {
    INFO(endpoint.method << " " << endpoint.path);
    check_error_reply(send(server, endpoint, std::nullopt, body_for(endpoint)), 401, "unauthenticated");
    // Well-formed (the format the server issues), so the lookup runs: an unknown token id, and the
    // admin's token id with another secret (the hash comparison runs).
    check_error_reply(send(server, endpoint, kUnknownToken, body_for(endpoint)), 401, "unauthenticated");
    check_error_reply(send(server, endpoint, with_other_secret(server.admin_token()), body_for(endpoint)), 401,
                      "unauthenticated");
    // Malformed: never reaches the store.
    check_error_reply(send(server, endpoint, "mct_nobody_0000000000000000000000", body_for(endpoint)), 401,
                      "unauthenticated");
    check_error_reply(send(server, endpoint, "", body_for(endpoint)), 401, "unauthenticated");
  }
}

TEST_CASE("revoked tokens, readers and other domains' owners cannot write", "[server]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->create_domain({"finance", "finance-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
  auto reader = admin->create_token({"dashboards", registry::Role::reader, {}});
  auto stranger = admin->create_token({"finance-ci", registry::Role::owner, {"finance"}});
  auto revoked = admin->create_token({"old-ci", registry::Role::owner, {"sales"}});
  REQUIRE(reader.ok());
  REQUIRE(stranger.ok());
  REQUIRE(revoked.ok());
  REQUIRE(admin->revoke_token("old-ci").ok());

  for (const auto& endpoint : kWriteEndpoints) {
    INFO(endpoint.method << " " << endpoint.path);
    if (std::string(endpoint.path) == "/v1/plans/execute") continue;  // an empty plan writes nothing
    check_error_reply(send(server, endpoint, revoked->secret, body_for(endpoint)), 401, "unauthenticated");
    check_error_reply(send(server, endpoint, reader->secret, body_for(endpoint)), 403, "forbidden");
    check_error_reply(send(server, endpoint, stranger->secret, body_for(endpoint)), 403, "forbidden");
  }
  // Reads are open to every principal.
  CHECK(send(server, {"GET", "/v1/products/sales/orders"}, reader->secret).status == 200);
  CHECK(server.client(stranger->secret)->get_product({"sales", "orders"}).ok());
  // Search too, across domains; hostile text is plain words (200) or a usage error (400), never a 5xx.
  const auto found = server.client(reader->secret)->search({"orders", {}, 20});
  REQUIRE(found.ok());
  REQUIRE(found->hits.size() == 1);
  CHECK(found->hits[0].product.ref.text() == "sales/orders");
  CHECK(send(server, {"GET", "/v1/search?q=%22orders%22%20OR%20x*%00%27"}, reader->secret).status == 200);
  check_error_reply(send(server, {"GET", "/v1/search?q=%22%2A%22"}, reader->secret), 400, "invalid");
  check_error_reply(send(server, {"GET", "/v1/search?q=orders&limit=-1"}, reader->secret), 400, "invalid");
  check_error_reply(send(server, {"GET", "/v1/search?q=orders&pii=maybe"}, reader->secret), 400, "invalid");
  check_error_reply(send(server, {"GET", "/v1/search?q=orders"}, std::nullopt), 401, "unauthenticated");
  // Similar products: a reader may compare a registered product, or post a manifest (nothing is written).
  registry::SimilarRequest by_manifest;
  by_manifest.manifest = make_manifest("finance", "orders-copy", "1.0.0");
  by_manifest.min_score = 0;
  const auto similar = server.client(reader->secret)->similar(by_manifest);
  REQUIRE(similar.ok());
  CHECK(similar->product.text() == "finance/orders-copy");
  CHECK(send(server, {"GET", "/v1/similar?product=sales/orders"}, reader->secret).status == 200);
  check_error_reply(send(server, {"GET", "/v1/similar?product=sales/orders&minScore=2"}, reader->secret), 400,
                    "invalid");
  check_error_reply(send(server, {"GET", "/v1/similar?product=sales/orders&minScore=x"}, reader->secret), 400,
                    "invalid");
  check_error_reply(send(server, {"GET", "/v1/similar?product=nobody/nothing"}, reader->secret), 404, "not_found");
  check_error_reply(send(server, {"GET", "/v1/similar?product=sales/orders"}, std::nullopt), 401, "unauthenticated");
}

TEST_CASE("a client refused before its body was read goes on with a new connection", "[server]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  auto reader_token = server.admin()->create_token({"dashboards", registry::Role::reader, {}});
  REQUIRE(reader_token.ok());
  // The server closes such a connection after its answer, and says so: the
  // client's next request must not be written into the closed connection.
  auto reader = server.client(reader_token->secret);
  for (int round = 0; round < 20; ++round) {
    INFO("round " << round);
    const auto refused = reader->create_token({"ci", registry::Role::reader, {}});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::forbidden);
    const auto domains = reader->list_domains();
    CHECK(domains.ok());
  }
  const auto answer = send(server, {"POST", "/v1/tokens"}, reader_token->secret, body_for({"POST", "/v1/tokens"}));
  CHECK(answer.status == 403);
}

TEST_CASE("a body over the limit is answered 413 in the error shape", "[server]") {
  TemporaryFolder folder;
  ServerOptions options;
  options.max_body_bytes = 4096;
  testing::TestServer server(sqlite_location(folder), options);
  const auto answer = send(server, {"POST", "/v1/products"}, server.admin_token(), std::string(10000, 'x'));
  check_error_reply(answer, 413, "invalid");
  const auto message = answer.body["error"]["message"].get<std::string>();
  CHECK(message.find("4096") != std::string::npos);
  CHECK(message.find("apply one domain's folder at a time") != std::string::npos);
  // Within the limit the same server answers normally.
  REQUIRE(server.admin()->create_domain({"sales", "sales-data"}).ok());
  CHECK(server.admin()->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
}

TEST_CASE("error replies carry kind, message and details back to the client", "[server]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  REQUIRE(admin->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply).ok());
  REQUIRE(admin->publish(make_manifest("sales", "lines", "1.0.0", {"sales/orders"}), registry::PublishMode::apply));

  const auto missing = admin->get_product({"sales", "ordres"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::not_found);
  CHECK(missing.error().message.find("sales/orders") != std::string::npos);
  check_error_reply(send(server, {"GET", "/v1/products/sales/ordres"}, server.admin_token()), 404, "not_found");

  const auto retired = admin->retire({{"sales", "orders"}, false, "", std::nullopt});
  REQUIRE_FALSE(retired.ok());
  CHECK(retired.error().kind == ErrorKind::conflict);
  CHECK(retired.error().details.dump().find("sales/lines") != std::string::npos);

  // A well-formed request whose manifest the registry refuses: 422, kind invalid.
  const auto bad_version =
      json{{"mode", "apply"}, {"manifest", manifest::to_json(make_manifest("sales", "orders", "1.2"))}}.dump();
  check_error_reply(send(server, {"POST", "/v1/products"}, server.admin_token(), bad_version), 422, "invalid");
  const auto refused = admin->publish(make_manifest("sales", "orders", "1.2"), registry::PublishMode::apply);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::invalid);
  // A malformed request: 400.
  check_error_reply(send(server, {"POST", "/v1/products"}, server.admin_token(), "not json"), 400, "invalid");
  check_error_reply(send(server, {"GET", "/v1/products?limit=many"}, server.admin_token()), 400, "invalid");
  check_error_reply(send(server, {"GET", "/v1/nothing-here"}, server.admin_token()), 404, "not_found");
  // A domain nobody created.
  const auto nowhere = admin->publish(make_manifest("nowhere", "orders", "1.0.0"), registry::PublishMode::apply);
  REQUIRE_FALSE(nowhere.ok());
  CHECK(nowhere.error().kind == ErrorKind::not_found);
}

TEST_CASE("the access log has one JSON line per request and never a token", "[server]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  const auto token = admin->create_token({"ci", registry::Role::owner, {"sales"}});
  REQUIRE(token.ok());
  REQUIRE(
      server.client(token->secret)->publish(make_manifest("sales", "orders", "1.0.0"), registry::PublishMode::apply));
  (void)server.client(with_other_secret(token->secret))->get_product({"sales", "orders"});
  CHECK(send(server, {"GET", "/healthz"}, std::nullopt).status == 200);

  const auto lines = server.access_log(5);
  REQUIRE(lines.size() == 5);
  for (const auto& line : lines) {
    INFO(line);
    CHECK(line.find(server.admin_token()) == std::string::npos);
    CHECK(line.find(token->secret) == std::string::npos);
    CHECK(line.find(with_other_secret(token->secret)) == std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
    const auto entry = json::parse(line);
    for (const auto* key : {"time", "method", "path", "status", "duration_ms", "principal", "cached"}) {
      CHECK(entry.contains(key));
    }
  }
  // httplib logs a request after its response is sent, so the client's next
  // request can be logged first: the lines are compared as a set.
  std::multiset<std::string> seen;
  for (const auto& line : lines) {
    const auto entry = json::parse(line);
    seen.insert(fmt::format("{} {} {}", entry["principal"].get<std::string>(), entry["status"].get<int>(),
                            entry["path"].get<std::string>()));
  }
  CHECK(seen.count("admin 201 /v1/domains") == 1);
  CHECK(seen.count("admin 201 /v1/tokens") == 1);
  CHECK(seen.count("ci 201 /v1/products") == 1);
  CHECK(seen.count("- 401 /v1/products/sales/orders") == 1);
  CHECK(seen.count("- 200 /healthz") == 1);
}

TEST_CASE("a changelog over a server is one request; versions carry manifests only when asked", "[server]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  auto admin = server.admin();
  REQUIRE(admin->create_domain({"sales", "sales-data"}).ok());
  for (const auto* version : {"1.0.0", "1.1.0", "1.2.0"}) {
    REQUIRE(admin->publish(make_manifest("sales", "orders", version), registry::PublishMode::apply).ok());
  }
  const auto before = server.access_log(4).size();
  const auto entries = registry::changelog(*admin, {"sales", "orders"});
  REQUIRE(entries.ok());
  CHECK(entries->size() == 3);
  // One more request on the same connection: the server logs each request
  // before it reads the next, so every line of the changelog's is in by then.
  REQUIRE(admin->get_product({"sales", "orders"}).ok());
  const auto lines = server.access_log(before + 2);
  std::vector<std::string> paths;
  for (auto line = lines.begin() + static_cast<std::ptrdiff_t>(before); line != lines.end(); ++line) {
    paths.push_back(json::parse(*line)["path"].get<std::string>());
  }
  CHECK(paths == std::vector<std::string>{"/v1/products/sales/orders/versions", "/v1/products/sales/orders"});

  const Endpoint plain{"GET", "/v1/products/sales/orders/versions"};
  const auto without = send(server, plain, server.admin_token());
  REQUIRE(without.status == 200);
  CHECK(without.body["versions"].size() == 3);
  CHECK_FALSE(without.body["versions"][0].contains("manifest"));
  CHECK(send(server, {"GET", "/v1/products/sales/orders/versions?manifests=false"}, server.admin_token()).body ==
        without.body);
  const auto with = send(server, {"GET", "/v1/products/sales/orders/versions?manifests=true"}, server.admin_token());
  REQUIRE(with.status == 200);
  CHECK(with.body["versions"][2]["manifest"] == manifest::to_json(make_manifest("sales", "orders", "1.2.0")));
  check_error_reply(send(server, {"GET", "/v1/products/sales/orders/versions?manifests=yes"}, server.admin_token()),
                    400, "invalid");
}

TEST_CASE("a server that cannot be reached is unavailable, naming the URL and the cause", "[server]") {
  int port = 0;
  {
    TemporaryFolder folder;
    testing::TestServer server(sqlite_location(folder));
    port = server.port();
  }  // stopped: nothing listens on the port any more
  registry::RemoteRegistryOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  auto client = registry::RemoteRegistry::open(options);
  REQUIRE(client.ok());
  const auto answer = (*client)->list_domains();
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().kind == ErrorKind::unavailable);
  CHECK(answer.error().message.find("cannot reach the registry at " + options.base_url + ": ") == 0);

  options.base_url = "ftp://example.com";
  CHECK(registry::RemoteRegistry::open(options).error().kind == ErrorKind::invalid);
}

TEST_CASE("HTTPS with a certificate the client trusts; an untrusted one is refused", "[server][tls]") {
  TemporaryFolder folder;
  const auto certificate = (folder.path() / "server.pem").string();
  const auto key = (folder.path() / "server.key").string();
  const auto command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
      " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
      key + " -out " + certificate + " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  ServerOptions options;
  options.tls_certificate_file = certificate;
  options.tls_private_key_file = key;
  testing::TestServer server(sqlite_location(folder), options);
  CHECK(server.url().rfind("https://", 0) == 0);

  auto trusted = server.client(server.admin_token(), certificate);
  REQUIRE(trusted->create_domain({"sales", "sales-data"}).ok());
  CHECK(trusted->list_domains()->size() == 1);

  const auto untrusted = server.client(server.admin_token())->list_domains();
  REQUIRE_FALSE(untrusted.ok());
  CHECK(untrusted.error().kind == ErrorKind::unavailable);
  CHECK(untrusted.error().message.find("not trusted") != std::string::npos);

  ServerOptions broken;
  broken.tls_certificate_file = certificate;
  broken.tls_private_key_file = certificate;  // not a key
  meshctl::SystemClock clock;
  const auto refused = RegistryServer::create(
      broken, [] { return registry::open_store("sqlite::memory:"); }, clock, nullptr);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::invalid);
}

TEST_CASE("POST /v1/products takes ODCS and ODPS documents, in YAML or JSON, and keeps them", "[server][convert]") {
  TemporaryFolder folder;
  testing::TestServer server(sqlite_location(folder));
  REQUIRE(server.admin()->create_domain({"sales", "sales-data"}).ok());
  // Standards that ask nothing: what is tested here is the route, not the platform's rules.
  REQUIRE(server.admin()->publish_standards("apiVersion: meshctl/v1\nkind: Standards\nextends: none\n").ok());
  const std::string contract = R"(apiVersion: v3.1.0
kind: DataContract
id: sales.orders.table
name: orders
version: 1.0.0
status: active
domain: sales
description:
  purpose: One row per order.
team:
  name: sales-data
  members:
    - username: sales-data@example.com
      role: owner
schema:
  - name: orders-table
    physicalType: table
    logicalType: object
    properties:
      - name: order_id
        logicalType: string
        description: The order's id.
)";
  auto post = [&](const std::string& path, const std::string& body, const char* type) {
    httplib::Client client("127.0.0.1", server.port());
    httplib::Headers headers;
    headers.emplace("Authorization", "Bearer " + server.admin_token());
    httplib::Result result = client.Post(path, headers, body, type);
    REQUIRE(result);
    return Answer{result->status, json::parse(result->body, nullptr, false)};
  };
  const auto created = post("/v1/products", contract, "application/yaml");
  INFO(created.body.dump());
  CHECK(created.status == 201);
  CHECK(created.body["changes"][0]["action"] == "created");
  const auto version = server.admin()->get_version({"sales", "orders"}, "1.0.0");
  REQUIRE(version.ok());
  REQUIRE(version->original);
  CHECK(version->original->format == "odcs");
  CHECK(json::parse(version->original->documents_json)[0]["id"] == "sales.orders.table");

  // The same contract as JSON, one version up (?mode= as apply's).
  auto next = json::parse(R"({"apiVersion":"v3.1.0","kind":"DataContract","id":"sales.orders.table",
    "name":"orders","version":"1.1.0","status":"active","domain":"sales","description":{"purpose":"One row per order."},
    "team":{"name":"sales-data","members":[{"username":"sales-data@example.com","role":"owner"}]},
    "schema":[{"name":"orders-table","physicalType":"table","logicalType":"object","properties":[
      {"name":"order_id","logicalType":"string","description":"The order's id."}]}]})");
  const auto evolved = post("/v1/products?mode=evolve", next.dump(), "application/json");
  INFO(evolved.body.dump());
  CHECK(evolved.status == 200);
  CHECK(evolved.body["changes"][0]["action"] == "evolved");

  // An ODPS product whose contract is not in the body: 422 with the finding at its contractId.
  const std::string product = R"(apiVersion: v1.0.0
kind: DataProduct
id: sales.lines
name: lines
version: 1.0.0
status: active
domain: sales
outputPorts:
  - name: lines-table
    version: 1.0.0
    contractId: sales.lines.table
)";
  const auto refused = post("/v1/products", product, "application/yaml");
  check_error_reply(refused, 422, "invalid");
  REQUIRE(refused.body["error"]["details"]["findings"].size() == 1);
  CHECK(refused.body["error"]["details"]["findings"][0]["rule"] == "MESH-ODPS-CONTRACT");
  CHECK(refused.body["error"]["details"]["findings"][0]["line"] == 11);
}

}  // namespace
}  // namespace meshctl::server
