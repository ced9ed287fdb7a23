#pragma once

// The lineage graph for people and for other tools: an indented tree,
// Graphviz DOT, Mermaid. (JSON: meshctl/catalog/usage_json.h.)

#include <ostream>

#include "meshctl/catalog/usage_types.h"

namespace meshctl::cli {

// A root: its providers under "upstream", its consumers under "downstream".
// --all: a tree downstream from every product nothing feeds, then any cycle
// nothing feeds. A product met again on its own path is marked "(cycle)" and
// not followed; one already printed elsewhere is marked "(see above)".
void print_lineage_tree(std::ostream& out, const registry::LineageGraph& graph);
// `digraph lineage { ... }`; edges point the way data flows.
void print_lineage_dot(std::ostream& out, const registry::LineageGraph& graph);
// `flowchart LR` for Markdown renderers.
void print_lineage_mermaid(std::ostream& out, const registry::LineageGraph& graph);

}  // namespace meshctl::cli
