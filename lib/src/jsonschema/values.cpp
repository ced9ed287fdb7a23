#include "jsonschema/values.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "meshctl/jsonschema/schema.h"

namespace meshctl::jsonschema {

namespace {

// A spelling of a value under which equal values (in the sense of `equals`) are equal strings.
void canonical(const yaml::Node& value, std::string& out) {
  switch (value.kind) {
    case yaml::NodeKind::null: out += 'n'; return;
    case yaml::NodeKind::boolean: out += value.as_bool() ? "t" : "f"; return;
    case yaml::NodeKind::integer:
    case yaml::NodeKind::floating:
      out += fmt::format("d{}", value.as_double());
      out += ';';
      return;
    case yaml::NodeKind::string:
      out += fmt::format("s{}:", value.text.size());
      out += value.text;
      return;
    case yaml::NodeKind::sequence:
      out += '[';
      for (const auto& item : value.items) canonical(item, out);
      out += ']';
      return;
    case yaml::NodeKind::mapping: {
      std::vector<std::pair<std::string_view, std::string>> entries;
      for (const auto& entry : value.entries) {
        std::string spelled;
        canonical(entry.value, spelled);
        entries.emplace_back(entry.key, std::move(spelled));
      }
      std::sort(entries.begin(), entries.end());
      out += '{';
      for (const auto& [key, spelled] : entries) {
        out += fmt::format("{}:", key.size());
        out += key;
        out += spelled;
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

bool equals(const yaml::Node& value, const nlohmann::json& expected) {
  switch (value.kind) {
    case yaml::NodeKind::null: return expected.is_null();
    case yaml::NodeKind::boolean: return expected.is_boolean() && expected.get<bool>() == value.as_bool();
    case yaml::NodeKind::integer:
    case yaml::NodeKind::floating: return expected.is_number() && expected.get<double>() == value.as_double();
    case yaml::NodeKind::string: return expected.is_string() && expected.get_ref<const std::string&>() == value.text;
    case yaml::NodeKind::sequence:
      if (!expected.is_array() || expected.size() != value.items.size()) return false;
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        if (!equals(value.items[i], expected[i])) return false;
      }
      return true;
    case yaml::NodeKind::mapping:
      if (!expected.is_object() || expected.size() != value.entries.size()) return false;
      for (const auto& entry : value.entries) {
        auto found = expected.find(entry.key);
        if (found == expected.end() || !equals(entry.value, *found)) return false;
      }
      return true;
  }
  return false;
}

std::optional<std::pair<std::size_t, std::size_t>> first_duplicate(const std::vector<yaml::Node>& items) {
  std::vector<std::pair<std::string, std::size_t>> spelled(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    canonical(items[i], spelled[i].first);
    spelled[i].second = i;
  }
  std::sort(spelled.begin(), spelled.end());
  std::optional<std::pair<std::size_t, std::size_t>> first;
  for (std::size_t i = 1; i < spelled.size(); ++i) {
    if (spelled[i].first != spelled[i - 1].first) continue;
    // Equal spellings sort by index: [i - 1] is the earlier element of the pair.
    if (!first || spelled[i].second < first->second) first = std::pair{spelled[i - 1].second, spelled[i].second};
  }
  return first;
}

yaml::Node node_from_json(const nlohmann::json& value) {
  yaml::Node node;
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: node.kind = yaml::NodeKind::null; break;
    case nlohmann::json::value_t::boolean:
      node.kind = yaml::NodeKind::boolean;
      node.text = value.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      node.kind = yaml::NodeKind::integer;
      node.text = value.dump();
      break;
    case nlohmann::json::value_t::number_float:
      node.kind = yaml::NodeKind::floating;
      node.text = value.dump();
      break;
    case nlohmann::json::value_t::string:
      node.kind = yaml::NodeKind::string;
      node.text = value.get<std::string>();
      break;
    case nlohmann::json::value_t::array:
      node.kind = yaml::NodeKind::sequence;
      for (const auto& item : value) node.items.push_back(node_from_json(item));
      break;
    case nlohmann::json::value_t::object:
      node.kind = yaml::NodeKind::mapping;
      for (const auto& [key, item] : value.items()) node.entries.push_back(yaml::Entry{key, {}, node_from_json(item)});
      break;
    case nlohmann::json::value_t::binary: node.kind = yaml::NodeKind::null; break;
  }
  return node;
}

}  // namespace meshctl::jsonschema
