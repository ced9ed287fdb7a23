#pragma once

// What a check of a registry's store found: each store fills it (store/sqlite,
// store/postgres), `check_registry` (maintenance.h) picks the store.

#include <cstdint>
#include <string>
#include <vector>

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

}  // namespace meshctl::registry
