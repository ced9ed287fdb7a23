// RegistryService: full-text search over the mesh (`meshctl search`, GET /v1/search; issue 18).

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/catalog/search.h"
#include "meshctl/registry/service.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::in_read_transaction;

namespace {

bool has_filter(const ProductFilter& filter) {
  return filter.domain || filter.status || !filter.labels.empty() || filter.owner || filter.tag || filter.term ||
         filter.field || filter.pii;
}

// metadata.KEY of a manifest, when it is a string; empty otherwise.
std::string metadata_text(const nlohmann::json& manifest, const char* key) {
  if (!manifest.is_object()) return "";
  const auto metadata = manifest.find("metadata");
  if (metadata == manifest.end() || !metadata->is_object()) return "";
  const auto value = metadata->find(key);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
}

}  // namespace

Status check_search_request(const SearchRequest& request) {
  if (request.limit == 0 || request.limit > kMaxSearchLimit) {
    return make_error(ErrorKind::invalid,
                      fmt::format("--limit {} is out of range: give 1 to {}", request.limit, kMaxSearchLimit));
  }
  auto query = parse_search_text(request.text);
  if (!query) return query.error();
  if (query->empty() && !has_filter(request.filter)) {
    return make_error(ErrorKind::invalid,
                      "nothing to search for: give words to search for, or a filter (--domain, --tag, --owner, "
                      "--status, --pii, --term, --field)");
  }
  return ok_status();
}

Result<SearchResult> RegistryService::search(const SearchRequest& request) {
  if (auto status = check_search_request(request); !status.ok()) return status.error();
  SearchSelection selection{parse_search_text(request.text).value(), request.filter, request.limit};
  return in_read_transaction<SearchResult>(store_, [&](StoreTransaction& transaction) -> Result<SearchResult> {
    auto candidates = transaction.search_products(selection);
    if (!candidates.ok()) return candidates.error();
    SearchResult result;
    result.hits.reserve(candidates->size());
    for (auto& candidate : *candidates) {
      const auto manifest = nlohmann::json::parse(candidate.manifest_json, nullptr, false);
      SearchHit hit{std::move(candidate.product), metadata_text(manifest, "title"),
                    metadata_text(manifest, "description"), matched_items(manifest, selection.query)};
      result.hits.push_back(std::move(hit));
    }
    return result;
  });
}

}  // namespace meshctl::registry
