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

}  // namespace meshctl
