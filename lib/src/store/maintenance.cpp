#include "meshctl/store/maintenance.h"

#include "meshctl/core/registry_location.h"
#include "meshctl/network/module.h"
#include "meshctl/store/sqlite/sqlite_maintenance.h"

namespace meshctl::registry {

Result<RegistryCheckReport> check_registry(std::string_view location, std::chrono::milliseconds lock_wait) {
  auto parsed = parse_registry_location(location);
  if (!parsed) return parsed.error();
  return check_registry(*parsed, lock_wait);
}

Result<RegistryCheckReport> check_registry(const RegistryLocation& location, std::chrono::milliseconds lock_wait) {
  switch (location.kind) {
    case RegistryLocation::Kind::sqlite: return check_sqlite_registry_file(location.target, lock_wait);
    case RegistryLocation::Kind::postgres: {
      auto module = network::load_module();
      if (!module) return module.error();
      return (*module)->check_postgres_registry(location.target, lock_wait);
    }
    case RegistryLocation::Kind::http: break;
  }
  return make_error(ErrorKind::invalid,
                    "registry check runs where the store is, on a file path, sqlite:PATH or postgresql://...; "
                    "not on the registry server " +
                        location.target);
}

}  // namespace meshctl::registry
