#include "meshctl/yaml/json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

namespace meshctl::yaml {

namespace {

// An integer as the YAML 1.2 core schema writes it (a sign, 0o octal, 0x hex); nullopt beyond int64.
std::optional<std::int64_t> integer_of(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.starts_with("0o") || text.starts_with("0x")) {
    base = text[1] == 'o' ? 8 : 16;
    text.remove_prefix(2);
  }
  std::uint64_t magnitude = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), magnitude, base);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  constexpr auto kMax = static_cast<std::uint64_t>(INT64_MAX);
  if (magnitude > kMax + (negative ? 1 : 0)) return std::nullopt;
  if (!negative) return static_cast<std::int64_t>(magnitude);
  return magnitude == kMax + 1 ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
}

// The JSON value of `node` as a Json (ordered_json or json), built directly: one allocation per value.
template <class Json>
Json json_of(const Node& node) {
  switch (node.kind) {
    case NodeKind::null: return nullptr;
    case NodeKind::boolean: return node.as_bool();
    case NodeKind::integer:
      if (auto value = integer_of(node.text)) return *value;
      return node.as_double();
    case NodeKind::floating: {
      const double value = node.as_double();
      if (!std::isfinite(value)) return node.text;
      return value;
    }
    case NodeKind::string: return node.text;
    case NodeKind::sequence: {
      Json list = Json::array();
      auto& items = list.template get_ref<typename Json::array_t&>();
      items.reserve(node.items.size());
      for (const auto& item : node.items) items.push_back(json_of<Json>(item));
      return list;
    }
    case NodeKind::mapping: {
      Json map = Json::object();
      for (const auto& entry : node.entries) map[entry.key] = json_of<Json>(entry.value);
      return map;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::ordered_json to_json(const Node& node) {
  return json_of<nlohmann::ordered_json>(node);
}

nlohmann::json to_sorted_json(const Node& node) {
  return json_of<nlohmann::json>(node);
}

Node to_node(const nlohmann::json& value) {
  Node node;
  switch (value.type()) {
    case nlohmann::json::value_t::object:
      node.kind = NodeKind::mapping;
      node.entries.reserve(value.size());
      for (const auto& [key, item] : value.items()) node.entries.push_back({key, {}, to_node(item)});
      break;
    case nlohmann::json::value_t::array:
      node.kind = NodeKind::sequence;
      node.items.reserve(value.size());
      for (const auto& item : value) node.items.push_back(to_node(item));
      break;
    case nlohmann::json::value_t::string:
      node.kind = NodeKind::string;
      node.text = value.get_ref<const std::string&>();
      break;
    case nlohmann::json::value_t::boolean:
      node.kind = NodeKind::boolean;
      node.text = value.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      node.text = value.dump();
      node.kind = resolve_plain_scalar(node.text);
      if (node.kind == NodeKind::null) node.text.clear();  // a float JSON cannot write is written null
      break;
    default:  // null: no text, as the loader reads it
      break;
  }
  return node;
}

}  // namespace meshctl::yaml
