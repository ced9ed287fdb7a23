#pragma once

// The lineage graph: products connected by their input ports, walked from one
// product or taken whole. Walks never loop: every product is visited once,
// and the cycles the graph holds are reported, not followed.

#include <vector>

#include "meshctl/catalog/types.h"
#include "meshctl/catalog/usage_types.h"

namespace meshctl::usage {

struct ProductState {
  registry::ProductRef ref;
  registry::LifecycleStatus status = registry::LifecycleStatus::active;
};

// From `request.root` (when set) up the providers, down the consumers, or
// both, at most `request.depth` edges away; else every product and edge.
// Products named by an edge but missing from `products` are nodes with
// registered = false. A root nobody knows gives a graph with that one node.
registry::LineageGraph build_lineage(const std::vector<registry::DependencyEdge>& edges,
                                     const std::vector<ProductState>& products,
                                     const registry::LineageRequest& request);

// One cycle per strongly connected group of `edges` (or self-loop), each
// starting at its smallest product, ordered by that product.
std::vector<std::vector<registry::ProductRef>> find_cycles(const std::vector<registry::LineageEdge>& edges);

}  // namespace meshctl::usage
