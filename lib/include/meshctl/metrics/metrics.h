#pragma once

// Metrics kept in process and written in Prometheus' text exposition format
// (version 0.0.4): counters, gauges and histograms, each in a family of
// children told apart by label values.
//
// Thread-safe. Updating a child is one or two atomic operations; finding a
// family's child by its label values takes the family's lock shared (only a
// label set never seen before takes it exclusively), so requests recording
// their metrics never wait for one another. Callers that update a child often
// may keep the reference: a child lives as long as its registry.
//
// Names are the caller's: REQUIRES metric names match [a-zA-Z_:][a-zA-Z0-9_:]*
// and label names [a-zA-Z_][a-zA-Z0-9_]* (valid_metric_name, valid_label_name),
// each family name registered once. Label values may be any text (escaped on
// output); callers keep their number bounded.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  // REQUIRES: amount >= 0 (a counter only goes up).
  void add(double amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted in buckets by upper bound (a value equal to a bound
// falls in that bucket), with their sum.
class Histogram {
 public:
  // `bounds`: ascending, finite; the +Inf bucket is implied. Kept by reference:
  // the family's, which outlives the child.
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  // Cumulative counts that never decrease from one bucket to the next, and a
  // count equal to the +Inf bucket, even while other threads observe.
  Snapshot snapshot() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

// Common to every family: its name, help text, type and label names.
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}
  virtual ~Family() = default;
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  const std::string& name() const { return name_; }
  // Appends the family's # HELP and # TYPE lines and one line per sample,
  // children in the order of their label values.
  virtual void render(std::string& out) const = 0;

 protected:
  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
};

// A family of children of one kind; `with` finds or makes the child of a label set.
template <typename Metric>
class FamilyOf : public Family {
 public:
  using Family::Family;

  // The child of `values`, one per label name (missing values are empty,
  // extra ones ignored), made at the first call.
  Metric& with(LabelValues values) {
    values.resize(label_names_.size());
    {
      std::shared_lock lock(mutex_);
      if (const auto found = children_.find(values); found != children_.end()) return *found->second;
    }
    std::unique_lock lock(mutex_);
    auto& child = children_[std::move(values)];
    if (!child) child = make_child();
    return *child;
  }

 protected:
  virtual std::unique_ptr<Metric> make_child() const = 0;

  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_;
};

class CounterFamily final : public FamilyOf<Counter> {
 public:
  using FamilyOf::FamilyOf;
  void render(std::string& out) const override;

 private:
  std::unique_ptr<Counter> make_child() const override { return std::make_unique<Counter>(); }
};

class GaugeFamily final : public FamilyOf<Gauge> {
 public:
  using FamilyOf::FamilyOf;
  void render(std::string& out) const override;

 private:
  std::unique_ptr<Gauge> make_child() const override { return std::make_unique<Gauge>(); }
};

class HistogramFamily final : public FamilyOf<Histogram> {
 public:
  // `bounds`: the upper bounds of the buckets, ascending and finite.
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds)
      : FamilyOf(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {}
  void render(std::string& out) const override;

 private:
  std::unique_ptr<Histogram> make_child() const override { return std::make_unique<Histogram>(bounds_); }
  const std::vector<double> bounds_;
};

class Registry {
 public:
  CounterFamily& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  GaugeFamily& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(std::string name, std::string help, std::vector<std::string> label_names,
                             std::vector<double> bounds);

  // Every family in the text format 0.0.4, families sorted by name.
  std::string render() const;

 private:
  template <typename F>
  F& add(std::unique_ptr<F> family);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
  std::vector<std::unique_ptr<Family>> orphans_;  // a name registered again: kept alive, not written
};

// The Content-Type of render()'s text.
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Seconds, for latencies: 1 ms to 10 s.
std::vector<double> latency_buckets();

bool valid_metric_name(std::string_view name);
bool valid_label_name(std::string_view name);

// The text format's escapes: a label value's backslash, double quote and line
// feed; a HELP text's backslash and line feed.
std::string escape_label_value(std::string_view value);
std::string escape_help(std::string_view help);
// A sample value as the format writes it: shortest decimal that reads back
// exactly, "+Inf", "-Inf", "NaN".
std::string format_value(double value);

}  // namespace meshctl::metrics
