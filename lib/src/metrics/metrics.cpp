#include "meshctl/metrics/metrics.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace meshctl::metrics {

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double value) {
  // The first bound >= value: "le" buckets hold the values up to and including their bound.
  const auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                               bounds_.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

namespace {

void render_header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  out.append("# HELP ").append(name).append(1, ' ').append(escape_help(help)).append(1, '\n');
  out.append("# TYPE ").append(name).append(1, ' ').append(type).append(1, '\n');
}

// {a="x",b="y"} with an extra last label (a histogram's le) when given; nothing without labels.
void render_labels(std::string& out, const std::vector<std::string>& names, const LabelValues& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.append(1, '{');
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.append(1, ',');
    out.append(names[i]).append("=\"").append(escape_label_value(values[i])).append(1, '"');
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out.append(1, ',');
    out.append(extra_name).append("=\"").append(extra_value).append(1, '"');
  }
  out.append(1, '}');
}

void render_sample(std::string& out, std::string_view name, const std::vector<std::string>& label_names,
                   const LabelValues& values, double value) {
  out.append(name);
  render_labels(out, label_names, values);
  out.append(1, ' ').append(format_value(value)).append(1, '\n');
}

}  // namespace

void CounterFamily::render(std::string& out) const {
  render_header(out, name_, help_, "counter");
  std::shared_lock lock(mutex_);
  for (const auto& [values, child] : children_) render_sample(out, name_, label_names_, values, child->value());
}

void GaugeFamily::render(std::string& out) const {
  render_header(out, name_, help_, "gauge");
  std::shared_lock lock(mutex_);
  for (const auto& [values, child] : children_) render_sample(out, name_, label_names_, values, child->value());
}

void HistogramFamily::render(std::string& out) const {
  render_header(out, name_, help_, "histogram");
  const auto bucket_name = name_ + "_bucket";
  std::shared_lock lock(mutex_);
  for (const auto& [values, child] : children_) {
    const auto snapshot = child->snapshot();
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      out.append(bucket_name);
      render_labels(out, label_names_, values, "le", i < bounds_.size() ? format_value(bounds_[i]) : "+Inf");
      out.append(1, ' ').append(fmt::format("{}", snapshot.cumulative[i])).append(1, '\n');
    }
    render_sample(out, name_ + "_sum", label_names_, values, snapshot.sum);
    out.append(name_).append("_count");
    render_labels(out, label_names_, values);
    out.append(1, ' ').append(fmt::format("{}", snapshot.count)).append(1, '\n');
  }
}

template <typename F>
F& Registry::add(std::unique_ptr<F> family) {
  auto& kept = *family;
  std::lock_guard lock(mutex_);
  auto& slot = families_[family->name()];
  // A name registered twice (a caller's mistake) keeps the first family on the output; the second
  // still works, unseen, so references to it stay valid.
  if (slot) {
    orphans_.push_back(std::move(family));
  } else {
    slot = std::move(family);
  }
  return kept;
}

CounterFamily& Registry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(label_names)));
}

GaugeFamily& Registry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  return add(std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(label_names)));
}

HistogramFamily& Registry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                     std::vector<double> bounds) {
  return add(std::make_unique<HistogramFamily>(std::move(name), std::move(help), std::move(label_names),
                                               std::move(bounds)));
}

std::string Registry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

std::vector<double> latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

namespace {
bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}
}  // namespace

bool valid_metric_name(std::string_view name) {
  return !name.empty() && (name_start(name[0]) || name[0] == ':') &&
         std::all_of(name.begin(), name.end(), [](char c) { return name_char(c) || c == ':'; });
}

bool valid_label_name(std::string_view name) {
  return !name.empty() && name_start(name[0]) && std::all_of(name.begin(), name.end(), name_char);
}

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\': escaped.append("\\\\"); break;
      case '"': escaped.append("\\\""); break;
      case '\n': escaped.append("\\n"); break;
      default: escaped.append(1, c);
    }
  }
  return escaped;
}

std::string escape_help(std::string_view help) {
  std::string escaped;
  escaped.reserve(help.size());
  for (const char c : help) {
    switch (c) {
      case '\\': escaped.append("\\\\"); break;
      case '\n': escaped.append("\\n"); break;
      default: escaped.append(1, c);
    }
  }
  return escaped;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

}  // namespace meshctl::metrics
