#pragma once

// What the registry's operations take and answer, beyond the stored records of
// types.h: the same for the embedded registry, the server and its client.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "meshctl/catalog/types.h"
#include "meshctl/manifest/model.h"

namespace meshctl::registry {

// Which products a list returns. Every given filter must hold. What a product's tags, fields and terms are is
// read from its latest version.
struct ProductFilter {
  std::optional<std::string> domain;
  std::optional<LifecycleStatus> status;
  std::vector<std::pair<std::string, std::string>> labels;  // key=value, all must match
  std::optional<std::string> owner;                         // the owner team, exactly
  std::optional<std::string> tag;                           // one of its tags, exactly
  std::optional<std::string> term;                          // a field bound to this term (its `term:`), exactly
  std::optional<std::string> field;                         // a field of this name (nested: its a.b path)
  bool pii = false;                                         // true: only products with a field marked pii
};

// The products `meshctl search` finds: ranked full-text search over the latest version of each product.
struct SearchRequest {
  // The user's words (catalog/search.h, parse_search_text). Empty: every product the filter selects, by
  // (domain, name); then at least one filter is needed.
  std::string text;
  // filter.status nullopt: active and deprecated products; retired ones only when asked for.
  ProductFilter filter;
  std::size_t limit = 20;  // 1 to kMaxSearchLimit
};

// One product found, with what of its latest version the words matched ("name", "tag gdpr",
// "field customer_email", "description", ...: SearchItem::what).
struct SearchHit {
  ProductRecord product;
  std::string title;        // the latest manifest's metadata.title; empty when it has none
  std::string description;  // its metadata.description; empty when it has none
  std::vector<std::string> matched;
  friend bool operator==(const SearchHit&, const SearchHit&) = default;
};

// Best first, by the levels of catalog/search.h (kSearchLevels); equal levels in registration order.
struct SearchResult {
  std::vector<SearchHit> hits;
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
  // What the manifest was converted from, kept with the version it publishes. plan() leaves it empty;
  // whoever applies ODCS or ODPS documents sets it before execute().
  std::optional<OriginalDocuments> original;
};

// One input port of a manifest being published that the registry refuses, or
// warns about. Every input port must read a registered product (or one in the
// same apply) whose version constraint accepts a version that is not retired
// (counting the versions of the same apply). `rule` says which way it fails,
// with the ids `validate --registry` gives the same findings:
//   MESH-INPUT-UNKNOWN    the product is not registered (refused)
//   MESH-INPUT-RETIRED    the product is retired (refused)
//   MESH-INPUT-UNMATCHED  no version that is not retired meets the constraint, or it is not one (refused)
//   MESH-INPUT-DEPRECATED the constraint resolves only to deprecated versions (a warning)
struct InputPortFinding {
  ProductRef consumer;             // the product being published
  std::string version;             // the version being published
  std::size_t index = 0;           // the port is spec.inputPorts[index]
  std::string port;                // its name
  ProductRef provider;             // what it reads
  std::string version_constraint;  // as written; may be empty
  std::string rule;
  std::string message;                 // one line about the port, e.g. "input port 'x' reads sales/orders ^3, ..."
  std::vector<std::string> available;  // the provider's versions that are not retired (the same apply's too)
  std::string sunset;                  // MESH-INPUT-DEPRECATED: the latest sunset of the versions it resolves to
  friend bool operator==(const InputPortFinding&, const InputPortFinding&) = default;
};

// What `meshctl similar` compares (catalog/similarity.h): a registered product's version (Default: its
// latest), or a manifest that need not be registered. Exactly one of `product` and `manifest`.
struct SimilarRequest {
  std::optional<ProductRef> product;
  std::optional<std::string> version;
  std::optional<manifest::DataProduct> manifest;
  std::size_t limit = 10;  // 1 to kMaxSimilarLimit
  double min_score = 0.5;  // 0 to 1; a product with the same output location is listed whatever its score
};
inline constexpr std::size_t kMaxSimilarLimit = 100;

// One registered product whose schemas overlap, with what they share (catalog/similarity.h, SchemaComparison).
struct SimilarProduct {
  ProductRecord product;
  double score = 0;                          // in [0, 1]
  std::size_t fields = 0;                    // how many fields its output ports have
  std::vector<std::string> shared_fields;    // the compared product's names of the fields they share
  std::vector<std::string> different_types;  // of those, the ones whose types differ
  std::vector<std::string> same_locations;   // output locations both have (normalised)
  friend bool operator==(const SimilarProduct&, const SimilarProduct&) = default;
};

// The closest products first (score, then (domain, name)); products with the same output location first of
// all. Never the compared product itself (same domain/name), nor a retired one.
struct SimilarResult {
  ProductRef product;      // what was compared
  std::string version;     // its version
  std::size_t fields = 0;  // how many fields its output ports have
  std::vector<SimilarProduct> similar;
};

// MESH-DUPLICATE (a standards rule with params {threshold}): a product being published whose schemas are at
// least `threshold` similar to a registered product's, or that shares an output location with one (reported
// whatever the score). A product it reads through an input port is reported only for a shared location:
// deriving from a product is the reuse the rule asks for. `severity` is the rule's in force for the product's domain: "warning" lets the
// publication go ahead, "error" refuses it (ErrorKind::findings, details.duplicates).
struct DuplicateFinding {
  ProductRef product;  // being published
  std::string version;
  SimilarProduct similar;
  double threshold = 0.8;
  std::string severity;  // "warning" or "error"
  std::string message;   // one line, e.g. "sales/orders-copy is 0.95 similar to sales/orders (...)"
  friend bool operator==(const DuplicateFinding&, const DuplicateFinding&) = default;
};

// What `apply` will do, in execution order: a product comes after the products
// its input ports read (when they are in the same plan); otherwise in the
// order given. This is what `apply --dry-run` prints.
struct ApplyPlan {
  PublishMode mode = PublishMode::apply;
  std::vector<PlannedPublish> items;
  // Input ports of the products the plan writes that resolve only to deprecated
  // versions: they do not refuse the plan; whoever applies it is told.
  std::vector<InputPortFinding> warnings;
  // MESH-DUPLICATE findings at warning severity of the products the plan writes (at error, plan refuses).
  std::vector<DuplicateFinding> duplicates;
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
  bool force = false;  // retire even while non-retired products read it, consumers subscribe or use it
  std::string reason;  // optional; goes into the audit event
  std::optional<std::int64_t> expected_revision;
  // Usage seen within this many days (and any subscription) refuses the retirement.
  std::int64_t quiet_days = 30;
};

// The product an input port reads, when it is not plainly active, or when the
// port's version constraint resolves only to deprecated versions or to none:
// what `describe` warns about.
struct InputProviderState {
  DependencyEdge edge;
  bool registered = true;  // false: no such product in the registry
  LifecycleStatus status = LifecycleStatus::active;
  // The product's deprecation; for an active product whose matching versions are
  // all deprecated, the deprecation of the one with the latest sunset.
  std::optional<Deprecation> deprecation;
  // For a registered product: the versions, not retired, the constraint accepts.
  std::vector<std::string> resolves_to;
  // resolves_to is not empty and every version in it is deprecated (all of them
  // when the product is).
  bool only_deprecated = false;
  friend bool operator==(const InputProviderState&, const InputProviderState&) = default;
};

// Everything `describe` shows about one product.
struct ProductDetails {
  ProductRecord product;
  std::vector<VersionRecord> versions;       // ascending; manifest_json left empty
  VersionRecord selected;                    // the version asked for, else the latest; with its manifest
  std::vector<DependencyEdge> dependencies;  // what its latest version reads
  std::vector<DependencyEdge> dependents;    // who reads it
  // The dependencies whose product is deprecated, retired or unknown.
  std::vector<InputProviderState> input_warnings;
  // The latest quality run of each output port of the selected version that has one, by port; without
  // their checks (checks_json empty).
  std::vector<QualityRun> latest_quality;
  friend bool operator==(const ProductDetails&, const ProductDetails&) = default;
};

// What a list of versions carries besides the records.
struct VersionQuery {
  bool with_manifests = false;  // each version's manifest_json; Default: left empty
};

// One output port's checks in a QualityPublication.
struct QualityPortResult {
  std::string port;
  std::string checks_json;  // a JSON array of check objects, each with a string "id" and "status"
};

// A `meshctl test` run of a published version, one result per tested output port (`test --publish`).
struct QualityPublication {
  ProductRef ref;
  std::string version;
  std::vector<QualityPortResult> ports;
};

// Which quality runs of a product to read (`get quality`), newest first. Every given filter must hold.
struct QualityQuery {
  std::optional<std::string> version;
  std::optional<std::string> port;
  std::size_t limit = 20;  // 1 to kMaxQualityLimit
};
inline constexpr std::size_t kMaxQualityLimit = 1000;

struct HistoryQuery {
  std::size_t limit = 1000;
  std::int64_t before_id = 0;  // page back: events with a smaller id (0: from the newest)
};

// Which events of the registry-wide audit log to read, newest first (`meshctl
// audit`). Every given filter must hold.
struct AuditQuery {
  std::optional<std::string> domain;  // events about this domain or its products
  std::optional<std::string> actor;   // exactly this actor (a principal's name, or the local user)
  // Exactly this action ("token-create"), or, ending in '*', every action
  // starting with what comes before it ("token-*").
  std::optional<std::string> action;
  // A period back from now ("7d", "12h", "30m", "2w") or an RFC 3339 time:
  // events at or after it.
  std::optional<std::string> since;
  std::size_t limit = 100;     // 1 to kMaxAuditLimit
  std::int64_t before_id = 0;  // page back: events with a smaller id (0: from the newest)
};

inline constexpr std::size_t kMaxAuditLimit = 1000;

struct AuditPage {
  std::vector<AuditEvent> events;
  // Pass as before_id (with the same filters) for the next page; nullopt on the last page.
  std::optional<std::int64_t> next_before;
};

}  // namespace meshctl::registry
