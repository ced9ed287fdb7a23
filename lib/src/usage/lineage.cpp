#include "meshctl/usage/lineage.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>

namespace meshctl::usage {

using registry::LineageDirection;
using registry::LineageEdge;
using registry::ProductRef;

namespace {

bool edge_less(const LineageEdge& a, const LineageEdge& b) {
  return std::tie(a.provider, a.consumer, a.port) < std::tie(b.provider, b.consumer, b.port);
}

struct Adjacency {
  std::map<ProductRef, std::vector<const registry::DependencyEdge*>> providers_of;  // consumer -> its edges
  std::map<ProductRef, std::vector<const registry::DependencyEdge*>> consumers_of;  // provider -> its edges
};

// Breadth-first from `root` one way; records node depths (the smaller wins)
// and the edges it crossed. Sets `truncated` when the depth limit cut it short.
void walk(const ProductRef& root, bool upstream, const Adjacency& adjacency, const std::optional<std::size_t>& limit,
          std::map<ProductRef, std::size_t>& depths, std::set<LineageEdge, decltype(&edge_less)>& crossed,
          bool& truncated) {
  std::map<ProductRef, std::size_t> seen{{root, 0}};
  std::deque<ProductRef> queue{root};
  const auto& next_of = upstream ? adjacency.providers_of : adjacency.consumers_of;
  while (!queue.empty()) {
    const ProductRef current = queue.front();
    queue.pop_front();
    const std::size_t depth = seen[current];
    const auto found = next_of.find(current);
    if (found == next_of.end()) continue;
    for (const auto* edge : found->second) {
      if (limit && depth >= *limit) {
        truncated = true;
        break;
      }
      const ProductRef& next = upstream ? edge->provider : edge->consumer;
      crossed.insert({edge->provider, edge->consumer, edge->port});
      if (seen.emplace(next, depth + 1).second) queue.push_back(next);
    }
  }
  for (const auto& [ref, depth] : seen) {
    auto [it, inserted] = depths.emplace(ref, depth);
    if (!inserted) it->second = std::min(it->second, depth);
  }
}

}  // namespace

std::vector<std::vector<ProductRef>> find_cycles(const std::vector<LineageEdge>& edges) {
  std::map<ProductRef, std::vector<ProductRef>> next;
  std::set<ProductRef> nodes;
  for (const auto& edge : edges) {
    next[edge.provider].push_back(edge.consumer);
    nodes.insert(edge.provider);
    nodes.insert(edge.consumer);
  }
  for (auto& [node, targets] : next) {
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  }
  // Tarjan's strongly connected components, iterative so a long chain cannot
  // overflow the stack.
  std::map<ProductRef, int> index, low;
  std::set<ProductRef> on_stack;
  std::vector<ProductRef> stack;
  std::vector<std::vector<ProductRef>> components;
  int counter = 0;
  for (const auto& start : nodes) {
    if (index.count(start)) continue;
    std::vector<std::pair<ProductRef, std::size_t>> frames{{start, 0}};
    index[start] = low[start] = counter++;
    stack.push_back(start);
    on_stack.insert(start);
    while (!frames.empty()) {
      auto& [node, position] = frames.back();
      const auto& targets = next[node];
      if (position < targets.size()) {
        const ProductRef target = targets[position++];
        if (!index.count(target)) {
          index[target] = low[target] = counter++;
          stack.push_back(target);
          on_stack.insert(target);
          frames.emplace_back(target, 0);
        } else if (on_stack.count(target)) {
          low[node] = std::min(low[node], index[target]);
        }
        continue;
      }
      const ProductRef finished = node;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[finished]);
      if (low[finished] != index[finished]) continue;
      std::vector<ProductRef> component;
      ProductRef member;
      do {
        member = stack.back();
        stack.pop_back();
        on_stack.erase(member);
        component.push_back(member);
      } while (!(member == finished));
      const bool self_loop =
          component.size() == 1 &&
          std::binary_search(next[component[0]].begin(), next[component[0]].end(), component[0]);
      if (component.size() > 1 || self_loop) components.push_back(std::move(component));
    }
  }
  // One cycle through each component: from its smallest product, follow the
  // smallest successor inside the component that leads back (a breadth-first
  // search inside the component finds the shortest way home).
  std::vector<std::vector<ProductRef>> cycles;
  for (auto& component : components) {
    std::sort(component.begin(), component.end());
    const std::set<ProductRef> members(component.begin(), component.end());
    const ProductRef start = component.front();
    std::map<ProductRef, ProductRef> parent;
    std::deque<ProductRef> queue{start};
    std::optional<ProductRef> last;
    while (!queue.empty() && !last) {
      const ProductRef current = queue.front();
      queue.pop_front();
      for (const auto& target : next[current]) {
        if (!members.count(target)) continue;
        if (target == start) {
          last = current;
          break;
        }
        if (parent.emplace(target, current).second) queue.push_back(target);
      }
    }
    std::vector<ProductRef> cycle;
    for (ProductRef at = last.value_or(start); !(at == start); at = parent.at(at)) cycle.push_back(at);
    cycle.push_back(start);
    std::reverse(cycle.begin(), cycle.end());
    cycles.push_back(std::move(cycle));
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

registry::LineageGraph build_lineage(const std::vector<registry::DependencyEdge>& edges,
                                     const std::vector<ProductState>& products,
                                     const registry::LineageRequest& request) {
  registry::LineageGraph graph;
  graph.root = request.root;
  graph.direction = request.direction;
  std::map<ProductRef, registry::LifecycleStatus> statuses;
  for (const auto& product : products) statuses[product.ref] = product.status;

  std::map<ProductRef, std::size_t> depths;
  std::set<LineageEdge, decltype(&edge_less)> chosen(&edge_less);
  if (request.root) {
    Adjacency adjacency;
    for (const auto& edge : edges) {
      adjacency.providers_of[edge.consumer].push_back(&edge);
      adjacency.consumers_of[edge.provider].push_back(&edge);
    }
    if (request.direction != LineageDirection::downstream) {
      walk(*request.root, true, adjacency, request.depth, depths, chosen, graph.truncated);
    }
    if (request.direction != LineageDirection::upstream) {
      walk(*request.root, false, adjacency, request.depth, depths, chosen, graph.truncated);
    }
  } else {
    for (const auto& product : products) depths.emplace(product.ref, 0);
    for (const auto& edge : edges) {
      depths.emplace(edge.consumer, 0);
      depths.emplace(edge.provider, 0);
      chosen.insert({edge.provider, edge.consumer, edge.port});
    }
  }
  for (const auto& [ref, depth] : depths) {
    const auto status = statuses.find(ref);
    graph.nodes.push_back({ref, status == statuses.end() ? registry::LifecycleStatus::active : status->second,
                           status != statuses.end(), depth});
  }
  graph.edges.assign(chosen.begin(), chosen.end());
  graph.cycles = find_cycles(graph.edges);
  return graph;
}

}  // namespace meshctl::usage
