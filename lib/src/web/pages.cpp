// The catalog's pages but the product's (product_page.cpp) and the search's (search_page.cpp): each reads
// what it shows through CatalogReader and hands plain values to its template (lib/src/web/templates),
// which escapes them.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "meshctl/web/catalog.h"
#include "web/page_support.h"
#include "web/templates.h"

namespace meshctl::web {

using registry::LifecycleStatus;
using registry::ProductRecord;
using registry::ProductRef;

namespace {

// How many products the home page lists as recently changed.
constexpr std::size_t kRecentProducts = 10;
// The window a domain page ranks its products' consumers and reads over.
constexpr std::int64_t kRankingDays = 30;

}  // namespace

std::string segment(const std::string& text) {
  std::string encoded;
  for (const unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

std::string shortened(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

Result<std::vector<ProductRecord>> all_products(CatalogReader& reader, const registry::ProductFilter& filter) {
  std::vector<ProductRecord> products;
  registry::ProductPageRequest request;
  request.filter = filter;
  while (true) {
    auto page = reader.list_products(request);
    if (!page) return page.error();
    for (auto& product : page->products) products.push_back(std::move(product));
    if (!page->next) return products;
    request.after = page->next;
  }
}

mstch::map product_row(const ProductRecord& product, const CatalogLinks& links) {
  return mstch::map{
      {"ref", product.ref.text()},
      {"name", product.ref.name},
      {"href", links.product(product.ref)},
      {"status", std::string(registry::to_string(product.status))},
      {"latest_version", product.latest_version},
      {"owner_team", product.owner.team},
      {"owner_email", product.owner.email},
      {"updated_at", product.updated_at},
      {"sunset", product.deprecation ? product.deprecation->sunset : std::string()},
      {"reason", product.deprecation ? product.deprecation->reason : std::string()},
  };
}

std::string CatalogLinks::root() const {
  if (served_) return "/";
  std::string prefix;
  for (std::size_t i = 0; i < depth_; ++i) prefix += "../";
  return prefix;
}

std::string CatalogLinks::home() const {
  return served_ ? "/" : root() + "index.html";
}

std::string CatalogLinks::domain(const std::string& domain) const {
  return served_ ? "/catalog/domains/" + segment(domain) : root() + "domains/" + segment(domain) + ".html";
}

std::string CatalogLinks::product(const ProductRef& ref) const {
  const std::string path = segment(ref.domain) + "/" + segment(ref.name);
  return served_ ? "/catalog/products/" + path : root() + "products/" + path + ".html";
}

std::string CatalogLinks::search() const {
  return served_ ? "/catalog/search" : root() + "search.html";
}

Result<std::string> render_home(CatalogReader& reader, const CatalogLinks& links) {
  auto domains = reader.list_domains();
  if (!domains) return domains.error();
  auto products = all_products(reader, {});
  if (!products) return products.error();
  auto terms = reader.list_terms();
  if (!terms) return terms.error();

  mstch::array domain_nodes;
  for (const auto& domain : *domains) {
    domain_nodes.push_back(mstch::map{
        {"name", domain.name},
        {"href", links.domain(domain.name)},
        {"product_count", static_cast<int>(domain.product_count)},
        {"products_word", plural(domain.product_count, "product", "products")},
        {"owner_team", domain.owner_team},
    });
  }
  // What needs its owners' attention, in one read; a product listed there but not in `products` (made
  // between the two reads) waits for the next page view.
  auto attention = reader.attention();
  if (!attention) return attention.error();
  std::map<ProductRef, const ProductRecord*> by_ref;
  for (const auto& product : *products) by_ref.emplace(product.ref, &product);
  mstch::array attention_nodes;
  for (const auto& [ref, reasons] : *attention) {
    const auto product = by_ref.find(ref);
    if (product == by_ref.end()) continue;
    mstch::array reason_nodes;
    for (const auto& reason : reasons) {
      const bool slo = reason.kind == registry::AttentionReason::Kind::slo_violated;
      reason_nodes.push_back(mstch::map{{"kind", std::string(slo ? "slo" : "quality")}, {"text", reason.text}});
    }
    auto row = product_row(*product->second, links);
    row["reasons"] = std::move(reason_nodes);
    attention_nodes.push_back(std::move(row));
  }
  std::vector<const ProductRecord*> recent;
  std::vector<const ProductRecord*> deprecated;
  for (const auto& product : *products) {
    recent.push_back(&product);
    if (product.status == LifecycleStatus::deprecated) deprecated.push_back(&product);
  }
  const auto newest_first = [](const ProductRecord* a, const ProductRecord* b) {
    return a->updated_at != b->updated_at ? a->updated_at > b->updated_at : a->ref < b->ref;
  };
  const auto shown = std::min(recent.size(), kRecentProducts);
  std::partial_sort(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(shown), recent.end(), newest_first);
  recent.resize(shown);
  std::sort(deprecated.begin(), deprecated.end(), [](const ProductRecord* a, const ProductRecord* b) {
    const auto& sunset_a = a->deprecation ? a->deprecation->sunset : std::string();
    const auto& sunset_b = b->deprecation ? b->deprecation->sunset : std::string();
    return sunset_a != sunset_b ? sunset_a < sunset_b : a->ref < b->ref;
  });
  mstch::array recent_nodes;
  for (const auto* product : recent) recent_nodes.push_back(product_row(*product, links));
  mstch::array deprecated_nodes;
  for (const auto* product : deprecated) deprecated_nodes.push_back(product_row(*product, links));

  const mstch::map context{
      {"product_count", static_cast<int>(products->size())},
      {"domain_count", static_cast<int>(domains->size())},
      {"search_action", links.search()},
      {"has_domains", !domain_nodes.empty()},
      {"domains", domain_nodes},
      {"term_count", static_cast<int>(terms->size())},
      {"terms_word", plural(static_cast<std::int64_t>(terms->size()), "term", "terms")},
      {"glossary_href", links.glossary()},
      {"has_attention", !attention_nodes.empty()},
      {"attention", attention_nodes},
      {"has_recent", !recent_nodes.empty()},
      {"recent", recent_nodes},
      {"has_deprecated", !deprecated_nodes.empty()},
      {"deprecated", deprecated_nodes},
  };
  return render_page("home.mustache", context, "Data products", {}, links);
}

Result<std::string> render_domain(CatalogReader& reader, const std::string& domain, const CatalogLinks& links) {
  auto domains = reader.list_domains();
  if (!domains) return domains.error();
  const auto found = std::find_if(domains->begin(), domains->end(),
                                  [&](const registry::DomainRecord& record) { return record.name == domain; });
  if (found == domains->end()) return make_error(ErrorKind::not_found, "no domain '" + domain + "'");
  registry::ProductFilter filter;
  filter.domain = domain;
  auto products = all_products(reader, filter);
  if (!products) return products.error();
  struct Ranked {
    const ProductRecord* product;
    std::int64_t consumers;
    std::int64_t reads;
  };
  std::vector<Ranked> ranked;
  for (const auto& product : *products) {
    auto usage = reader.usage(product.ref, {.since_days = kRankingDays});
    if (!usage) return usage.error();
    ranked.push_back({&product, static_cast<std::int64_t>(usage->consumers.size()), usage->events});
  }
  // Most used first: a domain team sees which products people actually read.
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.consumers != b.consumers ? a.consumers > b.consumers : a.reads > b.reads;
  });
  mstch::array rows;
  for (const auto& item : ranked) {
    auto row = product_row(*item.product, links);
    row["consumers"] = static_cast<int>(item.consumers);
    row["reads"] = static_cast<int>(item.reads);
    rows.push_back(std::move(row));
  }
  const auto count = static_cast<std::int64_t>(products->size());
  const mstch::map context{
      {"name", domain},
      {"owner_team", found->owner_team},
      {"product_count", static_cast<int>(count)},
      {"products_word", plural(count, "product", "products")},
      {"has_products", !rows.empty()},
      {"products", rows},
  };
  return render_page("domain.mustache", context, "Domain " + domain, {{domain, links.domain(domain)}}, links);
}

std::string render_login(const std::string& message, const std::string& next) {
  return render_page("login.mustache", mstch::map{{"message", message}, {"next", next}}, "Sign in", {},
                     CatalogLinks::served());
}

std::string render_notice(const std::string& heading, const std::string& text, const CatalogLinks& links) {
  return render_page("notice.mustache", mstch::map{{"heading", heading}, {"text", text}}, heading, {}, links);
}

}  // namespace meshctl::web
