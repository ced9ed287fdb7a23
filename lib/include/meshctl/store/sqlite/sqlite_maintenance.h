#pragma once

// Check, backup and restore of the SQLite registry, in one file of the disk.

#include <chrono>
#include <filesystem>

#include "meshctl/core/error.h"
#include "meshctl/store/check_report.h"

namespace meshctl::registry {

// Checks the registry file at `path` without writing to it (see check_registry
// in meshctl/store/maintenance.h for what it reports and how it fails).
Result<RegistryCheckReport> check_sqlite_registry_file(const std::filesystem::path& path,
                                                       std::chrono::milliseconds lock_wait);

// Copies the SQLite registry at `registry` to `file` with SQLite's online
// backup API: one read snapshot, so the copy is consistent while other
// processes write, and they are not held up. The copy is written beside
// `file` and renamed into place once complete and checked. Fails with
// ErrorKind::conflict when `file` exists and !overwrite, ErrorKind::not_found
// when the registry does not exist, ErrorKind::unavailable when the registry
// cannot be read, is not a meshctl registry, or the copy cannot be written or
// fails the check.
Status backup_sqlite_registry(const std::filesystem::path& registry, const std::filesystem::path& file, bool overwrite,
                              std::chrono::milliseconds lock_wait);

// Replaces the content of the SQLite registry at `registry` (created if
// missing) with the backup `file`, in one write transaction of the registry:
// other processes see the registry before or after, never in between. Refuses
// (ErrorKind::invalid) a `file` that is not a meshctl registry, was written by
// a newer meshctl, or fails check_registry, and (ErrorKind::unavailable) a
// `registry` that is another application's database.
Status restore_sqlite_registry(const std::filesystem::path& registry, const std::filesystem::path& file,
                               std::chrono::milliseconds lock_wait);

}  // namespace meshctl::registry
