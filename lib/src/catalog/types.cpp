#include "meshctl/catalog/types.h"

#include <ctime>

#include <fmt/format.h>

#include "meshctl/catalog/operations.h"
#include "meshctl/core/text.h"

namespace meshctl::registry {

const char* to_string(LifecycleStatus status) {
  switch (status) {
    case LifecycleStatus::active: return "active";
    case LifecycleStatus::deprecated: return "deprecated";
    case LifecycleStatus::retired: return "retired";
  }
  return "active";
}

std::optional<LifecycleStatus> parse_lifecycle_status(std::string_view text) {
  if (text == "active") return LifecycleStatus::active;
  if (text == "deprecated") return LifecycleStatus::deprecated;
  if (text == "retired") return LifecycleStatus::retired;
  return std::nullopt;
}

const char* to_string(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::owner: return "owner";
    case Role::reader: return "reader";
  }
  return "reader";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::admin;
  if (text == "owner") return Role::owner;
  if (text == "reader") return Role::reader;
  return std::nullopt;
}

Result<ProductRef> parse_product_ref(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size() ||
      text.find('/', slash + 1) != std::string_view::npos) {
    return make_error(ErrorKind::invalid,
                      fmt::format("'{}' is not a product reference: write DOMAIN/NAME, e.g. sales/orders", text));
  }
  return ProductRef{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

Result<ProductSelector> parse_product_selector(std::string_view text) {
  const auto at = text.find('@');
  auto ref = parse_product_ref(text.substr(0, at));
  if (!ref.ok()) return ref.error();
  if (at == std::string_view::npos) return ProductSelector{std::move(*ref), std::nullopt};
  if (at + 1 == text.size()) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("'{}' names no version after '@': write DOMAIN/NAME@VERSION, e.g. sales/orders@1.2.0", text));
  }
  return ProductSelector{std::move(*ref), std::string(text.substr(at + 1))};
}

Result<std::pair<std::string, std::string>> parse_label_filter(std::string_view text) {
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return make_error(ErrorKind::invalid,
                      fmt::format("'{}' is not a label filter: write KEY=VALUE, e.g. tier=gold", text));
  }
  return std::pair{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

std::string content_hash(std::string_view text) {
  return fmt::format("{:016x}", fnv1a_64(text));
}

bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < lengths[i]; ++j) {
      const char c = text[starts[i] + j];
      if (c < '0' || c > '9') return false;
      parts[i] = parts[i] * 10 + (c - '0');
    }
  }
  const int year = parts[0], month = parts[1], day = parts[2];
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDaysInMonth[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDaysInMonth[month - 1] + ((month == 2 && leap) ? 1 : 0);
  return day <= days;
}

const char* to_string(ChangeAction action) {
  switch (action) {
    case ChangeAction::created: return "created";
    case ChangeAction::evolved: return "evolved";
    case ChangeAction::unchanged: return "unchanged";
  }
  return "unchanged";
}

}  // namespace meshctl::registry
