#pragma once

// Operations on a registry's store, run where the store is: check it, back it
// up and restore it. Over a registry server they do not apply (the CLI says
// so); on PostgreSQL, backup and restore are pg_dump's and pg_restore's.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/error.h"

namespace meshctl::registry {

// One thing wrong in a store. `check` names the check that found it:
// "integrity" (SQLite's integrity_check), "foreign-keys", "content-hash" (a
// stored manifest no longer matches the hash recorded when it was
// published), "audit-ids" (audit events missing between the first and the
// last), "dependency-edges" (an edge whose consumer is gone),
// "latest-version" (a product whose latest version has no row).
struct RegistryProblem {
  std::string check;
  std::string message;
};

struct RegistryCheckReport {
  std::string registry;  // the store checked: its path, or its URI without a password
  std::int64_t schema_version = 0;
  std::int64_t products = 0;
  std::int64_t versions = 0;
  std::int64_t dependency_edges = 0;
  std::int64_t audit_events = 0;
  std::vector<RegistryProblem> problems;  // empty: the store is sound
  // Facts that are not problems: dependency edges whose provider is not
  // registered (lineage shows them as "not registered"), checks that do not
  // apply to this store.
  std::vector<std::string> notes;
};

// Checks the store at `location` (sqlite:PATH or postgresql://...) without
// writing to it. Problems found are data in the report; fails with
// ErrorKind::unavailable when the store cannot be read or is not a meshctl
// registry, ErrorKind::not_found when the SQLite file does not exist,
// ErrorKind::invalid for another kind of location.
Result<RegistryCheckReport> check_registry(std::string_view location, std::chrono::milliseconds lock_wait);

// Copies the SQLite registry at `registry` to `file` with SQLite's online
// backup API: one read snapshot, so the copy is consistent while other
// processes write, and they are not held up. The copy is written beside
// `file` and renamed into place once complete and checked. Fails with
// ErrorKind::conflict when `file` exists and !overwrite, ErrorKind::not_found
// when the registry does not exist, ErrorKind::unavailable when the registry
// cannot be read, is not a meshctl registry, or the copy cannot be written or
// fails the check.
Status backup_sqlite_registry(const std::filesystem::path& registry, const std::filesystem::path& file,
                              bool overwrite, std::chrono::milliseconds lock_wait);

// Replaces the content of the SQLite registry at `registry` (created if
// missing) with the backup `file`, in one write transaction of the registry:
// other processes see the registry before or after, never in between. Refuses
// (ErrorKind::invalid) a `file` that is not a meshctl registry, was written by
// a newer meshctl, or fails check_registry, and (ErrorKind::unavailable) a
// `registry` that is another application's database.
Status restore_sqlite_registry(const std::filesystem::path& registry, const std::filesystem::path& file,
                               std::chrono::milliseconds lock_wait);

}  // namespace meshctl::registry
