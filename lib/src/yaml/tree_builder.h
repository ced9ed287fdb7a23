#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "meshctl/yaml/loader.h"

namespace meshctl::yaml::detail {

// Thrown by the builder to stop parsing at a bound or a structural error; the
// loader turns it into a diagnostic. It never leaves the yaml module.
struct LoadAbort {
  Position position;
  std::string rule;
  std::string message;
};

enum class ScalarStyle { plain, quoted };  // quoted covers '…', "…", | and >

// The seam between a YAML parser and meshctl's tree. An event source (today
// libyaml's event parser, see libyaml_source.cpp) calls these in document order;
// everything after it reads only the tree. Anchor ids are the source's own small
// integers, 0 meaning "no anchor".
class TreeBuilder {
 public:
  TreeBuilder(const LoadLimits& limits, std::vector<Document>& out, std::vector<Diagnostic>& findings,
              const std::string& file_name);

  void begin_document(Position position);
  void end_document();
  void scalar(Position position, std::string_view text, ScalarStyle style, std::string_view tag, std::size_t anchor);
  void null_value(Position position, std::size_t anchor);
  // A node with nothing written for it, not even an anchor (`title:` and no value): a null that a
  // mapping places at its key, where a reader looks for it.
  void empty_value(Position position);
  void alias(Position position, std::size_t anchor);
  void begin_sequence(Position position, std::size_t anchor);
  void end_sequence();
  void begin_mapping(Position position, std::size_t anchor);
  void end_mapping();

  const LoadLimits& limits() const { return limits_; }
  const std::string& file_name() const { return file_name_; }

 private:
  struct Frame {
    Node node;
    std::size_t anchor = 0;
    std::size_t first_node_count = 0;  // node_count_ when the frame opened
    bool has_key = false;              // mappings: a key waits for its value
    bool drop_value = false;           // mappings: the waiting key was a duplicate
    std::string key;
    Position key_position;
    std::unordered_set<std::string> keys;  // mappings with many entries: duplicate detection
  };

  void open(Node node, std::size_t anchor);
  void add(Node node, std::size_t anchor, std::size_t subtree_nodes);
  void add_to_mapping(Frame& frame, Node node);
  void remember_anchor(std::size_t anchor, const Node& node, std::size_t subtree_nodes);
  bool is_duplicate_key(Frame& frame, const std::string& key) const;

  const LoadLimits& limits_;
  std::vector<Document>& out_;
  std::vector<Diagnostic>& findings_;
  const std::string& file_name_;
  Position document_start_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  struct Anchored {
    Node node;
    std::size_t subtree_nodes = 0;
    bool complete = false;
  };
  std::vector<Anchored> anchors_;  // indexed by anchor id
  std::size_t node_count_ = 0;
  std::size_t alias_nodes_ = 0;
};

// Feeds `text` through libyaml's event parser into `builder`. Returns a
// MESH-YAML-SYNTAX finding for malformed YAML; LoadAbort from the builder passes through.
// REQUIRES: `text` is UTF-8 of characters YAML allows in a stream.
std::optional<LoadAbort> parse_with_libyaml(std::string_view text, TreeBuilder& builder);

}  // namespace meshctl::yaml::detail
