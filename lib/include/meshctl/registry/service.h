#pragma once

// RegistryService holds every lifecycle rule of the registry, over a Store.
// The embedded registry runs it in-process (LocalRegistry); the server of the
// remote registry hosts the very same class, one Caller per request.
//
// Every publication is checked against the registry's own standards (the latest
// version published with publish_standards, else the built-in default): a
// client cannot route around them. The caller still validates its files first
// (validate_sources, with positions and its own, possibly stricter, standards);
// the service takes decoded manifests and trusts their shape. The
// compatibility of an evolution and its version bump are checked here too
// (lib/evolution's gate, service_evolution.cpp).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/types.h"
#include "meshctl/catalog/usage_types.h"
#include "meshctl/core/clock.h"
#include "meshctl/core/constraint_match.h"
#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"
#include "meshctl/store/store.h"

namespace meshctl::registry {

// Who asks. The embedded registry passes the operating-system user and no
// principal: a local user may do everything, and a product's first version
// creates its domain. The server passes the authenticated principal of each
// request: writes then need admin or owner of the product's domain (forbidden
// otherwise, audited), and the domain must exist (not_found otherwise).
struct Caller {
  std::string actor;
  std::optional<PrincipalRecord> principal;
};

// A dependent whose version constraint still resolves to a major older than the
// latest: a new major does not move it, so the old major must stay active until it migrates.
struct PinnedDependent {
  DependencyEdge edge;
  std::string resolves_to;  // the highest published version the constraint accepts
};

// The dependents of `details` pinned to an older major, in the order of
// details.dependents. Dependents without a constraint, with one that is not a
// constraint, or with one that accepts no published version are left out.
std::vector<PinnedDependent> dependents_on_older_major(const ProductDetails& details);

// Ok while `principal`'s token has not expired at `now` (or never expires);
// otherwise ErrorKind::unauthenticated saying when it expired and how to get
// a new one. What authenticate() checks, and what a server checks again on a
// principal it kept from an earlier request.
Status check_token_expiry(const PrincipalRecord& principal, std::chrono::system_clock::time_point now);

// How long a web catalog session lasts at most (a session never outlives its token).
inline constexpr std::int64_t kSessionLifetimeSeconds = 8 * 3600;

// A session made by sign_in: its secret (for the cookie, shown once) and how long it lasts.
struct NewSession {
  std::string secret;
  PrincipalRecord principal;
  std::string expires_at;
  std::int64_t max_age_seconds = 0;
};

// The versions of `product` as an input port or a subscription sees them
// (core/constraint_match.h): all retired when the product is; a deprecated
// version, or every version of a deprecated product, deprecated until its
// sunset (the version's own when it has one).
std::vector<OfferedVersion> offered_versions(const ProductRecord& product, const std::vector<VersionRecord>& versions);

// Errors of every method: ErrorKind::not_found when a named product or version
// does not exist (the message says how to find what exists); conflict when a
// lifecycle rule or a concurrent change refuses (the message says what to do
// instead, `details` lists what is in the way); invalid for a malformed
// argument or manifest; unavailable when the store fails.
// Each successful change is one transaction with exactly one audit event per
// changed product; a change that changes nothing writes nothing.
class RegistryService {
 public:
  // `store` and `clock` must outlive the service.
  RegistryService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Publishes one manifest's version. ErrorKind::findings when it breaks the
  // registry's standards (details.manifests lists the error findings by
  // product). Same version and identical canonical manifest: `unchanged`.
  // Conflict: a different manifest for a published version, a version not
  // greater than every published one, a retired product, create of an existing
  // product, an input port that does not resolve (see InputPortFinding: every
  // such port in details.unresolvedInputs). not_found: evolve of a missing
  // product. An unchanged product's input ports are not checked again: it
  // writes nothing.
  Result<Change> publish(const Caller& caller, const manifest::DataProduct& manifest, PublishMode mode);

  // Reads only. Fails when any manifest breaks the registry's standards
  // (findings, as publish), when any manifest would be refused (the error's
  // details list every refusal, and every input port that does not resolve, of
  // every manifest, in details.unresolvedInputs) or when two manifests name the
  // same product, or their input ports form a cycle (invalid). An input port may
  // read what another manifest of the plan publishes. The plan's warnings are
  // the input ports that resolve only to deprecated versions. Takes the caller
  // because a dry run is refused (forbidden, audited) like the apply it previews.
  Result<ApplyPlan> plan(const Caller& caller, std::vector<manifest::DataProduct> manifests, PublishMode mode);

  // Executes a plan in ONE transaction, all or nothing. Conflict when the
  // registry changed since the plan was made (a product's revision moved, or
  // what an input port reads went away); findings when a manifest breaks the
  // standards in force now.
  Result<std::vector<Change>> execute(const Caller& caller, const ApplyPlan& plan);

  // Marks the product, or one version, deprecated. Deprecating again with the
  // same sunset and reason changes nothing; with others it updates them.
  // Invalid: no sunset, one that is not a YYYY-MM-DD date or not after today
  // (UTC, the clock's), no reason.
  Result<ProductRecord> deprecate(const Caller& caller, const DeprecateRequest& request);

  // Retires the product and all its versions: the hard delete after the soft
  // one. Conflict, unless force, while the product is not deprecated, before
  // its sunset (today, UTC, must be the sunset or later), while non-retired
  // products read it (details.dependents), consumers subscribe or used it
  // recently; details.blockers names each kind. A forced retirement records in
  // its audit event what stood in the way. Retiring a retired product changes nothing.
  Result<ProductRecord> retire(const Caller& caller, const RetireRequest& request);

  Result<ProductRecord> get_product(const ProductRef& ref);
  Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version);
  Result<ProductPage> list_products(const ProductPageRequest& request);
  // Ranked full-text search over every product's latest version (catalog/search.h), with what each hit
  // matched. Readers may search the whole mesh, as they list it. Invalid: see check_search_request.
  Result<SearchResult> search(const SearchRequest& request);
  // The registered products whose output schemas overlap request's product or manifest (catalog/similarity.h),
  // closest first, never itself (same domain/name) nor a retired one: candidates from the store's similarity
  // index, scored exactly. Readers may ask, as they search. Invalid: see check_similar_request; not_found for
  // an unknown product or version.
  Result<SimilarResult> similar(const SimilarRequest& request);
  Result<std::vector<DomainRecord>> list_domains();
  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref, const VersionQuery& query);
  Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version);
  Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query);
  Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref);
  Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref);

  // Tenancy and credentials. Every method below needs an admin principal, or
  // no principal (the embedded registry, e.g. seeding a server's SQLite file).
  Result<DomainRecord> create_domain(const Caller& caller, const DomainRequest& request);
  Result<NewToken> create_token(const Caller& caller, const TokenRequest& request);
  Result<std::vector<PrincipalRecord>> list_tokens(const Caller& caller);
  Result<PrincipalRecord> revoke_token(const Caller& caller, const std::string& name);
  // A new token (id and secret) for the principal `rotation` names, shown
  // once; the old token stops working in the same transaction, audited
  // (token-rotate). not_found for an unknown name; conflict for a revoked
  // token (revoked stays revoked); invalid for a lifetime out of range, or
  // none for a token that has expired.
  Result<NewToken> rotate_token(const Caller& caller, const TokenRotation& rotation);
  // The principal whose token this is: unauthenticated when the token is
  // malformed, unknown or revoked (one message for all three), or expired
  // (check_token_expiry's message). Compares the secret's hash in constant time.
  Result<PrincipalRecord> authenticate(std::string_view token);
  // --- Web catalog sessions, in service_sessions.cpp. ---
  // A new session for the principal of `token` (authenticate's errors), for
  // kSessionLifetimeSeconds or until the token expires; audited (session-create).
  Result<NewSession> sign_in(std::string_view token);
  // The principal of a session: unauthenticated when the session is unknown,
  // expired, or its token was revoked or rotated since (one message for all),
  // or the token expired (check_token_expiry's message).
  Result<PrincipalRecord> authenticate_session(std::string_view secret);
  // Ends the session (audited: session-delete); an unknown one is not an error.
  Status sign_out(std::string_view secret);
  // Creates the first admin principal (`name`) when the store has none yet;
  // nullopt when a principal exists (the server started before).
  Result<std::optional<NewToken>> bootstrap_admin(const std::string& name);
  // Whether the caller's role can ever `attempted`, before its request is
  // read: `minimum` owner admits an admin or an owner of any domain (which
  // domain is checked once the request is decoded), admin only an admin.
  // A refusal is forbidden and recorded as one audit event, however large the
  // refused request. OK without a principal.
  Status authorize_role(const Caller& caller, Role minimum, std::string_view attempted);

  // --- The platform's standards, in service_standards.cpp. ---
  // The latest published version; nullopt when none was published (the
  // built-in default is then in force).
  Result<std::optional<StandardsRecord>> standards();
  // Publishes a standards file (`kind: Standards`) as the next version: admin
  // only (forbidden, audited), or no principal. ErrorKind::findings when the
  // file has errors (details.findings, with line and column); the text of the
  // latest version again changes nothing (`unchanged`). Audited as
  // "standards-publish".
  Result<StandardsPublication> publish_standards(const Caller& caller, const std::string& text);

  // --- The business glossary (`kind: Glossary`), in service_glossary.cpp. ---

  // Publishes a glossary's version, like a product's: created, evolved or `unchanged` (the same version
  // with the same canonical document); with dry_run, what it would do, writing nothing. One transaction
  // and one audit event ("glossary-create" or "glossary-evolve", on the domain). Admin or owner of the
  // glossary's domain only (forbidden, audited), or no principal; on a server the domain must exist
  // (not_found). invalid: a name, domain or version that is not usable, a term twice. conflict: a
  // published version with a different document, a version not greater than the latest, a term removed
  // (or renamed) without a major version step, a term name that another glossary defines.
  Result<GlossaryChange> publish_glossary(const Caller& caller, const manifest::Glossary& glossary, bool dry_run);
  // Every term, by name; only `domain`'s when given. Anyone may read them.
  Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain);
  // The term and every field of a product's latest version (products that are not retired) bound to it,
  // by its name or a synonym. not_found for a name no glossary defines (a "did you mean", or the term a
  // synonym belongs to).
  Result<TermDetails> describe_term(const std::string& name);

  // --- Quality runs (`meshctl test --publish`), in service_quality.cpp. ---

  // Records one run per port of `publication` in ONE transaction with one audit event
  // ("quality-publish"), each with the time, the caller and the count of its checks per status (counted
  // here, from each check's "status"). Admin or owner of the product's domain only (forbidden, audited),
  // or no principal. not_found for an unknown product or version; invalid for no port, a port twice, a
  // port the version does not declare as an output port, or checks that are not a list of objects with a
  // string "id" and a "status" of passed, failed, warning, error or skipped; conflict for a retired product.
  Result<std::vector<QualityRun>> publish_quality(const Caller& caller, const QualityPublication& publication);
  // The product's runs `query` selects, newest first, with their checks. not_found for an unknown product;
  // invalid for a limit out of 1..kMaxQualityLimit.
  Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualityQuery& query);

  // --- The registry-wide audit, in service_audit.cpp. ---
  // One page of every event `query` selects, newest first. Without a
  // principal or for an admin: every event. An owner: the events of its
  // domains only (query.domain, when given, must be one of them). A reader:
  // forbidden. Refusals are forbidden and audited. invalid for a limit out of
  // 1..kMaxAuditLimit, a negative before_id, or a `since` that is neither a
  // period nor an RFC 3339 time.
  Result<AuditPage> audit(const Caller& caller, const AuditQuery& query);

  // --- Usage, in service_usage.cpp. ---
  // Subscriptions are writes of the consuming team: on a server any
  // authenticated principal but a reader may subscribe (admin, or an owner of
  // any domain: consumers live in other domains than the product); audited on
  // the product. Conflict on a retired product; a deprecated one, or a version
  // constraint that resolves only to deprecated versions, gives a warning.
  // not_found for an unknown product or port, or a version constraint no
  // published version meets (details.published lists them); invalid for a
  // missing consumer/team or a malformed version constraint. The same
  // subscription again changes nothing.
  Result<SubscribeOutcome> subscribe(const Caller& caller, const SubscribeRequest& request);
  // Returns what it removed; not_found when nothing matched.
  Result<std::vector<Subscription>> unsubscribe(const Caller& caller, const UnsubscribeRequest& request);
  // not_found when `product` is given and unknown.
  Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product);
  // Ingests JSON Lines of usage and freshness events (see meshctl/usage/events.h)
  // in one transaction; line numbers count from `first_line`. Bad lines and
  // lines naming unknown products are reported in the answer and skipped, the
  // rest kept. Any authenticated principal may report (readers are consumers).
  Result<UsageReport> report_usage(const Caller& caller, std::string_view json_lines, std::size_t first_line = 1);
  Result<UsageSummary> usage(const ProductRef& ref, const UsageQuery& query);
  // not_found when the root is unknown and no edge names it.
  Result<LineageGraph> lineage(const LineageRequest& request);

  // --- What needs attention, in service_attention.cpp. ---
  // Every product that is not retired and needs its owners' attention now (health.h's
  // attention_reasons: a freshness SLO violated at the clock's now, a failed latest quality run of its
  // latest version), by (domain, name), in one read transaction of the store (attention_inputs), with no
  // manifest decoded. Empty when nothing needs attention.
  Result<std::vector<ProductAttention>> attention();

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace meshctl::registry
