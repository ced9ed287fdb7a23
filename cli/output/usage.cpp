#include "output/usage.h"

#include <algorithm>

#include <fmt/format.h>

#include "meshctl/core/text.h"
#include "output/records.h"

namespace meshctl::cli {

std::string sparkline(const std::vector<std::int64_t>& values) {
  static const char* const kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const std::int64_t top = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  std::string line;
  for (const auto value : values) {
    if (value <= 0 || top <= 0) {
      line += ' ';
      continue;
    }
    // 1..top maps onto the eight levels; any non-zero value shows at least the lowest.
    const auto level = static_cast<std::size_t>((value * 8 - 1) / top);
    line += kLevels[std::min<std::size_t>(level, 7)];
  }
  return line;
}

std::string human_bytes(std::int64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

void print_subscriptions(std::ostream& out, const std::vector<registry::Subscription>& subscriptions) {
  Table table({"PRODUCT", "CONSUMER", "TEAM", "PORT", "VERSION", "SINCE", "PURPOSE"});
  for (const auto& subscription : subscriptions) {
    table.add({subscription.product.text(), subscription.consumer, subscription.team,
               subscription.port.empty() ? "*" : subscription.port,
               subscription.version_constraint.empty() ? "*" : subscription.version_constraint,
               subscription.created_at, subscription.purpose});
  }
  table.print(out);
}

namespace {

std::string kinds_of(const registry::ConsumerUsage& consumer) {
  std::vector<std::string> kinds;
  if (consumer.subscribed) kinds.emplace_back("subscribed");
  if (consumer.dependent) kinds.emplace_back("dependent");
  if (consumer.observed) kinds.emplace_back("observed");
  return fmt::format("{}", fmt::join(kinds, ","));
}

std::string age_text(std::int64_t seconds) {
  if (seconds < 0) return "in the future";
  if (seconds < 120) return fmt::format("{}s", seconds);
  if (seconds < 7200) return fmt::format("{}m", seconds / 60);
  if (seconds < 172800) return fmt::format("{}h", seconds / 3600);
  return fmt::format("{}d", seconds / 86400);
}

// "met 28/29 days of the last 30", as the health line says the SLO's days; "-" when none could be judged.
std::string slo_days_text(std::int64_t met, std::int64_t judged, std::int64_t days) {
  if (judged == 0) return "-";
  return fmt::format("met {}/{} days of the last {}", met, judged, days);
}

}  // namespace

void print_usage_summary(std::ostream& out, const registry::UsageSummary& summary) {
  out << printable_text(summary.product.text()) << "  " << registry::to_string(summary.status) << "  usage "
      << summary.since_day << " .. " << summary.until_day << '\n';
  std::vector<std::int64_t> reads;
  std::int64_t peak = 0;
  std::string peak_day;
  for (const auto& day : summary.days) {
    reads.push_back(day.events);
    if (day.events > peak) {
      peak = day.events;
      peak_day = day.day;
    }
  }
  out << "reads per day  |" << sparkline(reads) << "|  ";
  if (peak > 0) {
    out << fmt::format("peak {} on {}", peak, peak_day);
  } else {
    out << "no reads";
  }
  out << '\n';
  out << fmt::format("total          {} reads, {} rows, {}\n", summary.events, summary.rows,
                     human_bytes(summary.bytes));

  out << "\nconsumers:\n";
  if (summary.consumers.empty()) {
    out << "  none known: nobody subscribes, depends on or was seen reading it\n";
  } else {
    Table table({"CONSUMER", "KIND", "TEAM", "PORTS", "VERSION", "READS", "LAST ACCESS"});
    for (const auto& consumer : summary.consumers) {
      table.add({consumer.consumer, kinds_of(consumer), consumer.team,
                 fmt::format("{}", fmt::join(consumer.ports, ",")), consumer.version_constraint,
                 std::to_string(consumer.events), consumer.last_access.value_or("-")});
    }
    table.print(out);
  }
  if (!summary.unsubscribed.empty()) {
    out << "\nseen but never subscribed: " << printable_text(fmt::format("{}", fmt::join(summary.unsubscribed, ", ")))
        << '\n';
  }
  if (!summary.versions.empty()) {
    out << "\nversions in use:\n";
    Table table({"VERSION", "CONSUMERS"});
    for (const auto& version : summary.versions) {
      table.add({version.version, fmt::format("{}", fmt::join(version.consumers, ", "))});
    }
    table.print(out);
  }
  if (!summary.freshness.empty()) {
    out << "\nfreshness:\n";
    Table table({"PORT", "SLO", "UPDATED", "AGE", "VERDICT", "SLO DAYS"});
    std::int64_t judged_ports = 0;
    for (const auto& port : summary.freshness) {
      if (port.slo_days_judged > 0) ++judged_ports;
      table.add({port.port, port.slo.empty() ? "-" : port.slo, port.updated_at.value_or("-"),
                 port.age_seconds ? age_text(*port.age_seconds) : "-", registry::to_string(port.verdict),
                 slo_days_text(port.slo_days_met, port.slo_days_judged, summary.slo_days)});
    }
    table.print(out);
    // The product's days (every port judged that day met its SLO), as the health line says them.
    if (judged_ports > 1) {
      out << "SLO " << slo_days_text(summary.slo_days_met, summary.slo_days_judged, summary.slo_days)
          << " on every port\n";
    }
  }
}

}  // namespace meshctl::cli
