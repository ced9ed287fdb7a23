// Custom rules: the `given` path evaluator and the checks of a standards file's `custom:` rules.
// The semantics are documented at StandardsData in meshctl/standards/standards.h.
#include <algorithm>

#include <fmt/format.h>

#include "standards/builtin_checker.h"

namespace meshctl::standards {

using yaml::Node;

namespace {

// A value as a message quotes it: long ones cut, so one finding stays one line.
std::string shortened(const std::string& text) {
  constexpr std::size_t kShown = 60;
  if (text.size() <= kShown) return text;
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return text.substr(0, cut) + "...";
}

}  // namespace

std::optional<std::vector<PathStep>> parse_path(std::string_view text, std::string& error) {
  std::vector<PathStep> steps;
  std::size_t i = 0;
  if (text.empty()) {
    error = "the path is empty";
    return std::nullopt;
  }
  while (i < text.size()) {
    if (text[i] == '[') {
      const auto close = text.find(']', i);
      if (close == std::string_view::npos) {
        error = fmt::format("'[' at character {} is not closed", i + 1);
        return std::nullopt;
      }
      const auto inside = text.substr(i + 1, close - i - 1);
      PathStep step;
      if (inside == "*") {
        step.kind = PathStep::Kind::wildcard;
      } else if (!inside.empty() &&
                 std::all_of(inside.begin(), inside.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                 inside.size() < 10) {
        step.kind = PathStep::Kind::index;
        step.index = std::stoul(std::string(inside));
      } else {
        error = fmt::format("'[{}]' is neither [*] nor a list index like [0]", inside);
        return std::nullopt;
      }
      steps.push_back(step);
      i = close + 1;
      if (i < text.size() && text[i] == '.') {
        ++i;
        if (i == text.size()) {
          error = "the path ends with '.'";
          return std::nullopt;
        }
      }
      continue;
    }
    const auto end = text.find_first_of(".[", i);
    const auto key = text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (key.empty()) {
      error = fmt::format("empty key at character {}", i + 1);
      return std::nullopt;
    }
    steps.push_back(PathStep{key == "*" ? PathStep::Kind::wildcard : PathStep::Kind::key, std::string(key), 0});
    if (end == std::string_view::npos) break;
    i = end;
    if (text[i] == '.') {
      ++i;
      if (i == text.size()) {
        error = "the path ends with '.'";
        return std::nullopt;
      }
    }
  }
  return steps;
}

namespace {

// One place the path leads to: a node, or an absent member of `anchor_node`.
struct Selected {
  const Node* node = nullptr;  // nullptr: absent
  Position position;           // the node's own position, or where an absent one is reported
  std::string path;
};

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

bool wildcard_follows(const std::vector<PathStep>& steps, std::size_t from) {
  return std::any_of(steps.begin() + static_cast<std::ptrdiff_t>(from), steps.end(),
                     [](const PathStep& s) { return s.kind == PathStep::Kind::wildcard; });
}

void select(const Node& node, Position key_position, const std::vector<PathStep>& steps, std::size_t at,
            const std::string& path, std::vector<Selected>& out) {
  if (at == steps.size()) {
    out.push_back(Selected{&node, key_position, path});
    return;
  }
  const PathStep& step = steps[at];
  auto absent = [&](std::string missing_path) {
    if (!wildcard_follows(steps, at + 1)) out.push_back(Selected{nullptr, key_position, std::move(missing_path)});
  };
  switch (step.kind) {
    case PathStep::Kind::key: {
      if (!node.is_mapping()) return;
      const auto* entry = node.find_entry(step.key);
      if (entry == nullptr) {
        absent(join(path, step.key));
        return;
      }
      select(entry->value, entry->key_position, steps, at + 1, join(path, step.key), out);
      return;
    }
    case PathStep::Kind::index: {
      if (!node.is_sequence()) return;
      if (step.index >= node.items.size()) {
        absent(fmt::format("{}[{}]", path, step.index));
        return;
      }
      const Node& item = node.items[step.index];
      select(item, item.position, steps, at + 1, fmt::format("{}[{}]", path, step.index), out);
      return;
    }
    case PathStep::Kind::wildcard:
      if (node.is_sequence()) {
        for (std::size_t i = 0; i < node.items.size(); ++i) {
          select(node.items[i], node.items[i].position, steps, at + 1, fmt::format("{}[{}]", path, i), out);
        }
      } else if (node.is_mapping()) {
        for (const auto& entry : node.entries) {
          select(entry.value, entry.key_position, steps, at + 1, join(path, entry.key), out);
        }
      }
      return;
  }
}

std::string describe(const Node& node) {
  return node.is_scalar() ? fmt::format("'{}'", node.text) : std::string(yaml::to_string(node.kind));
}

// The first check `value` fails, as a sentence; nullopt when it passes them all.
std::optional<std::string> failure(const CustomCheck& check, const Node* value, const std::string& path) {
  if (value == nullptr || value->kind == yaml::NodeKind::null) {
    if (check.required) return fmt::format("'{}' is missing", path);
    return std::nullopt;
  }
  if (check.forbidden) return fmt::format("'{}' must not be set", path);
  if (!check.allowed.empty()) {
    if (!value->is_scalar() || !contains(check.allowed, value->text)) {
      return fmt::format("'{}' is {}, not one of {}", path, describe(*value), quoted_list(check.allowed));
    }
  }
  std::size_t length = 0;
  if (value->is_string()) {
    length = utf8_length(value->text);
  } else if (value->is_sequence()) {
    length = value->items.size();
  } else if (value->is_mapping()) {
    length = value->entries.size();
  }
  const bool measurable = !value->is_scalar() || value->is_string();
  if (measurable && check.min_length && length < *check.min_length) {
    return fmt::format("'{}' has length {}, less than {}", path, length, *check.min_length);
  }
  if (measurable && check.max_length && length > *check.max_length) {
    return fmt::format("'{}' has length {}, more than {}", path, length, *check.max_length);
  }
  if (!value->is_string()) return std::nullopt;
  if (check.casing && !has_casing(value->text, *check.casing)) {
    return fmt::format("'{}' is '{}', not {}", path, shortened(value->text), casing_example(*check.casing));
  }
  if (check.pattern) {
    if (!RE2::PartialMatch(value->text, *check.pattern)) {
      return fmt::format("'{}' is '{}', which does not match /{}/", path, shortened(value->text), *check.pattern_text);
    }
  }
  return std::nullopt;
}

}  // namespace

void check_custom(const Node& root, const CustomRule& rule, Severity severity, const std::string& file,
                  std::vector<Diagnostic>& out) {
  std::vector<Selected> selected;
  select(root, root.position, rule.steps, 0, "", selected);
  for (const auto& place : selected) {
    const Node* value = place.node;
    std::string path = place.path;
    Position position = value != nullptr ? value->position : place.position;
    if (rule.check.field) {
      if (value == nullptr) {
        // The parent is absent too: only `required` can fail, at the deepest member that exists.
        path = join(path, *rule.check.field);
      } else {
        if (!value->is_mapping()) continue;
        path = join(path, *rule.check.field);
        const auto* entry = value->find_entry(*rule.check.field);
        position = entry != nullptr ? entry->value.position : place.position;
        value = entry != nullptr ? &entry->value : nullptr;
      }
    }
    if (auto why = failure(rule.check, value, path)) {
      out.push_back(Diagnostic{file, position, severity, rule.id, path, fmt::format("{}: {}", rule.message, *why)});
    }
  }
}

}  // namespace meshctl::standards
