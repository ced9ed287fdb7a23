#pragma once

#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace meshctl {

// What went wrong, coarse enough that the CLI maps each kind to one exit code.
enum class ErrorKind {
  invalid,          // bad input: an unreadable file, a malformed argument (exit 2)
  not_found,        // the thing asked for does not exist (exit 3)
  conflict,         // a lifecycle rule or a concurrent change refused the write (exit 4)
  unauthenticated,  // no or an unknown credential (exit 5)
  forbidden,        // a known principal without the right (exit 5)
  unavailable,      // storage or the remote registry cannot be reached (exit 6)
  findings,         // the input breaks the platform's standards: details.findings lists them (exit 1)
};

// Stable lowercase name of a kind ("not_found"), used in JSON error bodies.
const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::invalid;
  std::string message;
  nlohmann::json details;  // Default: null. Structured context for -o json.
};

// A value or an Error. Expected failures travel as values, never as exceptions.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok().
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() {
  return Unit{};
}

inline Error make_error(ErrorKind kind, std::string message, nlohmann::json details = nullptr) {
  return Error{kind, std::move(message), std::move(details)};
}

}  // namespace meshctl
