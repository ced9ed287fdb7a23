#pragma once

// Time arithmetic of usage: RFC 3339 timestamps, UTC days and SLO durations,
// as whole seconds since the Unix epoch (no time zone database needed).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meshctl::usage {

// Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"
// ('t', 'z' and a space for 'T' accepted). The fraction is dropped. nullopt for
// anything else, including impossible dates and times.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

// "2026-11-23T22:43:32Z".
std::string format_timestamp(std::int64_t epoch_seconds);

// format_timestamp(parse_timestamp(text)), without the round trip when `text`
// is already in that form.
std::optional<std::string> normalize_timestamp(std::string_view text);

// The UTC day "YYYY-MM-DD" of an instant.
std::string day_of(std::int64_t epoch_seconds);

// The days of a usage window written as a duration ("30d" -> 30; "12h" -> 1:
// a window is whole days, today included); nullopt when `since` is not a duration.
std::optional<std::int64_t> window_days(std::string_view since);

// Seconds since the epoch of a day's midnight UTC; nullopt when `day` is not a calendar date.
std::optional<std::int64_t> day_start(std::string_view day);

}  // namespace meshctl::usage
