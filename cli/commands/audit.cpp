#include "commands/audit.h"

#include <algorithm>
#include <memory>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "output/records.h"
#include "output/structured.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct AuditOptions {
  std::string domain;
  std::string actor;
  std::string action;
  std::string since;
  std::size_t limit = 100;
  std::int64_t before = 0;
};

std::optional<std::string> given(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

// `value` as one shell word: as it is when it needs no quotes, else in single quotes.
std::string shell_word(const std::string& value) {
  const bool plain = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-_.:/@+=,").find(c) != std::string_view::npos;
  });
  if (plain) return value;
  std::string quoted = "'";
  for (const char c : value) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The command that reads the page after the one shown: the same filters, --before the last id.
std::string next_page_command(const AuditOptions& options, std::int64_t next_before) {
  std::string command = "meshctl audit";
  for (const auto& [flag, value] : {std::pair{"--domain", &options.domain},
                                    {"--actor", &options.actor},
                                    {"--action", &options.action},
                                    {"--since", &options.since}}) {
    if (!value->empty()) command += std::string(" ") + flag + " " + shell_word(*value);
  }
  if (options.limit != AuditOptions{}.limit) command += " --limit " + std::to_string(options.limit);
  return command + " --before " + std::to_string(next_before);
}

std::string product_column(const registry::AuditEvent& event) {
  if (event.ref.name.empty()) return "-";
  return event.version.empty() ? event.ref.name : event.ref.name + "@" + event.version;
}

int run_audit(const AuditOptions& options, Context& context) {
  registry::AuditQuery query;
  query.domain = given(options.domain);
  query.actor = given(options.actor);
  query.action = given(options.action);
  query.since = given(options.since);
  query.limit = options.limit;
  query.before_id = options.before;
  if (auto valid = registry::check_audit_query(query); !valid) return report_error(context, valid.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto page = (*registry)->audit(query);
  if (!page) return report_error(context, page.error());
  print_as_requested(context, registry::to_json(*page), [&](std::ostream& out) {
    Table table({"ID", "TIME", "ACTOR", "ACTION", "DOMAIN", "PRODUCT", "SUMMARY"});
    for (const auto& event : page->events) {
      table.add({std::to_string(event.id), event.time, event.actor, event.action,
                 event.ref.domain.empty() ? "-" : event.ref.domain, product_column(event), event.summary});
    }
    table.print(out);
  });
  if (context.output == OutputFormat::text) {
    if (page->events.empty()) *context.err << "no audit events found\n";
    if (page->next_before) {
      *context.err << "more events: " << next_page_command(options, *page->next_before) << "\n";
    }
  }
  return kSuccess;
}

}  // namespace

void register_audit(CLI::App& app, Context& context) {
  auto options = std::make_shared<AuditOptions>();
  auto* command =
      app.add_subcommand("audit", "The registry-wide audit log, newest first (admins; owners: their domains)");
  command->footer(R"(Every recorded change and refusal: products (create, evolve, deprecate, retire,
subscribe, unsubscribe), domains (domain-create), tokens (token-create,
token-rotate, token-revoke), the platform's standards, and refused requests
(forbidden).
An admin, or the local user of an embedded registry, reads every event; an owner
reads the events of its domains; a reader is refused (exit 5). Events come a page
at a time (--limit); when there are more, the command for the next page is shown
on stderr (in JSON and YAML: nextBefore).

Examples:
  meshctl audit
  meshctl audit --domain sales --since 7d
  meshctl audit --action 'token-*' --since 2026-11-01T00:00:00Z
  meshctl audit --actor ci-sales --action forbidden
  meshctl -o json audit --limit 500 --before 1200)");
  command->add_option("--domain", options->domain, "Only events about this domain or its products");
  command->add_option("--actor", options->actor, "Only events of this actor (a token's name, or a local user)");
  command->add_option("--action", options->action,
                      "Only this action (e.g. evolve, forbidden); a trailing * matches a prefix (token-*)");
  command->add_option("--since", options->since,
                      "Only events since a period ago (30m, 12h, 7d, 2w) or an RFC 3339 time");
  command->add_option("--limit", options->limit, "At most this many events (1 to 1000)")->capture_default_str();
  command->add_option("--before", options->before, "Only events with a smaller id: the next page");
  command->callback([options, &context] { context.exit_code = run_audit(*options, context); });
}

}  // namespace meshctl::cli
