#pragma once

// The storage seam under RegistryService. Small on purpose: an SQLite store
// implements it now, a PostgreSQL store later. A store knows tables and
// transactions, never lifecycle rules (those live in RegistryService only).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/registry/types.h"

namespace meshctl::registry {

// Which products a list returns. Every given filter must hold.
struct ProductFilter {
  std::optional<std::string> domain;
  std::optional<LifecycleStatus> status;
  std::vector<std::pair<std::string, std::string>> labels;  // key=value, all must match
};

// Keyset paging: products come ordered by (domain, name); a page starts
// strictly after `after` (Default: from the first product).
struct ProductPageRequest {
  ProductFilter filter;
  std::optional<ProductRef> after;
  std::size_t limit = 500;  // REQUIRES: > 0
};

struct ProductPage {
  std::vector<ProductRecord> products;
  std::optional<ProductRef> next;  // pass as `after` for the next page; nullopt on the last page
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

  virtual Result<std::optional<DomainRecord>> find_domain(const std::string& name) = 0;
  virtual Result<std::vector<DomainRecord>> list_domains() = 0;  // by name, with product counts
  virtual Result<std::optional<ProductRecord>> find_product(const ProductRef& ref) = 0;
  virtual Result<ProductPage> list_products(const ProductPageRequest& request) = 0;
  // In publication order, which is also ascending version precedence.
  virtual Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref) = 0;
  virtual Result<std::optional<VersionRecord>> find_version(const ProductRef& ref, const std::string& version) = 0;
  virtual Result<std::vector<DependencyEdge>> dependencies_of(const ProductRef& consumer) = 0;
  virtual Result<std::vector<DependencyEdge>> dependents_of(const ProductRef& provider) = 0;
  // Newest first; at most `limit` events with id < `before_id` (0: no bound).
  virtual Result<std::vector<AuditEvent>> history(const ProductRef& ref, std::size_t limit, std::int64_t before_id) = 0;

  // Conflict when the domain exists.
  virtual Status insert_domain(const DomainRecord& domain) = 0;
  // Conflict when domain/name exists (in any status). REQUIRES: the domain exists.
  virtual Status insert_product(const ProductRecord& product) = 0;
  // Writes every field of `product` and sets its revision to
  // `expected_revision + 1`, only if the stored revision is `expected_revision`;
  // otherwise ErrorKind::conflict (a concurrent change won).
  virtual Status update_product(const ProductRecord& product, std::int64_t expected_revision) = 0;
  // Conflict when the version exists.
  virtual Status insert_version(const VersionRecord& version) = 0;
  // Changes status and deprecation only; not_found when the version is missing.
  virtual Status update_version_status(const VersionRecord& version) = 0;
  // Replaces every edge whose consumer is `consumer`.
  virtual Status replace_dependencies(const ProductRef& consumer, const std::vector<DependencyEdge>& edges) = 0;
  // Returns the id given to the event.
  virtual Result<std::int64_t> append_audit(const AuditEvent& event) = 0;

  // Makes every write durable at once, or none (the transaction is rolled back
  // and the error returned). After commit the transaction cannot be used.
  virtual Status commit() = 0;
};

enum class TransactionMode {
  read,   // a consistent snapshot; never waits for writers
  write,  // takes the store's write lock at the start (no lock upgrade later, so no deadlock)
};

class Store {
 public:
  virtual ~Store() = default;
  // Fails with ErrorKind::unavailable when the store cannot start one (for a
  // write: another writer held the lock past the store's retry budget).
  virtual Result<std::unique_ptr<StoreTransaction>> begin(TransactionMode mode) = 0;
};

}  // namespace meshctl::registry
