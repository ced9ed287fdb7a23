#include "tree_builder.h"

#include <fmt/format.h>

#include "meshctl/core/text.h"

namespace meshctl::yaml::detail {

namespace {

constexpr std::size_t kHashKeysAbove = 16;  // linear search for small mappings, a set for large ones

NodeKind resolve(std::string_view text, ScalarStyle style, std::string_view tag) {
  if (tag == "tag:yaml.org,2002:str") return NodeKind::string;
  if (tag == "tag:yaml.org,2002:int") return NodeKind::integer;
  if (tag == "tag:yaml.org,2002:float") return NodeKind::floating;
  if (tag == "tag:yaml.org,2002:bool") return NodeKind::boolean;
  if (tag == "tag:yaml.org,2002:null") return NodeKind::null;
  return style == ScalarStyle::plain ? resolve_plain_scalar(text) : NodeKind::string;
}

}  // namespace

TreeBuilder::TreeBuilder(const LoadLimits& limits, std::vector<Document>& out, std::vector<Diagnostic>& findings,
                         const std::string& file_name)
    : limits_(limits), out_(out), findings_(findings), file_name_(file_name) {}

void TreeBuilder::begin_document(Position position) {
  document_start_ = position;
  stack_.clear();
  root_.reset();
  anchors_.clear();
  node_count_ = 0;
  alias_nodes_ = 0;
}

void TreeBuilder::end_document() {
  if (!root_ || root_->kind == NodeKind::null) {
    findings_.push_back(Diagnostic{file_name_, document_start_, Severity::error, "MESH-YAML-EMPTY", "",
                                   "the document is empty: write a manifest here (see `meshctl init`) or remove "
                                   "the document separator"});
    return;
  }
  out_.push_back(Document{std::move(*root_), document_start_});
  root_.reset();
}

void TreeBuilder::scalar(Position position, std::string_view text, ScalarStyle style, std::string_view tag,
                         std::size_t anchor) {
  // The input is checked as UTF-8 before parsing; a parser's escape decoding can still go wrong,
  // and text that is not UTF-8 must not reach the JSON, SARIF and JUnit printers.
  if (first_invalid_utf8(text)) {
    throw LoadAbort{position, "MESH-YAML-ENCODING",
                    "this value is not valid UTF-8 once its escapes are decoded: write the character itself, "
                    "or escape it as \\uXXXX"};
  }
  Node node;
  node.kind = resolve(text, style, tag);
  node.position = position;
  node.text = text;
  ++node_count_;
  add(std::move(node), anchor, 1);
}

void TreeBuilder::null_value(Position position, std::size_t anchor) {
  Node node;
  node.position = position;
  ++node_count_;
  add(std::move(node), anchor, 1);
}

void TreeBuilder::empty_value(Position position) {
  Node node;
  node.position = position;
  if (!stack_.empty() && stack_.back().has_key && !stack_.back().drop_value) {
    node.position = stack_.back().key_position;
  }
  ++node_count_;
  add(std::move(node), 0, 1);
}

void TreeBuilder::alias(Position position, std::size_t anchor) {
  if (anchor >= anchors_.size() || !anchors_[anchor].complete) {
    throw LoadAbort{position, "MESH-YAML-LIMIT", "an alias refers to the node that contains it: remove the recursion"};
  }
  const Anchored& anchored = anchors_[anchor];
  alias_nodes_ += anchored.subtree_nodes;
  if (alias_nodes_ > limits_.max_alias_nodes) {
    throw LoadAbort{position, "MESH-YAML-LIMIT",
                    fmt::format("aliases expand to more than {} nodes (a \"billion laughs\" document?): "
                                "write the values out instead of nesting aliases",
                                limits_.max_alias_nodes)};
  }
  node_count_ += anchored.subtree_nodes;
  Node copy = anchored.node;
  add(std::move(copy), 0, anchored.subtree_nodes);
}

void TreeBuilder::begin_sequence(Position position, std::size_t anchor) {
  Node node;
  node.kind = NodeKind::sequence;
  node.position = position;
  open(std::move(node), anchor);
}

void TreeBuilder::begin_mapping(Position position, std::size_t anchor) {
  Node node;
  node.kind = NodeKind::mapping;
  node.position = position;
  open(std::move(node), anchor);
}

void TreeBuilder::end_sequence() {
  end_mapping();
}

void TreeBuilder::end_mapping() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  add(std::move(frame.node), frame.anchor, node_count_ - frame.first_node_count);
}

void TreeBuilder::open(Node node, std::size_t anchor) {
  if (stack_.size() >= limits_.max_depth) {
    throw LoadAbort{node.position, "MESH-YAML-LIMIT",
                    fmt::format("nesting is deeper than {} levels: flatten the document", limits_.max_depth)};
  }
  ++node_count_;
  Frame frame;
  frame.node = std::move(node);
  frame.anchor = anchor;
  frame.first_node_count = node_count_ - 1;
  if (anchor != 0) {
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor].complete = false;  // an alias to it before it closes is recursion
  }
  stack_.push_back(std::move(frame));
}

void TreeBuilder::add(Node node, std::size_t anchor, std::size_t subtree_nodes) {
  if (anchor != 0) remember_anchor(anchor, node, subtree_nodes);
  if (stack_.empty()) {
    root_ = std::move(node);
    return;
  }
  Frame& top = stack_.back();
  if (top.node.kind == NodeKind::sequence) {
    top.node.items.push_back(std::move(node));
  } else {
    add_to_mapping(top, std::move(node));
  }
}

void TreeBuilder::add_to_mapping(Frame& frame, Node node) {
  if (!frame.has_key) {
    if (!node.is_scalar()) {
      throw LoadAbort{
          node.position, "MESH-YAML-KEY",
          fmt::format("a mapping key must be a plain value, found a {}: write the key as text", to_string(node.kind))};
    }
    if (is_duplicate_key(frame, node.text)) {
      // Report and keep going: the first value stays, later ones are dropped.
      findings_.push_back(Diagnostic{file_name_, node.position, Severity::error, "MESH-YAML-DUPLICATE-KEY", "",
                                     fmt::format("key '{}' appears twice in the same mapping: keep one", node.text)});
      frame.has_key = true;
      frame.drop_value = true;
      return;
    }
    frame.key = std::move(node.text);
    frame.key_position = node.position;
    frame.has_key = true;
    return;
  }
  frame.has_key = false;
  if (frame.drop_value) {
    frame.drop_value = false;
    return;
  }
  if (frame.node.entries.size() >= kHashKeysAbove) frame.keys.insert(frame.key);
  frame.node.entries.push_back(Entry{std::move(frame.key), frame.key_position, std::move(node)});
}

bool TreeBuilder::is_duplicate_key(Frame& frame, const std::string& key) const {
  auto& entries = frame.node.entries;
  if (entries.size() < kHashKeysAbove) {
    for (const auto& entry : entries) {
      if (entry.key == key) return true;
    }
    return false;
  }
  if (frame.keys.empty()) {
    for (const auto& entry : entries) frame.keys.insert(entry.key);
  }
  return frame.keys.contains(key);
}

void TreeBuilder::remember_anchor(std::size_t anchor, const Node& node, std::size_t subtree_nodes) {
  if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
  anchors_[anchor] = Anchored{node, subtree_nodes, true};
}

}  // namespace meshctl::yaml::detail
