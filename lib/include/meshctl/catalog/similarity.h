#pragma once

// Duplicate detection (`meshctl similar`, MESH-DUPLICATE, issue 18): what of a product's output schemas is
// compared, how names are normalised, the score of two products, and the MinHash fingerprint the registry
// indexes so that a check reads a few candidates instead of every manifest. One definition for both stores:
// they keep and look up the hashes made here, and the registry scores the candidates with compare_schemas.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/catalog/glossary.h"
#include "meshctl/manifest/model.h"

namespace meshctl::registry {

// Synonyms of business terms: a synonym -> the name of its term (e.g. "buyer-email" -> "customer-email"). A
// field whose normalised name is a synonym's is compared as the term's name. A term's own name may map to
// itself: it is then a name no synonym may take.
using Synonyms = std::map<std::string, std::string, std::less<>>;

// The glossary's synonyms (`terms`: every term of the registry, by name): each term's name to itself, then
// each of its synonyms to its name. A synonym spelt like a term's name (once normalised) stays that term's; a
// synonym two terms claim is the first's by name.
Synonyms glossary_synonyms(const std::vector<TermRecord>& terms);

// Normalises field names (and term names, which are compared the same way).
class NameNormalizer {
 public:
  NameNormalizer() = default;
  explicit NameNormalizer(const Synonyms& synonyms);

  // The words of `name` (catalog/search.h's search_words: split at `_ - . space` and every other punctuation,
  // and where a lowercase letter or digit meets an uppercase one; lowercased) joined by '_', then the
  // normalised term name when that is a synonym's: "customerEmail", "Customer-Email" and "customer email" are
  // all "customer_email". Empty for a name without a letter or digit.
  std::string operator()(std::string_view name) const;

  // The normalised names this and `other` normalise differently (a synonym added, dropped or moved to another
  // term), sorted: the products with a field of one of these names need their index entries made again.
  std::vector<std::string> differences(const NameNormalizer& other) const;

 private:
  std::map<std::string, std::string, std::less<>> synonyms_;  // normalised synonym -> normalised term
};

// One field of a product's output ports as compared.
struct SchemaField {
  std::string name;  // as written; a nested field by its dotted path (address.city)
  std::string key;   // the normalised name (nested: each step normalised, joined by '.')
  std::string type;  // lowercase as written ("" when not given); an array of scalars as array<items>
  std::string term;  // the normalised term ("" when none)
  friend bool operator==(const SchemaField&, const SchemaField&) = default;
};

// The MinHash signature has kSimilarityBands * kSimilarityRows values; a band is kSimilarityRows of them hashed
// together. Two field sets with Jaccard similarity s share at least one band with probability
// 1 - (1 - s^4)^32: 0.9999 at s = 0.7, 0.87 at s = 0.5, 0.09 at s = 0.23 (a few common fields).
inline constexpr std::size_t kSimilarityBands = 32;
inline constexpr std::size_t kSimilarityRows = 4;

// What the registry indexes of a product (its latest version): the band hashes of the MinHash signature of its
// field keys (empty when it has no field) and the hash of each of its output locations. Stored as SQL BIGINT.
struct SimilarityEntry {
  std::vector<std::int64_t> bands;      // kSimilarityBands values, band i at index i; or none
  std::vector<std::int64_t> locations;  // sorted, without repeats
  bool empty() const { return bands.empty() && locations.empty(); }
  friend bool operator==(const SimilarityEntry&, const SimilarityEntry&) = default;
};

// How a store keeps an entry in one text column: the band hashes, then '|', then the location hashes, each a
// decimal number followed by a space. entry_from_text reads what entry_text wrote; other text reads as far as
// it is numbers.
std::string entry_text(const SimilarityEntry& entry);
SimilarityEntry entry_from_text(std::string_view text);

// A product's output schemas as compared: every output port's fields (nested ones too), merged by key in port
// order (the first port's field wins), sorted by key; every port's normalised location (surrounding spaces
// and trailing '/' removed, the scheme lowercased), sorted, without repeats.
struct SchemaFingerprint {
  std::vector<SchemaField> fields;
  std::vector<std::string> locations;
  SimilarityEntry entry() const;  // what the index keeps of it
};

SchemaFingerprint schema_fingerprint(const manifest::DataProduct& product, const NameNormalizer& normalize);

// The entry of a stored manifest (canonical JSON): what a migration indexes a registry's products with, with
// the glossary's synonyms. Text that is not a DataProduct's canonical JSON gives an empty entry.
SimilarityEntry entry_of_manifest(const std::string& manifest_json, const NameNormalizer& normalize);

// The normalised form of a port's location as described above ("" stays "").
std::string normalize_location(std::string_view location);

// How close two products' schemas are, and what they share.
struct SchemaComparison {
  // In [0, 1]: the sum of the matched pairs' weights divided by the number of distinct fields of both
  // (|a| + |b| - pairs), a weighted Jaccard similarity. Fields pair by key, then the rest by equal term; a
  // pair weighs 1, less 0.25 when both types are given and differ, less 0.5 when both terms are given and
  // differ. 0 when either side has no field. 1: the same fields with the same types and terms.
  double score = 0;
  std::vector<std::string> shared_fields;    // a's names of the paired fields, in a's order
  std::vector<std::string> different_types;  // a's names of the pairs whose types differ
  std::vector<std::string> same_locations;   // normalised locations both have
};

SchemaComparison compare_schemas(const SchemaFingerprint& a, const SchemaFingerprint& b);

// The 64-bit FNV-1a hash of `text`: stable across builds and machines (the index keeps it).
std::uint64_t stable_hash(std::string_view text);

}  // namespace meshctl::registry
