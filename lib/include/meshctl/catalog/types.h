#pragma once

// The registry's records: what the Store keeps and the Registry answers with.
// Times are UTC RFC 3339 strings with second precision ("2026-11-23T22:43:32Z");
// dates (a deprecation's sunset) are "YYYY-MM-DD".

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meshctl/core/error.h"

namespace meshctl::registry {

// The same three states serve products and versions.
enum class LifecycleStatus { active, deprecated, retired };

// "active", "deprecated", "retired".
const char* to_string(LifecycleStatus status);
// nullopt for any other text.
std::optional<LifecycleStatus> parse_lifecycle_status(std::string_view text);

// `domain/name`, the identity of a product across the whole mesh.
struct ProductRef {
  std::string domain;
  std::string name;

  std::string text() const { return domain + "/" + name; }
  friend bool operator==(const ProductRef&, const ProductRef&) = default;
  friend auto operator<=>(const ProductRef&, const ProductRef&) = default;
};

// Parses "domain/name". Fails with ErrorKind::invalid when there is not exactly
// one '/' with text on both sides.
Result<ProductRef> parse_product_ref(std::string_view text);

struct Owner {
  std::string team;
  std::string email;
  friend bool operator==(const Owner&, const Owner&) = default;
};

struct Deprecation {
  std::string sunset;  // YYYY-MM-DD
  std::string reason;
  friend bool operator==(const Deprecation&, const Deprecation&) = default;
};

// A domain is a tenant. The embedded registry creates one on first use; a
// server refuses products in a domain nobody created (`meshctl domain create`).
struct DomainRecord {
  std::string name;
  std::string created_at;
  std::int64_t product_count = 0;  // filled by list queries; not stored
  std::string owner_team;          // empty for a domain created on first use
  std::int64_t version_count = 0;  // of its products, every status; filled by list_domains; not stored
};

struct DomainRequest {
  std::string name;        // kebab-case, like a manifest's metadata.domain
  std::string owner_team;  // required
};

// Who may do what on a server (DESIGN.md "Multi-tenancy").
enum class Role {
  admin,   // everything, including domains and tokens
  owner,   // writes in its domains, reads everywhere
  reader,  // reads
};
const char* to_string(Role role);  // "admin", "owner", "reader"
std::optional<Role> parse_role(std::string_view text);
// Whether `role` may ever do what needs `minimum`: an admin may all, an owner
// what an owner or a reader may (of its domains: checked apart), a reader only read.
constexpr bool role_reaches(Role role, Role minimum) {
  return role == Role::admin || minimum == Role::reader || role == minimum;
}

// A principal is a named token. The secret itself is never stored: only its
// SHA-256, next to `token_id`, the public part of the token used to find it.
struct PrincipalRecord {
  std::string name;
  Role role = Role::reader;
  std::vector<std::string> domains;  // an owner's domains, sorted; empty otherwise
  std::string token_id;
  std::string created_at;
  std::string created_by;
  std::optional<std::string> revoked_at;
  // When the token stops working (a time like created_at); nullopt: never.
  // Set at creation and at each rotation, from the lifetime asked for.
  std::optional<std::string> expires_at = std::nullopt;
};

// The longest lifetime a token may be given: ten years. Leave the lifetime
// out for a token that never expires.
inline constexpr std::int64_t kMaxTokenLifetimeSeconds = std::int64_t{3650} * 24 * 3600;

struct TokenRequest {
  std::string name;
  Role role = Role::reader;
  std::vector<std::string> domains;  // required for owner, refused otherwise
  // Seconds from creation until the token expires, 1 to kMaxTokenLifetimeSeconds.
  // Default: never expires.
  std::optional<std::int64_t> expires_in_seconds = std::nullopt;
};

// A new secret for an existing principal (`token rotate`): the old one stops working.
struct TokenRotation {
  std::string name;
  // The new secret's lifetime, as TokenRequest's. Default: the principal's
  // expiry stays as it is (never, or a time still to come); a token that has
  // already expired needs one.
  std::optional<std::int64_t> expires_in_seconds = std::nullopt;
};

// A token as created: the only time the secret exists outside its holder.
struct NewToken {
  PrincipalRecord principal;
  std::string secret;  // the whole token the holder presents
};

// A web catalog session (POST /login): made from a principal's token, it lasts
// until expires_at, its removal (sign-out), or the token's revocation or
// rotation (token_id no longer the principal's). The secret is in the
// browser's cookie only; the store keeps its SHA-256.
struct SessionRecord {
  std::string secret_hash;  // 64 lowercase hex digits
  std::string principal;    // its name
  std::string token_id;     // the token signed in with
  std::string created_at;
  std::string expires_at;
};

// One published version of the platform's standards (a standards file, `kind: Standards`), kept by the
// registry: what every write that publishes a version is checked against. Versions count from 1.
struct StandardsRecord {
  std::int64_t version = 0;
  std::string text;          // the file as published, byte for byte
  std::string content_hash;  // content_hash(text)
  std::string published_at;
  std::string published_by;
};

struct StandardsPublication {
  StandardsRecord record;  // the version in force after publishing
  bool unchanged = false;  // the text was the latest version's already: nothing was written
};

// How many checks of a quality run ended in each status (`meshctl test`).
struct QualityCounts {
  std::int64_t passed = 0;
  std::int64_t failed = 0;
  std::int64_t warning = 0;
  std::int64_t error = 0;
  std::int64_t skipped = 0;
  std::int64_t total() const { return passed + failed + warning + error + skipped; }
  friend bool operator==(const QualityCounts&, const QualityCounts&) = default;
};

// One output port's `meshctl test` run, recorded by `test --publish` for a published version. Immutable.
struct QualityRun {
  std::int64_t id = 0;  // increasing with time; assigned by the store
  ProductRef ref;
  std::string version;
  std::string port;
  std::string time;      // when the registry recorded it
  std::string actor;     // who published it
  QualityCounts counts;  // counted by the registry from the checks' statuses
  // Every check's result, a JSON array of objects as `meshctl test -o json` prints them (each with at
  // least "id" and "status"); empty text where a read leaves the checks out (describe's latest runs).
  std::string checks_json;
  friend bool operator==(const QualityRun&, const QualityRun&) = default;
};

struct ProductRecord {
  ProductRef ref;
  LifecycleStatus status = LifecycleStatus::active;
  // Optimistic concurrency: every committed change of the product (a new
  // version, a status change) increments it by one. Starts at 1.
  std::int64_t revision = 0;
  std::string latest_version;                 // the highest published version (also the last published)
  Owner owner;                                // from the latest version's manifest
  std::map<std::string, std::string> labels;  // from the latest version's manifest
  std::optional<Deprecation> deprecation;     // set while status is deprecated or retired after deprecation
  std::string created_at;
  std::string updated_at;
  friend bool operator==(const ProductRecord&, const ProductRecord&) = default;
};

// A published version. Immutable except for its status and deprecation.
// The documents a version was applied as when they were not a native manifest (ODCS, ODPS): kept
// beside the manifest they convert to, so that they can be given back as they were.
struct OriginalDocuments {
  std::string format;          // "odcs" (one contract) or "odps" (the product, then its output ports' contracts)
  std::string documents_json;  // a JSON list of the documents, each with its keys in their original order
  friend bool operator==(const OriginalDocuments&, const OriginalDocuments&) = default;
};

struct VersionRecord {
  ProductRef ref;
  std::string version;
  LifecycleStatus status = LifecycleStatus::active;
  std::string manifest_json;  // the manifest's canonical JSON text, byte for byte as published
  // 64-bit FNV-1a of manifest_json, as 16 lowercase hex digits. Not a
  // cryptographic hash (there is no OpenSSL dependency yet): it detects
  // accidental change, not tampering. A later schema migration may add sha256.
  std::string content_hash;
  std::string published_at;
  std::string published_by;
  std::optional<Deprecation> deprecation;
  std::optional<OriginalDocuments> original;  // nullopt: published as a native manifest
  friend bool operator==(const VersionRecord&, const VersionRecord&) = default;
};

// A product reads another product through one of its input ports (of its latest version).
struct DependencyEdge {
  ProductRef consumer;             // the product whose input port this is
  std::string port;                // the input port's name
  ProductRef provider;             // the product it reads
  std::string version_constraint;  // as written in the manifest, e.g. "^2"; may be empty
  // The consumer's status, filled by dependents lookups (retire needs it).
  LifecycleStatus consumer_status = LifecycleStatus::active;
  friend bool operator==(const DependencyEdge&, const DependencyEdge&) = default;
};

struct AuditEvent {
  std::int64_t id = 0;  // increasing with time; assigned by the store
  std::string time;
  std::string actor;
  // create | evolve | deprecate | retire (a product); domain-create; token-create |
  // token-rotate | token-revoke; forbidden (a refused request); ...
  std::string action;
  // The product concerned; only its domain for an event about a domain (name
  // empty), neither for an event about the whole registry (tokens).
  ProductRef ref;
  std::string version;  // the version concerned, empty when the action is about the product
  std::string summary;  // one human line, e.g. "1.1.0 -> 1.2.0"
  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

// `domain/name` or `domain/name@version`, as `describe` and `deprecate` take it.
struct ProductSelector {
  ProductRef ref;
  std::optional<std::string> version;
};
// Fails with ErrorKind::invalid like parse_product_ref, or when '@' has nothing after it.
Result<ProductSelector> parse_product_selector(std::string_view text);

// A `--label key=value` filter. Fails with ErrorKind::invalid without '=' or with an empty key.
Result<std::pair<std::string, std::string>> parse_label_filter(std::string_view text);

// 64-bit FNV-1a of `text` as 16 lowercase hex digits (see VersionRecord::content_hash).
std::string content_hash(std::string_view text);

// True for a real calendar date written YYYY-MM-DD.
bool is_calendar_date(std::string_view text);

}  // namespace meshctl::registry
