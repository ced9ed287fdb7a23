#pragma once

// The web catalog (issue 19): HTML pages of the registry's products, rendered
// from the Mustache templates of lib/src/web/templates (compiled into the
// binary), which escape every value by default. The same pages are served by
// `meshctl serve` and written by `meshctl catalog export`; only their links
// differ (CatalogLinks). Pages read the registry through CatalogReader, return
// HTML text, and never print.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/catalog/glossary.h"
#include "meshctl/catalog/operations.h"
#include "meshctl/catalog/types.h"
#include "meshctl/catalog/usage_types.h"
#include "meshctl/core/error.h"

namespace meshctl::web {

// The reads the pages need: what registry::Registry (the CLI's, local or
// remote) and registry::RegistryService (the server's) both answer, with the
// same contracts (meshctl/registry/registry.h). ReaderOver adapts either.
class CatalogReader {
 public:
  virtual ~CatalogReader() = default;
  virtual Result<std::vector<registry::DomainRecord>> list_domains() = 0;
  virtual Result<registry::ProductPage> list_products(const registry::ProductPageRequest& request) = 0;
  virtual Result<registry::ProductDetails> describe(const registry::ProductRef& ref) = 0;
  virtual Result<std::vector<registry::Subscription>> subscriptions(const registry::ProductRef& ref) = 0;
  virtual Result<registry::SearchResult> search(const registry::SearchRequest& request) = 0;
  // With their manifests: what a changelog reads.
  virtual Result<std::vector<registry::VersionRecord>> versions(const registry::ProductRef& ref) = 0;
  // One version with its manifest, and the documents it was applied as (ODCS, ODPS) when it was.
  virtual Result<registry::VersionRecord> version(const registry::ProductRef& ref, const std::string& version) = 0;
  virtual Result<registry::UsageSummary> usage(const registry::ProductRef& ref, const registry::UsageQuery& query) = 0;
  virtual Result<registry::LineageGraph> lineage(const registry::LineageRequest& request) = 0;
  // Every product that needs its owners' attention now, with why, in one read (Registry::attention).
  virtual Result<std::vector<registry::ProductAttention>> attention() = 0;
  // The business glossary: every term by name; one term with the fields bound to it.
  virtual Result<std::vector<registry::TermRecord>> list_terms() = 0;
  virtual Result<registry::TermDetails> describe_term(const std::string& name) = 0;
};

template <typename Source>
class ReaderOver final : public CatalogReader {
 public:
  explicit ReaderOver(Source& source) : source_(source) {}
  Result<std::vector<registry::DomainRecord>> list_domains() override { return source_.list_domains(); }
  Result<registry::ProductPage> list_products(const registry::ProductPageRequest& request) override {
    return source_.list_products(request);
  }
  Result<registry::ProductDetails> describe(const registry::ProductRef& ref) override {
    return source_.describe(ref, std::nullopt);
  }
  Result<std::vector<registry::Subscription>> subscriptions(const registry::ProductRef& ref) override {
    return source_.list_subscriptions(ref);
  }
  Result<registry::SearchResult> search(const registry::SearchRequest& request) override {
    return source_.search(request);
  }
  Result<std::vector<registry::VersionRecord>> versions(const registry::ProductRef& ref) override {
    return source_.list_versions(ref, {.with_manifests = true});
  }
  Result<registry::VersionRecord> version(const registry::ProductRef& ref, const std::string& version) override {
    return source_.get_version(ref, version);
  }
  Result<registry::UsageSummary> usage(const registry::ProductRef& ref, const registry::UsageQuery& query) override {
    return source_.usage(ref, query);
  }
  Result<registry::LineageGraph> lineage(const registry::LineageRequest& request) override {
    return source_.lineage(request);
  }
  Result<std::vector<registry::ProductAttention>> attention() override { return source_.attention(); }
  Result<std::vector<registry::TermRecord>> list_terms() override { return source_.list_terms(std::nullopt); }
  Result<registry::TermDetails> describe_term(const std::string& name) override { return source_.describe_term(name); }

 private:
  Source& source_;
};

// A document of a product's latest manifest that its page offers to download:
// the native manifest, the ODPS product followed by its output ports'
// contracts, or an ODCS contract. A product with one output port (or none) has
// one ODCS contract; one with several has one per port (each of which alone
// converts back to the whole product), but for a port whose name is no plain
// file name (its contract is in the ODPS download).
struct ManifestDownload {
  enum class Format { native, odps, odcs };
  Format format = Format::native;
  std::string port;  // odcs of a product with several output ports: the port; else empty
  friend bool operator==(const ManifestDownload&, const ManifestDownload&) = default;
};

// The file a download saves as, and the export writes beside the product's
// page: NAME.yaml, NAME.odps.yaml, NAME.odcs.yaml, NAME.odcs.PORT.yaml.
std::string download_file_name(const registry::ProductRef& ref, const ManifestDownload& download);

// Where a page's links point: the server's routes, or the static export's
// files relative to the page that links (a page `depth` folders below the
// export's root).
//   served:   /   /catalog/domains/DOMAIN   /catalog/products/DOMAIN/NAME
//             /catalog/products/DOMAIN/NAME/manifest.yaml   .../odps.yaml
//             .../odcs.yaml   .../odcs/PORT.yaml   /catalog/search
//             /catalog/terms   /catalog/terms/TERM
//   exported: index.html   domains/DOMAIN.html   products/DOMAIN/NAME.html
//             products/DOMAIN/download_file_name(...)   search.html
//             glossary.html   terms/TERM.html
// A served page for a signed-in principal also shows who is signed in and a
// sign-out button (POST /logout).
class CatalogLinks {
 public:
  static CatalogLinks served(std::string signed_in_as = {}) { return CatalogLinks(true, 0, std::move(signed_in_as)); }
  static CatalogLinks exported(std::size_t depth) { return CatalogLinks(false, depth, {}); }

  bool is_served() const { return served_; }
  const std::string& signed_in_as() const { return signed_in_as_; }
  std::string home() const;
  std::string domain(const std::string& domain) const;
  std::string product(const registry::ProductRef& ref) const;
  // A document of the latest version's manifest (YAML).
  std::string download(const registry::ProductRef& ref, const ManifestDownload& download) const;
  // Where the search box sends its `q`.
  std::string search() const;
  // The business glossary's index, and one term's page.
  std::string glossary() const;
  std::string term(const std::string& name) const;

 private:
  CatalogLinks(bool served, std::size_t depth, std::string signed_in_as)
      : served_(served), depth_(depth), signed_in_as_(std::move(signed_in_as)) {}
  std::string root() const;
  bool served_;
  std::size_t depth_;
  std::string signed_in_as_;
};

// The home page: a search box, the domains with their product counts, the
// products that need attention (a freshness SLO violated, a latest quality run
// failed) with why, a link to the glossary with its term count, the products
// changed last, the deprecated products with their sunsets.
// Reads every product once, and what needs attention in one read
// (CatalogReader::attention), never each product's details or usage. Errors:
// those of the reader.
Result<std::string> render_home(CatalogReader& reader, const CatalogLinks& links);

// The glossary's index: every term by name with its status, the first line of
// its definition and its glossary. Errors: those of the reader.
Result<std::string> render_glossary(CatalogReader& reader, const CatalogLinks& links);

// A term's page: its definition, status, synonyms, related terms (linked when
// the registry holds them), authoritative definitions (links only for http and
// https URLs, the others as text), its glossary, domain and owner, and every
// field bound to it (product, port, field; the product linked). not_found when
// no glossary defines the term (a synonym included: the message names its term).
Result<std::string> render_term(CatalogReader& reader, const std::string& name, const CatalogLinks& links);

// A domain's page: its products ranked by consumers (then reads over 30
// days), with status, latest version and owner. not_found when the domain
// does not exist.
Result<std::string> render_domain(CatalogReader& reader, const std::string& domain, const CatalogLinks& links);

// A product's page: title, description, owner, status (a deprecation's sunset
// and reason first), its health line, tags, labels, downloads of its manifest,
// each output port's schema (types, required, PII and classification flagged,
// a field's glossary term linking the term's page, a synonym its term's),
// SLOs with current freshness and the latest quality run, consumers and reads
// per day (an SVG chart), lineage upstream and downstream (an SVG whose nodes
// link their pages), every version with date and author, the changelog with
// breaking changes marked. not_found when the product does not exist.
Result<std::string> render_product(CatalogReader& reader, const registry::ProductRef& ref, const CatalogLinks& links);

// The served search's results for the user's `text` (the registry's ranked
// search, meshctl/catalog/search.h), best first; an empty text shows the box
// alone. Text the search refuses (too long, punctuation only) is a page that
// says why, not an error.
Result<std::string> render_search(CatalogReader& reader, const std::string& text, const CatalogLinks& links);

// The export's search page: the box and a few lines of JavaScript that look the
// words up in search-index.js (search_index_script); without JavaScript the page
// says to browse by domain.
std::string render_static_search(const CatalogLinks& links);

// One product's entry of the export's search index.
struct SearchIndexEntry {
  registry::ProductRef ref;
  std::string title;
  std::string description;
  std::string manifest_json;  // the latest version's (canonical JSON): its words are indexed
};
// search-index.js: `window.meshctlSearchIndex = [...]`, one object per entry
// with its ref, link (relative to the export's root), title, description and
// words (catalog/search.h's search_document). A script, not JSON to fetch,
// because browsers refuse fetch() from file://.
std::string search_index_script(const std::vector<SearchIndexEntry>& entries);

// A download of the product's latest manifest: YAML documents separated by
// `---` lines, what `meshctl get manifest DOMAIN/NAME --format native|odps|odcs`
// prints (the documents the version was applied as, when they were of that
// format); an ODCS download is the one contract it names. not_found when the
// product does not exist or does not offer that download (an ODCS contract of
// a port it does not have, or odcs.yaml of a product with several ports).
Result<std::string> manifest_download(CatalogReader& reader, const registry::ProductRef& ref,
                                      const ManifestDownload& download);

// The sign-in form (one field, `token`, POSTed to /login); `message` above it
// when not empty; `next`, the page to go back to, in a hidden field.
std::string render_login(const std::string& message, const std::string& next);

// A page with a heading and one paragraph: what the server answers where a
// page does not exist, or the catalog is off.
std::string render_notice(const std::string& heading, const std::string& text, const CatalogLinks& links);

}  // namespace meshctl::web
