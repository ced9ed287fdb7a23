#pragma once

// The PostgreSQL store, the registry server and the registry server's HTTP
// client live in a module, meshctl-network.so, that meshctl loads the first
// time a command needs one of them. A command that needs none (validate, diff,
// everything against the embedded registry) then maps no PostgreSQL, TLS or
// HTTP library: loading those cost most of its start-up. The module's code
// calls into the rest of lib/ as linked into the executable, which exports it.
//
// A program that links the module's areas itself (the unit tests, the fuzz
// targets) gets the same entry points without loading anything.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "meshctl/core/error.h"

namespace meshctl {
class Clock;
}
namespace meshctl::registry {
class Registry;
class Store;
struct RegistryCheckReport;
struct RemoteRegistryOptions;
}  // namespace meshctl::registry
namespace meshctl::server {
class RegistryServer;
struct ServerOptions;
}  // namespace meshctl::server
namespace meshctl::quality {
class SqlTable;
}  // namespace meshctl::quality

namespace meshctl::network {

// Changes whenever Module, or a type its entry points take or return, changes
// its layout: a module from another build is refused, not called.
inline constexpr int kModuleAbi = 4;

// The module's entry points. Each forwards to the class it names
// (PostgresStore::open, check_postgres_registry, RemoteRegistry::open,
// RegistryServer::create, quality::open_postgres_table), with the same results and errors.
struct Module {
  int abi = 0;
  const char* version = nullptr;  // the MESHCTL_VERSION of the build that made it
  Result<std::unique_ptr<registry::Store>> (*open_postgres_store)(const std::string& uri,
                                                                   std::chrono::milliseconds lock_wait) = nullptr;
  Result<registry::RegistryCheckReport> (*check_postgres_registry)(const std::string& uri,
                                                                   std::chrono::milliseconds lock_wait) = nullptr;
  Result<std::unique_ptr<registry::Registry>> (*open_remote_registry)(
      const registry::RemoteRegistryOptions& options) = nullptr;
  Result<std::unique_ptr<server::RegistryServer>> (*create_server)(
      const server::ServerOptions& options, std::function<Result<std::unique_ptr<registry::Store>>()> open_store,
      const Clock& clock, std::function<void(const std::string&)> access_log) = nullptr;
  Result<std::unique_ptr<quality::SqlTable>> (*open_postgres_table)(const std::string& uri,
                                                                    const std::string& table) = nullptr;
};

// The module: the one linked into this program, else the file
// meshctl-network.so beside the executable, else in ../lib/meshctl/ from it
// (where `cmake --install` puts it). Loaded once; later calls return the same.
// Fails with ErrorKind::unavailable, saying where it looked and why it could
// not load there, when no file loads or the file is from another build.
Result<const Module*> load_module();

}  // namespace meshctl::network

// Defined by the module only.
extern "C" const meshctl::network::Module* meshctl_network_module();
