// RegistryService: the registry-wide audit log (`meshctl audit`), and who may read which part of it.

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meshctl/core/text.h"
#include "meshctl/registry/registry.h"
#include "meshctl/registry/service.h"
#include "meshctl/usage/time.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::in_read_transaction;
using service_support::record_refusal;

namespace {

// The earliest event time `since` admits at `now`, like AuditEvent::time.
// REQUIRES: check_audit_query accepted it.
std::string since_time(const std::string& since, std::chrono::system_clock::time_point now) {
  if (const auto period = parse_period(since)) {
    const auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return usage::format_timestamp(std::max<std::int64_t>(0, now_seconds - *period));
  }
  return usage::normalize_timestamp(since).value_or(since);
}

// What the caller may see, narrowed by query.domain: nullopt for everything.
// forbidden (and audited) for a reader, and for an owner asking for a domain
// that is not its own.
Result<std::optional<std::vector<std::string>>> visible_domains(RegistryService& service, Store& store,
                                                                const Caller& caller, const AuditQuery& query,
                                                                const std::string& now) {
  using Domains = std::optional<std::vector<std::string>>;
  const auto asked = query.domain ? Domains(std::vector<std::string>{*query.domain}) : Domains();
  if (!caller.principal || caller.principal->role == Role::admin) return asked;
  if (auto allowed = service.authorize_role(caller, Role::owner, "read the audit log"); !allowed.ok()) {
    return allowed.error();
  }
  const PrincipalRecord& principal = *caller.principal;
  if (!query.domain) return Domains(principal.domains);
  if (std::find(principal.domains.begin(), principal.domains.end(), *query.domain) != principal.domains.end()) {
    return asked;
  }
  auto refusal = make_error(ErrorKind::forbidden,
                            fmt::format("{} (owner of {}) may not read the audit of domain '{}': an owner reads the "
                                        "events of its own domains, an admin every event",
                                        principal.name, fmt::join(principal.domains, ", "), *query.domain),
                            {{"domain", *query.domain},
                             {"principal", principal.name},
                             {"role", to_string(principal.role)},
                             {"attempted", fmt::format("read the audit of domain {}", *query.domain)}});
  return record_refusal(store, caller, {*query.domain, ""}, refusal, now);
}

}  // namespace

Status check_audit_query(const AuditQuery& query) {
  if (query.limit == 0 || query.limit > kMaxAuditLimit) {
    return make_error(ErrorKind::invalid,
                      fmt::format("--limit {} is out of range: read 1 to {} events at a time, and the next page "
                                  "with --before",
                                  query.limit, kMaxAuditLimit),
                      {{"limit", query.limit}, {"max", kMaxAuditLimit}});
  }
  if (query.before_id < 0) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("--before {} is not an event id: give the id the last page ended at", query.before_id),
        {{"before", query.before_id}});
  }
  if (query.since && !parse_period(*query.since) && !usage::parse_timestamp(*query.since)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("--since '{}' is neither a period nor a time: write a positive number and m, h, d "
                                  "or w (e.g. 7d), or an RFC 3339 time (e.g. 2026-11-01T00:00:00Z)",
                                  *query.since),
                      {{"since", *query.since}});
  }
  return ok_status();
}

Result<AuditPage> RegistryService::audit(const Caller& caller, const AuditQuery& query) {
  const auto time = clock_.now();
  auto domains = visible_domains(*this, store_, caller, query, format_utc(time));
  if (!domains.ok()) return domains.error();
  if (auto valid = check_audit_query(query); !valid.ok()) return valid.error();
  AuditSelection selection;
  selection.domains = std::move(*domains);
  selection.actor = query.actor;
  if (query.action && !query.action->empty() && query.action->back() == '*') {
    // "*" alone is every action: no condition.
    if (query.action->size() > 1) selection.action_prefix = query.action->substr(0, query.action->size() - 1);
  } else {
    selection.action = query.action;
  }
  if (query.since) selection.since = since_time(*query.since, time);
  selection.before_id = query.before_id;
  selection.limit = query.limit + 1;  // one more tells whether a next page exists
  auto events = in_read_transaction<std::vector<AuditEvent>>(
      store_, [&](StoreTransaction& transaction) { return transaction.audit_events(selection); });
  if (!events.ok()) return events.error();
  AuditPage page{std::move(*events), std::nullopt};
  if (page.events.size() > query.limit) {
    page.events.resize(query.limit);
    page.next_before = page.events.back().id;
  }
  return page;
}

}  // namespace meshctl::registry
