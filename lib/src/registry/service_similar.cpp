// RegistryService: products whose output schemas overlap (`meshctl similar`), and the MESH-DUPLICATE check of
// every publication. The index (catalog/similarity.h, kept by the store) gives candidates; only they are
// decoded and scored.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/catalog/search.h"
#include "meshctl/registry/registry.h"
#include "meshctl/registry/service.h"
#include "meshctl/registry/standards_in_force.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::in_read_transaction;
using service_support::ManifestFacts;

namespace {

// How many of the index's candidates are scored exactly: the closest by shared bands. More costs decoding
// time on every publication; fewer could miss a duplicate among products that share many common fields.
constexpr std::size_t kCandidateLimit = 128;

// A duplicate check reports at most this many products per manifest, the closest.
constexpr std::size_t kDuplicatesPerProduct = 5;

constexpr const char* kDuplicateRule = "MESH-DUPLICATE";

// The most products one changed synonym re-indexes: every product of any real mesh.
constexpr std::size_t kMaxReindexedProducts = 10'000'000;

Result<SchemaFingerprint> fingerprint_of_json(const std::string& manifest_json, const NameNormalizer& normalize) {
  auto product = manifest::from_json(nlohmann::json::parse(manifest_json, nullptr, false));
  if (!product.ok()) {
    return make_error(ErrorKind::unavailable,
                      "a stored manifest no longer decodes: " + product.error().message + " (meshctl registry check)");
  }
  return schema_fingerprint(*product, normalize);
}

// What one check (a plan's, an execution's, one similar()) has read, valid while its transaction writes
// nothing: the fingerprint of each candidate decoded (the manifests of one apply mostly meet the same
// candidates, and decoding is most of a check's time), and the band look-ups of the last few distinct
// signatures, without their manifests (an apply of products made from one template asks the same look-up for
// each of them; their locations differ, so those are looked up each time).
struct CheckCache {
  std::map<ProductRef, SchemaFingerprint> fingerprints;
  std::map<std::vector<std::int64_t>, std::vector<SimilarityCandidate>> by_bands;
};
constexpr std::size_t kCachedLookups = 64;

// The index's candidates of `entry` for probe.entry's bands or its locations (one of them empty), their
// fingerprints decoded into the cache and their manifests dropped.
Result<std::vector<SimilarityCandidate>> look_up(StoreTransaction& transaction, SimilarityEntry entry,
                                                 const NameNormalizer& normalize, CheckCache& cache) {
  // One more than the limit: the product itself may be one of them (the caller skips it).
  auto found = transaction.similarity_candidates({std::move(entry), std::nullopt, kCandidateLimit + 1});
  if (!found.ok()) return found.error();
  for (auto& candidate : *found) {
    if (cache.fingerprints.count(candidate.product.ref) == 0) {
      auto fingerprint = fingerprint_of_json(candidate.manifest_json, normalize);
      if (!fingerprint.ok()) return fingerprint.error();
      cache.fingerprints.emplace(candidate.product.ref, std::move(*fingerprint));
    }
    candidate.manifest_json = std::string();
  }
  return found;
}

// The index's candidates of `entry`: those at one of its locations first, then those sharing its bands
// (store.h's order), `self` among them when the index has it.
Result<std::vector<SimilarityCandidate>> candidates_of(StoreTransaction& transaction, const SimilarityEntry& entry,
                                                       const NameNormalizer& normalize, CheckCache& cache) {
  std::vector<SimilarityCandidate> found;
  std::set<ProductRef> listed;
  if (!entry.locations.empty()) {
    auto located = look_up(transaction, {{}, entry.locations}, normalize, cache);
    if (!located.ok()) return located.error();
    for (auto& candidate : *located) {
      listed.insert(candidate.product.ref);
      found.push_back(std::move(candidate));
    }
  }
  if (entry.bands.empty()) return found;
  auto cached = cache.by_bands.find(entry.bands);
  if (cached == cache.by_bands.end()) {
    auto banded = look_up(transaction, {entry.bands, {}}, normalize, cache);
    if (!banded.ok()) return banded.error();
    if (cache.by_bands.size() >= kCachedLookups) cache.by_bands.clear();
    cached = cache.by_bands.emplace(entry.bands, std::move(*banded)).first;
  }
  for (const auto& candidate : cached->second) {
    if (listed.count(candidate.product.ref) == 0) found.push_back(candidate);
  }
  return found;
}

// The registered products whose schemas are at least `min_score` similar to `probe`, or that share one of its
// locations: same location first, then by score, then by (domain, name); at most `limit`. The products of
// `location_only` (those the probe reads through its input ports) are listed only for a shared location.
Result<std::vector<SimilarProduct>> find_similar(StoreTransaction& transaction, const SchemaFingerprint& probe,
                                                 const ProductRef& self, const NameNormalizer& normalize,
                                                 double min_score, std::size_t limit, CheckCache& cache,
                                                 const std::set<ProductRef>& location_only = {}) {
  auto candidates = candidates_of(transaction, probe.entry(), normalize, cache);
  if (!candidates.ok()) return candidates.error();
  std::vector<SimilarProduct> found;
  for (const auto& candidate : *candidates) {
    if (candidate.product.ref == self) continue;
    const auto& theirs = cache.fingerprints.at(candidate.product.ref);
    auto comparison = compare_schemas(probe, theirs);
    const bool similar_enough = comparison.score >= min_score && location_only.count(candidate.product.ref) == 0;
    if (!similar_enough && comparison.same_locations.empty()) continue;
    found.push_back({candidate.product, comparison.score, theirs.fields.size(),
                     std::move(comparison.shared_fields), std::move(comparison.different_types),
                     std::move(comparison.same_locations)});
  }
  std::sort(found.begin(), found.end(), [](const SimilarProduct& a, const SimilarProduct& b) {
    if (a.same_locations.empty() != b.same_locations.empty()) return !a.same_locations.empty();
    if (a.score != b.score) return a.score > b.score;
    return a.product.ref < b.product.ref;
  });
  if (found.size() > limit) found.resize(limit);
  return found;
}

std::string listed(const std::vector<std::string>& items, std::size_t at_most) {
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < at_most; ++i) text += (i == 0 ? "" : ", ") + items[i];
  if (items.size() > at_most) text += fmt::format(" and {} more", items.size() - at_most);
  return text;
}

// A product it reads through an input port is never reported for its score: deriving from it is the reuse
// the rule asks for. Two products at one location are reported all the same.
bool reads(const ManifestFacts& facts, const ProductRef& provider) {
  return std::any_of(facts.inputs.begin(), facts.inputs.end(),
                     [&](const DependencyEdge& input) { return input.provider == provider; });
}

std::string duplicate_message(const ManifestFacts& facts, std::size_t fields, const SimilarProduct& similar,
                              double threshold) {
  const auto other = similar.product.ref.text();
  std::string message;
  if (similar.score >= threshold && !reads(facts, similar.product.ref)) {
    message = fmt::format("{} is {:.2f} similar to {} (threshold {}): they share {} of its {} fields ({})",
                          facts.ref.text(), similar.score, other, threshold, similar.shared_fields.size(), fields,
                          listed(similar.shared_fields, 5));
    if (!similar.same_locations.empty()) {
      message += fmt::format(" and the output location {}", listed(similar.same_locations, 2));
    }
    return message + fmt::format(": reuse {}, or say in the description how this product differs", other);
  }
  return fmt::format("{} writes to {}, the output location of {}: two products at one location overwrite each "
                     "other's data; give this one its own location",
                     facts.ref.text(), listed(similar.same_locations, 2), other);
}

// MESH-DUPLICATE as the standards in force set it for a domain: nullopt when it is off.
struct DuplicateRule {
  Severity severity = Severity::warning;
  double threshold = 0.8;
};

std::optional<DuplicateRule> duplicate_rule(const standards::Standards& rules, const std::string& domain) {
  for (const auto& rule : rules.effective_rules(domain)) {
    if (rule.id != kDuplicateRule) continue;
    if (!rule.enabled) return std::nullopt;
    DuplicateRule found{rule.severity, 0.8};
    const auto threshold = rule.params.find("threshold");
    if (threshold != rule.params.end() && threshold->is_number()) found.threshold = threshold->get<double>();
    return found;
  }
  return std::nullopt;
}

}  // namespace

namespace service_support {

Result<NameNormalizer> name_normalizer(StoreTransaction& transaction) {
  auto terms = transaction.list_terms(std::nullopt);
  if (!terms.ok()) return terms.error();
  return NameNormalizer(glossary_synonyms(*terms));
}

Status reindex_similarity(StoreTransaction& transaction, const NameNormalizer& before, const NameNormalizer& after) {
  std::set<ProductRef> indexed;
  for (const auto& name : before.differences(after)) {
    // The full-text index holds every field name's words: the products with a field of this name are among
    // those whose schema has its words as a phrase (a description that says them brings a few more).
    SearchSelection selection;
    selection.query.groups.push_back(search_words(name));
    selection.limit = kMaxReindexedProducts;
    auto found = transaction.search_products(selection);
    if (!found.ok()) return found.error();
    for (const auto& candidate : *found) {
      if (!indexed.insert(candidate.product.ref).second) continue;
      auto fingerprint = fingerprint_of_json(candidate.manifest_json, after);
      if (!fingerprint.ok()) return fingerprint.error();
      if (auto status = transaction.replace_similarity_entry(candidate.product.ref, fingerprint->entry());
          !status.ok()) {
        return status;
      }
    }
  }
  return ok_status();
}

Status index_similarity(StoreTransaction& transaction, const ManifestFacts& facts, const NameNormalizer& normalize) {
  auto fingerprint = fingerprint_of_json(facts.canonical_json, normalize);
  if (!fingerprint.ok()) return fingerprint.error();
  return transaction.replace_similarity_entry(facts.ref, fingerprint->entry());
}

Result<std::vector<DuplicateFinding>> check_duplicates(StoreTransaction& transaction,
                                                       std::span<const ManifestFacts> batch,
                                                       const std::vector<bool>& publishing,
                                                       const NameNormalizer& normalize) {
  auto record = transaction.latest_standards();
  if (!record.ok()) return record.error();
  auto in_force = standards_in_force(*record);
  if (!in_force.ok()) return in_force.error();
  std::vector<DuplicateFinding> warnings;
  std::vector<DuplicateFinding> errors;
  CheckCache cache;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (i < publishing.size() && !publishing[i]) continue;
    const auto& facts = batch[i];
    const auto rule = duplicate_rule(in_force->rules, facts.ref.domain);
    if (!rule) continue;
    auto probe = fingerprint_of_json(facts.canonical_json, normalize);
    if (!probe.ok()) return probe.error();
    std::set<ProductRef> providers;
    for (const auto& input : facts.inputs) providers.insert(input.provider);
    auto similar = find_similar(transaction, *probe, facts.ref, normalize, rule->threshold, kDuplicatesPerProduct,
                                cache, providers);
    if (!similar.ok()) return similar.error();
    for (auto& product : *similar) {
      DuplicateFinding finding{facts.ref,
                               facts.version,
                               {},
                               rule->threshold,
                               to_string(rule->severity),
                               duplicate_message(facts, probe->fields.size(), product, rule->threshold)};
      finding.similar = std::move(product);
      (rule->severity == Severity::error ? errors : warnings).push_back(std::move(finding));
    }
  }
  if (errors.empty()) return warnings;
  nlohmann::json listed_errors = nlohmann::json::array();
  for (const auto& finding : errors) listed_errors.push_back(to_json(finding));
  return make_error(ErrorKind::findings,
                    fmt::format("{} [{}]; nothing was written ({} duplicate finding{} at severity error in {})",
                                errors.front().message, kDuplicateRule, errors.size(), errors.size() == 1 ? "" : "s",
                                in_force->label),
                    {{"duplicates", std::move(listed_errors)}});
}

}  // namespace service_support

Status check_similar_request(const SimilarRequest& request) {
  if (request.product.has_value() == request.manifest.has_value()) {
    return make_error(ErrorKind::invalid, "compare either a registered product (DOMAIN/NAME) or a manifest, not both");
  }
  if (request.version && !request.product) {
    return make_error(ErrorKind::invalid, "a version is for a registered product (DOMAIN/NAME@VERSION)");
  }
  if (request.limit < 1 || request.limit > kMaxSimilarLimit) {
    return make_error(ErrorKind::invalid, fmt::format("--limit must be 1 to {}", kMaxSimilarLimit));
  }
  if (!(request.min_score >= 0.0 && request.min_score <= 1.0)) {
    return make_error(ErrorKind::invalid, "--min-score must be a number from 0 to 1");
  }
  return ok_status();
}

Result<SimilarResult> RegistryService::similar(const SimilarRequest& request) {
  if (auto status = check_similar_request(request); !status.ok()) return status.error();
  return in_read_transaction<SimilarResult>(store_, [&](StoreTransaction& transaction) -> Result<SimilarResult> {
    auto normalize = service_support::name_normalizer(transaction);
    if (!normalize.ok()) return normalize.error();
    SimilarResult result;
    SchemaFingerprint probe;
    if (request.product) {
      result.product = *request.product;
      auto product = service_support::require_product(transaction, result.product);
      if (!product.ok()) return product.error();
      result.version = request.version.value_or(product->latest_version);
      auto version = service_support::require_version(transaction, result.product, result.version);
      if (!version.ok()) return version.error();
      auto fingerprint = fingerprint_of_json(version->manifest_json, *normalize);
      if (!fingerprint.ok()) return fingerprint.error();
      probe = std::move(*fingerprint);
    } else {
      result.product = {request.manifest->metadata.domain, request.manifest->metadata.name};
      result.version = request.manifest->metadata.version;
      probe = schema_fingerprint(*request.manifest, *normalize);
    }
    result.fields = probe.fields.size();
    CheckCache cache;
    auto similar =
        find_similar(transaction, probe, result.product, *normalize, request.min_score, request.limit, cache);
    if (!similar.ok()) return similar.error();
    result.similar = std::move(*similar);
    return result;
  });
}

}  // namespace meshctl::registry
