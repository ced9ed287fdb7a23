#pragma once

// Values as the checks see them, and what each declared type accepts. One definition for files (CSV text,
// JSON Lines values) and for SQLite (meshctl's SQL functions call the same code), so a value passes or fails
// a check the same way whatever holds it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "meshctl/manifest/model.h"

namespace meshctl::quality {

// One cell of a row.
struct Value {
  enum class Kind {
    missing,  // JSON Lines: the object has no such key; CSV: the row is short
    null,     // CSV: an empty unquoted field; JSON: null
    text,     // CSV: every other field (quoted "" is the empty string, not null)
    json,     // JSON Lines: any other JSON value
  };
  Kind kind = Kind::missing;
  std::string_view text;  // text; json: a string's content (empty for other JSON values)
  const nlohmann::json* json = nullptr;

  bool is_null() const { return kind == Kind::missing || kind == Kind::null; }
};

// The field types of the manifest that `meshctl test` checks values against.
bool is_known_type(std::string_view type);

// Whether `text` (a CSV field, an SQLite TEXT value) is a value of `type`: integer (32 bits), long (64),
// float, double, decimal (digits with an optional sign, point and, but for decimal, exponent), boolean (true
// or false, in any case), date (YYYY-MM-DD, a real day), timestamp (a date, 'T' or a space, HH:MM:SS, an
// optional fraction and an optional zone: Z or +HH:MM; none means UTC), array and object (JSON text);
// string and bytes take anything.
bool text_fits(std::string_view type, std::string_view text);

// Whether `value` is of `type`; a null or empty value fits every type (`required` checks those). JSON values keep
// their JSON type: an integer field needs a JSON integer, a decimal a number or a string of a decimal, a
// date or timestamp a string that text_fits.
bool value_fits(std::string_view type, const Value& value);

// A null value, or an empty string (`required` refuses both).
bool is_null_or_empty(const Value& value);

// The number a value holds (a JSON number, or text that is a decimal number), else nullopt.
std::optional<double> number_of(const Value& value);
std::optional<double> number_of_text(std::string_view text);

// Seconds since the epoch of a timestamp (as text_fits accepts it) or a date (its midnight UTC).
std::optional<std::int64_t> epoch_of_text(std::string_view text);
std::optional<std::int64_t> epoch_of(const Value& value);

// The value as text: the text or string itself, else its JSON text. What pattern matching and unique see.
std::string text_of(const Value& value);

// Whether the value is `scalar` (an enum or accepted value): equal text, or equal numbers when both are.
bool matches_scalar(const Value& value, const manifest::Scalar& scalar);

// The value in a sample row: text as a JSON string, JSON as is, null for null and missing.
nlohmann::ordered_json sample_json(const Value& value);

// What a PII field's value is replaced by in samples.
inline constexpr const char* kMasked = "***";

}  // namespace meshctl::quality
