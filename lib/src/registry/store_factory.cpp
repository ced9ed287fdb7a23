#include "meshctl/registry/store_factory.h"

#include <fmt/format.h>

#include "meshctl/registry/postgres_store.h"
#include "meshctl/registry/sqlite_store.h"

namespace meshctl::registry {

Result<std::unique_ptr<Store>> open_store(std::string_view location, const StoreOpenOptions& options) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (location.starts_with(kSqlite) && location.size() > kSqlite.size()) {
    auto store = SqliteStore::open(std::string(location.substr(kSqlite.size())),
                                   SqliteStoreOptions{options.lock_wait, options.create_if_missing});
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(*store));
  }
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
    auto store = PostgresStore::open(std::string(location), PostgresStoreOptions{options.lock_wait});
    if (!store.ok()) return store.error();
    return std::unique_ptr<Store>(std::move(*store));
  }
  // Never echo a location that might be a mistyped URI with a password in it.
  const bool looks_like_uri = location.find("://") != std::string_view::npos;
  return make_error(ErrorKind::invalid,
                    fmt::format("unknown store {}: use sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE",
                                looks_like_uri ? redact_postgres_uri(std::string(location)) : std::string(location)));
}

}  // namespace meshctl::registry
