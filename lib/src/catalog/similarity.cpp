#include "meshctl/catalog/similarity.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "meshctl/catalog/search.h"

namespace meshctl::registry {
namespace {

// The MinHash functions: one FNV-1a hash per feature, then one cheap mix per function (splitmix64's
// finaliser over the hash plus a multiple of the golden ratio); stable, like the hash.
std::uint64_t mix(std::uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::string words_key(std::string_view name) {
  std::string key;
  for (const auto& word : search_words(name)) {
    if (!key.empty()) key += '_';
    key += word;
  }
  return key;
}

void add_fields(const std::vector<manifest::Field>& fields, const std::string& name_prefix,
                const std::string& key_prefix, const NameNormalizer& normalize, std::set<std::string>& seen,
                std::vector<SchemaField>& out, int depth) {
  // The YAML loader bounds a manifest's depth; this bound only keeps a hand-made value from recursing deep.
  if (depth > 64) return;
  for (const auto& field : fields) {
    if (!field.name) continue;
    const auto step = normalize(*field.name);
    if (step.empty()) continue;
    const auto name = name_prefix.empty() ? *field.name : name_prefix + "." + *field.name;
    const auto key = key_prefix.empty() ? step : key_prefix + "." + step;
    if (seen.insert(key).second) {
      auto type = lowercase(field.type.value_or(""));
      if (type == "array" && field.items) {
        // Appended piece by piece: GCC 12 sees a false stringop-overflow in "<" + text + ">".
        type += '<';
        type += lowercase(*field.items);
        type += '>';
      }
      out.push_back({name, key, std::move(type), field.term ? normalize(*field.term) : std::string()});
    }
    add_fields(field.fields, name, key, normalize, seen, out, depth + 1);
  }
}

}  // namespace

Synonyms glossary_synonyms(const std::vector<TermRecord>& terms) {
  Synonyms synonyms;
  for (const auto& record : terms) synonyms.emplace(record.term.name, record.term.name);
  for (const auto& record : terms) {
    for (const auto& synonym : record.term.synonyms) synonyms.emplace(synonym, record.term.name);
  }
  return synonyms;
}

NameNormalizer::NameNormalizer(const Synonyms& synonyms) {
  // The terms' own names first: a synonym never takes one of them.
  std::set<std::string> terms;
  for (const auto& [synonym, term] : synonyms) {
    if (synonym == term) terms.insert(words_key(term));
  }
  for (const auto& [synonym, term] : synonyms) {
    auto from = words_key(synonym);
    auto to = words_key(term);
    if (from.empty() || to.empty() || from == to || terms.count(from) != 0) continue;
    synonyms_.emplace(std::move(from), std::move(to));
  }
}

std::vector<std::string> NameNormalizer::differences(const NameNormalizer& other) const {
  std::set<std::string> names;
  for (const auto& [from, to] : synonyms_) {
    if (other(from) != to) names.insert(from);
  }
  for (const auto& [from, to] : other.synonyms_) {
    if ((*this)(from) != to) names.insert(from);
  }
  return {names.begin(), names.end()};
}

std::string NameNormalizer::operator()(std::string_view name) const {
  auto key = words_key(name);
  const auto found = synonyms_.find(key);
  return found == synonyms_.end() ? key : found->second;
}

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string normalize_location(std::string_view location) {
  const auto first = location.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  location = location.substr(first, location.find_last_not_of(" \t\r\n") - first + 1);
  while (location.size() > 1 && location.back() == '/') location.remove_suffix(1);
  std::string normalized(location);
  const auto scheme_end = normalized.find("://");
  if (scheme_end != std::string::npos) {
    for (std::size_t i = 0; i < scheme_end; ++i) {
      if (normalized[i] >= 'A' && normalized[i] <= 'Z') normalized[i] = static_cast<char>(normalized[i] - 'A' + 'a');
    }
  }
  return normalized;
}

SchemaFingerprint schema_fingerprint(const manifest::DataProduct& product, const NameNormalizer& normalize) {
  SchemaFingerprint fingerprint;
  std::set<std::string> seen;
  std::set<std::string> locations;
  for (const auto& port : product.spec.output_ports) {
    if (port.schema) add_fields(port.schema->fields, "", "", normalize, seen, fingerprint.fields, 0);
    if (port.location) {
      auto location = normalize_location(*port.location);
      if (!location.empty()) locations.insert(std::move(location));
    }
  }
  std::sort(fingerprint.fields.begin(), fingerprint.fields.end(),
            [](const SchemaField& a, const SchemaField& b) { return a.key < b.key; });
  fingerprint.locations.assign(locations.begin(), locations.end());
  return fingerprint;
}

std::string entry_text(const SimilarityEntry& entry) {
  std::string text;
  for (const auto band : entry.bands) text += std::to_string(band) + ' ';
  text += '|';
  for (const auto location : entry.locations) text += std::to_string(location) + ' ';
  return text;
}

SimilarityEntry entry_from_text(std::string_view text) {
  SimilarityEntry entry;
  auto* list = &entry.bands;
  const char* at = text.data();
  const char* end = at + text.size();
  while (at < end) {
    if (*at == ' ') {
      ++at;
    } else if (*at == '|') {
      list = &entry.locations;
      ++at;
    } else {
      std::int64_t value = 0;
      const auto [next, error] = std::from_chars(at, end, value);
      if (error != std::errc()) break;
      list->push_back(value);
      at = next;
    }
  }
  return entry;
}

SimilarityEntry entry_of_manifest(const std::string& manifest_json, const NameNormalizer& normalize) {
  const auto document = nlohmann::json::parse(manifest_json, nullptr, false);
  auto product = manifest::from_json(document);
  if (!product.ok()) return {};
  return schema_fingerprint(*product, normalize).entry();
}

SimilarityEntry SchemaFingerprint::entry() const {
  SimilarityEntry entry;
  if (!fields.empty()) {
    std::array<std::uint64_t, kSimilarityBands * kSimilarityRows> minimums;
    minimums.fill(std::numeric_limits<std::uint64_t>::max());
    for (const auto& field : fields) {
      const auto hash = stable_hash(field.key);
      for (std::size_t i = 0; i < minimums.size(); ++i) {
        minimums[i] = std::min(minimums[i], mix(hash + kGolden * (i + 1)));
      }
    }
    entry.bands.reserve(kSimilarityBands);
    for (std::size_t band = 0; band < kSimilarityBands; ++band) {
      std::uint64_t hash = mix(kGolden ^ band);
      for (std::size_t row = 0; row < kSimilarityRows; ++row) hash = mix(hash ^ minimums[band * kSimilarityRows + row]);
      entry.bands.push_back(static_cast<std::int64_t>(hash));
    }
  }
  for (const auto& location : locations) entry.locations.push_back(static_cast<std::int64_t>(stable_hash(location)));
  std::sort(entry.locations.begin(), entry.locations.end());
  entry.locations.erase(std::unique(entry.locations.begin(), entry.locations.end()), entry.locations.end());
  return entry;
}

SchemaComparison compare_schemas(const SchemaFingerprint& a, const SchemaFingerprint& b) {
  SchemaComparison comparison;
  std::set_intersection(a.locations.begin(), a.locations.end(), b.locations.begin(), b.locations.end(),
                        std::back_inserter(comparison.same_locations));
  if (a.fields.empty() || b.fields.empty()) return comparison;
  // Both are sorted by key: pair equal keys in one pass, then the rest by equal term.
  std::vector<std::size_t> partner(a.fields.size(), b.fields.size());
  std::vector<bool> taken(b.fields.size(), false);
  for (std::size_t i = 0, j = 0; i < a.fields.size() && j < b.fields.size();) {
    if (a.fields[i].key < b.fields[j].key) {
      ++i;
    } else if (b.fields[j].key < a.fields[i].key) {
      ++j;
    } else {
      partner[i] = j;
      taken[j] = true;
      ++i;
      ++j;
    }
  }
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    if (partner[i] != b.fields.size() || a.fields[i].term.empty()) continue;
    for (std::size_t j = 0; j < b.fields.size(); ++j) {
      if (!taken[j] && b.fields[j].term == a.fields[i].term) {
        partner[i] = j;
        taken[j] = true;
        break;
      }
    }
  }
  double weight = 0;
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    if (partner[i] == b.fields.size()) continue;
    const auto& mine = a.fields[i];
    const auto& theirs = b.fields[partner[i]];
    double pair = 1.0;
    if (!mine.type.empty() && !theirs.type.empty() && mine.type != theirs.type) {
      pair -= 0.25;
      comparison.different_types.push_back(mine.name);
    }
    if (!mine.term.empty() && !theirs.term.empty() && mine.term != theirs.term) pair -= 0.5;
    weight += pair;
    ++pairs;
    comparison.shared_fields.push_back(mine.name);
  }
  comparison.score = weight / static_cast<double>(a.fields.size() + b.fields.size() - pairs);
  return comparison;
}

}  // namespace meshctl::registry
