// The PostgreSQL store's transaction: domains, principals (tokens) and the registry-wide audit.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/postgres/postgres_transaction.h"

namespace meshctl::registry {
namespace {

// A principal's domains come as a JSON array, sorted.
constexpr const char* kPgPrincipalColumns =
    "p.name, p.role, p.token_id, p.created_at, p.created_by, p.revoked_at, "
    "(SELECT coalesce(json_agg(d.domain ORDER BY d.domain), '[]'::json) FROM principal_domains d "
    "WHERE d.principal = p.name), p.expires_at";
constexpr int kSecretHashColumn = 8;  // after kPgPrincipalColumns

PrincipalRecord read_principal(const pqxx::row& row) {
  PrincipalRecord principal;
  principal.name = text(row, 0);
  principal.role = parse_role(text(row, 1)).value_or(Role::reader);  // the CHECK constraint allows no other
  principal.token_id = text(row, 2);
  principal.created_at = text(row, 3);
  principal.created_by = text(row, 4);
  if (!row[5].is_null()) principal.revoked_at = text(row, 5);
  const auto domains = nlohmann::json::parse(text(row, 6), nullptr, false);
  if (domains.is_array()) {
    for (const auto& domain : domains) {
      if (domain.is_string()) principal.domains.push_back(domain.get<std::string>());
    }
  }
  if (!row[7].is_null()) principal.expires_at = text(row, 7);
  return principal;
}

}  // namespace

Result<std::optional<DomainRecord>> PostgresTransaction::find_domain(const std::string& name) {
  return guarded(connection_, "reading a domain", [&]() -> Result<std::optional<DomainRecord>> {
    lock(LockSpace::domain, name);
    const auto rows = execute("SELECT name, created_at, owner_team FROM domains WHERE name = $1", {name});
    if (rows.empty()) return std::optional<DomainRecord>();
    return std::optional<DomainRecord>(DomainRecord{text(rows[0], 0), text(rows[0], 1), 0, text(rows[0], 2), 0});
  });
}

Result<std::vector<DomainRecord>> PostgresTransaction::list_domains() {
  return guarded(connection_, "listing domains", [&]() -> Result<std::vector<DomainRecord>> {
    std::vector<DomainRecord> domains;
    for (const auto& row :
         execute("SELECT d.name, d.created_at, (SELECT count(*) FROM products p WHERE p.domain = d.name), "
                 "d.owner_team, (SELECT count(*) FROM versions v JOIN products p ON v.product_id = p.id "
                 "WHERE p.domain = d.name) FROM domains d ORDER BY d.name",
                 {})) {
      domains.push_back(
          {text(row, 0), text(row, 1), row[2].as<std::int64_t>(), text(row, 3), row[4].as<std::int64_t>()});
    }
    return domains;
  });
}

Status PostgresTransaction::insert_domain(const DomainRecord& domain) {
  const auto what = fmt::format("creating domain {}", domain.name);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    execute("INSERT INTO domains (name, created_at, owner_team) VALUES ($1, $2, $3)",
            {domain.name, domain.created_at, domain.owner_team});
    return ok_status();
  });
}

Result<std::int64_t> PostgresTransaction::count_principals() {
  return guarded(connection_, "counting principals", [&]() -> Result<std::int64_t> {
    // Two replicas bootstrapping the first admin at once: the second waits
    // here and then counts the first's principal.
    lock(LockSpace::principals, "");
    return execute("SELECT count(*) FROM principals", {})[0][0].as<std::int64_t>();
  });
}

Result<std::vector<PrincipalRecord>> PostgresTransaction::list_principals() {
  return guarded(connection_, "listing principals", [&]() -> Result<std::vector<PrincipalRecord>> {
    std::vector<PrincipalRecord> principals;
    for (const auto& row :
         execute(fmt::format("SELECT {} FROM principals p ORDER BY p.name", kPgPrincipalColumns), {})) {
      principals.push_back(read_principal(row));
    }
    return principals;
  });
}

Result<std::optional<PrincipalRecord>> PostgresTransaction::find_principal(const std::string& name) {
  return guarded(connection_, "reading a principal", [&]() -> Result<std::optional<PrincipalRecord>> {
    const auto rows =
        execute(fmt::format("SELECT {} FROM principals p WHERE p.name = $1", kPgPrincipalColumns), {name});
    if (rows.empty()) return std::optional<PrincipalRecord>();
    return std::optional<PrincipalRecord>(read_principal(rows[0]));
  });
}

Result<std::optional<std::pair<PrincipalRecord, std::string>>> PostgresTransaction::find_credential(
    const std::string& token_id) {
  using Found = std::optional<std::pair<PrincipalRecord, std::string>>;
  return guarded(connection_, "reading a principal", [&]() -> Result<Found> {
    const auto rows =
        execute(fmt::format("SELECT {}, p.secret_hash FROM principals p WHERE p.token_id = $1", kPgPrincipalColumns),
                {token_id});
    if (rows.empty()) return Found();
    return Found(std::pair{read_principal(rows[0]), text(rows[0], kSecretHashColumn)});
  });
}

Status PostgresTransaction::insert_principal(const PrincipalRecord& principal, const std::string& secret_hash) {
  const auto what = fmt::format("creating the token {}", principal.name);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    execute(
        "INSERT INTO principals (name, role, token_id, secret_hash, created_at, created_by, revoked_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        {principal.name, to_string(principal.role), principal.token_id, secret_hash, principal.created_at,
         principal.created_by, principal.revoked_at, principal.expires_at});
    for (const auto& domain : principal.domains) {
      execute("INSERT INTO principal_domains (principal, domain) VALUES ($1, $2)", {principal.name, domain});
    }
    return ok_status();
  });
}

Status PostgresTransaction::revoke_principal(const std::string& name, const std::string& revoked_at) {
  const auto what = fmt::format("revoking the token {}", name);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const auto result = execute("UPDATE principals SET revoked_at = $1 WHERE name = $2", {revoked_at, name});
    if (result.affected_rows() == 0) return make_error(ErrorKind::not_found, fmt::format("no token named {}", name));
    return ok_status();
  });
}

Status PostgresTransaction::replace_credential(const std::string& name, const std::string& token_id,
                                               const std::string& secret_hash,
                                               const std::optional<std::string>& expires_at) {
  const auto what = fmt::format("rotating the token {}", name);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    const auto result =
        execute("UPDATE principals SET token_id = $1, secret_hash = $2, expires_at = $3 WHERE name = $4",
                {token_id, secret_hash, expires_at, name});
    if (result.affected_rows() == 0) return make_error(ErrorKind::not_found, fmt::format("no token named {}", name));
    return ok_status();
  });
}

Result<std::vector<AuditEvent>> PostgresTransaction::audit_events(const AuditSelection& selection) {
  return guarded(connection_, "reading the audit log", [&]() -> Result<std::vector<AuditEvent>> {
    // Only the filters given become conditions, so the planner can pick an
    // index for each: audit_events_by_time for `since`, audit_events_by_product for one domain.
    std::string sql = "SELECT id, time, actor, action, domain, name, version, summary FROM audit_events WHERE true";
    Parameters parameters;
    const auto where = [&](const std::string& condition, std::string value) {
      parameters.emplace_back(std::move(value));
      sql += fmt::format(fmt::runtime(condition), parameters.size());
    };
    if (selection.domains) {
      // Bytes that are not UTF-8 are replaced (such a domain matches nothing) instead of throwing.
      where(" AND domain IN (SELECT json_array_elements_text(${}::json))",
            nlohmann::json(*selection.domains).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    if (selection.actor) where(" AND actor = ${}", *selection.actor);
    if (selection.action) where(" AND action = ${}", *selection.action);
    // substr, not LIKE: a prefix holding '%' or '_' means those characters.
    if (selection.action_prefix) {
      where(" AND substr(action, 1, length(${0})) = ${0}", *selection.action_prefix);
    }
    if (selection.since) where(" AND time COLLATE \"C\" >= ${}", *selection.since);
    if (selection.before_id > 0) where(" AND id < ${}::bigint", std::to_string(selection.before_id));
    where(" ORDER BY id DESC LIMIT ${}::bigint", std::to_string(selection.limit));
    std::vector<AuditEvent> events;
    for (const auto& row : execute(sql, parameters)) {
      events.push_back(read_audit_event(row));
    }
    return events;
  });
}

Status PostgresTransaction::insert_session(const SessionRecord& session) {
  const auto what = fmt::format("signing {} in", session.principal);
  if (auto status = require_write(what); !status.ok()) return status;
  return guarded(connection_, what, [&]() -> Status {
    execute("DELETE FROM catalog_sessions WHERE expires_at <= $1", {session.created_at});
    execute(
        "INSERT INTO catalog_sessions (secret_hash, principal, token_id, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {session.secret_hash, session.principal, session.token_id, session.created_at, session.expires_at});
    return ok_status();
  });
}

Result<std::optional<SessionRecord>> PostgresTransaction::find_session(const std::string& secret_hash) {
  return guarded(connection_, "reading a session", [&]() -> Result<std::optional<SessionRecord>> {
    const auto rows = execute(
        "SELECT secret_hash, principal, token_id, created_at, expires_at FROM catalog_sessions "
        "WHERE secret_hash = $1",
        {secret_hash});
    if (rows.empty()) return std::optional<SessionRecord>();
    const auto& row = rows[0];
    return std::optional<SessionRecord>(
        SessionRecord{text(row, 0), text(row, 1), text(row, 2), text(row, 3), text(row, 4)});
  });
}

Status PostgresTransaction::delete_session(const std::string& secret_hash) {
  if (auto status = require_write("signing out"); !status.ok()) return status;
  return guarded(connection_, "signing out", [&]() -> Status {
    execute("DELETE FROM catalog_sessions WHERE secret_hash = $1", {secret_hash});
    return ok_status();
  });
}

}  // namespace meshctl::registry
