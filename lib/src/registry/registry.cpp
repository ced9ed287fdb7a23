#include "meshctl/registry/registry.h"

namespace meshctl::registry {

Status for_each_product(Registry& registry, const ProductFilter& filter,
                        const std::function<bool(const ProductRecord&)>& visit, std::size_t page_size) {
  ProductPageRequest request{filter, std::nullopt, page_size == 0 ? 1 : page_size};
  while (true) {
    auto page = registry.list_products(request);
    if (!page.ok()) return page.error();
    for (const auto& product : page->products) {
      if (!visit(product)) return ok_status();
    }
    if (!page->next) return ok_status();
    request.after = page->next;
  }
}

}  // namespace meshctl::registry
