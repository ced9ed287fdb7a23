#include "meshctl/validate/path_filter.h"

namespace meshctl::validate {

namespace {

// Matches one character class at the start of `pattern` ("[...]") against `c`; `length` gets the
// class's length. A '[' without its ']' is an ordinary character.
bool class_match(std::string_view pattern, char c, std::size_t& length) {
  std::size_t i = 1;
  const bool negated = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negated) ++i;
  bool matched = false;
  const std::size_t first = i;
  for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      matched = matched || (pattern[i] <= c && c <= pattern[i + 2]);
      i += 2;
    } else {
      matched = matched || pattern[i] == c;
    }
  }
  if (i >= pattern.size()) {
    length = 1;
    return c == '[';
  }
  length = i + 1;
  return matched != negated && c != '/';
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  while (!pattern.empty()) {
    if (pattern.starts_with("**")) {
      auto rest = pattern.substr(2);
      if (rest.starts_with('/')) {  // "**/": no folder, or any number of them
        rest.remove_prefix(1);
        if (glob_match(rest, path)) return true;
        for (std::size_t i = path.find('/'); i != std::string_view::npos; i = path.find('/', i + 1)) {
          if (glob_match(rest, path.substr(i + 1))) return true;
        }
        return false;
      }
      for (std::size_t i = 0; i <= path.size(); ++i) {
        if (glob_match(rest, path.substr(i))) return true;
      }
      return false;
    }
    switch (pattern.front()) {
      case '*':
        for (std::size_t i = 0; i <= path.size(); ++i) {
          if (glob_match(pattern.substr(1), path.substr(i))) return true;
          if (i < path.size() && path[i] == '/') break;
        }
        return false;
      case '?':
        if (path.empty() || path.front() == '/') return false;
        pattern.remove_prefix(1);
        path.remove_prefix(1);
        continue;
      case '[': {
        std::size_t length = 1;
        if (path.empty() || !class_match(pattern, path.front(), length)) return false;
        pattern.remove_prefix(length);
        path.remove_prefix(1);
        continue;
      }
      case '\\':
        if (pattern.size() > 1) pattern.remove_prefix(1);
        [[fallthrough]];
      default:
        if (path.empty() || path.front() != pattern.front()) return false;
        pattern.remove_prefix(1);
        path.remove_prefix(1);
    }
  }
  return path.empty();
}

void PathFilter::add(std::string_view pattern, std::string_view base) {
  Pattern added;
  if (pattern.starts_with('!')) {
    added.negated = true;
    pattern.remove_prefix(1);
  }
  if (pattern.ends_with('/')) {
    added.folders_only = true;
    pattern.remove_suffix(1);
  }
  if (pattern.starts_with('/')) {
    added.anchored = true;
    pattern.remove_prefix(1);
  }
  if (pattern.empty()) return;
  added.anchored = added.anchored || pattern.find('/') != std::string_view::npos;
  added.glob = std::string(pattern);
  if (!base.empty()) added.base = std::string(base) + "/";
  patterns_.push_back(std::move(added));
}

void PathFilter::add_lines(std::string_view text, std::string_view base) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line.starts_with('#')) continue;
    add(line, base);
  }
}

bool PathFilter::excluded(std::string_view relative_path, bool is_folder) const {
  const auto slash = relative_path.rfind('/');
  const auto name = slash == std::string_view::npos ? relative_path : relative_path.substr(slash + 1);
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->folders_only && !is_folder) continue;
    if (!relative_path.starts_with(it->base)) continue;
    const auto below = relative_path.substr(it->base.size());
    if (glob_match(it->glob, it->anchored ? below : name)) return !it->negated;
  }
  return false;
}

}  // namespace meshctl::validate
