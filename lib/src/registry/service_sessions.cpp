// Sessions of the web catalog (issue 19): a token exchanged once, on POST /login, for a session whose secret
// lives in the browser's cookie and whose SHA-256 lives in the store.

#include <chrono>

#include <fmt/format.h>

#include "meshctl/registry/service.h"
#include "meshctl/registry/token.h"
#include "meshctl/usage/time.h"
#include "registry/service_support.h"

namespace meshctl::registry {
namespace {

using service_support::in_read_transaction;
using service_support::in_write_transaction;

std::int64_t epoch_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

Error session_ended() {
  return make_error(ErrorKind::unauthenticated, "the session has ended: sign in again with your token");
}

}  // namespace

Result<NewSession> RegistryService::sign_in(std::string_view token) {
  auto principal = authenticate(token);
  if (!principal.ok()) return principal.error();
  auto parts = token::generate();  // only its 256-bit secret is used: the session's
  if (!parts.ok()) return parts.error();
  const auto now = epoch_seconds(clock_.now());
  std::int64_t ends = now + kSessionLifetimeSeconds;
  // A session never outlives its token.
  if (principal->expires_at) {
    if (const auto expires = usage::parse_timestamp(*principal->expires_at); expires && *expires < ends)
      ends = *expires;
  }
  SessionRecord session{token::hash_secret(parts->secret), principal->name, principal->token_id,
                        usage::format_timestamp(now), usage::format_timestamp(ends)};
  return in_write_transaction<NewSession>(store_, [&](StoreTransaction& transaction) -> Result<NewSession> {
    if (auto status = transaction.insert_session(session); !status.ok()) return status.error();
    const AuditEvent event{
        0,
        session.created_at,
        principal->name,
        "session-create",
        {},
        "",
        fmt::format("{} signed in to the web catalog, until {}", principal->name, session.expires_at)};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return NewSession{parts->secret, *principal, session.expires_at, ends - now};
  });
}

Result<PrincipalRecord> RegistryService::authenticate_session(std::string_view secret) {
  if (secret.size() != 2 * token::kSecretBytes) return session_ended();
  const auto hash = token::hash_secret(secret);
  struct Found {
    std::optional<SessionRecord> session;
    std::optional<PrincipalRecord> principal;
  };
  auto found = in_read_transaction<Found>(store_, [&](StoreTransaction& transaction) -> Result<Found> {
    auto session = transaction.find_session(hash);
    if (!session.ok()) return session.error();
    if (!session->has_value()) return Found{};
    auto principal = transaction.find_principal((*session)->principal);
    if (!principal.ok()) return principal.error();
    return Found{std::move(*session), std::move(*principal)};
  });
  if (!found.ok()) return found.error();
  if (!found->session || !found->principal) return session_ended();
  const auto& session = *found->session;
  auto& principal = *found->principal;
  // Revoking or rotating the token ends its sessions: the principal must still hold the token signed in with.
  if (principal.revoked_at || principal.token_id != session.token_id) return session_ended();
  const auto ends = usage::parse_timestamp(session.expires_at);
  if (!ends || epoch_seconds(clock_.now()) >= *ends) return session_ended();
  if (auto live = check_token_expiry(principal, clock_.now()); !live.ok()) return live.error();
  return std::move(principal);
}

Status RegistryService::sign_out(std::string_view secret) {
  if (secret.size() != 2 * token::kSecretBytes) return ok_status();
  const auto hash = token::hash_secret(secret);
  const auto now = format_utc(clock_.now());
  auto done = in_write_transaction<bool>(store_, [&](StoreTransaction& transaction) -> Result<bool> {
    auto session = transaction.find_session(hash);
    if (!session.ok()) return session.error();
    if (!session->has_value()) return false;
    if (auto status = transaction.delete_session(hash); !status.ok()) return status.error();
    const AuditEvent event{0,
                           now,
                           (*session)->principal,
                           "session-delete",
                           {},
                           "",
                           fmt::format("{} signed out of the web catalog", (*session)->principal)};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return true;
  });
  if (!done.ok()) return done.error();
  return ok_status();
}

}  // namespace meshctl::registry
