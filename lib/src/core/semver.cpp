#include "meshctl/core/semver.h"

#include <algorithm>
#include <limits>

#include "meshctl/core/text.h"

namespace meshctl {

namespace {

bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// A numeric part: digits, no leading zero unless it is "0", no overflow.
std::optional<std::uint64_t> parse_number(std::string_view text) {
  if (!all_digits(text) || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool valid_identifiers(std::string_view text, bool numeric_without_leading_zero) {
  for (auto identifier : split(text, '.')) {
    if (identifier.empty() || !std::all_of(identifier.begin(), identifier.end(), is_identifier_char)) return false;
    if (numeric_without_leading_zero && all_digits(identifier) && identifier.size() > 1 && identifier[0] == '0') {
      return false;
    }
  }
  return true;
}

int compare_identifiers(const std::string& a, const std::string& b) {
  const bool a_numeric = all_digits(a);
  const bool b_numeric = all_digits(b);
  if (a_numeric && b_numeric) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;  // no leading zeros: longer is larger
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (a_numeric != b_numeric) return a_numeric ? -1 : 1;  // numeric identifiers sort first
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

Version release(std::uint64_t major, std::uint64_t minor, std::uint64_t patch) {
  return Version{major, minor, patch, {}, {}};
}

}  // namespace

std::string Version::to_string() const {
  std::string text = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  for (std::size_t i = 0; i < prerelease.size(); ++i) text += (i == 0 ? "-" : ".") + prerelease[i];
  if (!build.empty()) text += "+" + build;
  return text;
}

std::optional<Version> parse_version(std::string_view text) {
  Version version;
  if (const auto plus = text.find('+'); plus != std::string_view::npos) {
    const auto build = text.substr(plus + 1);
    if (!valid_identifiers(build, false)) return std::nullopt;
    version.build = std::string(build);
    text = text.substr(0, plus);
  }
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    const auto prerelease = text.substr(dash + 1);
    if (!valid_identifiers(prerelease, true)) return std::nullopt;
    for (auto identifier : split(prerelease, '.')) version.prerelease.emplace_back(identifier);
    text = text.substr(0, dash);
  }
  const auto parts = split(text, '.');
  if (parts.size() != 3) return std::nullopt;
  const auto major = parse_number(parts[0]);
  const auto minor = parse_number(parts[1]);
  const auto patch = parse_number(parts[2]);
  if (!major || !minor || !patch) return std::nullopt;
  version.major = *major;
  version.minor = *minor;
  version.patch = *patch;
  return version;
}

int compare_versions(const Version& a, const Version& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.prerelease.empty() != b.prerelease.empty()) return a.prerelease.empty() ? 1 : -1;
  const std::size_t common = std::min(a.prerelease.size(), b.prerelease.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (int c = compare_identifiers(a.prerelease[i], b.prerelease[i]); c != 0) return c;
  }
  if (a.prerelease.size() != b.prerelease.size()) return a.prerelease.size() < b.prerelease.size() ? -1 : 1;
  return 0;
}

std::optional<VersionConstraint> parse_constraint(std::string_view text) {
  using Op = VersionConstraint::Operator;
  static constexpr std::pair<std::string_view, Op> kOperators[] = {
      {">=", Op::greater_equal}, {"<=", Op::less_equal}, {"^", Op::caret}, {"~", Op::tilde},
      {">", Op::greater},        {"<", Op::less},        {"=", Op::equal}};
  VersionConstraint constraint;
  for (const auto& [symbol, op] : kOperators) {
    if (text.starts_with(symbol)) {
      constraint.op = op;
      text.remove_prefix(symbol.size());
      break;
    }
  }
  const auto parts = split(text, '.');
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  for (auto part : parts) {
    const auto number = parse_number(part);
    if (!number) return std::nullopt;
    constraint.parts.push_back(*number);
  }
  return constraint;
}

bool VersionConstraint::satisfied_by(const Version& version) const {
  if (!version.prerelease.empty() || parts.empty()) return false;
  const std::uint64_t major = parts[0];
  const std::uint64_t minor = parts.size() > 1 ? parts[1] : 0;
  const std::uint64_t patch = parts.size() > 2 ? parts[2] : 0;
  const Version given = release(major, minor, patch);
  // The first version after the wildcard range of `parts`: 1.2 -> 1.3.0, 1 -> 2.0.0.
  const Version after_wildcard = parts.size() == 1   ? release(major + 1, 0, 0)
                                 : parts.size() == 2 ? release(major, minor + 1, 0)
                                                     : release(major, minor, patch + 1);
  const int to_given = compare_versions(version, given);
  const int to_after = compare_versions(version, after_wildcard);
  switch (op) {
    case Operator::equal: return to_given >= 0 && to_after < 0;
    case Operator::greater_equal: return to_given >= 0;
    case Operator::greater: return to_after >= 0;
    case Operator::less_equal: return to_after < 0;
    case Operator::less: return to_given < 0;
    case Operator::tilde: {
      const Version upper = parts.size() == 1 ? release(major + 1, 0, 0) : release(major, minor + 1, 0);
      return to_given >= 0 && compare_versions(version, upper) < 0;
    }
    case Operator::caret: {
      Version upper;
      if (major > 0 || parts.size() == 1) {
        upper = release(major + 1, 0, 0);
      } else if (minor > 0 || parts.size() == 2) {
        upper = release(0, minor + 1, 0);
      } else {
        upper = release(0, 0, patch + 1);
      }
      return to_given >= 0 && compare_versions(version, upper) < 0;
    }
  }
  return false;
}

std::string VersionConstraint::to_string() const {
  static constexpr const char* kSymbols[] = {"^", "~", ">=", ">", "<=", "<", "="};
  std::string text = op == Operator::equal ? "" : kSymbols[static_cast<int>(op)];
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += '.';
    text += std::to_string(parts[i]);
  }
  return text;
}

}  // namespace meshctl
