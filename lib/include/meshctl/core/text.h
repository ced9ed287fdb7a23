#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl {

// An ASCII digit (std::isdigit depends on the locale and takes an int).
inline constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Casing checks shared by the built-in rules and custom `casing` checks.
bool is_kebab_case(std::string_view text);        // orders, order-lines, v2-events
bool is_snake_case(std::string_view text);        // order_id, line_2
bool is_camel_case(std::string_view text);        // orderId
bool is_pascal_case(std::string_view text);       // OrderId
bool is_upper_snake_case(std::string_view text);  // ORDER_ID

// Edit distance counting an adjacent swap as one edit, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is a plausible typo of it (a small
// edit distance relative to the length); nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// 64-bit FNV-1a of `text`, continuing from `hash` (Default: the offset basis):
// small and stable across platforms and releases; not cryptographic.
inline constexpr std::uint64_t kFnv1aOffsetBasis = 0xcbf29ce484222325ULL;
std::uint64_t fnv1a_64(std::string_view text, std::uint64_t hash = kFnv1aOffsetBasis);

// "'a', 'b' and 'c'".
std::string join_words(const std::vector<std::string_view>& words);

// A duration in seconds, written as a positive whole number and a unit: s, m, h
// or d ("90s", "30m", "1h", "7d"), as the manifest's slo.freshness and
// `--since` take it. nullopt for anything else (no unit, zero, a fraction, overflow).
std::optional<std::int64_t> parse_duration(std::string_view text);

// A period in seconds: parse_duration's forms and weeks ("2w"), as a token's
// lifetime (`--expires-in 90d`) and the audit's window (`--since 7d`) take
// it. nullopt for anything parse_duration refuses (zero, a sign, no unit).
std::optional<std::int64_t> parse_period(std::string_view text);

// One character of UTF-8 text: its code point and the bytes it takes.
struct Utf8Character {
  char32_t code_point = 0;
  std::size_t length = 0;
};

// The character that starts at byte `offset` of `text`, or nullopt when the bytes
// there are not well-formed UTF-8 (a stray continuation byte, a sequence cut short,
// an overlong form, a UTF-16 surrogate, beyond U+10FFFF). REQUIRES: offset < text.size().
std::optional<Utf8Character> decode_utf8(std::string_view text, std::size_t offset);

// The byte offset of the first byte that is not well-formed UTF-8, or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// `text` made safe to print to a terminal: valid characters stay as they are,
// while C0 controls, DEL and bytes that are not UTF-8 become `\xNN` and C1 controls
// `\u0080`..`\u009F`, so no escape sequence, carriage return or stray byte reaches
// the terminal. Tabs always stay; line feeds stay only with LineBreaks::keep (text
// printed as a block of lines), else they become `\x0A` too.
enum class LineBreaks { escape, keep };
std::string printable_text(std::string_view text, LineBreaks line_breaks = LineBreaks::escape);

}  // namespace meshctl
