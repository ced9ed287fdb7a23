#pragma once

// Full-text search over the mesh (`meshctl search`, issue 18): what a product's latest manifest gives the
// registry's full-text index, how a query's text becomes the words both stores match, and what of a product a
// query matched. One definition for SQLite (FTS5) and PostgreSQL (tsvector): both index the words made here,
// so they agree on what matches and how it ranks (kSearchLevels).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "meshctl/core/error.h"

namespace meshctl::registry {

// The words of `text`, lowercased: split at every character that is not an ASCII letter or digit (so
// snake_case and kebab-case names fall apart: "customer_email" is customer, email) and where a lowercase
// letter or digit meets an uppercase one ("customerEmail" too). Bytes from 0x80 count as letters, so UTF-8
// words stay whole; NUL and every ASCII punctuation are separators. Never an empty word.
std::vector<std::string> search_words(std::string_view text);

// The three columns of the index, from the most to the least weighted: a hit on a name counts most.
enum class SearchColumn {
  names,   // the product's name and title, its tags
  schema,  // field names, port names, field terms, labels, the owner
  text,    // descriptions: the product's, its ports' and its fields'
};

// How hits rank, the same in both stores: first the products where every group of the query is found in
// the names column, then those where every group is in names or schema, then the rest (a group found only in
// a description); within a level, in the order the products were first registered. Nothing else counts (how
// often, how long the text): a level is a question the full-text index answers in the order it keeps its
// rows, so the best hits are found without scoring every match.
inline constexpr int kSearchLevels = 3;

// One searchable piece of a manifest: what it is, as a hit reports it ("tag gdpr", "field customer_email",
// "description"), its text, and its column.
struct SearchItem {
  std::string what;
  std::string text;
  SearchColumn column = SearchColumn::text;
};

// Every searchable piece of `manifest` (a DataProduct's canonical JSON), in manifest order. Parts of the wrong
// type are skipped: any JSON value gives an answer.
std::vector<SearchItem> search_items(const nlohmann::json& manifest);

// What the index keeps of a product: the words of each column (joined by spaces), and the facets its
// filters select on: ("tag", T), ("field", NAME) for every field (nested ones also by their dotted path),
// ("term", T) for every field's term, ("pii", "") when a field is PII. Facets sorted, without repeats.
struct SearchDocument {
  std::string names;
  std::string schema;
  std::string text;
  std::vector<std::pair<std::string, std::string>> facets;
};

// The document of a manifest's canonical JSON text; text that is not JSON gives an empty document.
SearchDocument search_document(std::string_view manifest_json);

// A query: each word of the user's text as its parts (search_words of it); a product matches when every
// group appears in it, the parts of one group next to each other and in order ("customer_email" as the
// phrase customer email). Empty: no words.
struct SearchQuery {
  std::vector<std::vector<std::string>> groups;
  bool empty() const { return groups.empty(); }
};

inline constexpr std::size_t kMaxSearchTextBytes = 1000;
inline constexpr std::size_t kMaxSearchWords = 16;
inline constexpr std::size_t kMaxSearchLimit = 1000;

// The query of the user's text. Invalid (a usage error) when the text is longer than kMaxSearchTextBytes,
// has more than kMaxSearchWords words, or has characters but no word (only punctuation). Empty text is
// an empty query. Quotes, operators and NUL are separators like any punctuation: a query never carries
// a store's query syntax.
Result<SearchQuery> parse_search_text(std::string_view text);

// What of `manifest` the query matched, as SearchItem::what, in manifest order without repeats: the items
// where at least one of the query's groups appears.
std::vector<std::string> matched_items(const nlohmann::json& manifest, const SearchQuery& query);

}  // namespace meshctl::registry
