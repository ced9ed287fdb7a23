#include "store/sqlite/sqlite_audit.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace meshctl::registry::sqlite_audit {
namespace {

// A JSON array of the domains; bytes that are not UTF-8 are replaced (such a
// domain matches nothing) instead of throwing.
std::string domain_list(const std::vector<std::string>& domains) {
  return nlohmann::json(domains).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<std::vector<AuditEvent>> audit_events(SqliteStore::Connection& connection, const AuditSelection& selection) {
  // Only the filters given become conditions, so each combination is its own
  // (cached) statement and SQLite can pick an index for it: audit_events_by_time
  // for `since`, audit_events_by_product for one domain.
  std::string sql = "SELECT id, time, actor, action, domain, name, version, summary FROM audit_events WHERE 1 = 1";
  std::vector<std::string> texts;
  const auto where = [&](const char* condition, std::string value) {
    sql += condition;
    texts.push_back(std::move(value));
  };
  if (selection.domains) {
    where(" AND domain IN (SELECT value FROM json_each(?))", domain_list(*selection.domains));
  }
  if (selection.actor) where(" AND actor = ?", *selection.actor);
  if (selection.action) where(" AND action = ?", *selection.action);
  // substr, not LIKE: a prefix holding '%' or '_' means those characters.
  if (selection.action_prefix) {
    where(" AND substr(action, 1, length(?)) = ?", *selection.action_prefix);
    texts.push_back(*selection.action_prefix);
  }
  if (selection.since) where(" AND time >= ?", *selection.since);
  if (selection.before_id > 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";

  auto statement = connection.prepare(sql);
  if (!statement.ok()) return statement.error();
  auto& row = **statement;
  int index = 0;
  for (const auto& text : texts) row.bind(++index, text);
  if (selection.before_id > 0) row.bind(++index, selection.before_id);
  row.bind(++index, static_cast<std::int64_t>(selection.limit));
  std::vector<AuditEvent> events;
  int code = 0;
  while ((code = row.step()) == SQLITE_ROW) {
    events.push_back(
        {row.integer(0), row.text(1), row.text(2), row.text(3), {row.text(4), row.text(5)}, row.text(6), row.text(7)});
  }
  if (code != SQLITE_DONE) return connection.error(code, "reading the audit log");
  return events;
}

}  // namespace meshctl::registry::sqlite_audit
