#pragma once

// What the CLI talks to: LocalRegistry (local_registry.h) runs RegistryService
// over a store in-process, RemoteRegistry (meshctl/remote) asks a registry
// server, which hosts the same service. So every command behaves the same
// against both, and one contract test suite
// (tests/unit/registry/registry_contract.h) checks every implementation.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/glossary.h"
#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/types.h"
#include "meshctl/catalog/usage_types.h"
#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"

namespace meshctl::registry {

// Every method does what RegistryService's method of the same name does
// (service.h), for the caller the implementation stands for: the local user
// (LocalRegistry: may do everything) or the token's principal (RemoteRegistry:
// writes need admin, or owner of the product's domain).
//
// Errors, on every method: ErrorKind::not_found when a named product, version,
// domain or token does not exist; conflict when a lifecycle rule or a
// concurrent change refuses (the message says what to do instead, `details`
// lists what is in the way); invalid for a malformed argument; forbidden and
// unauthenticated (remote only) when the principal may not, or the token is
// not valid; unavailable when the store or the server cannot be reached.
// Not an error: an empty list, a change that changes nothing (`unchanged`,
// or the same deprecation again), a lineage without edges.
class Registry {
 public:
  virtual ~Registry() = default;

  // Writes. Each is one transaction with one audit event per changed product,
  // all or nothing.

  // The manifest's version, created or evolved per `mode`: the Change made
  // (`unchanged` when that version is published with the same manifest).
  // Conflict when an input port does not resolve (details.unresolvedInputs).
  virtual Result<Change> publish(const manifest::DataProduct& manifest, PublishMode mode) = 0;
  // What publishing `manifests` would do, in execution order, with the input
  // ports that resolve only to deprecated versions as warnings; writes nothing.
  // Fails when any manifest would be refused (details list each refusal, and
  // every input port that does not resolve in details.unresolvedInputs).
  virtual Result<ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, PublishMode mode) = 0;
  // Runs a plan made by plan(): the Changes made, in order. Conflict when the
  // registry changed since the plan was made.
  virtual Result<std::vector<Change>> execute(const ApplyPlan& plan) = 0;
  // The product after marking it, or one version, deprecated. Invalid without
  // a sunset or a reason, or with a sunset that is not a date after today.
  virtual Result<ProductRecord> deprecate(const DeprecateRequest& request) = 0;
  // The product after retiring it. Conflict, unless request.force, before it
  // is deprecated and its sunset has come, and while it has consumers (readers,
  // subscriptions, recent usage).
  virtual Result<ProductRecord> retire(const RetireRequest& request) = 0;

  // Reads: a consistent snapshot each.

  virtual Result<ProductRecord> get_product(const ProductRef& ref) = 0;
  // The product with its versions, edges and the manifest of `version`
  // (Default: the latest).
  virtual Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version) = 0;
  // One page of the products matching request.filter, by (domain, name).
  virtual Result<ProductPage> list_products(const ProductPageRequest& request) = 0;
  // The products request's words and filters find in every product's latest version, best first, each with
  // what it matched; retired products only when request.filter.status asks for them. Invalid: see
  // check_search_request.
  virtual Result<SearchResult> search(const SearchRequest& request) = 0;
  // The registered products whose output schemas overlap request's product or manifest, closest first (same
  // output location first of all), each with its score and what it shares; never the product itself nor a
  // retired one. Invalid: see check_similar_request.
  virtual Result<SimilarResult> similar(const SimilarRequest& request) = 0;
  // Every domain, by name, with its product count.
  virtual Result<std::vector<DomainRecord>> list_domains() = 0;
  // Every published version of the product in publication order (ascending
  // versions), read at once: one snapshot, one request to a server. With
  // query.with_manifests each record has its manifest (what a changelog
  // reads); otherwise every manifest_json is empty. not_found for an unknown
  // product; a product always has at least one version.
  virtual Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref, const VersionQuery& query) = 0;
  // The version with its manifest.
  virtual Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version) = 0;
  // The product's audit events, newest first, a page of query.limit.
  virtual Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query) = 0;
  // What the product's latest version reads / who reads the product.
  virtual Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref) = 0;
  virtual Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref) = 0;

  // Tenancy and credentials: admin only (or the local user).

  // The domain created; conflict when it exists.
  virtual Result<DomainRecord> create_domain(const DomainRequest& request) = 0;
  // The new principal with its token, the only time the secret is shown.
  virtual Result<NewToken> create_token(const TokenRequest& request) = 0;
  // Every principal by name, revoked ones too; never a secret.
  virtual Result<std::vector<PrincipalRecord>> list_tokens() = 0;
  // The principal after revoking its token (revoking again changes nothing).
  virtual Result<PrincipalRecord> revoke_token(const std::string& name) = 0;
  // The principal with a new token, the only time its secret is shown; the
  // old token stops working at once. Conflict for a revoked token; invalid
  // when an expired token is rotated without a new lifetime.
  virtual Result<NewToken> rotate_token(const TokenRotation& rotation) = 0;

  // The registry-wide audit log: one page of the events `query` selects,
  // newest first. An admin (or the local user) reads every event, an owner
  // those of its domains; a reader is forbidden.
  virtual Result<AuditPage> audit(const AuditQuery& query) = 0;

  // Consumers, usage and lineage.

  // The subscription made or confirmed, with warnings (a deprecated product).
  virtual Result<SubscribeOutcome> subscribe(const SubscribeRequest& request) = 0;
  // What was removed; not_found when nothing matched.
  virtual Result<std::vector<Subscription>> unsubscribe(const UnsubscribeRequest& request) = 0;
  // Every product's subscriptions, or `product`'s (not_found when unknown).
  virtual Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) = 0;
  // Ingests JSON Lines of usage and freshness events: what was accepted,
  // duplicate or rejected (bad lines are reported, not an error). A remote
  // registry sends big inputs in several requests (each its own
  // transaction); line numbers count from `first_line`.
  virtual Result<UsageReport> report_usage(std::string_view json_lines, std::size_t first_line = 1) = 0;
  // The product's consumers, daily totals and freshness over query's window.
  virtual Result<UsageSummary> usage(const ProductRef& ref, const UsageQuery& query) = 0;
  // The graph around request's root (or the whole mesh); cycles are reported
  // in the graph, not refused.
  virtual Result<LineageGraph> lineage(const LineageRequest& request) = 0;
  // Every product that is not retired and needs its owners' attention now (a freshness SLO violated, a
  // failed latest quality run of its latest version), by (domain, name), each with why (health.h's
  // attention_reasons); empty when none does. One read, whatever the size of the mesh.
  virtual Result<std::vector<ProductAttention>> attention() = 0;

  // The platform's standards, kept by the registry.

  // The latest published version; nullopt when none was published (the
  // built-in default is in force).
  virtual Result<std::optional<StandardsRecord>> standards() = 0;
  // Publishes a standards file as the next version (admin only on a server);
  // findings when the file has errors; the latest version's text again is
  // `unchanged`.
  virtual Result<StandardsPublication> publish_standards(const std::string& text) = 0;

  // The business glossary (`kind: Glossary`).

  // The glossary's version published (with dry_run: what would be), as a product's: created, evolved,
  // or unchanged. Admin or owner of its domain (forbidden, audited). Conflict: a published version with
  // other terms, a version not above the latest, a term removed without a major step, a term name
  // another glossary defines. A product's field terms must name one of these terms (or a synonym of
  // one): publish and execute refuse others (conflict, details.unknownTerms).
  virtual Result<GlossaryChange> publish_glossary(const manifest::Glossary& glossary, bool dry_run) = 0;
  // Every term by name; only `domain`'s when given.
  virtual Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain) = 0;
  // The term with every product field bound to it; not_found (with a "did you mean") otherwise.
  virtual Result<TermDetails> describe_term(const std::string& name) = 0;

  // Quality runs (`meshctl test --publish`, `get quality`).

  // Records one run per port of a published version's test, all in one
  // transaction; the runs as recorded (id, time, actor, counts per status).
  // Admin or owner of the product's domain only (forbidden, audited); invalid
  // for a port the version does not declare, or checks that are not a list of
  // checks with an id and a status.
  virtual Result<std::vector<QualityRun>> publish_quality(const QualityPublication& publication) = 0;
  // The product's runs `query` selects, newest first, with every check.
  virtual Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualityQuery& query) = 0;
};

// Ok when `query` can be answered: a limit of 1 to kMaxAuditLimit, a
// before_id of 0 or more, a `since` that is a period or an RFC 3339 time;
// otherwise ErrorKind::invalid naming the flag to change. What audit() checks
// (after who may ask); the CLI checks its flags with it before it opens a registry.
Status check_audit_query(const AuditQuery& query);

// Ok when `request` can be answered: a limit of 1 to kMaxSearchLimit, a text parse_search_text takes
// (catalog/search.h), and words or at least one filter; otherwise ErrorKind::invalid saying what to change.
// What search() checks; the CLI checks its arguments with it before it opens a registry.
Status check_search_request(const SearchRequest& request);

// Ok when `request` can be answered: exactly one of a product and a manifest, a version only with a product,
// a limit of 1 to kMaxSimilarLimit, a min_score from 0 to 1; otherwise ErrorKind::invalid saying what to change.
// What similar() checks; the CLI checks its arguments with it before it opens a registry.
Status check_similar_request(const SimilarRequest& request);

// Streams every product matching `filter`, page by page (`page_size` at a
// time), so memory does not grow with the registry. Stops at the first error,
// or when `visit` returns false (not an error).
Status for_each_product(Registry& registry, const ProductFilter& filter,
                        const std::function<bool(const ProductRecord&)>& visit, std::size_t page_size = 500);

}  // namespace meshctl::registry
