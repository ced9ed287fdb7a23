#include "meshctl/store/store_factory.h"

#include "meshctl/core/registry_location.h"
#include "meshctl/network/module.h"
#include "meshctl/store/sqlite/sqlite_store.h"

namespace meshctl::registry {

Result<std::unique_ptr<Store>> open_store(std::string_view location, const StoreOpenOptions& options) {
  auto parsed = parse_registry_location(location);
  if (!parsed) return parsed.error();
  switch (parsed->kind) {
    case RegistryLocation::Kind::sqlite: {
      auto store = SqliteStore::open(parsed->target, SqliteStoreOptions{options.lock_wait, options.create_if_missing});
      if (!store.ok()) return store.error();
      return std::unique_ptr<Store>(std::move(*store));
    }
    case RegistryLocation::Kind::postgres: {
      auto module = network::load_module();
      if (!module) return module.error();
      return (*module)->open_postgres_store(parsed->target, options.lock_wait);
    }
    case RegistryLocation::Kind::http: break;
  }
  return make_error(ErrorKind::invalid, parsed->target +
                                            " is a registry server, not a store: give a file path, "
                                            "sqlite:PATH or postgresql://USER@HOST/DATABASE");
}

}  // namespace meshctl::registry
