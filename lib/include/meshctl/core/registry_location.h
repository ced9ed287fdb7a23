#pragma once

// Where a registry lives, in the one grammar that --registry, MESHCTL_REGISTRY,
// a context of the config file and `meshctl serve --store` all read:
//   PATH, sqlite:PATH                 the embedded registry: an SQLite file
//   postgresql://..., postgres://...  a PostgreSQL database (a libpq URI)
//   http://HOST:PORT, https://...     a registry server
// Parsed here only, so every place accepts and refuses the same texts.

#include <string>
#include <string_view>

#include "meshctl/core/error.h"

namespace meshctl {

struct RegistryLocation {
  enum class Kind { sqlite, postgres, http };
  Kind kind = Kind::sqlite;
  // sqlite: the file path; postgres: the URI as given (with its password, if
  // any: print `redact_postgres_uri(target)`); http: the base URL without a
  // trailing slash.
  std::string target;

  friend bool operator==(const RegistryLocation&, const RegistryLocation&) = default;
};

// Fails with ErrorKind::invalid, saying which forms are accepted, on an empty
// text, `sqlite:` without a path, or another URL scheme. The message never
// holds a password.
Result<RegistryLocation> parse_registry_location(std::string_view text);

// `uri` without its password (in the user part or as a `password=` parameter)
// and without its query: what messages may show. "a PostgreSQL database" for a
// text that is not a URI.
std::string redact_postgres_uri(const std::string& uri);

}  // namespace meshctl
