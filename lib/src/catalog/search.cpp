#include "meshctl/catalog/search.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/core/text.h"

namespace meshctl::registry {
namespace {

bool is_lower_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_word_byte(char c) {
  return is_lower_or_digit(c) || is_upper(c) || static_cast<unsigned char>(c) >= 0x80;
}

std::string string_at(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

const nlohmann::json& member(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  const auto found = object.find(key);
  return found != object.end() ? *found : kNull;
}

void add(std::vector<SearchItem>& items, std::string what, std::string text, SearchColumn column) {
  if (!text.empty()) items.push_back({std::move(what), std::move(text), column});
}

using Facets = std::vector<std::pair<std::string, std::string>>;

void walk_fields(const nlohmann::json& fields, const std::string& prefix, std::vector<SearchItem>& items,
                 Facets* facets, int depth) {
  // The YAML loader bounds a manifest's depth; this bound only keeps a hand-made JSON value from recursing deep.
  if (!fields.is_array() || depth > 64) return;
  for (const auto& field : fields) {
    const auto name = string_at(field, "name");
    if (name.empty()) continue;
    const auto path = prefix.empty() ? name : prefix + "." + name;
    const auto term = string_at(field, "term");
    add(items, "field " + path, name, SearchColumn::schema);
    add(items, fmt::format("field {} term {}", path, term), term, SearchColumn::schema);
    add(items, fmt::format("field {} description", path), string_at(field, "description"), SearchColumn::text);
    if (facets != nullptr) {
      facets->emplace_back("field", name);
      if (path != name) facets->emplace_back("field", path);
      if (!term.empty()) facets->emplace_back("term", term);
      const auto& pii = member(field, "pii");
      if (pii.is_boolean() && pii.get<bool>()) facets->emplace_back("pii", "");
    }
    walk_fields(member(field, "fields"), path, items, facets, depth + 1);
  }
}

// The items of `manifest` into `items`, and its facets into `facets` when given.
void walk_manifest(const nlohmann::json& manifest, std::vector<SearchItem>& items, Facets* facets) {
  const auto& metadata = member(manifest, "metadata");
  add(items, "name", string_at(metadata, "name"), SearchColumn::names);
  add(items, "title", string_at(metadata, "title"), SearchColumn::names);
  const auto& tags = member(metadata, "tags");
  if (tags.is_array()) {
    for (const auto& tag : tags) {
      if (!tag.is_string()) continue;
      add(items, "tag " + tag.get<std::string>(), tag.get<std::string>(), SearchColumn::names);
      if (facets != nullptr) facets->emplace_back("tag", tag.get<std::string>());
    }
  }
  add(items, "description", string_at(metadata, "description"), SearchColumn::text);
  const auto& labels = member(metadata, "labels");
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {
      if (value.is_string())
        add(items, fmt::format("label {}={}", key, value.get<std::string>()), key + " " + value.get<std::string>(),
            SearchColumn::schema);
    }
  }
  const auto team = string_at(member(metadata, "owner"), "team");
  add(items, "owner " + team, team, SearchColumn::schema);
  const auto& spec = member(manifest, "spec");
  for (const char* ports : {"inputPorts", "outputPorts"}) {
    const auto& list = member(spec, ports);
    if (!list.is_array()) continue;
    for (const auto& port : list) {
      const auto name = string_at(port, "name");
      add(items, "port " + name, name, SearchColumn::schema);
      add(items, fmt::format("port {} description", name), string_at(port, "description"), SearchColumn::text);
      walk_fields(member(member(port, "schema"), "fields"), "", items, facets, 0);
    }
  }
}

std::string joined_words(const std::vector<SearchItem>& items, SearchColumn column) {
  std::string text;
  for (const auto& item : items) {
    if (item.column != column) continue;
    for (const auto& word : search_words(item.text)) {
      if (!text.empty()) text += ' ';
      text += word;
    }
  }
  return text;
}

// Whether `group` appears in `words` as consecutive words.
bool contains_group(const std::vector<std::string>& words, const std::vector<std::string>& group) {
  return std::search(words.begin(), words.end(), group.begin(), group.end()) != words.end();
}

}  // namespace

std::vector<std::string> search_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto finish = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!is_word_byte(c)) {
      finish();
      continue;
    }
    // customerEmail, HTTPServer: a word starts at an uppercase letter after a lowercase one or a digit, and at
    // the last uppercase letter of a run that a lowercase letter follows.
    if (is_upper(c) && i > 0) {
      const char before = text[i - 1];
      const bool after_lower = is_lower_or_digit(before);
      const bool ends_run = is_upper(before) && i + 1 < text.size() && text[i + 1] >= 'a' && text[i + 1] <= 'z';
      if (after_lower || ends_run) finish();
    }
    word += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  finish();
  return words;
}

std::vector<SearchItem> search_items(const nlohmann::json& manifest) {
  std::vector<SearchItem> items;
  walk_manifest(manifest, items, nullptr);
  return items;
}

SearchDocument search_document(std::string_view manifest_json) {
  SearchDocument document;
  const auto manifest = nlohmann::json::parse(manifest_json, nullptr, false);
  if (manifest.is_discarded()) return document;
  std::vector<SearchItem> items;
  walk_manifest(manifest, items, &document.facets);
  document.names = joined_words(items, SearchColumn::names);
  document.schema = joined_words(items, SearchColumn::schema);
  document.text = joined_words(items, SearchColumn::text);
  std::sort(document.facets.begin(), document.facets.end());
  document.facets.erase(std::unique(document.facets.begin(), document.facets.end()), document.facets.end());
  return document;
}

Result<SearchQuery> parse_search_text(std::string_view text) {
  if (text.size() > kMaxSearchTextBytes) {
    return make_error(ErrorKind::invalid,
                      fmt::format("the search text is {} bytes long, more than the {} a search takes: search for "
                                  "fewer words",
                                  text.size(), kMaxSearchTextBytes));
  }
  if (const auto bad = first_invalid_utf8(text)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("the search text is not UTF-8 (byte {} is not): give the words as UTF-8 text", *bad));
  }
  SearchQuery query;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find_first_of(" \t\r\n", start), text.size());
    auto group = search_words(text.substr(start, end - start));
    if (!group.empty()) query.groups.push_back(std::move(group));
    start = end + 1;
  }
  std::size_t words = 0;
  for (const auto& group : query.groups) words += group.size();
  if (words > kMaxSearchWords) {
    return make_error(ErrorKind::invalid,
                      fmt::format("the search text has {} words, more than the {} a search takes: search for fewer "
                                  "words, or narrow with --domain, --tag or --field",
                                  words, kMaxSearchWords));
  }
  const bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (query.empty() && !blank) {
    return make_error(ErrorKind::invalid,
                      "the search text has no word to search for (letters or digits): punctuation and operators are "
                      "not a query language here, every word found counts");
  }
  return query;
}

std::vector<std::string> matched_items(const nlohmann::json& manifest, const SearchQuery& query) {
  std::vector<std::string> matched;
  std::set<std::string> seen;
  for (const auto& item : search_items(manifest)) {
    const auto words = search_words(item.text);
    const bool hit = std::any_of(query.groups.begin(), query.groups.end(),
                                 [&](const auto& group) { return contains_group(words, group); });
    if (hit && seen.insert(item.what).second) matched.push_back(item.what);
  }
  return matched;
}

}  // namespace meshctl::registry
