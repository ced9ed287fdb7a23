#pragma once

// Helpers shared by the RegistryService sources. Private to lib.

#include <string>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/service.h"
#include "meshctl/registry/store.h"

namespace meshctl::registry::service_support {

// What the registry keeps of a decoded manifest.
struct ManifestFacts {
  ProductRef ref;
  std::string version;
  Owner owner;
  std::map<std::string, std::string> labels;
  std::vector<DependencyEdge> inputs;  // one per input port that names a product
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

// Runs `work` in a write transaction and commits it; any error rolls back.
template <typename T, typename Work>
Result<T> in_write_transaction(Store& store, Work work) {
  auto transaction = store.begin(TransactionMode::write);
  if (!transaction.ok()) return transaction.error();
  Result<T> result = work(**transaction);
  if (!result.ok()) return result;
  if (auto status = (*transaction)->commit(); !status.ok()) return status.error();
  return result;
}

template <typename T, typename Work>
Result<T> in_read_transaction(Store& store, Work work) {
  auto transaction = store.begin(TransactionMode::read);
  if (!transaction.ok()) return transaction.error();
  return work(**transaction);
}

}  // namespace meshctl::registry::service_support
