// RegistryService: tenancy and credentials (domains, tokens, authentication).

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meshctl/core/text.h"
#include "meshctl/registry/service.h"
#include "meshctl/registry/token.h"
#include "meshctl/usage/time.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::authorize_admin;
using service_support::in_read_transaction;
using service_support::in_write_transaction;
using service_support::record_refusal;

namespace {

// One answer for a malformed, unknown or revoked token, so that the answer
// tells a guesser nothing about which tokens exist.
Error invalid_token() {
  return make_error(ErrorKind::unauthenticated,
                    "the token is not valid: ask an admin for a new one (meshctl token create)");
}

Status check_token_name(const std::string& name) {
  const bool allowed = !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '@';
  });
  if (allowed) return ok_status();
  return make_error(ErrorKind::invalid,
                    fmt::format("'{}' is not a token name: use 1 to 100 letters, digits, '-', '_', '.' or '@', e.g. "
                                "ci-sales",
                                name),
                    {{"name", name}});
}

std::string role_text(const PrincipalRecord& principal) {
  if (principal.role != Role::owner) return to_string(principal.role);
  return fmt::format("owner of {}", fmt::join(principal.domains, ", "));
}

std::int64_t epoch_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

// When a token given `lifetime` seconds at `now` expires; nullopt for none
// (never). invalid for a lifetime out of 1..kMaxTokenLifetimeSeconds.
Result<std::optional<std::string>> expiry_after(const std::optional<std::int64_t>& lifetime,
                                                std::chrono::system_clock::time_point now) {
  if (!lifetime) return std::optional<std::string>();
  if (*lifetime <= 0 || *lifetime > kMaxTokenLifetimeSeconds) {
    return make_error(ErrorKind::invalid,
                      fmt::format("a token's lifetime (--expires-in) must be from 1 second to {} days (10 years), "
                                  "not {} seconds: leave it out for a token that never expires",
                                  kMaxTokenLifetimeSeconds / 86400, *lifetime),
                      {{"expiresInSeconds", *lifetime}, {"maxSeconds", kMaxTokenLifetimeSeconds}});
  }
  return std::optional<std::string>(usage::format_timestamp(epoch_seconds(now) + *lifetime));
}

std::string expiry_text(const std::optional<std::string>& expires_at) {
  return expires_at ? "expires " + *expires_at : std::string("never expires");
}

Result<NewToken> insert_token(StoreTransaction& transaction, const PrincipalRecord& draft, const token::Parts& parts) {
  PrincipalRecord principal = draft;
  principal.token_id = parts.token_id;
  if (auto status = transaction.insert_principal(principal, token::hash_secret(parts.secret)); !status.ok()) {
    return status.error();
  }
  const auto expiry = principal.expires_at ? ", expires " + *principal.expires_at : std::string();
  AuditEvent event{0,
                   principal.created_at,
                   principal.created_by,
                   "token-create",
                   {},
                   "",
                   fmt::format("token {} created ({}{})", principal.name, role_text(principal), expiry)};
  if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
  return NewToken{std::move(principal), token::text_of(parts)};
}

}  // namespace

Status check_token_expiry(const PrincipalRecord& principal, std::chrono::system_clock::time_point now) {
  if (!principal.expires_at) return ok_status();
  // A time that does not read back (damaged storage) counts as past: refusing is the safe side.
  const auto expires = usage::parse_timestamp(*principal.expires_at);
  if (expires && epoch_seconds(now) < *expires) return ok_status();
  return make_error(ErrorKind::unauthenticated,
                    fmt::format("the token of {} expired at {}: ask an admin for a new secret (meshctl token rotate "
                                "{} --expires-in 90d)",
                                principal.name, *principal.expires_at, principal.name),
                    {{"principal", principal.name}, {"expiredAt", *principal.expires_at}});
}

Status RegistryService::authorize_role(const Caller& caller, Role minimum, std::string_view attempted) {
  if (!caller.principal || role_reaches(caller.principal->role, minimum)) return ok_status();
  const PrincipalRecord& principal = *caller.principal;
  const auto needed = minimum == Role::admin ? "only an admin may" : "it needs an admin's or a domain owner's token";
  auto refusal =
      make_error(ErrorKind::forbidden,
                 fmt::format("{} ({}) may not {}: {}", principal.name, to_string(principal.role), attempted, needed),
                 {{"principal", principal.name},
                  {"role", to_string(principal.role)},
                  {"attempted", std::string(attempted)},
                  {"needs", minimum == Role::admin ? "admin" : "admin or owner"}});
  return record_refusal(store_, caller, {}, refusal, format_utc(clock_.now()));
}

Result<DomainRecord> RegistryService::create_domain(const Caller& caller, const DomainRequest& request) {
  const auto now = format_utc(clock_.now());
  if (auto allowed = authorize_admin(caller, fmt::format("create domain {}", request.name)); !allowed.ok()) {
    return record_refusal(store_, caller, {request.name, ""}, allowed.error(), now);
  }
  if (!is_kebab_case(request.name)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("'{}' is not a domain name: use kebab-case, e.g. sales or order-lines", request.name),
                      {{"domain", request.name}});
  }
  if (request.owner_team.empty()) {
    return make_error(ErrorKind::invalid,
                      fmt::format("domain {} needs an owner team (--owner-team TEAM)", request.name),
                      {{"domain", request.name}});
  }
  return in_write_transaction<DomainRecord>(store_, [&](StoreTransaction& transaction) -> Result<DomainRecord> {
    auto existing = transaction.find_domain(request.name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value()) {
      const auto& team = (*existing)->owner_team;
      return make_error(ErrorKind::conflict,
                        fmt::format("domain {} already exists{} (meshctl domain list lists them)", request.name,
                                    team.empty() ? "" : fmt::format(", owned by team {}", team)),
                        {{"domain", request.name}, {"ownerTeam", team}});
    }
    DomainRecord domain{request.name, now, 0, request.owner_team, 0};
    if (auto status = transaction.insert_domain(domain); !status.ok()) return status.error();
    AuditEvent event{0,
                     now,
                     caller.actor,
                     "domain-create",
                     {request.name, ""},
                     "",
                     fmt::format("domain {} created, owner team {}", request.name, request.owner_team)};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return domain;
  });
}

Result<NewToken> RegistryService::create_token(const Caller& caller, const TokenRequest& request) {
  const auto now = format_utc(clock_.now());
  if (auto allowed = authorize_admin(caller, fmt::format("create the token {}", request.name)); !allowed.ok()) {
    return record_refusal(store_, caller, {}, allowed.error(), now);
  }
  if (auto status = check_token_name(request.name); !status.ok()) return status.error();
  std::vector<std::string> domains = request.domains;
  std::sort(domains.begin(), domains.end());
  domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
  if (request.role == Role::owner && domains.empty()) {
    return make_error(ErrorKind::invalid,
                      fmt::format("the owner token {} needs at least one domain (--domain D)", request.name),
                      {{"name", request.name}, {"role", "owner"}});
  }
  if (request.role != Role::owner && !domains.empty()) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("{} tokens apply to every domain: drop --domain, or use --role owner", to_string(request.role)),
        {{"name", request.name}, {"role", to_string(request.role)}, {"domains", domains}});
  }
  const auto expires_at = expiry_after(request.expires_in_seconds, clock_.now());
  if (!expires_at.ok()) return expires_at.error();
  auto parts = token::generate();
  if (!parts.ok()) return parts.error();
  const PrincipalRecord draft{request.name, request.role, domains, "", now, caller.actor, std::nullopt, *expires_at};
  return in_write_transaction<NewToken>(store_, [&](StoreTransaction& transaction) -> Result<NewToken> {
    auto existing = transaction.find_principal(request.name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value()) {
      return make_error(ErrorKind::conflict,
                        fmt::format("a token named {} exists already{}: names are never reused, choose another",
                                    request.name, (*existing)->revoked_at ? " (revoked)" : ""),
                        {{"name", request.name}});
    }
    // Domains must exist: an owner of a misspelt domain could write nowhere.
    for (const auto& domain : domains) {
      auto found = transaction.find_domain(domain);
      if (!found.ok()) return found.error();
      if (!found->has_value()) {
        return make_error(ErrorKind::not_found,
                          fmt::format("domain {} does not exist: create it first with meshctl domain create {} "
                                      "--owner-team TEAM",
                                      domain, domain),
                          {{"domain", domain}});
      }
    }
    return insert_token(transaction, draft, *parts);
  });
}

Result<std::vector<PrincipalRecord>> RegistryService::list_tokens(const Caller& caller) {
  if (auto allowed = authorize_admin(caller, "list tokens"); !allowed.ok()) return allowed.error();
  using Principals = std::vector<PrincipalRecord>;
  return in_read_transaction<Principals>(store_,
                                         [](StoreTransaction& transaction) { return transaction.list_principals(); });
}

Result<PrincipalRecord> RegistryService::revoke_token(const Caller& caller, const std::string& name) {
  const auto now = format_utc(clock_.now());
  if (auto allowed = authorize_admin(caller, fmt::format("revoke the token {}", name)); !allowed.ok()) {
    return record_refusal(store_, caller, {}, allowed.error(), now);
  }
  return in_write_transaction<PrincipalRecord>(store_, [&](StoreTransaction& transaction) -> Result<PrincipalRecord> {
    auto found = transaction.find_principal(name);
    if (!found.ok()) return found.error();
    if (!found->has_value()) {
      return make_error(ErrorKind::not_found, fmt::format("no token named {} (meshctl token list lists them)", name),
                        {{"name", name}});
    }
    PrincipalRecord principal = std::move(**found);
    if (principal.revoked_at) return principal;
    if (principal.role == Role::admin) {
      // Without an admin, no one could create domains or tokens again. count_principals
      // locks the principals (PostgreSQL), so two admins revoking each other cannot both pass.
      if (auto counted = transaction.count_principals(); !counted.ok()) return counted.error();
      auto principals = transaction.list_principals();
      if (!principals.ok()) return principals.error();
      const bool another_admin = std::any_of(principals->begin(), principals->end(), [&](const PrincipalRecord& other) {
        return other.role == Role::admin && !other.revoked_at && other.name != name;
      });
      if (!another_admin) {
        return make_error(ErrorKind::conflict,
                          fmt::format("{} is the last admin token: create another (meshctl token create NAME --role "
                                      "admin) before revoking it",
                                      name),
                          {{"name", name}});
      }
    }
    if (auto status = transaction.revoke_principal(name, now); !status.ok()) return status.error();
    principal.revoked_at = now;
    AuditEvent event{0, now, caller.actor, "token-revoke", {}, "", fmt::format("token {} revoked", name)};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return principal;
  });
}

Result<NewToken> RegistryService::rotate_token(const Caller& caller, const TokenRotation& rotation) {
  const auto time = clock_.now();
  const auto now = format_utc(time);
  const auto& name = rotation.name;
  if (auto allowed = authorize_admin(caller, fmt::format("rotate the token {}", name)); !allowed.ok()) {
    return record_refusal(store_, caller, {}, allowed.error(), now);
  }
  const auto asked_expiry = expiry_after(rotation.expires_in_seconds, time);
  if (!asked_expiry.ok()) return asked_expiry.error();
  auto parts = token::generate();
  if (!parts.ok()) return parts.error();
  return in_write_transaction<NewToken>(store_, [&](StoreTransaction& transaction) -> Result<NewToken> {
    auto found = transaction.find_principal(name);
    if (!found.ok()) return found.error();
    if (!found->has_value()) {
      return make_error(ErrorKind::not_found, fmt::format("no token named {} (meshctl token list lists them)", name),
                        {{"name", name}});
    }
    PrincipalRecord principal = std::move(**found);
    if (principal.revoked_at) {
      return make_error(ErrorKind::conflict,
                        fmt::format("the token {} was revoked at {} and stays revoked: create a new token under "
                                    "another name (meshctl token create --name NAME ...)",
                                    name, *principal.revoked_at),
                        {{"name", name}, {"revokedAt", *principal.revoked_at}});
    }
    if (rotation.expires_in_seconds) {
      principal.expires_at = *asked_expiry;
    } else if (!check_token_expiry(principal, time).ok()) {
      // Keeping a past expiry would hand out a secret that is dead on arrival.
      return make_error(ErrorKind::invalid,
                        fmt::format("the token {} expired at {}: give the new secret a lifetime, e.g. meshctl token "
                                    "rotate {} --expires-in 90d",
                                    name, *principal.expires_at, name),
                        {{"name", name}, {"expiredAt", *principal.expires_at}});
    }
    principal.token_id = parts->token_id;
    if (auto status = transaction.replace_credential(name, principal.token_id, token::hash_secret(parts->secret),
                                                     principal.expires_at);
        !status.ok()) {
      return status.error();
    }
    AuditEvent event{0,
                     now,
                     caller.actor,
                     "token-rotate",
                     {},
                     "",
                     fmt::format("token {} rotated: new token id {}, {}", name, principal.token_id,
                                 expiry_text(principal.expires_at))};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return NewToken{std::move(principal), token::text_of(*parts)};
  });
}

Result<PrincipalRecord> RegistryService::authenticate(std::string_view presented) {
  const auto parts = token::parse(presented);
  if (!parts) return invalid_token();
  const auto hash = token::hash_secret(parts->secret);
  using Found = std::optional<std::pair<PrincipalRecord, std::string>>;
  auto found = in_read_transaction<Found>(
      store_, [&](StoreTransaction& transaction) { return transaction.find_credential(parts->token_id); });
  if (!found.ok()) return found.error();
  if (!found->has_value()) return invalid_token();
  auto& [principal, stored_hash] = **found;
  const bool matches = token::same_hash(hash, stored_hash);
  if (!matches || principal.revoked_at) return invalid_token();
  // Only a holder of the secret learns that it expired, and whose it is.
  if (auto live = check_token_expiry(principal, clock_.now()); !live.ok()) return live.error();
  return std::move(principal);
}

Result<std::optional<NewToken>> RegistryService::bootstrap_admin(const std::string& name) {
  if (auto status = check_token_name(name); !status.ok()) return status.error();
  auto parts = token::generate();
  if (!parts.ok()) return parts.error();
  const auto now = format_utc(clock_.now());
  const PrincipalRecord draft{name, Role::admin, {}, "", now, "bootstrap", std::nullopt, std::nullopt};
  using Created = std::optional<NewToken>;
  // The count and the insert share one write transaction: of two replicas
  // starting at once, the second sees the first's admin (or loses on the name).
  return in_write_transaction<Created>(store_, [&](StoreTransaction& transaction) -> Result<Created> {
    auto count = transaction.count_principals();
    if (!count.ok()) return count.error();
    if (*count > 0) return Created();
    auto created = insert_token(transaction, draft, *parts);
    if (!created.ok()) return created.error();
    return Created(std::move(*created));
  });
}

}  // namespace meshctl::registry
