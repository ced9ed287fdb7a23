#include "quality/values.h"

#include <array>
#include <charconv>
#include <cstring>
#include <limits>

#include "meshctl/core/text.h"
#include "meshctl/usage/time.h"
#include "quality/plan.h"

namespace meshctl::quality {

namespace {

bool equals_ignoring_case(std::string_view text, std::string_view word) {
  if (text.size() != word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != word[i]) return false;
  }
  return true;
}

std::optional<std::int64_t> integer_of(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?
bool is_decimal_text(std::string_view text, bool exponent_allowed) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < n && is_digit(text[i])) ++i, ++digits;
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (exponent_allowed && i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < n && is_digit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == n;
}

bool is_date_text(std::string_view text) {
  return text.size() == 10 && usage::day_start(text).has_value();
}

std::optional<std::int64_t> timestamp_of(std::string_view text) {
  if (text.size() < 19 || text.size() > 60) return std::nullopt;
  if (auto seconds = usage::parse_timestamp(text)) return seconds;
  // No zone: UTC.
  std::array<char, 64> buffer{};
  std::memcpy(buffer.data(), text.data(), text.size());
  buffer[text.size()] = 'Z';
  return usage::parse_timestamp(std::string_view(buffer.data(), text.size() + 1));
}

bool json_text_is(std::string_view text, bool array) {
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  return array ? parsed.is_array() : parsed.is_object();
}

}  // namespace

bool is_known_type(std::string_view type) {
  for (const char* known : {"string", "integer", "long", "float", "double", "decimal", "boolean", "date", "timestamp",
                            "bytes", "array", "object"}) {
    if (type == known) return true;
  }
  return false;
}

bool text_fits(std::string_view type, std::string_view text) {
  if (type == "integer") {
    const auto value = integer_of(text);
    return value && *value >= std::numeric_limits<std::int32_t>::min() &&
           *value <= std::numeric_limits<std::int32_t>::max();
  }
  if (type == "long") return integer_of(text).has_value();
  if (type == "float" || type == "double") return is_decimal_text(text, true);
  if (type == "decimal") return is_decimal_text(text, false);
  if (type == "boolean") return equals_ignoring_case(text, "true") || equals_ignoring_case(text, "false");
  if (type == "date") return is_date_text(text);
  if (type == "timestamp") return timestamp_of(text).has_value();
  if (type == "array") return json_text_is(text, true);
  if (type == "object") return json_text_is(text, false);
  return true;  // string, bytes, and types the plan refuses before anything runs
}

bool value_fits(std::string_view type, const Value& value) {
  if (is_null_or_empty(value)) return true;  // `required` judges missing values, empty ones included
  if (value.kind == Value::Kind::text) return text_fits(type, value.text);
  const auto& json = *value.json;
  if (type == "integer") {
    if (json.is_number_unsigned()) return json.get<std::uint64_t>() <= std::numeric_limits<std::int32_t>::max();
    if (!json.is_number_integer()) return false;
    const auto number = json.get<std::int64_t>();
    return number >= std::numeric_limits<std::int32_t>::min() && number <= std::numeric_limits<std::int32_t>::max();
  }
  if (type == "long") {
    if (json.is_number_unsigned()) return json.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max();
    return json.is_number_integer();
  }
  if (type == "float" || type == "double") return json.is_number();
  if (type == "decimal") return json.is_number() || (json.is_string() && is_decimal_text(value.text, false));
  if (type == "boolean") return json.is_boolean();
  if (type == "date" || type == "timestamp") return json.is_string() && text_fits(type, value.text);
  if (type == "string" || type == "bytes") return json.is_string();
  if (type == "array") return json.is_array();
  if (type == "object") return json.is_object();
  return true;
}

bool is_null_or_empty(const Value& value) {
  if (value.is_null()) return true;
  if (value.kind == Value::Kind::text) return value.text.empty();
  return value.json->is_string() && value.text.empty();
}

std::optional<double> number_of_text(std::string_view text) {
  if (!is_decimal_text(text, true)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<double> number_of(const Value& value) {
  if (value.is_null()) return std::nullopt;
  if (value.kind == Value::Kind::json) {
    if (value.json->is_number()) return value.json->get<double>();
    if (!value.json->is_string()) return std::nullopt;
  }
  return number_of_text(value.text);
}

std::optional<std::int64_t> epoch_of_text(std::string_view text) {
  if (text.size() == 10) return usage::day_start(text);
  return timestamp_of(text);
}

std::optional<std::int64_t> epoch_of(const Value& value) {
  if (value.is_null()) return std::nullopt;
  if (value.kind == Value::Kind::json && !value.json->is_string()) return std::nullopt;
  return epoch_of_text(value.text);
}

std::string text_of(const Value& value) {
  if (value.kind == Value::Kind::text) return std::string(value.text);
  if (value.kind == Value::Kind::json) return value.json->is_string() ? std::string(value.text) : value.json->dump();
  return {};
}

bool matches_scalar(const Value& value, const manifest::Scalar& scalar) {
  if (value.is_null()) return false;
  if (value.kind == Value::Kind::json && !value.json->is_string()) {
    const auto& json = *value.json;
    if (const auto* flag = std::get_if<bool>(&scalar)) return json.is_boolean() && json.get<bool>() == *flag;
    if (std::holds_alternative<std::string>(scalar)) return false;
    if (!json.is_number()) return false;
    return json.get<double>() == (std::holds_alternative<double>(scalar)
                                      ? std::get<double>(scalar)
                                      : static_cast<double>(std::get<std::int64_t>(scalar)));
  }
  if (const auto* text = std::get_if<std::string>(&scalar)) return value.text == *text;
  if (value.kind == Value::Kind::json) return false;  // a JSON string is not a number or a boolean
  if (const auto* flag = std::get_if<bool>(&scalar)) return equals_ignoring_case(value.text, *flag ? "true" : "false");
  const auto number = number_of_text(value.text);
  if (!number) return false;
  return *number == (std::holds_alternative<double>(scalar) ? std::get<double>(scalar)
                                                            : static_cast<double>(std::get<std::int64_t>(scalar)));
}

nlohmann::ordered_json sample_json(const Value& value) {
  switch (value.kind) {
    case Value::Kind::missing:
    case Value::Kind::null: return nullptr;
    case Value::Kind::text: return std::string(value.text);
    case Value::Kind::json: return *value.json;
  }
  return nullptr;
}

}  // namespace meshctl::quality
