// RegistryService: the lineage graph (`meshctl lineage`, the catalog's lineage picture): the whole mesh's,
// or one product's neighbourhood, read by walking from it.

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>

#include "meshctl/registry/service.h"
#include "meshctl/usage/lineage.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::in_read_transaction;

namespace {

// The lineage of request.root, read by walking from it: only the edges of the products it reaches within
// request.depth (those of the last ring too, so that build_lineage knows the graph was cut short) and the
// status of those products, each read through the store's indexes. A product page asks for this, so its
// cost follows the neighbourhood, not the mesh.
Result<LineageGraph> rooted_lineage(StoreTransaction& transaction, const LineageRequest& request) {
  const auto& root = *request.root;
  std::vector<DependencyEdge> edges;
  std::set<std::tuple<ProductRef, ProductRef, std::string>> listed;
  std::set<ProductRef> reached{root};
  const auto walk = [&](bool upstream) -> Status {
    std::map<ProductRef, std::size_t> seen{{root, 0}};
    std::deque<ProductRef> queue{root};
    while (!queue.empty()) {
      const auto current = queue.front();
      queue.pop_front();
      const auto depth = seen[current];
      auto found = upstream ? transaction.dependencies_of(current) : transaction.dependents_of(current);
      if (!found.ok()) return found.error();
      for (auto& edge : *found) {
        const auto& next = upstream ? edge.provider : edge.consumer;
        if ((!request.depth || depth < *request.depth) && seen.emplace(next, depth + 1).second) {
          reached.insert(next);
          queue.push_back(next);
        }
        if (listed.emplace(edge.provider, edge.consumer, edge.port).second) edges.push_back(std::move(edge));
      }
    }
    return ok_status();
  };
  if (request.direction != LineageDirection::downstream) {
    if (auto status = walk(true); !status.ok()) return status.error();
  }
  if (request.direction != LineageDirection::upstream) {
    if (auto status = walk(false); !status.ok()) return status.error();
  }
  std::vector<usage::ProductState> products;
  for (const auto& ref : reached) {
    auto product = transaction.find_product(ref);
    if (!product.ok()) return product.error();
    if (product->has_value()) products.push_back({ref, (*product)->status});
  }
  const bool registered = std::any_of(products.begin(), products.end(),
                                      [&](const usage::ProductState& product) { return product.ref == root; });
  if (!registered) {
    // Named by an input port (as a provider: a consumer is always registered), it is a node all the same.
    auto consumers = transaction.dependents_of(root);
    if (!consumers.ok()) return consumers.error();
    if (consumers->empty()) return service_support::product_not_found(transaction, root);
  }
  return usage::build_lineage(edges, products, request);
}

}  // namespace

Result<LineageGraph> RegistryService::lineage(const LineageRequest& request) {
  return in_read_transaction<LineageGraph>(store_, [&](StoreTransaction& transaction) -> Result<LineageGraph> {
    if (request.root) return rooted_lineage(transaction, request);
    auto edges = transaction.all_dependencies();
    if (!edges.ok()) return edges.error();
    std::vector<usage::ProductState> products;
    ProductPageRequest page_request;
    page_request.limit = 1000;
    while (true) {
      auto page = transaction.list_products(page_request);
      if (!page.ok()) return page.error();
      for (const auto& product : page->products) products.push_back({product.ref, product.status});
      if (!page->next) break;
      page_request.after = page->next;
    }
    return usage::build_lineage(*edges, products, request);
  });
}

}  // namespace meshctl::registry
