#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>

namespace meshctl::cli {

// One line of progress on a stream ("checking 1200/5000"), redrawn in place with \r at most every
// `interval` (~10 times a second), and erased by finish() or the destructor so that what follows
// starts on a clean line. Does nothing when not enabled. Safe to call from several threads.
class Progress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  Progress(std::ostream& out, bool enabled, Clock now = std::chrono::steady_clock::now,
           std::chrono::milliseconds interval = std::chrono::milliseconds(100));
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // "LABEL DONE/TOTAL" ("LABEL DONE" when total is 0: not known); drawn when `interval` has passed
  // since the last line was drawn, or when done == total.
  void count(const std::string& label, std::size_t done, std::size_t total);
  // A line of its own ("writing 5000 products..."), drawn at once.
  void show(const std::string& line);
  // Erases the line, if one is shown.
  void finish();

 private:
  void draw(const std::string& line);

  std::ostream& out_;
  bool enabled_;
  Clock now_;
  std::chrono::milliseconds interval_;
  std::optional<std::chrono::steady_clock::time_point> last_;
  bool shown_ = false;
  std::mutex mutex_;
};

}  // namespace meshctl::cli
