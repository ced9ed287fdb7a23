// The business glossary's pages: its index and a page per term, with the fields of the mesh bound to it.

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "meshctl/web/catalog.h"
#include "web/page_support.h"
#include "web/templates.h"

namespace meshctl::web {
namespace {

// How much of a definition the index shows: its first line, cut here.
constexpr std::size_t kIndexDefinitionBytes = 200;

// True for an http or https URL: the only ones a term's page makes a link of (a `javascript:` or `data:`
// URL from a glossary would run in the catalog's page).
bool is_web_url(const std::string& url) {
  std::string scheme;
  for (const char c : url.substr(0, url.find(':')))
    scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool web_scheme = url.find(':') != std::string::npos && (scheme == "http" || scheme == "https");
  const bool has_host = url.size() > scheme.size() + 3 && url.compare(scheme.size(), 3, "://") == 0;
  const bool plain =
      std::none_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
  return web_scheme && has_host && plain;
}

mstch::map term_row(const registry::TermRecord& record, const CatalogLinks& links) {
  const auto& term = record.term;
  return mstch::map{
      {"name", term.name},
      {"href", links.term(term.name)},
      {"status", term.status},
      {"definition", shortened(term.definition.substr(0, term.definition.find('\n')), kIndexDefinitionBytes)},
      {"glossary", record.domain + "/" + record.glossary},
      {"domain_href", links.domain(record.domain)},
  };
}

}  // namespace

std::map<std::string, std::string> term_names(const std::vector<registry::TermRecord>& terms) {
  std::map<std::string, std::string> names;
  for (const auto& record : terms) {
    for (const auto& synonym : record.term.synonyms) names.emplace(synonym, record.term.name);
  }
  // A term's own name wins over another term's synonym of the same spelling.
  for (const auto& record : terms) names[record.term.name] = record.term.name;
  return names;
}

std::string CatalogLinks::glossary() const {
  return served_ ? "/catalog/terms" : root() + "glossary.html";
}

std::string CatalogLinks::term(const std::string& name) const {
  return served_ ? "/catalog/terms/" + segment(name) : root() + "terms/" + segment(name) + ".html";
}

Result<std::string> render_glossary(CatalogReader& reader, const CatalogLinks& links) {
  auto terms = reader.list_terms();
  if (!terms) return terms.error();
  mstch::array rows;
  std::vector<std::string> glossaries;
  for (const auto& record : *terms) {
    rows.push_back(term_row(record, links));
    glossaries.push_back(record.domain + "/" + record.glossary);
  }
  std::sort(glossaries.begin(), glossaries.end());
  glossaries.erase(std::unique(glossaries.begin(), glossaries.end()), glossaries.end());
  const auto count = static_cast<std::int64_t>(terms->size());
  const auto glossary_count = static_cast<std::int64_t>(glossaries.size());
  const mstch::map context{
      {"term_count", static_cast<int>(count)},
      {"terms_word", plural(count, "term", "terms")},
      {"glossary_count", static_cast<int>(glossary_count)},
      {"glossaries_word", plural(glossary_count, "glossary", "glossaries")},
      {"has_terms", !rows.empty()},
      {"terms", rows},
  };
  return render_page("glossary.mustache", context, "Business glossary", {{"Glossary", links.glossary()}}, links);
}

Result<std::string> render_term(CatalogReader& reader, const std::string& name, const CatalogLinks& links) {
  auto details = reader.describe_term(name);
  if (!details) return details.error();
  auto terms = reader.list_terms();
  if (!terms) return terms.error();
  const auto& record = details->term;
  const auto& term = record.term;
  const auto known = term_names(*terms);

  mstch::array synonyms;
  for (const auto& synonym : term.synonyms) synonyms.push_back(synonym);
  mstch::array related;
  for (const auto& other : term.related) {
    // `related` may name a term of another glossary, or a word no glossary defines (shown, not linked).
    const auto found = known.find(other);
    const bool is_term = found != known.end() && found->second == other;
    related.push_back(mstch::map{{"name", other}, {"href", is_term ? links.term(other) : std::string()}});
  }
  mstch::array definitions;
  for (const auto& definition : term.authoritative_definitions) {
    definitions.push_back(mstch::map{{"type", definition.type},
                                     {"url", definition.url},
                                     {"href", is_web_url(definition.url) ? definition.url : std::string()}});
  }
  mstch::array fields;
  for (const auto& binding : details->fields) {
    fields.push_back(mstch::map{
        {"product", binding.product.text()},
        {"href", links.product(binding.product)},
        {"version", binding.version},
        {"port", binding.port},
        {"field", binding.field},
        {"named", binding.named != term.name ? binding.named : std::string()},
    });
  }
  const auto field_count = static_cast<std::int64_t>(details->fields.size());
  const mstch::map context{
      {"name", term.name},
      {"definition", term.definition},
      {"status", term.status},
      {"deprecated", term.status == "deprecated"},
      {"has_synonyms", !synonyms.empty()},
      {"synonyms", synonyms},
      {"has_related", !related.empty()},
      {"related", related},
      {"has_definitions", !definitions.empty()},
      {"definitions", definitions},
      {"glossary", record.domain + "/" + record.glossary},
      {"glossary_version", record.version},
      {"domain", record.domain},
      {"domain_href", links.domain(record.domain)},
      {"owner_team", record.owner.team},
      {"owner_email", record.owner.email},
      {"field_count", static_cast<int>(field_count)},
      {"fields_word", plural(field_count, "field", "fields")},
      {"has_fields", !fields.empty()},
      {"fields", fields},
  };
  return render_page("term.mustache", context, "Term " + term.name,
                     {{"Glossary", links.glossary()}, {term.name, links.term(term.name)}}, links);
}

}  // namespace meshctl::web
