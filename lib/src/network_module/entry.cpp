// The entry points of the network areas (see meshctl/network/module.h).
#include <utility>

#include "meshctl/network/module.h"
#include "meshctl/quality/postgres/postgres_table.h"
#include "meshctl/remote/remote_registry.h"
#include "meshctl/server/server.h"
#include "meshctl/store/postgres/postgres_store.h"

namespace meshctl::network {
namespace {

Result<std::unique_ptr<registry::Store>> open_postgres_store(const std::string& uri,
                                                             std::chrono::milliseconds lock_wait) {
  auto store = registry::PostgresStore::open(uri, registry::PostgresStoreOptions{lock_wait});
  if (!store) return store.error();
  return std::unique_ptr<registry::Store>(std::move(*store));
}

Result<std::unique_ptr<registry::Registry>> open_remote_registry(const registry::RemoteRegistryOptions& options) {
  auto remote = registry::RemoteRegistry::open(options);
  if (!remote) return remote.error();
  return std::unique_ptr<registry::Registry>(std::move(*remote));
}

Result<std::unique_ptr<server::RegistryServer>> create_server(const server::ServerOptions& options,
                                                              server::StoreOpener open_store, const Clock& clock,
                                                              server::AccessLogSink access_log) {
  return server::RegistryServer::create(options, std::move(open_store), clock, std::move(access_log));
}

const Module kModule{&open_postgres_store, &registry::check_postgres_registry, &open_remote_registry, &create_server,
                     &quality::open_postgres_table};

}  // namespace
}  // namespace meshctl::network

extern "C" const meshctl::network::Module* meshctl_network_module() {
  return &meshctl::network::kModule;
}
