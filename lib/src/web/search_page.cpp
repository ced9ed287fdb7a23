// The catalog's search: served, the registry's ranked search (RegistryService::search); exported, a small
// index in search-index.js and a few lines of JavaScript on search.html.

#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/catalog/search.h"
#include "meshctl/web/catalog.h"
#include "web/page_support.h"
#include "web/templates.h"

namespace meshctl::web {
namespace {

// Hits shown on one page of results.
constexpr std::size_t kSearchHits = 50;
// An index entry's description is cut here: the index stays small, the page shows the whole text.
constexpr std::size_t kIndexDescriptionBytes = 160;

}  // namespace

Result<std::string> render_search(CatalogReader& reader, const std::string& text, const CatalogLinks& links) {
  mstch::map context{
      {"query", text}, {"search_action", links.search()}, {"searched", false}, {"message", std::string()}};
  const auto query = registry::parse_search_text(text);
  if (!query) {
    context["message"] = query.error().message;
  } else if (!query->empty()) {
    registry::SearchRequest request;
    request.text = text;
    request.limit = kSearchHits;
    auto result = reader.search(request);
    if (!result) {
      if (result.error().kind != ErrorKind::invalid) return result.error();
      context["message"] = result.error().message;
    } else {
      mstch::array hits;
      for (const auto& hit : result->hits) {
        std::string matched;
        for (const auto& what : hit.matched) matched += (matched.empty() ? "" : ", ") + what;
        auto row = product_row(hit.product, links);
        row["title"] = hit.title.empty() ? hit.product.ref.name : hit.title;
        row["description"] = shortened(hit.description, 300);
        row["matched"] = matched;
        hits.push_back(std::move(row));
      }
      const auto count = static_cast<std::int64_t>(hits.size());
      context["searched"] = true;
      context["count"] = static_cast<int>(count);
      context["hits_word"] = plural(count, "product", "products");
      context["has_hits"] = !hits.empty();
      context["hits"] = std::move(hits);
    }
  }
  const std::string title = text.empty() ? "Search" : "Search: " + text;
  return render_page("search.mustache", context, title, {{"Search", links.search()}}, links);
}

std::string render_static_search(const CatalogLinks& links) {
  return render_page("search-static.mustache", mstch::map{{"search_action", links.search()}}, "Search",
                     {{"Search", links.search()}}, links);
}

std::string search_index_script(const std::vector<SearchIndexEntry>& entries) {
  const auto links = CatalogLinks::exported(0);
  nlohmann::json index = nlohmann::json::array();
  for (const auto& entry : entries) {
    const auto document = registry::search_document(entry.manifest_json);
    index.push_back({{"r", entry.ref.text()},
                     {"u", links.product(entry.ref)},
                     {"t", entry.title},
                     {"d", shortened(entry.description, kIndexDescriptionBytes)},
                     {"w", document.names + " " + document.schema + " " + document.text}});
  }
  // dump() escapes nothing that could end the script early when the file is loaded by <script src>: it is
  // never inlined into a page, so "</script>" inside a manifest is harmless here.
  return "window.meshctlSearchIndex = " + index.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ";\n";
}

}  // namespace meshctl::web
