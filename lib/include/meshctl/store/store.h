#pragma once

// The storage seam under RegistryService, implemented by SqliteStore
// (store/sqlite) and PostgresStore (store/postgres); open_store
// (store_factory.h) opens either from a location. A store knows tables and
// transactions, never lifecycle rules (those live in RegistryService only).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meshctl/catalog/glossary.h"
#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/search.h"
#include "meshctl/catalog/similarity.h"
#include "meshctl/catalog/types.h"
#include "meshctl/catalog/usage_types.h"
#include "meshctl/core/error.h"

namespace meshctl::registry {

// The events a registry-wide read of the audit log selects: RegistryService
// resolves an AuditQuery (and what the caller may see) into one. Every given
// filter must hold.
struct AuditSelection {
  // Only events whose domain is one of these; nullopt: every event, those
  // about no domain (tokens) included.
  std::optional<std::vector<std::string>> domains;
  std::optional<std::string> actor;          // exactly
  std::optional<std::string> action;         // exactly
  std::optional<std::string> action_prefix;  // the action starts with it
  std::optional<std::string> since;          // time >= since, a time like AuditEvent::time
  std::int64_t before_id = 0;                // id < before_id (0: no bound)
  std::size_t limit = 100;                   // at most this many events
};

// The quality runs of one product a read selects, newest first (by id). Every given filter must hold.
struct QualitySelection {
  std::optional<std::string> version;  // exactly
  std::optional<std::string> port;     // exactly
  // Only the newest run of each port (with the other filters); `limit` still bounds the answer.
  bool latest_per_port = false;
  bool with_checks = true;  // false: checks_json left empty
  std::size_t limit = 20;
};

// The products a search selects (RegistryService::search resolves a SearchRequest into one). Every given
// filter must hold; filter.status nullopt selects active and deprecated products, never retired ones.
struct SearchSelection {
  // Empty: every product the filter selects, by (domain, name). Otherwise only products whose index holds
  // every group of words (a group's words as a phrase, within one column), best first by the levels of
  // catalog/search.h (kSearchLevels), equal levels in registration order.
  SearchQuery query;
  ProductFilter filter;
  std::size_t limit = 20;
};

// A product a search found, with its latest version's manifest (canonical JSON).
struct SearchCandidate {
  ProductRecord product;
  std::string manifest_json;
};

// What the similarity index is asked (RegistryService::similar and the MESH-DUPLICATE check make one).
struct SimilarityProbe {
  SimilarityEntry entry;              // the compared product's (catalog/similarity.h)
  std::optional<ProductRef> exclude;  // never this product
  std::size_t limit = 100;            // at most this many band candidates, and as many location candidates
  // At most this many products read per band hash and per location hash, the first by row id. A hash shared by
  // thousands of products (schemas made from one template) would otherwise make every look-up read them all;
  // a product that close shares its other bands too, so it is still found through them unless every band of
  // its is that crowded, and then the first of the crowd stand for it.
  std::size_t bucket_limit = 512;
};

// A product the similarity index found, with its latest version's manifest (canonical JSON).
struct SimilarityCandidate {
  ProductRecord product;
  std::string manifest_json;
  std::size_t band_hits = 0;  // how many of the probe's band hashes its entry has
  bool location_hit = false;  // its entry has one of the probe's location hashes
};

// What the catalog's "needs attention" list is judged from (RegistryService::attention), across every
// product that is not retired, in one read: no manifest is decoded, the SLOs are read out of the latest
// versions' manifests by the store's SQL.
struct AttentionInputs {
  // A port's latest data change with the freshness SLO its output port declares in the product's latest
  // version (nullopt: none declared).
  struct Freshness {
    FreshnessRecord record;
    std::optional<std::string> slo;
  };
  // Every freshness record of a port the product's latest version declares, by (domain, name), then in
  // the order of the manifest's output ports.
  std::vector<Freshness> freshness;
  // The latest run (greatest id) of each port of the product's latest version when it has a failed or an
  // errored check, without its checks, by (domain, name, port).
  std::vector<QualityRun> failed_runs;
};

// One unit of work. Destroying a transaction that was not committed rolls it
// back. A transaction is used by one thread at a time.
//
// Errors: ErrorKind::unavailable for storage failures (including a lock held
// too long by another process), ErrorKind::conflict when a write loses an
// optimistic-concurrency race or breaks a uniqueness the store enforces.
// Reads of one missing row return nullopt, not an error.
class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  // The domain; nullopt when there is none of that name.
  virtual Result<std::optional<DomainRecord>> find_domain(const std::string& name) = 0;
  // Every domain, by name, with its product and version counts (empty: not an error).
  virtual Result<std::vector<DomainRecord>> list_domains() = 0;
  // The product in any status; nullopt when it was never created.
  virtual Result<std::optional<ProductRecord>> find_product(const ProductRef& ref) = 0;
  // One page of the products matching request.filter, by (domain, name).
  virtual Result<ProductPage> list_products(const ProductPageRequest& request) = 0;
  // In publication order, which is also ascending version precedence.
  virtual Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref) = 0;
  // The version with its manifest; nullopt when it was never published.
  virtual Result<std::optional<VersionRecord>> find_version(const ProductRef& ref, const std::string& version) = 0;
  // The edges whose consumer is `consumer` (what its latest version reads), in
  // the order of its input ports.
  virtual Result<std::vector<DependencyEdge>> dependencies_of(const ProductRef& consumer) = 0;
  // The edges whose provider is `provider`, by consumer, then input port.
  virtual Result<std::vector<DependencyEdge>> dependents_of(const ProductRef& provider) = 0;
  // Newest first; at most `limit` events with id < `before_id` (0: no bound).
  virtual Result<std::vector<AuditEvent>> history(const ProductRef& ref, std::size_t limit, std::int64_t before_id) = 0;
  // Every product's, domain's and token's events that `selection` selects,
  // newest first (by id); at most selection.limit.
  virtual Result<std::vector<AuditEvent>> audit_events(const AuditSelection& selection) = 0;

  // At most selection.limit products, in the order SearchSelection says. The full-text index is the
  // store's: kept in step with each product's latest version by insert_version, whose version is the
  // product's latest (search_document of its manifest: catalog/search.h), in the same transaction.
  virtual Result<std::vector<SearchCandidate>> search_products(const SearchSelection& selection) = 0;

  // The similarity index (catalog/similarity.h): one entry per product, its latest version's, written by the
  // registry in the transaction that publishes the version, removed in the one that retires the product.
  // Replaces the product's entry; an empty entry removes it. not_found when the product is missing.
  virtual Status replace_similarity_entry(const ProductRef& ref, const SimilarityEntry& entry) = 0;
  // The products, not retired and never probe.exclude, whose entry shares a band hash or a location hash
  // with probe.entry: the location hits (at most probe.limit) first, then the others by band hits, most
  // first (at most probe.limit), equal counts by (domain, name). Reads only the index (at most
  // probe.bucket_limit rows per hash) and the candidates' rows, never every product.
  virtual Result<std::vector<SimilarityCandidate>> similarity_candidates(const SimilarityProbe& probe) = 0;

  // Conflict when the domain exists.
  virtual Status insert_domain(const DomainRecord& domain) = 0;

  // Principals (tokens) of a server; see PrincipalRecord.
  // How many principals exist, revoked ones included (0: a server's first start).
  virtual Result<std::int64_t> count_principals() = 0;
  // Every principal by name, revoked ones included; never a secret's hash.
  virtual Result<std::vector<PrincipalRecord>> list_principals() = 0;
  // The principal; nullopt when there is none of that name.
  virtual Result<std::optional<PrincipalRecord>> find_principal(const std::string& name) = 0;
  // The principal holding `token_id` and the SHA-256 (hex) of its secret;
  // nullopt for an unknown token id.
  virtual Result<std::optional<std::pair<PrincipalRecord, std::string>>> find_credential(
      const std::string& token_id) = 0;
  // Conflict when the name or the token id exists. Writes every field, expires_at too.
  virtual Status insert_principal(const PrincipalRecord& principal, const std::string& secret_hash) = 0;
  // Sets revoked_at; not_found when the principal is missing.
  virtual Status revoke_principal(const std::string& name, const std::string& revoked_at) = 0;
  // Gives the principal a new token id, secret hash and expires_at (nullopt:
  // never), so the old token finds no one. not_found when the principal is
  // missing; conflict when the token id exists.
  virtual Status replace_credential(const std::string& name, const std::string& token_id,
                                    const std::string& secret_hash, const std::optional<std::string>& expires_at) = 0;
  // Sessions of the web catalog. insert_session first removes the sessions
  // expired at session.created_at, so the table holds live sessions only;
  // conflict when the hash exists.
  virtual Status insert_session(const SessionRecord& session) = 0;
  // nullopt for an unknown hash (an ended or made-up session).
  virtual Result<std::optional<SessionRecord>> find_session(const std::string& secret_hash) = 0;
  // Removing a missing session is not an error.
  virtual Status delete_session(const std::string& secret_hash) = 0;
  // Conflict when domain/name exists (in any status). REQUIRES: the domain exists.
  virtual Status insert_product(const ProductRecord& product) = 0;
  // Writes every field of `product` and sets its revision to
  // `expected_revision + 1`, only if the stored revision is `expected_revision`;
  // otherwise ErrorKind::conflict (a concurrent change won).
  virtual Status update_product(const ProductRecord& product, std::int64_t expected_revision) = 0;
  // Conflict when the version exists. When the version is its product's latest_version (publish writes the
  // product first), the product's full-text index entry and facets become this manifest's.
  virtual Status insert_version(const VersionRecord& version) = 0;
  // Changes status and deprecation only; not_found when the version is missing.
  virtual Status update_version_status(const VersionRecord& version) = 0;
  // Replaces every edge whose consumer is `consumer`.
  virtual Status replace_dependencies(const ProductRef& consumer, const std::vector<DependencyEdge>& edges) = 0;
  // Returns the id given to the event.
  virtual Result<std::int64_t> append_audit(const AuditEvent& event) = 0;

  // The platform's standards kept by the registry: the latest published version, nullopt when none
  // was. In a write transaction, concurrent publishers of standards wait here for each other.
  virtual Result<std::optional<StandardsRecord>> latest_standards() = 0;
  // Conflict when the version exists.
  virtual Status insert_standards(const StandardsRecord& record) = 0;

  // Quality runs (`meshctl test --publish`). Returns the id given to the run (run.id is ignored).
  // REQUIRES: the product exists.
  virtual Result<std::int64_t> insert_quality_run(const QualityRun& run) = 0;
  // The product's runs that `selection` selects, newest first; at most selection.limit.
  virtual Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualitySelection& selection) = 0;

  // --- The business glossary (`kind: Glossary`): glossaries, their versions, the terms of each one's
  // latest version.

  // The glossary; nullopt when it was never published.
  virtual Result<std::optional<GlossaryRecord>> find_glossary(const std::string& domain, const std::string& name) = 0;
  // The version; nullopt when it was never published.
  virtual Result<std::optional<GlossaryVersionRecord>> find_glossary_version(const std::string& domain,
                                                                             const std::string& name,
                                                                             const std::string& version) = 0;
  // With expected_revision 0, inserts the glossary (conflict when it exists); otherwise writes every field
  // and sets its revision to expected_revision + 1 only if the stored one is expected_revision (conflict
  // otherwise: a concurrent change won).
  virtual Status save_glossary(const GlossaryRecord& glossary, std::int64_t expected_revision) = 0;
  // Inserts the version (conflict when it exists) and makes `terms` the glossary's terms, replacing those
  // of its previous version. Conflict when a term's name is a term of another glossary.
  virtual Status insert_glossary_version(const GlossaryVersionRecord& version, const std::vector<TermRecord>& terms) = 0;
  // Every term by name (with its glossary's owner); only `domain`'s when given. Empty is not an error.
  virtual Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain) = 0;
  // The term of that name; nullopt when no glossary defines it.
  virtual Result<std::optional<TermRecord>> find_term(const std::string& name) = 0;

  // --- Usage: subscriptions, usage aggregates, freshness, the whole
  // dependency graph.

  // Inserts the subscription, or replaces every field of the one with the same
  // (product, consumer, port).
  virtual Status upsert_subscription(const Subscription& subscription) = 0;
  // Deletes the consumer's subscriptions on `product` (only the one of `port`
  // when given) and returns how many it deleted (0 is not an error).
  virtual Result<std::int64_t> delete_subscriptions(const ProductRef& product, const std::string& consumer,
                                                    const std::optional<std::string>& port) = 0;
  // Ordered by (domain, name, consumer, port); every product's when `product` is nullopt.
  virtual Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) = 0;
  // Remembers usage event ids for ever (what makes ingest idempotent), each
  // with who reported it. Answers, for each id in order, true when it was not
  // remembered before (an id repeated inside `ids` is new only the first time).
  virtual Result<std::vector<bool>> remember_usage_ids(const std::vector<std::string>& ids,
                                                       const std::string& reported_by) = 0;
  // Adds each aggregate to the stored one of the same (product, day, consumer,
  // port, version): events, rows and bytes summed, last_seen the greater; or
  // inserts it.
  virtual Status add_usage_days(const std::vector<UsageDay>& days) = 0;
  // The product's aggregates with day >= since_day, ordered by (day, consumer, port, version).
  virtual Result<std::vector<UsageDay>> usage_days(const ProductRef& product, const std::string& since_day) = 0;
  // Keeps, per (product, port), the record with the greatest updated_at. Also keeps the record in the
  // port's history of data changes (what the SLO's days are judged from), once per updated_at, and drops
  // the port's changes before `history_since` (a time like updated_at) but the newest of them: the history
  // stays bounded, and still says how stale the data was when it starts.
  virtual Status record_freshness(const FreshnessRecord& record, const std::string& history_since) = 0;
  // The product's records, by port.
  virtual Result<std::vector<FreshnessRecord>> freshness_of(const ProductRef& product) = 0;
  // The product's data changes kept in its ports' histories with updated_at >= since, and of each port the
  // newest change before `since`, by (port, updated_at).
  virtual Result<std::vector<FreshnessRecord>> freshness_history(const ProductRef& product,
                                                                 const std::string& since) = 0;
  // The freshness records and failed latest quality runs of every product that is not retired.
  virtual Result<AttentionInputs> attention_inputs() = 0;
  // Every edge of the mesh (what lineage walks), ordered like dependents_of by
  // consumer; consumer_status filled.
  virtual Result<std::vector<DependencyEdge>> all_dependencies() = 0;

  // Makes every write durable at once, or none (the transaction is rolled back
  // and the error returned). After commit the transaction cannot be used.
  virtual Status commit() = 0;
};

enum class TransactionMode {
  read,   // a consistent snapshot; never waits for writers
  write,  // takes the store's write lock at the start (no lock upgrade later, so no deadlock)
};

// How long one transaction of the registry service lasted: from asking for it
// (a write's wait for the store's lock included) to its commit, or to its end
// without one (an error or a refusal rolled it back; a read never commits).
struct TransactionTiming {
  TransactionMode mode = TransactionMode::read;
  bool committed = false;
  double seconds = 0;
};
using TransactionObserver = std::function<void(const TransactionTiming&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Told of every transaction the registry service runs on this store (the
  // server's store-latency metric). Not thread-safe: set it before the store
  // is shared. Default: none.
  void observe_transactions(TransactionObserver observer) { observer_ = std::move(observer); }
  const TransactionObserver& transaction_observer() const { return observer_; }

  // Fails with ErrorKind::unavailable when the store cannot start one (for a
  // write: another writer held the lock past the store's retry budget).
  virtual Result<std::unique_ptr<StoreTransaction>> begin(TransactionMode mode) = 0;

  // Whether committed data may differ from what it was at this store's
  // previous call: true when a write was committed since then, by this store
  // or by any other connection or process; true at the first call. It may
  // answer true when nothing changed (callers only lose a cache hit), never
  // false after a change. What a cache of read answers checks before it
  // answers (the registry server's, see lib/src/server/read_cache.h).
  // ErrorKind::invalid while a transaction of this store is alive.
  virtual Result<bool> changed_since_last_call() = 0;

 private:
  TransactionObserver observer_;
};

}  // namespace meshctl::registry
