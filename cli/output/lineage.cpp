#include "output/lineage.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/core/text.h"

namespace meshctl::cli {

using registry::LineageGraph;
using registry::ProductRef;

namespace {

struct Neighbour {
  ProductRef ref;
  std::string port;
};

class TreePrinter {
 public:
  TreePrinter(std::ostream& out, const LineageGraph& graph) : out_(out) {
    for (const auto& node : graph.nodes) nodes_[node.ref] = &node;
    for (const auto& edge : graph.edges) {
      consumers_[edge.provider].push_back({edge.consumer, edge.port});
      providers_[edge.consumer].push_back({edge.provider, edge.port});
    }
  }

  // Prints the children of `ref` one way, below `prefix`.
  void children(const ProductRef& ref, bool upstream, const std::string& prefix, std::vector<ProductRef>& path) {
    const auto& next = upstream ? providers_ : consumers_;
    const auto found = next.find(ref);
    if (found == next.end()) return;
    const auto& list = found->second;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const bool last = i + 1 == list.size();
      const auto& child = list[i];
      out_ << prefix << (last ? "└── " : "├── ") << label(child.ref) << "  (port " << printable_text(child.port) << ")";
      if (std::find(path.begin(), path.end(), child.ref) != path.end()) {
        out_ << "  (cycle)\n";
        continue;
      }
      const bool seen = !printed_.insert({child.ref, upstream}).second;
      const bool has_children = next.count(child.ref) > 0;
      if (seen && has_children) {
        out_ << "  (see above)\n";
        continue;
      }
      out_ << '\n';
      path.push_back(child.ref);
      children(child.ref, upstream, prefix + (last ? "    " : "│   "), path);
      path.pop_back();
    }
  }

  std::string label(const ProductRef& ref) const {
    const auto found = nodes_.find(ref);
    const std::string name = printable_text(ref.text());
    if (found == nodes_.end() || !found->second->registered) return name + " [not registered]";
    if (found->second->status != registry::LifecycleStatus::active) {
      return fmt::format("{} [{}]", name, registry::to_string(found->second->status));
    }
    return name;
  }

  bool has_providers(const ProductRef& ref) const { return providers_.count(ref) > 0; }
  bool has_consumers(const ProductRef& ref) const { return consumers_.count(ref) > 0; }
  bool printed(const ProductRef& ref) const { return printed_.count({ref, false}) > 0; }
  void mark(const ProductRef& ref) { printed_.insert({ref, false}); }

 private:
  std::ostream& out_;
  std::map<ProductRef, const registry::LineageNode*> nodes_;
  std::map<ProductRef, std::vector<Neighbour>> consumers_;
  std::map<ProductRef, std::vector<Neighbour>> providers_;
  std::set<std::pair<ProductRef, bool>> printed_;  // (product, upstream)
};

std::string quoted(const std::string& text) {
  std::string result = "\"";
  for (const char c : printable_text(text)) {
    if (c == '"' || c == '\\') result += '\\';
    result += c;
  }
  return result + '"';
}

void print_cycles(std::ostream& out, const LineageGraph& graph) {
  for (const auto& cycle : graph.cycles) {
    std::vector<std::string> names;
    for (const auto& ref : cycle) names.push_back(printable_text(ref.text()));
    names.push_back(printable_text(cycle.front().text()));
    out << "cycle: " << fmt::format("{}", fmt::join(names, " -> ")) << '\n';
  }
  if (graph.truncated) out << "(deeper products left out: raise --depth to see them)\n";
}

}  // namespace

void print_lineage_tree(std::ostream& out, const LineageGraph& graph) {
  TreePrinter printer(out, graph);
  if (graph.root) {
    const auto& root = *graph.root;
    out << printer.label(root) << '\n';
    std::vector<ProductRef> path{root};
    const bool up = graph.direction != registry::LineageDirection::downstream;
    const bool down = graph.direction != registry::LineageDirection::upstream;
    if (up) {
      out << (down ? "├── upstream\n" : "└── upstream\n");
      if (printer.has_providers(root)) {
        printer.children(root, true, down ? "│   " : "    ", path);
      } else {
        out << (down ? "│   " : "    ") << "└── (none)\n";
      }
    }
    if (down) {
      out << "└── downstream\n";
      if (printer.has_consumers(root)) {
        printer.children(root, false, "    ", path);
      } else {
        out << "    └── (none)\n";
      }
    }
  } else {
    // Every product nothing feeds starts a tree; products only inside cycles come after.
    std::vector<ProductRef> starts;
    for (const auto& node : graph.nodes) {
      if (!printer.has_providers(node.ref)) starts.push_back(node.ref);
    }
    for (const auto& node : graph.nodes) {
      if (printer.has_providers(node.ref)) starts.push_back(node.ref);
    }
    for (const auto& start : starts) {
      if (printer.printed(start)) continue;
      printer.mark(start);
      out << printer.label(start) << '\n';
      std::vector<ProductRef> path{start};
      printer.children(start, false, "", path);
    }
    if (graph.nodes.empty()) out << "(no products)\n";
  }
  print_cycles(out, graph);
}

void print_lineage_dot(std::ostream& out, const LineageGraph& graph) {
  out << "digraph lineage {\n  rankdir=LR;\n  node [shape=box];\n";
  for (const auto& node : graph.nodes) {
    std::vector<std::string> attributes;
    if (graph.root && node.ref == *graph.root) attributes.emplace_back("style=bold");
    if (!node.registered) {
      attributes.emplace_back("style=dashed");
      attributes.emplace_back("label=" + quoted(node.ref.text() + "\\n(not registered)"));
    } else if (node.status != registry::LifecycleStatus::active) {
      attributes.emplace_back("color=gray");
      attributes.emplace_back("label=" +
                              quoted(node.ref.text() + "\\n(" + registry::to_string(node.status) + ")"));
    }
    out << "  " << quoted(node.ref.text());
    if (!attributes.empty()) out << " [" << fmt::format("{}", fmt::join(attributes, ", ")) << "]";
    out << ";\n";
  }
  for (const auto& edge : graph.edges) {
    out << "  " << quoted(edge.provider.text()) << " -> " << quoted(edge.consumer.text())
        << " [label=" << quoted(edge.port) << "];\n";
  }
  out << "}\n";
}

void print_lineage_mermaid(std::ostream& out, const LineageGraph& graph) {
  out << "flowchart LR\n";
  std::map<ProductRef, std::string> ids;
  for (const auto& node : graph.nodes) {
    const auto id = fmt::format("n{}", ids.size());
    ids[node.ref] = id;
    std::string label = printable_text(node.ref.text());
    if (!node.registered) {
      label += " (not registered)";
    } else if (node.status != registry::LifecycleStatus::active) {
      label += fmt::format(" ({})", registry::to_string(node.status));
    }
    out << "  " << id << "[\"" << label << "\"]\n";
  }
  for (const auto& edge : graph.edges) {
    out << "  " << ids[edge.provider] << " -->|" << printable_text(edge.port) << "| " << ids[edge.consumer] << '\n';
  }
  if (graph.root && ids.count(*graph.root)) out << "  style " << ids[*graph.root] << " stroke-width:3px\n";
}

}  // namespace meshctl::cli
