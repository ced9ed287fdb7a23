#pragma once

// A typed reader of JSON objects: what every decoder of a record or of a
// request body is written with (the catalog's own, the server's routes), so
// a missing or mistyped key is ErrorKind::invalid naming the key, never an
// exception.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/catalog/types.h"
#include "meshctl/core/error.h"

namespace meshctl::registry {

// Reads the keys of one JSON object, remembering the first problem so a caller
// reads every key it needs and checks once at the end.
class ObjectReader {
 public:
  using json = nlohmann::json;

  ObjectReader(const json& object, std::string what) : object_(object), what_(std::move(what)) {
    if (!object_.is_object()) fail(fmt::format("{} is not a JSON object", what_));
  }

  std::string string(const char* key) { return optional_string(key, true).value_or(""); }

  std::optional<std::string> optional_string(const char* key, bool required = false) {
    const auto* value = find(key, required);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) return mistyped(key, "a string"), std::nullopt;
    return value->get<std::string>();
  }

  std::int64_t integer(const char* key) {
    const auto* value = find(key, true);
    if (value == nullptr) return 0;
    if (!value->is_number_integer()) return mistyped(key, "an integer"), 0;
    return value->get<std::int64_t>();
  }

  std::optional<std::int64_t> optional_integer(const char* key) {
    const auto* value = find(key, false);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_integer()) return mistyped(key, "an integer"), std::nullopt;
    return value->get<std::int64_t>();
  }

  // A number, integer or not (absent: nullopt).
  std::optional<double> optional_number(const char* key) {
    const auto* value = find(key, false);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) return mistyped(key, "a number"), std::nullopt;
    return value->get<double>();
  }

  bool boolean(const char* key) {
    const auto* value = find(key, false);
    if (value == nullptr) return false;
    if (!value->is_boolean()) return mistyped(key, "true or false"), false;
    return value->get<bool>();
  }

  // The strings of the list at `key` (absent: none).
  std::vector<std::string> strings(const char* key) {
    std::vector<std::string> result;
    for (const auto& element : array(key, false)) {
      if (!element.is_string()) return mistyped(key, "a list of strings"), result;
      result.push_back(element.get<std::string>());
    }
    return result;
  }

  // The value at `key` when it is of the wanted kind; null otherwise (a null
  // iterates as an empty list).
  const json& array(const char* key, bool required = true) { return typed(key, required, &json::is_array, "a list"); }
  const json& object(const char* key, bool required = true) {
    return typed(key, required, &json::is_object, "an object");
  }

  LifecycleStatus status(const char* key) {
    const auto text = string(key);
    auto status = parse_lifecycle_status(text);
    if (!status && ok()) fail(fmt::format("{}: '{}' is not active, deprecated or retired", path(key), text));
    return status.value_or(LifecycleStatus::active);
  }

  ProductRef ref(const char* key) {
    const auto text = string(key);
    if (!ok()) return {};
    auto ref = parse_product_ref(text);
    if (!ref) return fail(fmt::format("{}: {}", path(key), ref.error().message)), ProductRef{};
    return *ref;
  }

  std::optional<Deprecation> deprecation() {
    const auto& value = object("deprecation", false);
    if (value.is_null()) return std::nullopt;
    ObjectReader inner(value, path("deprecation"));
    Deprecation result{inner.string("sunset"), inner.string("reason")};
    take(inner);
    return result;
  }

  // Adopts the first problem of a nested reader.
  void take(const ObjectReader& inner) {
    if (!inner.ok() && ok()) error_ = inner.error_;
  }
  void fail(std::string message) {
    if (ok()) error_ = make_error(ErrorKind::invalid, std::move(message));
  }
  std::string path(const char* key) const { return what_ + "." + key; }
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  template <typename T>
  Result<T> finish(T value) const {
    if (!ok()) return *error_;
    return value;
  }

 private:
  const json* find(const char* key, bool required) {
    if (!object_.is_object()) return nullptr;
    const auto found = object_.find(key);
    if (found == object_.end() || found->is_null()) {
      if (required) fail(fmt::format("{} is missing", path(key)));
      return nullptr;
    }
    return &*found;
  }
  void mistyped(const char* key, const char* wanted) { fail(fmt::format("{} is not {}", path(key), wanted)); }
  const json& typed(const char* key, bool required, bool (json::*is_kind)() const noexcept, const char* wanted) {
    static const json null_value;
    const auto* value = find(key, required);
    if (value == nullptr) return null_value;
    if (!(value->*is_kind)()) return mistyped(key, wanted), null_value;
    return *value;
  }

  const json& object_;
  std::string what_;
  std::optional<Error> error_;
};

}  // namespace meshctl::registry
