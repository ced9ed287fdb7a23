// The only file that knows yaml-cpp: it writes YAML with yaml-cpp's emitter.
#include "meshctl/yaml/emit.h"

#include <algorithm>
#include <array>

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "meshctl/yaml/node.h"

namespace meshctl::yaml {

namespace {

// `text` with U+FFFD for each byte that is not UTF-8, as json_text writes it.
std::string as_utf8(std::string_view text) {
  if (!first_invalid_utf8(text)) return std::string(text);
  std::string valid;
  valid.reserve(text.size() + 8);
  std::size_t offset = 0;
  while (offset < text.size()) {
    if (const auto character = decode_utf8(text, offset)) {
      valid.append(text, offset, character->length);
      offset += character->length;
    } else {
      valid += "\xEF\xBF\xBD";
      ++offset;
    }
  }
  return valid;
}

// Words that YAML 1.1 reads as booleans, or as its merge and value keys.
bool is_yaml11_word(std::string_view text) {
  static constexpr std::array<std::string_view, 24> kWords = {
      "y",    "Y",     "yes",   "Yes",   "YES", "n",  "N",  "no",  "No",  "NO",  "true", "True",
      "TRUE", "false", "False", "FALSE", "on",  "On", "ON", "off", "Off", "OFF", "<<",   "="};
  return std::find(kWords.begin(), kWords.end(), text) != kWords.end();
}

// What a YAML 1.1 reader may take for a number or a date: a digit (or `.` and a digit) after an
// optional sign, then only characters of numbers in any base, with `_`, `:` (base 60) or more dots
// (the 1.1 float pattern allows `1.2.3`); or `YYYY-M...` (a timestamp). So versions such as `0.1.0`
// and dates are quoted, and a reader of any YAML version reads them back as text.
bool looks_like_number_or_date(std::string_view text) {
  const bool date =
      text.size() >= 6 && std::all_of(text.begin(), text.begin() + 4, is_digit) && text[4] == '-' && is_digit(text[5]);
  if (date) return true;
  std::string_view number = text;
  if (!number.empty() && (number.front() == '-' || number.front() == '+')) number.remove_prefix(1);
  const bool starts_like_number =
      !number.empty() && (is_digit(number.front()) || (number.size() > 1 && number[0] == '.' && is_digit(number[1])));
  return starts_like_number && number.find_first_not_of("0123456789abcdefABCDEFxXoO._:+-") == std::string_view::npos;
}

// yaml-cpp 0.7 writes these raw even between double quotes, where YAML does not allow DEL and
// where YAML 1.1 reads LS and PS as line breaks (NEL it escapes; U+FFFE and U+FFFF, which YAML
// does not allow either, it writes as U+FFFD).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kLeftRaw = {{
    {"\x7F", "\\x7F"},
    {"\xE2\x80\xA8", "\\u2028"},
    {"\xE2\x80\xA9", "\\u2029"},
}};

// Characters that only double quotes can hold: escaped there, by yaml-cpp (C0 controls, NEL) or after
// it (kLeftRaw). Plain, yaml-cpp would write a carriage return (a line break), U+FFFE and U+FFFF.
bool has_characters_to_escape(std::string_view text) {
  const auto is_control = [](char c) { return static_cast<unsigned char>(c) < 0x20; };
  if (std::any_of(text.begin(), text.end(), is_control)) return true;
  for (const std::string_view character : {"\xC2\x85", "\xEF\xBF\xBE", "\xEF\xBF\xBF"}) {
    if (text.find(character) != std::string_view::npos) return true;
  }
  return std::any_of(kLeftRaw.begin(), kLeftRaw.end(),
                     [&](const auto& pair) { return text.find(pair.first) != std::string_view::npos; });
}

std::string escape_left_raw(std::string text) {
  for (const auto& [raw, escape] : kLeftRaw) {
    for (std::size_t at = text.find(raw); at != std::string::npos; at = text.find(raw, at + escape.size())) {
      text.replace(at, raw.size(), escape);
    }
  }
  return text;
}

// yaml-cpp quotes what cannot stand plain (`a: b`, ` x`, `#x`, `null`, ...) but writes text that
// reads as another type (`true`, `12`, `yes`), and `---` or `...` (a document's start or end at the
// top), plain: those are double-quoted here.
void write_string(YAML::Emitter& out, std::string_view raw) {
  const std::string text = as_utf8(raw);
  const bool document_marker = text.starts_with("---") || text.starts_with("...");
  if (resolve_plain_scalar(text) != NodeKind::string || is_yaml11_word(text) || looks_like_number_or_date(text) ||
      document_marker || has_characters_to_escape(text)) {
    out << YAML::DoubleQuoted;
  }
  out << text;
}

// JSON's shortest digits of a float, which read back as the same number, with a `.` before any
// exponent (`1.0e+300`, not `1e+300`): YAML 1.1 reads a float only with one.
std::string float_text(std::string text) {
  const auto exponent = text.find_first_of("eE");
  if (exponent != std::string::npos && text.find('.') == std::string::npos) text.insert(exponent, ".0");
  return text;
}

template <typename Json>
void write(YAML::Emitter& out, const Json& value) {
  if (value.is_object()) {
    if (value.empty()) {
      out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    out << YAML::BeginMap;
    for (const auto& [key, member] : value.items()) {
      out << YAML::Key;
      write_string(out, key);
      out << YAML::Value;
      write(out, member);
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    if (value.empty()) {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    out << YAML::BeginSeq;
    for (const auto& item : value) write(out, item);
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    write_string(out, value.template get_ref<const std::string&>());
  } else if (value.is_boolean()) {
    out << value.template get<bool>();
  } else if (value.is_number_float()) {
    out << float_text(json_text(value));
  } else if (value.is_number()) {
    out << json_text(value);
  } else {
    out << YAML::Null;
  }
}

template <typename Json>
std::string emit(const Json& value) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  write(out, value);
  return escape_left_raw(out.c_str()) + '\n';
}

}  // namespace

std::string to_yaml(const nlohmann::json& value) {
  return emit(value);
}

std::string to_yaml(const nlohmann::ordered_json& value) {
  return emit(value);
}

std::string yaml_string(std::string_view text) {
  YAML::Emitter out;
  write_string(out, text);
  return escape_left_raw(out.c_str());
}

}  // namespace meshctl::yaml
