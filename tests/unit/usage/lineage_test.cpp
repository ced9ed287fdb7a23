#include <catch2/catch.hpp>

#include "meshctl/usage/lineage.h"

using namespace meshctl;
using registry::LineageDirection;
using registry::ProductRef;

namespace {

registry::DependencyEdge edge(const char* provider, const char* consumer) {
  registry::DependencyEdge result;
  result.provider = *registry::parse_product_ref(provider);
  result.consumer = *registry::parse_product_ref(consumer);
  result.port = "in";
  return result;
}

std::vector<std::string> names(const registry::LineageGraph& graph) {
  std::vector<std::string> result;
  for (const auto& node : graph.nodes) result.push_back(node.ref.text());
  return result;
}

// a -> b -> c -> d, and e -> b; c -> x -> c is a cycle.
const std::vector<registry::DependencyEdge> kEdges = {edge("a/a", "b/b"), edge("b/b", "c/c"), edge("c/c", "d/d"),
                                                      edge("e/e", "b/b"), edge("c/c", "x/x"), edge("x/x", "c/c")};

}  // namespace

TEST_CASE("lineage walks up, down or both, and reports cycles instead of looping") {
  const std::vector<usage::ProductState> products = {{{"a", "a"}}, {{"b", "b"}}, {{"c", "c"}}, {{"d", "d"}},
                                                     {{"e", "e"}}, {{"x", "x"}}};
  registry::LineageRequest request;
  request.root = ProductRef{"c", "c"};
  request.direction = LineageDirection::upstream;
  auto graph = usage::build_lineage(kEdges, products, request);
  CHECK(names(graph) == std::vector<std::string>{"a/a", "b/b", "c/c", "e/e", "x/x"});
  REQUIRE(graph.cycles.size() == 1);
  CHECK(graph.cycles[0] == std::vector<ProductRef>{{"c", "c"}, {"x", "x"}});

  request.direction = LineageDirection::downstream;
  graph = usage::build_lineage(kEdges, products, request);
  CHECK(names(graph) == std::vector<std::string>{"c/c", "d/d", "x/x"});

  request.direction = LineageDirection::both;
  request.depth = 1;
  graph = usage::build_lineage(kEdges, products, request);
  CHECK(names(graph) == std::vector<std::string>{"b/b", "c/c", "d/d", "x/x"});
  CHECK(graph.truncated);
  for (const auto& node : graph.nodes) CHECK(node.depth <= 1);
}

TEST_CASE("the whole mesh, with unregistered products and self loops") {
  auto edges = kEdges;
  edges.push_back(edge("z/z", "z/z"));
  const std::vector<usage::ProductState> products = {{{"a", "a"}, registry::LifecycleStatus::retired}, {{"lonely", "one"}}};
  registry::LineageRequest request;
  const auto graph = usage::build_lineage(edges, products, request);
  CHECK(graph.nodes.size() == 8);
  CHECK(graph.edges.size() == 7);
  CHECK(graph.nodes[0].status == registry::LifecycleStatus::retired);
  CHECK(graph.nodes[1].registered == false);
  REQUIRE(graph.cycles.size() == 2);
  CHECK(graph.cycles[1] == std::vector<ProductRef>{{"z", "z"}});
  CHECK_FALSE(graph.truncated);
}

TEST_CASE("a long chain and a big cycle do not overflow or loop") {
  std::vector<registry::DependencyEdge> edges;
  for (int i = 0; i < 20000; ++i) {
    registry::DependencyEdge link;
    link.provider = {"d", std::to_string(i)};
    link.consumer = {"d", std::to_string((i + 1) % 20000)};
    edges.push_back(link);
  }
  const auto cycles = usage::find_cycles([&] {
    std::vector<registry::LineageEdge> result;
    for (const auto& link : edges) result.push_back({link.provider, link.consumer, link.port});
    return result;
  }());
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0].size() == 20000);
}
