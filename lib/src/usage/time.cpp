#include "meshctl/usage/time.h"

#include <fmt/format.h>

#include "meshctl/core/text.h"

namespace meshctl::usage {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil algorithm).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned month_index = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const unsigned month = month_index < 10 ? month_index + 3 : month_index - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

// Reads exactly `width` digits at `position`.
std::optional<int> digits(std::string_view text, std::size_t position, std::size_t width) {
  if (position + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = position; i < position + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

std::optional<std::int64_t> date_days(std::string_view text) {
  auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  if (!year || !month || !day || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  static constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*month < 1 || *month > 12 || *day < 1) return std::nullopt;
  const int last = kDaysInMonth[*month - 1] + ((*month == 2 && is_leap(*year)) ? 1 : 0);
  if (*day > last) return std::nullopt;
  return days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
}

}  // namespace

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  auto days = date_days(text);
  if (!days || text.size() < 20) return std::nullopt;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!hour || !minute || !second || text[13] != ':' || text[16] != ':') return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;  // 60: a leap second
  std::size_t position = 19;
  if (text[position] == '.') {
    ++position;
    const std::size_t first_digit = position;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') ++position;
    if (position == first_digit) return std::nullopt;
  }
  std::int64_t offset = 0;
  const std::string_view zone = text.substr(position);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto zone_hour = digits(zone, 1, 2), zone_minute = digits(zone, 4, 2);
    if (!zone_hour || !zone_minute || *zone_hour > 23 || *zone_minute > 59) return std::nullopt;
    offset = (*zone_hour * 3600 + *zone_minute * 60) * (zone[0] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  return *days * 86400 + *hour * 3600 + *minute * 60 + *second - offset;
}

std::string format_timestamp(std::int64_t epoch_seconds) {
  std::int64_t days = epoch_seconds / 86400;
  std::int64_t rest = epoch_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  const Civil date = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", date.year, date.month, date.day, rest / 3600,
                     rest / 60 % 60, rest % 60);
}

std::optional<std::string> normalize_timestamp(std::string_view text) {
  const auto seconds = parse_timestamp(text);
  if (!seconds) return std::nullopt;
  // "YYYY-MM-DDTHH:MM:SSZ" with no leap second reads back as it is written.
  if (text.size() == 20 && text[10] == 'T' && text[19] == 'Z' && text.substr(17, 2) != "60") {
    return std::string(text);
  }
  return format_timestamp(*seconds);
}

std::optional<std::int64_t> window_days(std::string_view since) {
  const auto seconds = parse_duration(since);
  if (!seconds) return std::nullopt;
  return (*seconds + 86399) / 86400;
}

std::string day_of(std::int64_t epoch_seconds) {
  return format_timestamp(epoch_seconds).substr(0, 10);
}

std::optional<std::int64_t> day_start(std::string_view day) {
  if (day.size() != 10) return std::nullopt;
  auto days = date_days(day);
  if (!days) return std::nullopt;
  return *days * 86400;
}


}  // namespace meshctl::usage
