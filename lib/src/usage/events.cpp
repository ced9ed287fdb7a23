#include "meshctl/usage/events.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/usage/time.h"

namespace meshctl::usage {
namespace {

using nlohmann::json;

// The reason a line is refused; empty while it is fine.
class LineCheck {
 public:
  explicit LineCheck(const json& object) : object_(object) {}

  std::string required_text(const char* key) {
    const auto found = object_.find(key);
    if (found == object_.end() || found->is_null()) {
      fail(fmt::format("'{}' is missing", key));
      return {};
    }
    if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
      fail(fmt::format("'{}' must be a non-empty string", key));
      return {};
    }
    return found->get<std::string>();
  }

  std::string optional_text(const char* key, const char* fallback) {
    const auto found = object_.find(key);
    if (found == object_.end() || found->is_null()) return fallback;
    if (!found->is_string()) {
      fail(fmt::format("'{}' must be a string", key));
      return {};
    }
    return found->get<std::string>();
  }

  std::int64_t count(const char* key) {
    const auto found = object_.find(key);
    if (found == object_.end() || found->is_null()) return 0;
    if (found->is_number_unsigned() && found->get<std::uint64_t>() <= INT64_MAX) {
      return static_cast<std::int64_t>(found->get<std::uint64_t>());
    }
    if (found->is_number_integer() && found->get<std::int64_t>() >= 0) return found->get<std::int64_t>();
    fail(fmt::format("'{}' must be a whole number of 0 or more", key));
    return 0;
  }

  // The time normalized to "...Z".
  std::string timestamp(const char* key) {
    const auto text = required_text(key);
    if (!ok()) return {};
    const auto seconds = parse_timestamp(text);
    if (!seconds) {
      fail(fmt::format("'{}' is not an RFC 3339 time like 2026-11-23T10:00:00Z: '{}'", key, text));
      return {};
    }
    return format_timestamp(*seconds);
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
  const json& object_;
  std::string reason_;
};

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

void parse_line(std::string_view line, std::size_t number, ParsedEvents& into) {
  const json object = json::parse(line, nullptr, false);
  if (object.is_discarded()) {
    into.problems.push_back({number, "not valid JSON"});
    return;
  }
  if (!object.is_object()) {
    into.problems.push_back({number, "not a JSON object"});
    return;
  }
  LineCheck check(object);
  const std::string type = check.optional_text("type", "");
  if (!check.ok() || (!type.empty() && type != "usage" && type != "freshness")) {
    into.problems.push_back({number, "'type' must be \"usage\" or \"freshness\""});
    return;
  }
  if (type == "freshness" || (type.empty() && object.contains("updatedAt"))) {
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

}  // namespace

ParsedEvents parse_events(std::string_view json_lines, std::size_t first_line) {
  ParsedEvents parsed;
  std::size_t number = first_line;
  std::size_t start = 0;
  while (start < json_lines.size()) {
    std::size_t end = json_lines.find('\n', start);
    if (end == std::string_view::npos) end = json_lines.size();
    const std::string_view line = json_lines.substr(start, end - start);
    if (!is_blank(line)) parse_line(line, number, parsed);
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
