#pragma once

// The PostgreSQL store's transaction. Private to lib: the class is declared
// here so its methods can live in several sources (postgres_transaction.cpp:
// products, versions, dependencies, audit; postgres_access.cpp: domains,
// principals and the registry-wide audit; postgres_usage.cpp: subscriptions, usage, freshness;
// postgres_attention.cpp: what the catalog's "needs attention" list is judged from).
//
// How concurrent writers stay correct across processes (the choice, and why):
// a write transaction is READ COMMITTED, and the reads a write decision rests
// on take a transaction-scoped advisory lock first:
//   find_product      exclusive lock on the product (domain/name)
//   find_domain       exclusive lock on the domain name
//   count_principals  exclusive lock on "the principals"
//   find_glossary     exclusive lock on the glossary (domain/name)
//   replace_dependencies  shared lock on each provider (so `retire`, which
//                     holds the provider's exclusive lock while it reads its
//                     dependents, never misses a new consumer)
// A second writer of the same product therefore waits until the first commits,
// and then (READ COMMITTED: each statement sees what is committed when it
// starts) reads the product as the first left it: the same decisions SQLite's
// single write lock gives, e.g. a concurrent `apply` of the same file is
// "unchanged", not a conflict; a lock that works for a product that does not
// exist yet (which SELECT ... FOR UPDATE cannot lock). Writers of different
// products never wait for each other. Behind the locks stay the guarantees
// that need no cooperation: the unique constraints (conflict, SQLSTATE 23505)
// and the revision check of update_product.
// SERIALIZABLE was the alternative: it would need the whole service operation
// retried on 40001, which the store cannot do (the service holds the work),
// and surfaces every race as a conflict. Waits are bounded by lock_timeout
// (options.lock_wait) -> unavailable; a deadlock between two multi-product
// applies locking in different orders is detected by PostgreSQL -> conflict.
//
// A read transaction is REPEATABLE READ READ ONLY: one snapshot, never waits.

#include <memory>
#include <string>

#include "store/postgres/postgres_connection.h"

namespace meshctl::registry {

// An audit event from the columns id, time, actor, action, domain, name, version, summary (in that order).
AuditEvent read_audit_event(const pqxx::row& row);
// The columns of a ProductRecord, over products `p`, and the record of a row that starts with them.
const char* postgres_product_columns();
ProductRecord read_postgres_product(const pqxx::row& row);

class PostgresTransaction final : public StoreTransaction {
 public:
  // Starts the database transaction. Throws what libpqxx throws.
  PostgresTransaction(PostgresStore::Connection& connection, TransactionMode mode);
  ~PostgresTransaction() override;
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;

  Result<std::optional<DomainRecord>> find_domain(const std::string& name) override;
  Result<std::vector<DomainRecord>> list_domains() override;
  Result<std::optional<ProductRecord>> find_product(const ProductRef& ref) override;
  Result<ProductPage> list_products(const ProductPageRequest& request) override;
  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref) override;
  Result<std::optional<VersionRecord>> find_version(const ProductRef& ref, const std::string& version) override;
  Result<std::vector<DependencyEdge>> dependencies_of(const ProductRef& consumer) override;
  Result<std::vector<DependencyEdge>> dependents_of(const ProductRef& provider) override;
  Result<std::vector<AuditEvent>> history(const ProductRef& ref, std::size_t limit, std::int64_t before_id) override;
  // In postgres_access.cpp, with the principals.
  Result<std::vector<AuditEvent>> audit_events(const AuditSelection& selection) override;

  Status insert_domain(const DomainRecord& domain) override;

  Result<std::int64_t> count_principals() override;
  Result<std::vector<PrincipalRecord>> list_principals() override;
  Result<std::optional<PrincipalRecord>> find_principal(const std::string& name) override;
  Result<std::optional<std::pair<PrincipalRecord, std::string>>> find_credential(const std::string& token_id) override;
  Status insert_principal(const PrincipalRecord& principal, const std::string& secret_hash) override;
  Status revoke_principal(const std::string& name, const std::string& revoked_at) override;
  Status insert_session(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find_session(const std::string& secret_hash) override;
  Status delete_session(const std::string& secret_hash) override;
  Status replace_credential(const std::string& name, const std::string& token_id, const std::string& secret_hash,
                            const std::optional<std::string>& expires_at) override;

  Status insert_product(const ProductRecord& product) override;
  Status update_product(const ProductRecord& product, std::int64_t expected_revision) override;
  Status insert_version(const VersionRecord& version) override;
  Status update_version_status(const VersionRecord& version) override;
  Status replace_dependencies(const ProductRef& consumer, const std::vector<DependencyEdge>& edges) override;
  Result<std::int64_t> append_audit(const AuditEvent& event) override;
  Result<std::optional<StandardsRecord>> latest_standards() override;
  Status insert_standards(const StandardsRecord& record) override;

  // Search, in postgres_search.cpp.
  Result<std::vector<SearchCandidate>> search_products(const SearchSelection& selection) override;

  // The similarity index, in postgres_similarity.cpp.
  Status replace_similarity_entry(const ProductRef& ref, const SimilarityEntry& entry) override;
  Result<std::vector<SimilarityCandidate>> similarity_candidates(const SimilarityProbe& probe) override;

  // The business glossary, in postgres_glossary.cpp.
  Result<std::optional<GlossaryRecord>> find_glossary(const std::string& domain, const std::string& name) override;
  Result<std::optional<GlossaryVersionRecord>> find_glossary_version(const std::string& domain,
                                                                     const std::string& name,
                                                                     const std::string& version) override;
  Status save_glossary(const GlossaryRecord& glossary, std::int64_t expected_revision) override;
  Status insert_glossary_version(const GlossaryVersionRecord& version, const std::vector<TermRecord>& terms) override;
  Result<std::vector<TermRecord>> list_terms(const std::optional<std::string>& domain) override;
  Result<std::optional<TermRecord>> find_term(const std::string& name) override;

  // Quality runs, in postgres_quality.cpp.
  Result<std::int64_t> insert_quality_run(const QualityRun& run) override;
  Result<std::vector<QualityRun>> quality_runs(const ProductRef& ref, const QualitySelection& selection) override;

  // Usage, in postgres_usage.cpp. Every write is one atomic upsert
  // (ON CONFLICT), so replicas ingesting the same events concurrently count
  // each event id once.
  Status upsert_subscription(const Subscription& subscription) override;
  Result<std::int64_t> delete_subscriptions(const ProductRef& product, const std::string& consumer,
                                            const std::optional<std::string>& port) override;
  Result<std::vector<Subscription>> list_subscriptions(const std::optional<ProductRef>& product) override;
  Result<std::vector<bool>> remember_usage_ids(const std::vector<std::string>& ids,
                                               const std::string& reported_by) override;
  Status add_usage_days(const std::vector<UsageDay>& days) override;
  Result<std::vector<UsageDay>> usage_days(const ProductRef& product, const std::string& since_day) override;
  Status record_freshness(const FreshnessRecord& record, const std::string& history_since) override;
  Result<std::vector<FreshnessRecord>> freshness_of(const ProductRef& product) override;
  Result<std::vector<FreshnessRecord>> freshness_history(const ProductRef& product, const std::string& since) override;
  Result<std::vector<DependencyEdge>> all_dependencies() override;
  // In postgres_attention.cpp.
  Result<AttentionInputs> attention_inputs() override;

  Status commit() override;

 private:
  // Advisory lock namespaces (the first key of the two-int form).
  enum class LockSpace : int {
    product = 0x6d730001,
    domain = 0x6d730002,
    principals = 0x6d730003,
    standards = 0x6d730004,
    glossary = 0x6d730005
  };

  pqxx::result execute(const std::string& sql, const Parameters& parameters) {
    return connection_.execute(*transaction_, sql, parameters);
  }
  // A write in a read transaction is a caller's mistake: ErrorKind::invalid.
  Status require_write(std::string_view what) const;
  // In a write transaction, waits for and takes the lock on `key` in `space`
  // until the transaction ends; nothing in a read transaction. Throws.
  void lock(LockSpace space, const std::string& key, bool shared = false);
  Status write_labels(const ProductRecord& product);
  Result<std::vector<DependencyEdge>> edges(const std::string& where, const ProductRef& ref);

  PostgresStore::Connection& connection_;
  TransactionMode mode_;
  std::unique_ptr<pqxx::transaction_base> transaction_;
  bool finished_ = false;
};

}  // namespace meshctl::registry
