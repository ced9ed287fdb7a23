#pragma once

// The built-in rules as one walk over a DataProduct tree. Split across
// builtin_metadata.cpp and builtin_ports.cpp; the entry point is check_builtin().
//
// Conventions: a rule reports a wrong value at the value, a missing member at
// the key of its parent (or the parent list item), and skips values of the wrong
// type: manifest::check_shape reports those.

#include <string>
#include <string_view>
#include <vector>

#include "standards/internal.h"

namespace meshctl::standards {

class BuiltinChecker {
 public:
  BuiltinChecker(const RuleSet& rules, const std::string& file, std::vector<Diagnostic>& out)
      : rules_(rules), params_(rules.params), file_(file), out_(out) {}

  void run(const yaml::Node& root);

 private:
  struct PortName {
    std::string name;
    std::string path;
  };

  bool on(BuiltinRule rule) const { return rules_.builtin[static_cast<std::size_t>(rule)].enabled; }
  void report(BuiltinRule rule, Position at, std::string path, std::string message);

  // builtin_metadata.cpp
  void check_metadata(const yaml::Node& metadata, Position anchor);
  void check_description(const yaml::Node& metadata, Position anchor);
  void check_owner(const yaml::Node& metadata, Position anchor);
  void check_tags(const yaml::Node& tags);
  void check_labels(const yaml::Node& labels);

  // builtin_ports.cpp
  void check_spec(const yaml::Node& spec, Position anchor);
  void check_port_name(const yaml::Node& port, const std::string& path, std::vector<PortName>& seen);
  void check_input_port(const yaml::Node& port, const std::string& path);
  void check_output_port(const yaml::Node& port, const std::string& path);
  void check_fields(const yaml::Node& fields, const std::string& path, const std::string& prefix,
                    std::vector<std::string>& names);
  void check_field(const yaml::Node& field, const std::string& path);
  void check_slo(const yaml::Node& slo, Position anchor, const std::string& path);
  void check_sql_rule(const yaml::Node& item, const std::string& item_path);
  void check_quality(const yaml::Node& quality, const std::string& path, const std::vector<std::string>* names);

  const RuleSet& rules_;
  const BuiltinParams& params_;
  const std::string& file_;
  std::vector<Diagnostic>& out_;
  std::string self_product_;  // "domain/name" of the manifest, for MESH-INPUT-SELF
};

// Where a missing member of `parent` is reported: the parent's key when it has
// one, else the parent node (a list item).
inline Position key_or_node(const yaml::Entry* entry, const yaml::Node& node) {
  return entry != nullptr ? entry->key_position : node.position;
}

bool contains(const std::vector<std::string>& list, std::string_view value);
std::string quoted_list(const std::vector<std::string>& list);                           // "'a', 'b' or 'c'"
std::string did_you_mean(std::string_view value, const std::vector<std::string>& list);  // ": did you mean 'x'?" or ""
std::size_t utf8_length(std::string_view text);
std::string_view trim(std::string_view text);

}  // namespace meshctl::standards
