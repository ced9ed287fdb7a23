#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace meshctl {

// Where the registry gets "now". Injected so tests control time and lib never
// reads the system clock behind the caller's back.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that says what it is told; each call to now() then advances it by
// `step` (Default: no step), so successive events get distinct times.
// Thread-safe: a test shares it with a registry server on another thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start, std::chrono::seconds step = std::chrono::seconds{0})
      : current_(start.time_since_epoch().count()),
        step_(std::chrono::duration_cast<std::chrono::system_clock::duration>(step).count()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(current_.fetch_add(step_)));
  }
  void set(std::chrono::system_clock::time_point value) { current_.store(value.time_since_epoch().count()); }

 private:
  mutable std::atomic<std::chrono::system_clock::rep> current_;
  std::chrono::system_clock::rep step_;
};

// "2026-11-23T22:43:32Z" (UTC, whole seconds).
std::string format_utc(std::chrono::system_clock::time_point time);

}  // namespace meshctl
