#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/diagnostic.h"
#include "meshctl/yaml/node.h"

namespace meshctl::yaml {

// Bounds that keep a hostile file from costing unbounded time or memory. Every
// bound that is hit ends in a diagnostic (rule MESH-YAML-LIMIT), never a crash.
struct LoadLimits {
  std::size_t max_file_bytes = 8u << 20;  // Default: 8 MiB
  std::size_t max_depth = 64;             // nested mappings and lists
  std::size_t max_alias_nodes = 100'000;  // nodes that aliases may add, per document
};

struct Document {
  Node root;
  Position start;  // where the document begins
};

struct LoadedFile {
  std::vector<Document> documents;      // every document that parsed, in order
  std::vector<Diagnostic> diagnostics;  // loader findings; the documents after a fatal one are absent
};

// Parses every YAML document in `text`. `file_name` labels the diagnostics.
// Never throws for bad input: malformed YAML, duplicate keys, non-scalar keys,
// invalid UTF-8 (in the file or in a value once its escapes are decoded), characters
// YAML does not allow in a stream (NUL and other controls), an empty file and every
// LoadLimits bound become diagnostics with rule ids MESH-YAML-SYNTAX, -DUPLICATE-KEY,
// -KEY, -ENCODING, -CHARACTER, -EMPTY, -LIMIT. A carriage return alone is a line break.
LoadedFile parse_yaml(std::string_view text, const std::string& file_name, const LoadLimits& limits = {});

}  // namespace meshctl::yaml
