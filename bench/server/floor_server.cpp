// The floor of bench/server/run: a minimal cpp-httplib server answering a
// fixed JSON body, with the same worker pool and keep-alive settings as
// `meshctl serve`. Whatever it does per request, meshctl serve does too.
//
// Usage: floor_server PORT WORKERS BODY_BYTES

#include <cstdlib>
#include <string>

#include <httplib.h>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const int port = std::atoi(argv[1]);
  const auto workers = static_cast<std::size_t>(std::atoi(argv[2]));
  const std::string body(static_cast<std::size_t>(std::atoi(argv[3])), 'x');
  httplib::Server server;
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_timeout(2);
  server.set_keep_alive_max_count(1000);
  server.Get(".*", [&body](const httplib::Request&, httplib::Response& response) {
    response.set_content(body, "application/json");
  });
  return server.listen("127.0.0.1", port) ? 0 : 1;
}
