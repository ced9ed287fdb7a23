#pragma once

// The web catalog (issue 19): HTML pages of the registry's products, rendered
// from the Mustache templates of lib/src/web/templates (compiled into the
// binary), which escape every value by default. The same pages are served by
// `meshctl serve --catalog public` and written by `meshctl catalog export`;
// only their links differ (CatalogLinks). Pages read the registry through
// CatalogReader, return HTML text, and never print.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

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

 private:
  Source& source_;
};

// Where a page's links point: the server's routes, or the static export's
// files relative to the page that links (a page `depth` folders below the
// export's root).
//   served:   /   /catalog/domains/DOMAIN   /catalog/products/DOMAIN/NAME
//   exported: index.html   domains/DOMAIN.html   products/DOMAIN/NAME.html
class CatalogLinks {
 public:
  static CatalogLinks served() { return CatalogLinks(true, 0); }
  static CatalogLinks exported(std::size_t depth) { return CatalogLinks(false, depth); }

  std::string home() const;
  std::string domain(const std::string& domain) const;
  std::string product(const registry::ProductRef& ref) const;

 private:
  CatalogLinks(bool served, std::size_t depth) : served_(served), depth_(depth) {}
  std::string root() const;
  bool served_;
  std::size_t depth_;
};

// The home page: the domains with their product counts, the products changed
// last, the deprecated products with their sunsets. Reads every product once.
// Errors: those of the reader.
Result<std::string> render_home(CatalogReader& reader, const CatalogLinks& links);

// A domain's page: its products with status, latest version and owner.
// ErrorKind::not_found when the domain does not exist.
Result<std::string> render_domain(CatalogReader& reader, const std::string& domain, const CatalogLinks& links);

// A product's page: title, description, owner, status (a deprecation's sunset
// and reason first), tags, labels, every version, each output port's schema
// (types, required, PII and classification flagged), SLOs and latest quality
// run, input ports and consumers. not_found when the product does not exist.
Result<std::string> render_product(CatalogReader& reader, const registry::ProductRef& ref, const CatalogLinks& links);

// A page with a heading and one paragraph: what the server answers where a
// page does not exist, or the catalog is off.
std::string render_notice(const std::string& heading, const std::string& text, const CatalogLinks& links);

}  // namespace meshctl::web
