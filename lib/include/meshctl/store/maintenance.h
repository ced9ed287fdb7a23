#pragma once

// Operations on a registry's store, run where the store is: check it, back it
// up and restore it. Over a registry server they do not apply (the CLI says
// so); on PostgreSQL, backup and restore are pg_dump's and pg_restore's; the
// SQLite registry's are in meshctl/store/sqlite/sqlite_maintenance.h.

#include <chrono>
#include <string_view>

#include "meshctl/core/error.h"
#include "meshctl/core/registry_location.h"
#include "meshctl/store/check_report.h"

namespace meshctl::registry {

// Checks the store at `location` (PATH, sqlite:PATH or postgresql://...) without
// writing to it. Problems found are data in the report; fails with
// ErrorKind::unavailable when the store cannot be read or is not a meshctl
// registry, ErrorKind::not_found when the SQLite file does not exist,
// ErrorKind::invalid for another kind of location.
Result<RegistryCheckReport> check_registry(std::string_view location, std::chrono::milliseconds lock_wait);
Result<RegistryCheckReport> check_registry(const RegistryLocation& location, std::chrono::milliseconds lock_wait);

}  // namespace meshctl::registry
