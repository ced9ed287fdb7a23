#include "meshctl/usage/events.h"

#include <charconv>
#include <cstdint>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/core/text.h"
#include "meshctl/usage/time.h"

namespace meshctl::usage {
namespace {

using nlohmann::json;

// One member value of an event line, as the checks need it.
struct Value {
  enum class Kind { null, string, whole, number, boolean, other };
  Kind kind = Kind::null;
  std::string_view text;     // a string's characters
  std::uint64_t whole = 0;   // a whole number >= 0
};
using Members = std::vector<std::pair<std::string_view, Value>>;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Reads a line that is one JSON object of scalar members, in ASCII without
// escapes (what producers write), with views into the line and no DOM: most
// of the cost of an ingest is here. false for anything else (nested values,
// escapes, non-ASCII, repeated keys, bad JSON): the caller then reads the line
// with nlohmann::json, which names what is wrong.
bool scan_flat_object(std::string_view line, Members& members) {
  std::size_t i = 0;
  const std::size_t n = line.size();
  auto skip_space = [&] {
    while (i < n && is_space(line[i])) ++i;
  };
  auto scan_string = [&](std::string_view& text) {
    if (i >= n || line[i] != '"') return false;
    const std::size_t start = ++i;
    while (i < n && line[i] != '"') {
      const auto c = static_cast<unsigned char>(line[i]);
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++i;
    }
    if (i >= n) return false;
    text = line.substr(start, i - start);
    ++i;
    return true;
  };
  auto scan_digits = [&] {
    const std::size_t start = i;
    while (i < n && is_digit(line[i])) ++i;
    return i > start;
  };
  auto scan_number = [&](Value& value) {
    const std::size_t start = i;
    if (line[i] == '-') ++i;
    if (i >= n || !is_digit(line[i])) return false;
    if (line[i] == '0') {
      ++i;
    } else {
      scan_digits();
    }
    bool integral = true;
    if (i < n && line[i] == '.') {
      integral = false;
      ++i;
      if (!scan_digits()) return false;
    }
    if (i < n && (line[i] == 'e' || line[i] == 'E')) {
      integral = false;
      ++i;
      if (i < n && (line[i] == '+' || line[i] == '-')) ++i;
      if (!scan_digits()) return false;
    }
    const std::string_view text = line.substr(start, i - start);
    value.kind = Value::Kind::number;
    if (integral && (text[0] != '-' || text == "-0")) {
      const auto digits = text[0] == '-' ? text.substr(1) : text;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value.whole);
      if (error == std::errc() && end == digits.data() + digits.size()) value.kind = Value::Kind::whole;
    }
    return true;
  };
  auto scan_word = [&](std::string_view word) {
    if (line.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
  };

  skip_space();
  if (i >= n || line[i] != '{') return false;
  ++i;
  skip_space();
  if (i < n && line[i] == '}') {
    ++i;
  } else {
    while (true) {
      std::string_view key;
      if (!scan_string(key)) return false;
      for (const auto& member : members) {
        if (member.first == key) return false;
      }
      skip_space();
      if (i >= n || line[i] != ':') return false;
      ++i;
      skip_space();
      if (i >= n) return false;
      Value value;
      const char c = line[i];
      if (c == '"') {
        value.kind = Value::Kind::string;
        if (!scan_string(value.text)) return false;
      } else if (c == '-' || is_digit(c)) {
        if (!scan_number(value)) return false;
      } else if (scan_word("true") || scan_word("false")) {
        value.kind = Value::Kind::boolean;
      } else if (!scan_word("null")) {
        return false;
      }
      members.emplace_back(key, value);
      skip_space();
      if (i < n && line[i] == ',') {
        ++i;
        skip_space();
        continue;
      }
      if (i < n && line[i] == '}') {
        ++i;
        break;
      }
      return false;
    }
  }
  skip_space();
  return i == n;
}

// The members of a parsed object, with views into `object`.
void members_of(const json& object, Members& members) {
  for (const auto& [key, member] : object.get_ref<const json::object_t&>()) {
    Value value;
    if (member.is_string()) {
      value.kind = Value::Kind::string;
      value.text = member.get_ref<const std::string&>();
    } else if (member.is_number_unsigned() || (member.is_number_integer() && member.get<std::int64_t>() == 0)) {
      value.kind = Value::Kind::whole;
      value.whole = member.get<std::uint64_t>();
    } else if (member.is_number()) {
      value.kind = Value::Kind::number;
    } else if (member.is_boolean()) {
      value.kind = Value::Kind::boolean;
    } else if (!member.is_null()) {
      value.kind = Value::Kind::other;
    }
    members.emplace_back(key, value);
  }
}

// The reason a line is refused; empty while it is fine. A null member counts as missing.
class LineCheck {
 public:
  explicit LineCheck(const Members& members) : members_(members) {}

  bool has(std::string_view key) const { return find(key) != nullptr; }

  std::string_view required_text(const char* key) {
    const Value* found = find(key);
    if (found == nullptr) {
      fail(fmt::format("'{}' is missing", key));
      return {};
    }
    if (found->kind != Value::Kind::string || found->text.empty()) {
      fail(fmt::format("'{}' must be a non-empty string", key));
      return {};
    }
    return found->text;
  }

  std::string_view optional_text(const char* key, std::string_view fallback) {
    const Value* found = find(key);
    if (found == nullptr) return fallback;
    if (found->kind != Value::Kind::string) {
      fail(fmt::format("'{}' must be a string", key));
      return {};
    }
    return found->text;
  }

  std::int64_t count(const char* key) {
    const Value* found = find(key);
    if (found == nullptr) return 0;
    if (found->kind == Value::Kind::whole && found->whole <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(found->whole);
    }
    fail(fmt::format("'{}' must be a whole number of 0 or more", key));
    return 0;
  }

  // The time normalized to "...Z".
  std::string timestamp(const char* key) {
    const auto text = required_text(key);
    if (!ok()) return {};
    auto normalized = normalize_timestamp(text);
    if (!normalized) {
      fail(fmt::format("'{}' is not an RFC 3339 time like 2026-11-23T10:00:00Z: '{}'", key, text));
      return {};
    }
    return std::move(*normalized);
  }

  registry::ProductRef product() {
    const auto text = required_text("product");
    if (!ok()) return {};
    auto ref = registry::parse_product_ref(text);
    if (!ref.ok()) {
      fail(fmt::format("'product' must be DOMAIN/NAME, not '{}'", text));
      return {};
    }
    return *ref;
  }

  void fail(std::string reason) {
    if (reason_.empty()) reason_ = std::move(reason);
  }
  bool ok() const { return reason_.empty(); }
  const std::string& reason() const { return reason_; }

 private:
  const Value* find(std::string_view key) const {
    for (const auto& [name, value] : members_) {
      if (name == key) return value.kind == Value::Kind::null ? nullptr : &value;
    }
    return nullptr;
  }

  const Members& members_;
  std::string reason_;
};

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

void check_members(const Members& members, std::size_t number, ParsedEvents& into) {
  LineCheck check(members);
  const auto type = check.optional_text("type", "");
  if (!check.ok() || (!type.empty() && type != "usage" && type != "freshness")) {
    into.problems.push_back({number, "'type' must be \"usage\" or \"freshness\""});
    return;
  }
  if (type == "freshness" || (type.empty() && check.has("updatedAt"))) {
    registry::FreshnessEvent event;
    event.time = check.timestamp("time");
    event.product = check.product();
    event.port = check.required_text("port");
    event.updated_at = check.timestamp("updatedAt");
    event.line = number;
    if (check.ok()) {
      into.freshness.push_back(std::move(event));
    } else {
      into.problems.push_back({number, check.reason()});
    }
    return;
  }
  registry::UsageEvent event;
  event.id = check.required_text("id");
  event.time = check.timestamp("time");
  event.product = check.product();
  event.port = check.required_text("port");
  event.consumer = check.required_text("consumer");
  event.operation = check.optional_text("operation", "read");
  event.rows = check.count("rows");
  event.bytes = check.count("bytes");
  event.version = check.optional_text("version", "");
  event.line = number;
  if (check.ok()) {
    into.usage.push_back(std::move(event));
  } else {
    into.problems.push_back({number, check.reason()});
  }
}

void parse_line(std::string_view line, std::size_t number, Members& members, ParsedEvents& into) {
  members.clear();
  if (scan_flat_object(line, members)) {
    check_members(members, number, into);
    return;
  }
  const json object = json::parse(line, nullptr, false);
  if (object.is_discarded()) {
    into.problems.push_back({number, "not valid JSON"});
    return;
  }
  if (!object.is_object()) {
    into.problems.push_back({number, "not a JSON object"});
    return;
  }
  members.clear();
  members_of(object, members);
  check_members(members, number, into);
}

}  // namespace

ParsedEvents parse_events(std::string_view json_lines, std::size_t first_line) {
  ParsedEvents parsed;
  Members members;  // reused: one allocation for every line
  std::size_t number = first_line;
  std::size_t start = 0;
  while (start < json_lines.size()) {
    std::size_t end = json_lines.find('\n', start);
    if (end == std::string_view::npos) end = json_lines.size();
    const std::string_view line = json_lines.substr(start, end - start);
    if (!is_blank(line)) parse_line(line, number, members, parsed);
    ++number;
    start = end + 1;
  }
  return parsed;
}

std::vector<std::pair<std::size_t, std::string_view>> split_lines(std::string_view text, std::size_t max_bytes) {
  std::vector<std::pair<std::size_t, std::string_view>> pieces;
  std::size_t start = 0;
  std::size_t line = 1;
  while (start < text.size()) {
    std::size_t end = start;  // one past the piece's last newline
    std::size_t lines = 0;
    while (end < text.size()) {
      std::size_t next = text.find('\n', end);
      next = next == std::string_view::npos ? text.size() : next + 1;
      if (lines > 0 && next - start > max_bytes) break;
      end = next;
      ++lines;
    }
    pieces.emplace_back(line, text.substr(start, end - start));
    line += lines;
    start = end;
  }
  return pieces;
}

}  // namespace meshctl::usage
