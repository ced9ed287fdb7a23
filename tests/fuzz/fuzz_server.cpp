// Every request handler of the server, in process: one raw HTTP/1.1 request
// (method, path, headers, body) served as a connection's request is served
// (RegistryServer::answer), over a fresh SQLite store in a temporary folder
// with a bootstrapped admin. The first byte picks the bearer token the request
// carries, so authenticated paths are reached as well as refused:
//   byte % 3 == 0: none, 1: the admin's, 2: a well-formed token of no one.
// The rest is the request; the Authorization header goes after its first line.
// The store keeps what earlier inputs wrote, as a long-running server does.
// Stops on a 5xx answer (hostile input is the client's fault: 4xx), and on the
// admin's secret in an answer or in the access log.
//
// The secret is kept and looked for only masked (each byte XOR kMask): libFuzzer
// records both operands of every memcmp made while an input runs, so a plain
// search for the secret taught the fuzzer the secret itself, which it then wrote
// into requests (a token's name, read back by a later GET /v1/tokens).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include "fuzz_support.h"
#include "meshctl/core/clock.h"
#include "meshctl/server/server.h"
#include "meshctl/store/store_factory.h"

using namespace meshctl;

namespace {

// A fixed time: answers and stored records do not depend on when the fuzzer runs.
class FixedClock final : public meshctl::Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    using namespace std::chrono;
    return sys_days{year{2026} / November / 23} + hours{10};
  }
};

constexpr char kMask = 0x5a;

std::string masked(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c ^ kMask);
  return out;
}

struct Fixture {
  std::filesystem::path folder;
  FixedClock clock;
  std::unique_ptr<server::RegistryServer> server;
  std::string admin_token;
  std::string masked_secret;  // what must never be shown: the part after the token id, masked
  // Should an input still hold the secret, the server may echo it or store it (a token's name) and show it
  // in any later answer: the server showing what a client sent leaks nothing, so from then on the secret
  // is no longer looked for.
  bool secret_given = false;

  bool shows_secret(std::string_view text) const {
    return !masked_secret.empty() && masked(text).find(masked_secret) != std::string::npos;
  }

  Fixture() {
    // $TMPDIR when set (scripts/fuzz points it at a folder it removes: libFuzzer may end with _Exit, which
    // skips the clean-up below), else in memory when there is a tmpfs: every write of the store is a sync.
    const char* tmpdir = std::getenv("TMPDIR");
    const std::filesystem::path base = tmpdir != nullptr && *tmpdir != '\0' ? std::filesystem::path(tmpdir)
                                       : std::filesystem::is_directory("/dev/shm")
                                           ? std::filesystem::path("/dev/shm")
                                           : std::filesystem::temp_directory_path();
    std::string pattern = (base / "meshctl-fuzz-server-XXXXXX").string();
    fuzz::require(::mkdtemp(pattern.data()) != nullptr, "a temporary folder for the store");
    folder = pattern;
    const std::string location = "sqlite:" + (folder / "registry.db").string();
    server::ServerOptions options;
    options.workers = 2;
    options.max_body_bytes = 1 << 20;
    auto created = server::RegistryServer::create(
        options, [location] { return registry::open_store(location); }, clock,
        [this](const std::string& line) {
          fuzz::require(secret_given || !shows_secret(line), "the access log never holds a token's secret");
        });
    fuzz::require(created.ok(), "the server starts on a fresh store");
    server = std::move(*created);
    auto token = server->bootstrap_admin_token();
    fuzz::require(token.ok() && token->has_value(), "the fresh store gets an admin token");
    admin_token = **token;
    masked_secret = masked(admin_token.substr(admin_token.rfind('_') + 1));
    std::atexit([] { std::filesystem::remove_all(instance().folder); });
  }

  static Fixture& instance() {
    static Fixture fixture;
    return fixture;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Fixture& fixture = Fixture::instance();
  const std::string_view input = fuzz::as_text(data + 1, size - 1);
  std::string token;
  switch (data[0] % 3) {
    case 1: token = fixture.admin_token; break;
    case 2: token = "mesh_0123456789abcdef_" + std::string(64, 'a'); break;
    default: break;
  }
  if (!fixture.secret_given && fixture.shows_secret(input)) {
    fixture.secret_given = true;
    // Said once, so that a run whose check went off is not taken for one that checked all along.
    std::fputs("fuzz notice: an input holds the admin's secret; answers are no longer searched for it\n", stderr);
  }
  std::string request;
  const auto first_line_end = input.find("\r\n");
  if (token.empty() || first_line_end == std::string_view::npos) {
    request = input;
  } else {
    request.reserve(input.size() + token.size() + 32);
    request.append(input.substr(0, first_line_end + 2));
    request.append("Authorization: Bearer ").append(token).append("\r\n");
    request.append(input.substr(first_line_end + 2));
  }
  const std::string response = fixture.server->answer(request);
  if (!response.empty()) {
    fuzz::require(response.rfind("HTTP/1.1 ", 0) == 0, "an answer is an HTTP/1.1 response");
    fuzz::require(response.size() >= 12 && response[9] != '5',
                  "no request is answered 5xx: bad input is the client's fault (4xx)");
    fuzz::require(fixture.secret_given || !fixture.shows_secret(response), "no answer holds the admin's secret");
  }
  return 0;
}
