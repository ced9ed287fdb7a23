#pragma once

// RegistryService holds every lifecycle rule of the registry, over a Store.
// The embedded registry runs it in-process (LocalRegistry); the server of the
// remote registry hosts the very same class, one Caller per request.
//
// What it does NOT do: check manifests against the platform standards. The
// caller validates first (validate_sources / the standards engine) and only
// hands over manifests without error findings; the service takes decoded
// manifests and trusts their shape. Compatibility of an evolution (breaking
// change without a major bump) belongs to the evolution issue and plugs into
// decide_publish() in
// lib/src/registry/service_publish.cpp.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"
#include "meshctl/registry/clock.h"
#include "meshctl/registry/store.h"
#include "meshctl/registry/types.h"

namespace meshctl::registry {

// Who asks. The embedded registry passes the operating-system user; the server
// will add the authenticated principal and its roles here.
struct Caller {
  std::string actor;
};

enum class PublishMode {
  apply,   // create what is new, evolve what changed, leave what is equal
  create,  // the product must not exist yet (conflict otherwise)
  evolve,  // the product must exist (not_found otherwise)
};

enum class ChangeAction { created, evolved, unchanged };
const char* to_string(ChangeAction action);  // "created", "evolved", "unchanged"

// One product's change, planned or done.
struct Change {
  ProductRef ref;
  ChangeAction action = ChangeAction::unchanged;
  std::string from_version;  // evolved: the latest version before; else empty
  std::string to_version;    // the manifest's version
  // In a plan: the product's revision the plan was made against (0: the
  // product did not exist). In an outcome: the revision after the change.
  std::int64_t revision = 0;
};

struct PlannedPublish {
  Change change;
  manifest::DataProduct manifest;
};

// What `apply` will do, in execution order: a product comes after the products
// its input ports read (when they are in the same plan); otherwise in the
// order given. This is what `apply --dry-run` prints.
struct ApplyPlan {
  PublishMode mode = PublishMode::apply;
  std::vector<PlannedPublish> items;
};

struct DeprecateRequest {
  ProductRef ref;
  std::optional<std::string> version;             // Default: the whole product
  std::string sunset;                             // YYYY-MM-DD, required
  std::string reason;                             // required
  std::optional<std::int64_t> expected_revision;  // Default: no check
};

struct RetireRequest {
  ProductRef ref;
  bool force = false;  // retire even while non-retired products read it
  std::string reason;  // optional; goes into the audit event
  std::optional<std::int64_t> expected_revision;
};

// Everything `describe` shows about one product.
struct ProductDetails {
  ProductRecord product;
  std::vector<VersionRecord> versions;       // ascending; manifest_json left empty
  VersionRecord selected;                    // the version asked for, else the latest; with its manifest
  std::vector<DependencyEdge> dependencies;  // what its latest version reads
  std::vector<DependencyEdge> dependents;    // who reads it
};

struct HistoryQuery {
  std::size_t limit = 1000;
  std::int64_t before_id = 0;  // page back: events with a smaller id (0: from the newest)
};

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

  // Publishes one manifest's version. Same version and identical canonical
  // manifest: `unchanged`. Conflict: a different manifest for a published
  // version, a version not greater than every published one, a retired product,
  // create of an existing product. not_found: evolve of a missing product.
  Result<Change> publish(const Caller& caller, const manifest::DataProduct& manifest, PublishMode mode);

  // Reads only. Fails when any manifest would be refused (the error's details
  // list every refusal) or when two manifests name the same product, or their
  // input ports form a cycle (invalid).
  Result<ApplyPlan> plan(std::vector<manifest::DataProduct> manifests, PublishMode mode);

  // Executes a plan in ONE transaction, all or nothing. Conflict when the
  // registry changed since the plan was made (a product's revision moved).
  Result<std::vector<Change>> execute(const Caller& caller, const ApplyPlan& plan);

  // Marks the product, or one version, deprecated. Deprecating again with the
  // same sunset and reason changes nothing; with others it updates them.
  Result<ProductRecord> deprecate(const Caller& caller, const DeprecateRequest& request);

  // Retires the product and all its versions. Conflict while non-retired
  // products read it (listed in details.dependents) unless force. Retiring a
  // retired product changes nothing.
  Result<ProductRecord> retire(const Caller& caller, const RetireRequest& request);

  Result<ProductRecord> get_product(const ProductRef& ref);
  Result<ProductDetails> describe(const ProductRef& ref, const std::optional<std::string>& version);
  Result<ProductPage> list_products(const ProductPageRequest& request);
  Result<std::vector<DomainRecord>> list_domains();
  Result<std::vector<VersionRecord>> list_versions(const ProductRef& ref);
  Result<VersionRecord> get_version(const ProductRef& ref, const std::string& version);
  Result<std::vector<AuditEvent>> history(const ProductRef& ref, const HistoryQuery& query);
  Result<std::vector<DependencyEdge>> dependencies(const ProductRef& ref);
  Result<std::vector<DependencyEdge>> dependents(const ProductRef& ref);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace meshctl::registry
