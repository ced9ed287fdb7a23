// `meshctl catalog export`: every page of the catalog as a file, links relative.

#include "meshctl/web/export.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "meshctl/core/file.h"
#include "web/page_support.h"

namespace meshctl::web {
namespace {

namespace fs = std::filesystem;

// Writes `content` to `path` through a temporary file beside it and a rename,
// so that a reader (a web server serving the folder) never sees half a page.
Status write_atomically(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    return make_error(ErrorKind::invalid,
                      fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));
  const fs::path temporary = path.parent_path() / fmt::format(".{}.tmp.{}", path.filename().string(), ::getpid());
  fs::remove(temporary, ec);
  if (auto written = write_new_file(temporary, content); !written) return written.error();
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove(temporary, ec);
    return make_error(ErrorKind::invalid, fmt::format("cannot write {}: {}", path.string(), reason));
  }
  return ok_status();
}

// Ok when `folder` is missing, or an empty folder, or `force`.
Status check_folder(const fs::path& folder, bool force) {
  std::error_code ec;
  const auto status = fs::status(folder, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return make_error(ErrorKind::invalid, fmt::format("cannot read {}: {}", folder.string(), ec.message()));
  }
  if (!fs::exists(status)) return ok_status();
  if (!fs::is_directory(status)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("{} is not a folder: name a folder to write the catalog into", folder.string()));
  }
  const bool empty = fs::is_empty(folder, ec);
  if (ec) return make_error(ErrorKind::invalid, fmt::format("cannot read {}: {}", folder.string(), ec.message()));
  if (!empty && !force) {
    return make_error(ErrorKind::conflict,
                      fmt::format("{} is not empty: name an empty or new folder, or pass --force to write the "
                                  "catalog's pages into it (files of the same name are replaced)",
                                  folder.string()));
  }
  return ok_status();
}

// A name the registry gave (kebab-case) used as a file name: refused when it could leave its folder.
Status check_file_name(const std::string& name) {
  if (is_plain_file_name(name)) return ok_status();
  return make_error(ErrorKind::invalid, fmt::format("the registry answered a name that is no file name: '{}'", name));
}

// metadata.KEY of a manifest's JSON when it is a string; empty otherwise.
std::string metadata_text(const nlohmann::json& manifest, const char* key) {
  if (!manifest.is_object()) return {};
  const auto metadata = manifest.find("metadata");
  if (metadata == manifest.end() || !metadata->is_object()) return {};
  const auto value = metadata->find(key);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : std::string();
}

// Keeps the product described last: the export reads each product's manifest for its page, its YAML file
// and its search entry, and asks the registry once. Keeps the glossary's terms too, read once for every
// page (product pages link their fields' terms).
class ExportReader final : public CatalogReader {
 public:
  explicit ExportReader(CatalogReader& reader) : reader_(reader) {}
  Result<std::vector<registry::DomainRecord>> list_domains() override { return reader_.list_domains(); }
  Result<registry::ProductPage> list_products(const registry::ProductPageRequest& request) override {
    return reader_.list_products(request);
  }
  Result<registry::ProductDetails> describe(const registry::ProductRef& ref) override {
    if (!last_ || last_->product.ref != ref) {
      auto details = reader_.describe(ref);
      if (!details) return details.error();
      last_ = std::move(*details);
    }
    return *last_;
  }
  Result<std::vector<registry::Subscription>> subscriptions(const registry::ProductRef& ref) override {
    return reader_.subscriptions(ref);
  }
  Result<registry::SearchResult> search(const registry::SearchRequest& request) override {
    return reader_.search(request);
  }
  Result<std::vector<registry::VersionRecord>> versions(const registry::ProductRef& ref) override {
    return reader_.versions(ref);
  }
  Result<registry::VersionRecord> version(const registry::ProductRef& ref, const std::string& version) override {
    return reader_.version(ref, version);
  }
  Result<registry::UsageSummary> usage(const registry::ProductRef& ref, const registry::UsageQuery& query) override {
    return reader_.usage(ref, query);
  }
  Result<registry::LineageGraph> lineage(const registry::LineageRequest& request) override {
    return reader_.lineage(request);
  }
  Result<std::vector<registry::ProductAttention>> attention() override { return reader_.attention(); }
  Result<std::vector<registry::TermRecord>> list_terms() override {
    if (!terms_) {
      auto terms = reader_.list_terms();
      if (!terms) return terms.error();
      terms_ = std::move(*terms);
    }
    return *terms_;
  }
  Result<registry::TermDetails> describe_term(const std::string& name) override { return reader_.describe_term(name); }

 private:
  CatalogReader& reader_;
  std::optional<registry::ProductDetails> last_;
  std::optional<std::vector<registry::TermRecord>> terms_;
};

}  // namespace

Result<ExportSummary> export_catalog(CatalogReader& source, const ExportOptions& options) {
  ExportReader reader(source);
  if (auto checked = check_folder(options.folder, options.force); !checked) return checked.error();
  ExportSummary summary;
  const auto write = [&](const fs::path& relative, const Result<std::string>& page) -> Status {
    if (!page) return page.error();
    if (auto written = write_atomically(options.folder / relative, *page); !written) return written.error();
    ++summary.files;
    return ok_status();
  };

  if (auto written = write("index.html", render_home(reader, CatalogLinks::exported(0))); !written) {
    return written.error();
  }
  if (auto written = write("search.html", render_static_search(CatalogLinks::exported(0))); !written) {
    return written.error();
  }
  auto domains = reader.list_domains();
  if (!domains) return domains.error();
  std::size_t expected = 0;
  for (const auto& domain : *domains) {
    expected += static_cast<std::size_t>(std::max<std::int64_t>(domain.product_count, 0));
    if (auto checked = check_file_name(domain.name); !checked) return checked.error();
    const auto page = render_domain(reader, domain.name, CatalogLinks::exported(1));
    if (auto written = write(fs::path("domains") / (domain.name + ".html"), page); !written) return written.error();
    ++summary.domains;
  }
  auto terms = reader.list_terms();
  if (!terms) return terms.error();
  if (auto written = write("glossary.html", render_glossary(reader, CatalogLinks::exported(0))); !written) {
    return written.error();
  }
  for (const auto& term : *terms) {
    const auto& name = term.term.name;
    if (auto checked = check_file_name(name); !checked) return checked.error();
    const auto page = render_term(reader, name, CatalogLinks::exported(1));
    if (auto written = write(fs::path("terms") / (name + ".html"), page); !written) return written.error();
    ++summary.terms;
  }
  std::vector<SearchIndexEntry> index;
  registry::ProductPageRequest request;
  while (true) {
    auto page = reader.list_products(request);
    if (!page) return page.error();
    for (const auto& product : page->products) {
      for (const auto* name : {&product.ref.domain, &product.ref.name}) {
        if (auto checked = check_file_name(*name); !checked) return checked.error();
      }
      const auto html = render_product(reader, product.ref, CatalogLinks::exported(2));
      const auto folder = fs::path("products") / product.ref.domain;
      if (auto written = write(folder / (product.ref.name + ".html"), html); !written) return written.error();
      auto downloads = download_texts(reader, product.ref);
      if (!downloads) return downloads.error();
      for (const auto& download : *downloads) {
        const auto file = folder / download_file_name(product.ref, download.offered.download);
        if (auto written = write(file, download.text); !written) return written.error();
      }
      auto details = reader.describe(product.ref);
      if (!details) return details.error();
      const auto document = nlohmann::json::parse(details->selected.manifest_json, nullptr, false);
      index.push_back({product.ref, metadata_text(document, "title"), metadata_text(document, "description"),
                       std::move(details->selected.manifest_json)});
      ++summary.products;
      if (options.progress) options.progress(summary.products, std::max(expected, summary.products));
    }
    if (!page->next) break;
    request.after = page->next;
  }
  if (auto written = write("search-index.js", search_index_script(index)); !written) return written.error();
  return summary;
}

}  // namespace meshctl::web
