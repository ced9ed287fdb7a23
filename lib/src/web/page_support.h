#pragma once

// What the catalog's page files share: links' path segments, words in the
// plural, every product of a filter, a product as a row of a list, the
// glossary's names, a product's downloads. Private to lib/src/web.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <mstch/mstch.hpp>

#include "meshctl/manifest/model.h"
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

// A name made only of letters, digits, '-', '_' and '.', not starting with '.': one a file of the export
// may be named after (it cannot leave its folder).
bool is_plain_file_name(const std::string& name);

// A download of a product's manifest with the words its link shows.
struct OfferedDownload {
  ManifestDownload download;
  std::string label;
};
// What a product's page offers for its latest `manifest`, native first, then ODPS, then ODCS.
std::vector<OfferedDownload> offered_downloads(const manifest::DataProduct& manifest);

struct DownloadText {
  OfferedDownload offered;
  std::string text;  // YAML
};
// Every download the product's page offers, with its text, from one read of its latest version.
Result<std::vector<DownloadText>> download_texts(CatalogReader& reader, const registry::ProductRef& ref);

// Every name a field's `term:` may say, a term's or a synonym's, to the term's name.
std::map<std::string, std::string> term_names(const std::vector<registry::TermRecord>& terms);

}  // namespace meshctl::web
