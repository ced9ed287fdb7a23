#include "commands/registry.h"

#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/store/maintenance.h"
#include "meshctl/store/sqlite/sqlite_maintenance.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

constexpr std::chrono::milliseconds kLockWait{10000};

struct RegistryFileOptions {
  std::string file;
  bool force = false;
};

std::string counted(std::int64_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

// The SQLite file of `location`, or the refusal for a PostgreSQL store.
Result<std::string> sqlite_file_of(const RegistryLocation& location, std::string_view command,
                                   std::string_view postgres_tool) {
  if (location.kind == RegistryLocation::Kind::sqlite) return location.target;
  return make_error(ErrorKind::invalid,
                    fmt::format("{} copies an SQLite registry; a PostgreSQL registry is copied with PostgreSQL's own "
                                "tools: {} (see README, \"Registry check, backup and restore\")",
                                command, postgres_tool));
}

int run_registry_check(Context& context) {
  auto location = registry_store_location(context, "registry check");
  if (!location) return report_error(context, location.error());
  auto report = registry::check_registry(*location, kLockWait);
  if (!report) return report_error(context, report.error());
  nlohmann::ordered_json problems = nlohmann::ordered_json::array();
  for (const auto& problem : report->problems)
    problems.push_back({{"check", problem.check}, {"message", problem.message}});
  nlohmann::ordered_json value = {{"registry", report->registry},
                                  {"schemaVersion", report->schema_version},
                                  {"products", report->products},
                                  {"versions", report->versions},
                                  {"dependencyEdges", report->dependency_edges},
                                  {"auditEvents", report->audit_events},
                                  {"problems", problems},
                                  {"notes", report->notes}};
  print_as_requested(context, value, [&](std::ostream& out) {
    out << "checked " << report->registry << ": schema version " << report->schema_version << ", "
        << counted(report->products, "product", "products") << ", " << counted(report->versions, "version", "versions")
        << ", " << counted(report->dependency_edges, "dependency edge", "dependency edges") << ", "
        << counted(report->audit_events, "audit event", "audit events") << "\n";
    for (const auto& problem : report->problems)
      out << "problem (" << problem.check << "): " << problem.message << "\n";
    for (const auto& note : report->notes) out << "note: " << note << "\n";
    if (report->problems.empty()) {
      out << "no problem found\n";
    } else {
      out << counted(static_cast<std::int64_t>(report->problems.size()), "problem", "problems") << " found\n";
    }
  });
  return report->problems.empty() ? kSuccess : kFindings;
}

int run_registry_backup(const RegistryFileOptions& options, Context& context) {
  auto location = registry_store_location(context, "registry backup");
  if (!location) return report_error(context, location.error());
  auto registry = sqlite_file_of(*location, "registry backup", "pg_dump -Fc -f FILE DATABASE");
  if (!registry) return report_error(context, registry.error());
  if (auto status = registry::backup_sqlite_registry(*registry, options.file, options.force, kLockWait); !status.ok()) {
    return report_error(context, status.error());
  }
  nlohmann::ordered_json value = {{"registry", *registry}, {"backup", options.file}};
  print_as_requested(context, value, [&](std::ostream& out) {
    out << "backed up the registry " << *registry << " to " << options.file << "\n";
  });
  return kSuccess;
}

int run_registry_restore(const RegistryFileOptions& options, Context& context) {
  auto location = registry_store_location(context, "registry restore");
  if (!location) return report_error(context, location.error());
  auto registry = sqlite_file_of(*location, "registry restore", "pg_restore --clean -d DATABASE FILE");
  if (!registry) return report_error(context, registry.error());
  if (auto status = registry::restore_sqlite_registry(*registry, options.file, kLockWait); !status.ok()) {
    return report_error(context, status.error());
  }
  nlohmann::ordered_json value = {{"registry", *registry}, {"restoredFrom", options.file}};
  print_as_requested(context, value, [&](std::ostream& out) {
    out << "restored the registry " << *registry << " from " << options.file << "\n";
  });
  return kSuccess;
}

}  // namespace

void register_registry(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("registry", "Check, back up and restore the registry's store");
  command->footer(R"(These commands work on the store itself, where it is: the embedded registry's
SQLite file (--registry PATH), or a PostgreSQL database (--registry postgresql://...).
Against a registry server (http/https) they exit 2: run them on the server's
machine, with --registry set to the store `meshctl serve --store` was given.

Examples:
  meshctl registry check
  meshctl --registry /srv/meshctl/registry.db registry backup /backups/registry-2026-12-03.db
  meshctl --registry /srv/meshctl/registry.db registry restore /backups/registry-2026-12-03.db
  meshctl --registry postgresql://meshctl@db:5432/meshctl -o json registry check)");
  command->require_subcommand(1);

  auto* check = command->add_subcommand("check", "Check the store: pages, hashes, audit ids, edges");
  check->footer(R"(Reads the store without writing to it and prints every problem found:
  integrity         SQLite's integrity_check (damaged pages or indexes)
  foreign-keys      rows that refer to rows that do not exist (SQLite's foreign_key_check)
  content-hash      a stored manifest that no longer matches the hash recorded when it was
                    published (changed outside meshctl)
  audit-ids         audit events missing between the first and the last (SQLite; PostgreSQL's
                    sequence skips ids on rollback, so gaps are not checked there)
  dependency-edges  an edge whose consumer product is gone
  latest-version    a product whose latest version has no stored manifest
Dependency edges to products that are not registered are notes, not problems.

Exit codes: 0 no problem, 1 problems found, 2 the registry is a server, 3 no registry
file, 6 the store cannot be read (not a meshctl registry, not a database).)");
  check->callback([&context] { context.exit_code = run_registry_check(context); });

  auto backup_options = std::make_shared<RegistryFileOptions>();
  auto* backup = command->add_subcommand("backup", "Copy the SQLite registry to FILE, while others keep writing");
  backup->add_option("file", backup_options->file, "The backup to write")->required();
  backup->add_flag("--force", backup_options->force, "Replace FILE if it exists");
  backup->footer(R"(Uses SQLite's online backup API: the copy is one consistent snapshot, taken
while other processes keep reading and writing the registry. It is written beside
FILE and takes FILE's name only once complete and intact. An existing FILE is
refused unless --force. The copy passes `meshctl registry check`.

For a PostgreSQL registry use PostgreSQL's tools: pg_dump -Fc -f FILE DATABASE (exit 2 here).)");
  backup->callback([backup_options, &context] { context.exit_code = run_registry_backup(*backup_options, context); });

  auto restore_options = std::make_shared<RegistryFileOptions>();
  auto* restore = command->add_subcommand("restore", "Replace the SQLite registry with the backup FILE");
  restore->add_option("file", restore_options->file, "A backup written by `meshctl registry backup`")->required();
  restore->footer(R"(First checks that FILE is a meshctl registry that passes `meshctl registry check`
(refused, exit 2, otherwise: the registry is left as it was). Then replaces the
registry's content in one write transaction: other processes see the registry as it
was or as restored, never half-restored. A backup from an older meshctl is migrated.

For a PostgreSQL registry use PostgreSQL's tools: pg_restore --clean -d DATABASE FILE (exit 2 here).)");
  restore->callback(
      [restore_options, &context] { context.exit_code = run_registry_restore(*restore_options, context); });
}

}  // namespace meshctl::cli
