#include "progress.h"

#include <ostream>

namespace meshctl::cli {

Progress::Progress(std::ostream& out, bool enabled, Clock now, std::chrono::milliseconds interval)
    : out_(out), enabled_(enabled), now_(std::move(now)), interval_(interval) {}

Progress::~Progress() {
  finish();
}

void Progress::count(const std::string& label, std::size_t done, std::size_t total) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const auto now = now_();
  if (done != total && last_ && now - *last_ < interval_) return;
  last_ = now;
  // Appended piece by piece: GCC 12 reports a false -Wrestrict on `"/" + std::to_string(total)`.
  std::string line = label;
  line += ' ';
  line += std::to_string(done);
  if (total != 0) {
    line += '/';
    line += std::to_string(total);
  }
  draw(line);
}

void Progress::show(const std::string& line) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  last_ = now_();
  draw(line);
}

void Progress::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (shown_) out_ << "\r\033[K" << std::flush;
  shown_ = false;
  last_.reset();
}

void Progress::draw(const std::string& line) {
  out_ << "\r\033[K" << line << std::flush;
  shown_ = true;
}

}  // namespace meshctl::cli
