#pragma once

// The PostgreSQL store, the registry server and the registry server's HTTP
// client are linked into meshctl-network, a second executable, not into
// meshctl: a command that needs none of them (validate, diff, everything
// against the embedded registry) then loads no PostgreSQL, TLS or HTTP
// library, which cost most of its start-up, and meshctl itself can be linked
// statically. When meshctl reaches one of them, it hands the whole command
// over to meshctl-network (set_handover), the way git runs its remote
// helpers.
//
// A program that links the network areas (meshctl-network, the unit tests,
// the fuzz targets) gets the entry points without any handover.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

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

struct Module {
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

// The entry points linked into this program. In a program without them,
// the handover runs, which returns only when it failed; without a handover,
// an ErrorKind::unavailable error.
Result<const Module*> load_module();

// What load_module does in a program without the network areas: replace the
// process with one that has them (meshctl runs meshctl-network with the same
// command line), or return why it could not (ErrorKind::unavailable).
void set_handover(std::function<Error()> handover);

// The file name of the executable that links the network areas, and where
// meshctl looks for it: beside its own executable, then in ../lib/meshctl/
// from it (where `cmake --install` puts it).
inline constexpr const char* kHelperName = "meshctl-network";
std::vector<std::filesystem::path> helper_candidates();

}  // namespace meshctl::network

// Defined by the network areas only (src/network_module/entry.cpp).
extern "C" const meshctl::network::Module* meshctl_network_module();
