#include "meshctl/core/text.h"

#include <algorithm>
#include <numeric>

namespace meshctl {

namespace {

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

// Words of [first][rest]* joined by one separator, no separator at either end or twice.
bool is_separated(std::string_view text, char separator, bool (*first)(char), bool (*rest)(char)) {
  if (text.empty() || !first(text.front()) || text.back() == separator) return false;
  char previous = '\0';
  for (char c : text) {
    if (c == separator) {
      if (previous == separator) return false;
    } else if (!rest(c)) {
      return false;
    }
    previous = c;
  }
  return true;
}

bool is_lower_or_digit(char c) {
  return is_lower(c) || is_digit(c);
}
bool is_upper_or_digit(char c) {
  return is_upper(c) || is_digit(c);
}
bool is_alnum(char c) {
  return is_lower(c) || is_upper(c) || is_digit(c);
}

}  // namespace

bool is_kebab_case(std::string_view text) {
  return is_separated(text, '-', is_lower, is_lower_or_digit);
}
bool is_snake_case(std::string_view text) {
  return is_separated(text, '_', is_lower, is_lower_or_digit);
}
bool is_upper_snake_case(std::string_view text) {
  return is_separated(text, '_', is_upper, is_upper_or_digit);
}
bool is_camel_case(std::string_view text) {
  return !text.empty() && is_lower(text.front()) && std::all_of(text.begin(), text.end(), is_alnum);
}
bool is_pascal_case(std::string_view text) {
  return !text.empty() && is_upper(text.front()) && std::all_of(text.begin(), text.end(), is_alnum);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus the swap of two adjacent
  // characters as one edit, the commonest typo ("titel" for "title").
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> before_previous(width);
  std::vector<std::size_t> previous(width);
  std::vector<std::size_t> current(width);
  std::iota(previous.begin(), previous.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::size_t budget = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  std::optional<std::string> best;
  std::size_t best_distance = budget + 1;
  for (auto candidate : candidates) {
    // The distance is at least the difference in length: a word far longer than every candidate (a
    // hostile file's 100 KB key) costs nothing, instead of its length times each candidate's.
    const std::size_t length_gap =
        word.size() > candidate.size() ? word.size() - candidate.size() : candidate.size() - word.size();
    if (length_gap >= best_distance) continue;
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

std::uint64_t fnv1a_64(std::string_view text, std::uint64_t hash) {
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;  // the FNV 64-bit prime
  }
  return hash;
}

std::string join_words(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? " and " : ", ";
    out += '\'';
    out += words[i];
    out += '\'';
  }
  return out;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > 100'000'000) return std::nullopt;  // beyond any sensible SLO; also keeps value * unit in range
  }
  if (value == 0) return std::nullopt;
  return value * unit;
}

std::optional<std::int64_t> parse_period(std::string_view text) {
  if (text.empty() || text.back() != 'w') return parse_duration(text);
  const auto days = parse_duration(std::string(text.substr(0, text.size() - 1)) + "d");
  if (!days) return std::nullopt;
  return *days * 7;
}

std::optional<Utf8Character> decode_utf8(std::string_view text, std::size_t offset) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(offset);
  if (lead < 0x80) return Utf8Character{lead, 1};
  std::size_t length = 0;
  char32_t smallest = 0;  // below it, the form is overlong
  if ((lead & 0xE0) == 0xC0) {
    length = 2, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (offset + length > text.size()) return std::nullopt;
  char32_t code_point = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(offset + k) & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (byte(offset + k) & 0x3F);
  }
  if (code_point < smallest || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return std::nullopt;
  }
  return Utf8Character{code_point, length};
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t offset = 0;
  while (offset < text.size()) {
    const auto character = decode_utf8(text, offset);
    if (!character) return offset;
    offset += character->length;
  }
  return std::nullopt;
}

std::string printable_text(std::string_view text, LineBreaks line_breaks) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  const auto escape = [&](std::string_view prefix, unsigned value) {
    out += prefix;
    if (prefix == "\\u") out += "00";
    out += kHex[(value >> 4) & 0xF];
    out += kHex[value & 0xF];
  };
  std::size_t offset = 0;
  while (offset < text.size()) {
    const auto character = decode_utf8(text, offset);
    if (!character) {
      escape("\\x", static_cast<unsigned char>(text[offset]));
      ++offset;
      continue;
    }
    const char32_t c = character->code_point;
    const bool kept_control = c == '\t' || (c == '\n' && line_breaks == LineBreaks::keep);
    if ((c < 0x20 && !kept_control) || c == 0x7F) {
      escape("\\x", static_cast<unsigned>(c));
    } else if (c >= 0x80 && c <= 0x9F) {
      escape("\\u", static_cast<unsigned>(c));
    } else {
      out.append(text.substr(offset, character->length));
    }
    offset += character->length;
  }
  return out;
}

}  // namespace meshctl
