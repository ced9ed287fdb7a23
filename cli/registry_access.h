#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "context.h"
#include "meshctl/core/registry_location.h"
#include "meshctl/registry/registry.h"
#include "meshctl/registry/standards_in_force.h"
#include "meshctl/validate/validator.h"

namespace meshctl::cli {

// How open_registry opens it, when not as every command does.
struct OpenRegistryOptions {
  // An embedded registry that does not exist yet is not created (ErrorKind::not_found).
  bool existing_only = false;
  // A server's connect, read and write timeouts (Default: RemoteRegistryOptions').
  std::optional<std::chrono::seconds> timeout;
};

// Opens the registry the user chose (--registry, MESHCTL_REGISTRY, the current
// context, else the embedded default), creating the default registry's folder (never the folder of
// a path the user gave).
Result<std::unique_ptr<registry::Registry>> open_registry(const Context& context, const OpenRegistryOptions& how = {});

// The standards the registry enforces on every write (registry/standards_in_force.h), as it
// keeps them now.
Result<registry::StandardsInForce> fetch_registry_standards(registry::Registry& registry);

// The glossary's terms as the registry keeps them now, for validate's term check
// (validate::check_field_terms): one read, whatever the number of files.
Result<std::vector<validate::DefinedTerm>> fetch_registry_terms(registry::Registry& registry);

// Where the registry the user chose is stored, for the commands that work on
// the store itself (registry check, backup, restore): an SQLite file or a
// PostgreSQL database. Creates nothing. ErrorKind::invalid, saying where to
// run the command instead, when the registry is a server (http or https).
Result<RegistryLocation> registry_store_location(const Context& context, std::string_view command);

}  // namespace meshctl::cli
