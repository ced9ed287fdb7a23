#pragma once

// The store-specific halves of check_registry (maintenance.h). Private to lib.

#include <chrono>
#include <filesystem>
#include <string>

#include "meshctl/registry/maintenance.h"

namespace meshctl::registry {

Result<RegistryCheckReport> check_sqlite_registry_file(const std::filesystem::path& path,
                                                       std::chrono::milliseconds lock_wait);
Result<RegistryCheckReport> check_postgres_registry(const std::string& uri, std::chrono::milliseconds lock_wait);

}  // namespace meshctl::registry
