#pragma once

// What the catalog's page files share: links' path segments, words in the
// plural, every product of a filter, a product as a row of a list, the
// glossary's names. Private to lib/src/web.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

#include "meshctl/web/catalog.h"

namespace meshctl::web {

// A path segment as it goes into a link: names in the registry are kebab-case,
// anything else is percent-encoded so that a link never leaves its segment.
std::string segment(const std::string& text);

// `text` cut at `limit` bytes without splitting a UTF-8 character, with "…" when cut.
std::string shortened(const std::string& text, std::size_t limit);

inline std::string plural(std::int64_t count, const char* one, const char* many) {
  return count == 1 ? one : many;
}

// Every product `filter` selects, page by page.
Result<std::vector<registry::ProductRecord>> all_products(CatalogReader& reader, const registry::ProductFilter& filter);

// A product as a row of a list: ref, name, href, status, latest_version, owner_team, owner_email,
// updated_at, sunset, reason.
mstch::map product_row(const registry::ProductRecord& product, const CatalogLinks& links);

// Every name a field's `term:` may say, a term's or a synonym's, to the term's name.
std::map<std::string, std::string> term_names(const std::vector<registry::TermRecord>& terms);

}  // namespace meshctl::web
