#pragma once

// Helpers shared by the RegistryService sources. Private to lib.

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/manifest/glossary.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/service.h"
#include "meshctl/store/store.h"

namespace meshctl::registry::service_support {

// What the registry keeps of a decoded manifest.
struct ManifestFacts {
  ProductRef ref;
  std::string version;
  Owner owner;
  std::map<std::string, std::string> labels;
  std::vector<DependencyEdge> inputs;      // one per input port that names a product
  std::vector<std::size_t> input_indexes;  // inputs[i] is spec.inputPorts[input_indexes[i]]
  std::vector<manifest::FieldTerm> terms;  // the fields bound to a term (manifest::field_terms)
  std::string canonical_json;
  std::string hash;
};

// Fails with ErrorKind::invalid when the manifest has no usable identity: an
// empty domain or name, a version that is not semantic, an input port whose
// product is not DOMAIN/NAME. (Everything else is the standards' business.)
Result<ManifestFacts> facts_of(const manifest::DataProduct& manifest);

// not_found for `ref`, with a pointer to what exists.
Error product_not_found(StoreTransaction& transaction, const ProductRef& ref);

// The product, or product_not_found.
Result<ProductRecord> require_product(StoreTransaction& transaction, const ProductRef& ref);

// The version with its manifest; not_found listing the published versions otherwise.
Result<VersionRecord> require_version(StoreTransaction& transaction, const ProductRef& ref, const std::string& version);

// Access rules of a server (DESIGN.md "Multi-tenancy"). A caller without a
// principal is the embedded registry's local user and may do everything.

// Ok for no principal, an admin, or an owner of `domain`; otherwise
// ErrorKind::forbidden whose message and details ({domain, principal, role})
// name the domain needed. `attempted` says what, e.g. "publish sales/orders".
// Decided from the caller alone, so it runs before any transaction.
Status authorize_write(const Caller& caller, const std::string& domain, std::string_view attempted);

// Ok for no principal or an admin; forbidden otherwise. `attempted` e.g. "create tokens".
Status authorize_admin(const Caller& caller, std::string_view attempted);

// On a server (a caller with a principal) a product's domain must exist:
// not_found saying how an admin creates it. Ok without a principal (the
// embedded registry creates a domain on first use).
Status require_domain(StoreTransaction& transaction, const Caller& caller, const std::string& domain);

// Records `refusal` (forbidden) in the audit log as action "forbidden", in a
// write transaction of its own (the refused one never commits), and returns
// it unchanged: failing to record does not turn a refusal into another error.
Error record_refusal(Store& store, const Caller& caller, const ProductRef& ref, const Error& refusal,
                     const std::string& now);

// authorize_write for each product of `batch` ("<verb> domain/name@version");
// every refused product is recorded (record_refusal). Returns the first refusal.
Status authorize_publish(Store& store, const Caller& caller, const std::vector<ManifestFacts>& batch,
                         std::string_view verb, const std::string& now);

// require_domain for each product of `batch`.
Status require_domains(StoreTransaction& transaction, const Caller& caller, const std::vector<ManifestFacts>& batch);

// The compatibility and semantic-version gate of an evolve (service_evolution.cpp):
// `facts` (a release above the product's published versions) is diffed, under
// its own spec.compatibility, with the latest published release and, in a
// _transitive mode, with every release of its range (same major; same minor for
// 0.x) that is not retired. Ok when the version step provides every bump the
// diffs require (evolution::check_evolution) or when `facts` is a pre-release;
// ErrorKind::conflict listing the changes otherwise; unavailable when a stored
// manifest does not decode.
Status check_evolution_gate(StoreTransaction& transaction, const ManifestFacts& facts);

// Checks every manifest of `batch` against the registry's standards in force
// (read on `transaction`: the latest published version, else the built-in
// default). ErrorKind::findings listing the error findings of each refused
// manifest (details.manifests[{product, findings[{rule, severity, path,
// message}]}]); unavailable when the stored standards no longer load.
Status check_registry_standards(StoreTransaction& transaction, std::span<const ManifestFacts> batch);

// Duplicate detection (service_similar.cpp).
// How field names are normalised now: with the synonyms of the registry's glossary (read on `transaction`).
Result<NameNormalizer> name_normalizer(StoreTransaction& transaction);
// Makes the index entries of the products (active or deprecated) with a field `before` and `after` normalise
// differently those of `after`: what a glossary that changes synonyms writes in its transaction.
Status reindex_similarity(StoreTransaction& transaction, const NameNormalizer& before, const NameNormalizer& after);
// Makes the similarity index's entry of facts' product that of its manifest (the version being published).
Status index_similarity(StoreTransaction& transaction, const ManifestFacts& facts, const NameNormalizer& normalize);
// MESH-DUPLICATE, as the standards in force (read on `transaction`) set it for each product's domain, for the
// manifests of `batch` whose `publishing` is true (all when `publishing` is shorter): each registered product
// at least `threshold` similar, or with one of its output locations (whatever the score), up to 5 per
// manifest; a product the manifest reads through an input port counts only for a shared location. The
// findings at warning or info severity; ErrorKind::findings (details.duplicates) when one is at error.
Result<std::vector<DuplicateFinding>> check_duplicates(StoreTransaction& transaction,
                                                       std::span<const ManifestFacts> batch,
                                                       const std::vector<bool>& publishing,
                                                       const NameNormalizer& normalize);

// Versions an apply publishes, by product, that are not in the store yet: an
// input port of another manifest of the same apply may read them.
using PendingVersions = std::map<ProductRef, std::vector<std::string>>;

// What a product offers the input ports that read it: its record (nullopt when
// it is not in the store), whether the same apply publishes it, its versions.
struct ProviderOffer {
  std::optional<ProductRecord> product;
  bool pending = false;
  std::vector<OfferedVersion> versions;
};
// The offers looked up during one plan or execute, by provider: each is read
// once however many ports read it. Forget a product once it is written.
using ProviderOffers = std::map<ProductRef, ProviderOffer>;

// The input-port rule of a publication (service_inputs.cpp, InputPortFinding in
// operations.h): every input port of `facts` reads a registered, non-retired
// product (or one of `pending`) whose versions that are not retired (with the
// pending ones) include one its constraint accepts. `refused` lists the ports
// that do not; `warnings` those that resolve only to deprecated versions.
// unavailable when the store fails.
struct InputInspection {
  std::vector<InputPortFinding> refused;
  std::vector<InputPortFinding> warnings;
};
Result<InputInspection> inspect_inputs(StoreTransaction& transaction, const ManifestFacts& facts,
                                       const PendingVersions& pending, ProviderOffers& offers);

// The conflict refusing `facts` for its `refused` input ports (not empty):
// details.unresolvedInputs lists every one.
Error unresolved_inputs_refusal(const ManifestFacts& facts, const std::vector<InputPortFinding>& refused);

// inspect_inputs, refusing when a port does not resolve: the warnings, or the
// conflict of unresolved_inputs_refusal.
Result<std::vector<InputPortFinding>> check_inputs(StoreTransaction& transaction, const ManifestFacts& facts,
                                                   const PendingVersions& pending, ProviderOffers& offers);

// What `details.unresolvedInputs` of a refusal made by check_inputs holds, for
// callers that gather refusals: an empty array for any other error.
nlohmann::json unresolved_inputs_of(const Error& error);

// Tells the store's transaction observer, if any, how long a transaction took
// when it goes out of scope. Declared before the transaction, it outlives it:
// a rollback's time counts.
class TransactionTimer {
 public:
  TransactionTimer(const Store& store, TransactionMode mode)
      : observer_(store.transaction_observer()), mode_(mode), start_(std::chrono::steady_clock::now()) {}
  ~TransactionTimer() {
    if (!observer_) return;
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start_;
    observer_(TransactionTiming{mode_, committed_, seconds.count()});
  }
  TransactionTimer(const TransactionTimer&) = delete;
  TransactionTimer& operator=(const TransactionTimer&) = delete;
  void committed() { committed_ = true; }

 private:
  const TransactionObserver& observer_;
  TransactionMode mode_;
  std::chrono::steady_clock::time_point start_;
  bool committed_ = false;
};
// The glossary rule of a publication (service_glossary.cpp): every field term of `facts` names a term
// of a glossary, or a synonym of one (a deprecated or draft term is accepted: validate and apply warn).
// Conflict otherwise, details.unknownTerms listing each field [{product, port, field, term, message}],
// the message with the closest term as a "did you mean"; unavailable when the store fails.
Status check_field_terms(StoreTransaction& transaction, const ManifestFacts& facts);

// Runs `work` in a write transaction and commits it; any error rolls back.
template <typename T, typename Work>
Result<T> in_write_transaction(Store& store, Work work) {
  TransactionTimer timer(store, TransactionMode::write);
  auto transaction = store.begin(TransactionMode::write);
  if (!transaction.ok()) return transaction.error();
  Result<T> result = work(**transaction);
  if (!result.ok()) return result;
  if (auto status = (*transaction)->commit(); !status.ok()) return status.error();
  timer.committed();
  return result;
}

template <typename T, typename Work>
Result<T> in_read_transaction(Store& store, Work work) {
  TransactionTimer timer(store, TransactionMode::read);
  auto transaction = store.begin(TransactionMode::read);
  if (!transaction.ok()) return transaction.error();
  return work(**transaction);
}

}  // namespace meshctl::registry::service_support
