#include "meshctl/yaml/node.h"

#include <cmath>
#include <cstdlib>

#include "meshctl/core/text.h"

namespace meshctl::yaml {

const char* to_string(NodeKind kind) {
  switch (kind) {
    case NodeKind::null: return "null";
    case NodeKind::boolean: return "boolean";
    case NodeKind::integer: return "integer";
    case NodeKind::floating: return "float";
    case NodeKind::string: return "string";
    case NodeKind::sequence: return "list";
    case NodeKind::mapping: return "mapping";
  }
  return "null";
}

const Entry* Node::find_entry(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

const Node* Node::find(std::string_view key) const {
  const Entry* entry = find_entry(key);
  return entry != nullptr ? &entry->value : nullptr;
}

bool Node::as_bool() const {
  return text == "true" || text == "True" || text == "TRUE";
}

double Node::as_double() const {
  std::string_view t = text;
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  double value = 0;
  if (t == ".nan" || t == ".NaN" || t == ".NAN") {
    return std::nan("");
  }
  if (t == ".inf" || t == ".Inf" || t == ".INF") {
    value = HUGE_VAL;
  } else if (t.starts_with("0o")) {
    value = static_cast<double>(std::strtoull(std::string(t.substr(2)).c_str(), nullptr, 8));
  } else if (t.starts_with("0x")) {
    value = static_cast<double>(std::strtoull(std::string(t.substr(2)).c_str(), nullptr, 16));
  } else {
    value = std::strtod(std::string(t).c_str(), nullptr);
  }
  return negative ? -value : value;
}

namespace {

bool all_of(std::string_view text, bool (*accept)(char)) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!accept(c)) return false;
  }
  return true;
}
bool is_octal(char c) {
  return c >= '0' && c <= '7';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view t) {
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  std::size_t i = 0;
  std::size_t int_digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++int_digits;
  std::size_t frac_digits = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

}  // namespace

NodeKind resolve_plain_scalar(std::string_view t) {
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") return NodeKind::null;
  // Fast exit: most values in a manifest start with a letter that no non-string can start with.
  const char c = t[0];
  if (!(is_digit(c) || c == '-' || c == '+' || c == '.' || c == 't' || c == 'T' || c == 'f' || c == 'F')) {
    return NodeKind::string;
  }
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
    return NodeKind::boolean;
  }
  std::string_view unsigned_part = t;
  if (c == '-' || c == '+') unsigned_part.remove_prefix(1);
  if (all_of(unsigned_part, is_digit)) return NodeKind::integer;
  if (t.size() > 2 && t.starts_with("0o") && all_of(t.substr(2), is_octal)) return NodeKind::integer;
  if (t.size() > 2 && t.starts_with("0x") && all_of(t.substr(2), is_hex)) return NodeKind::integer;
  if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF") return NodeKind::floating;
  if (t == ".nan" || t == ".NaN" || t == ".NAN") return NodeKind::floating;
  if (is_core_float(t)) return NodeKind::floating;
  return NodeKind::string;
}

}  // namespace meshctl::yaml
