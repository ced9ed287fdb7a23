#include "meshctl/registry/maintenance.h"

#include <fmt/format.h>

#include "meshctl/registry/postgres_store.h"
#include "registry/maintenance_stores.h"

namespace meshctl::registry {

Result<RegistryCheckReport> check_registry(std::string_view location, std::chrono::milliseconds lock_wait) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (location.starts_with(kSqlite) && location.size() > kSqlite.size()) {
    return check_sqlite_registry_file(std::string(location.substr(kSqlite.size())), lock_wait);
  }
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    return check_postgres_registry(std::string(location), lock_wait);
  }
  return make_error(ErrorKind::invalid,
                    fmt::format("registry check runs on sqlite:PATH or postgresql://...; not on {}",
                                location.find("://") != std::string_view::npos
                                    ? redact_postgres_uri(std::string(location))
                                    : std::string(location)));
}

}  // namespace meshctl::registry
