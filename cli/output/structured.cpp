#include "output/structured.h"

#include <string>

#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"

namespace meshctl::cli {

namespace {

// A string that YAML would read back as something else (a number, a bool,
// null, a structure) or that holds special characters is written quoted; a
// JSON string literal is a valid YAML double-quoted scalar.
bool needs_quotes(const std::string& text) {
  if (text.empty()) return true;
  static const std::string kSpecialFirst = "-?:,[]{}#&*!|>'\"%@` ";
  if (kSpecialFirst.find(text.front()) != std::string::npos || text.back() == ' ') return true;
  for (char c : text) {
    if (c == ':' || c == '#' || c == '\n' || c == '\t' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  // DEL, C1 controls and bytes that are not UTF-8 may not stand in a plain scalar; quoted, they are escaped.
  if (printable_text(text) != text) return true;
  static const char* kReserved[] = {"true", "false", "null", "True", "False", "Null", "TRUE", "FALSE", "NULL",
                                    "~",    "yes",   "no",   "on",   "off",   "Yes",  "No",   "On",    "Off"};
  for (const char* word : kReserved) {
    if (text == word) return true;
  }
  const char first = text.front();
  return (first >= '0' && first <= '9') || first == '.' || first == '+';
}

template <typename Json>
std::string scalar(const Json& value) {
  if (value.is_string()) {
    const auto& text = value.template get_ref<const std::string&>();
    return needs_quotes(text) ? json_text(value) : text;
  }
  return json_text(value);
}

template <typename Json>
bool is_empty_collection(const Json& value) {
  return (value.is_object() || value.is_array()) && value.empty();
}

template <typename Json>
void emit(std::ostream& out, const Json& value, int indent);

template <typename Json>
void emit_entry_value(std::ostream& out, const Json& value, int indent) {
  if (is_empty_collection(value)) {
    out << (value.is_object() ? " {}\n" : " []\n");
  } else if (value.is_object() || value.is_array()) {
    out << '\n';
    emit(out, value, indent);
  } else {
    out << ' ' << scalar(value) << '\n';
  }
}

template <typename Json>
void emit(std::ostream& out, const Json& value, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      out << pad << scalar<Json>(Json(key)) << ':';
      emit_entry_value(out, member, indent + 2);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_object() && !item.empty()) {
        // "- key: value" with the item's other keys aligned under the first.
        bool first = true;
        for (const auto& [key, member] : item.items()) {
          out << (first ? pad + "- " : pad + "  ") << scalar<Json>(Json(key)) << ':';
          emit_entry_value(out, member, indent + 4);
          first = false;
        }
      } else if (item.is_array() && !item.empty()) {
        out << pad << "-\n";
        emit(out, item, indent + 2);
      } else {
        out << pad << "- " << (is_empty_collection(item) ? (item.is_object() ? "{}" : "[]") : scalar(item)) << '\n';
      }
    }
  } else {
    out << pad << scalar(value) << '\n';
  }
}

}  // namespace

template <typename Json>
void print_json(std::ostream& out, const Json& value) {
  out << json_text(value) << '\n';
}

template <typename Json>
void print_yaml(std::ostream& out, const Json& value) {
  if (is_empty_collection(value)) {
    out << (value.is_object() ? "{}\n" : "[]\n");
    return;
  }
  emit(out, value, 0);
}

template void print_json(std::ostream&, const nlohmann::json&);
template void print_json(std::ostream&, const nlohmann::ordered_json&);
template void print_yaml(std::ostream&, const nlohmann::json&);
template void print_yaml(std::ostream&, const nlohmann::ordered_json&);

}  // namespace meshctl::cli
