#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/diagnostic.h"

namespace meshctl::yaml {

// The kind of a node after YAML 1.2 core-schema resolution: a plain `1.2` is
// floating, a quoted "1.2" or a block scalar is a string.
enum class NodeKind : std::uint8_t { null, boolean, integer, floating, string, sequence, mapping };

// "null", "boolean", "integer", "float", "string", "list", "mapping": the words
// diagnostics use.
const char* to_string(NodeKind kind);

struct Entry;

// meshctl's positioned document tree: every node, and every mapping key, keeps
// the line and column it was read from. Mappings keep their source order.
struct Node {
  NodeKind kind = NodeKind::null;
  Position position;
  std::string text;            // a scalar's value as written (unescaped); empty for collections
  std::vector<Node> items;     // a sequence's elements
  std::vector<Entry> entries;  // a mapping's entries, in source order, keys unique

  bool is_scalar() const { return kind != NodeKind::sequence && kind != NodeKind::mapping; }
  bool is_string() const { return kind == NodeKind::string; }
  bool is_mapping() const { return kind == NodeKind::mapping; }
  bool is_sequence() const { return kind == NodeKind::sequence; }
  bool is_number() const { return kind == NodeKind::integer || kind == NodeKind::floating; }

  // The value under `key` of a mapping; nullptr when absent or when this is not a mapping.
  const Node* find(std::string_view key) const;
  // The entry for `key` (to reach the key's own position); nullptr when absent.
  const Entry* find_entry(std::string_view key) const;
  // A boolean's value. REQUIRES: kind == boolean.
  bool as_bool() const;
  // A number's value. REQUIRES: is_number().
  double as_double() const;
};

struct Entry {
  std::string key;
  Position key_position;
  Node value;
};

// Resolves a plain (unquoted) scalar by the YAML 1.2 core schema.
NodeKind resolve_plain_scalar(std::string_view text);

}  // namespace meshctl::yaml
