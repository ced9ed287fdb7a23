#pragma once

// `meshctl catalog export DIR`: the web catalog's pages as a static site.

#include <cstddef>
#include <filesystem>
#include <functional>

#include "meshctl/core/error.h"
#include "meshctl/web/catalog.h"

namespace meshctl::web {

struct ExportOptions {
  std::filesystem::path folder;  // created when missing
  bool force = false;            // write into a folder that holds files already (pages are replaced)
  // Called after each product's pages are written: products done, and the products the domains
  // list holds (an estimate: a product published meanwhile makes `done` pass it).
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct ExportSummary {
  std::size_t domains = 0;
  std::size_t products = 0;
  std::size_t terms = 0;  // the glossary's, a page each
  std::size_t files = 0;  // files written: pages, downloads, the search index
};

// Writes index.html, search.html (with search-index.js), domains/DOMAIN.html,
// products/DOMAIN/NAME.html with its manifest's downloads beside it (NAME.yaml,
// NAME.odps.yaml, NAME.odcs[.PORT].yaml: download_file_name), glossary.html and
// terms/TERM.html, their links relative, so the folder can be opened from
// file:// or served by any web server. Each file is written to a temporary name and renamed, so a
// reader never sees half a page. ErrorKind::conflict when the folder holds
// anything and not options.force; invalid when it is not a folder or cannot be
// written (naming the path), or when a name the registry answered (a domain,
// product or term) is not a plain file name; the reader's errors.
Result<ExportSummary> export_catalog(CatalogReader& reader, const ExportOptions& options);

}  // namespace meshctl::web
