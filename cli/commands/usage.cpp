#include "commands/usage.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/usage_json.h"
#include "meshctl/core/file.h"
#include "meshctl/usage/time.h"
#include "output/structured.h"
#include "output/usage.h"
#include "progress.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct UsageOptions {
  std::string product;
  std::string since = "30d";
};

struct ReportOptions {
  std::string file;
};

Result<std::int64_t> window_days(const std::string& since) {
  if (auto days = usage::window_days(since)) return *days;
  return make_error(ErrorKind::invalid,
                    fmt::format("--since '{}' is not a duration: write a number and d, h, m or s, like 30d", since));
}

int run_usage(const UsageOptions& options, Context& context) {
  auto argument = registry::parse_product_ref(options.product);
  if (!argument) return report_error(context, argument.error());
  auto days = window_days(options.since);
  if (!days) return report_error(context, days.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto summary = (*registry)->usage(*argument, registry::UsageQuery{*days});
  if (!summary) return report_error(context, summary.error());
  print_as_requested(context, registry::to_json(*summary),
                     [&](std::ostream& out) { print_usage_summary(out, *summary); });
  return kSuccess;
}

int run_report(const ReportOptions& options, Context& context) {
  std::string file_text;
  if (options.file != "-") {
    auto content = read_file(options.file);
    if (!content) return report_error(context, content.error());
    file_text = std::move(*content);
  }
  const std::string& text = options.file == "-" ? read_stdin(context) : file_text;
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  // One line while a large file is ingested (one transaction: there is no count to show on the way).
  constexpr std::size_t kProgressLines = 10'000;
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  Progress progress(*context.err, progress_wanted(context) && lines >= kProgressLines);
  progress.show(fmt::format("ingesting {} lines of events in one transaction...", lines));
  auto report = (*registry)->report_usage(text, 1);
  progress.finish();
  if (!report) return report_error(context, report.error());
  const std::string source = options.file == "-" ? "<stdin>" : options.file;
  print_as_requested(context, registry::to_json(*report), [&](std::ostream& out) {
    for (const auto& problem : report->problems) {
      *context.err << source << ':' << problem.line << ": error: " << problem.message << '\n';
    }
    out << fmt::format("{} usage event{} recorded, {} duplicate{} ignored, {} freshness report{}", report->accepted,
                       report->accepted == 1 ? "" : "s", report->duplicates, report->duplicates == 1 ? "" : "s",
                       report->freshness, report->freshness == 1 ? "" : "s");
    if (!report->problems.empty()) {
      out << fmt::format(", {} line{} rejected", report->problems.size(), report->problems.size() == 1 ? "" : "s");
    }
    out << '\n';
  });
  return report->problems.empty() ? kSuccess : kFindings;
}

}  // namespace

void register_usage(CLI::App& app, Context& context) {
  auto options = std::make_shared<UsageOptions>();
  auto* command = app.add_subcommand("usage", "Who reads a product and how; ingest usage events");
  command->footer(R"(meshctl usage DOMAIN/NAME shows the product's consumers (subscribed, dependent
products, and those seen in usage events), reads per day as a chart, the last access
per consumer, consumers seen but never subscribed, the versions in use, and each
output port's freshness against its SLO (met, violated, unknown) now and day by day:
"met 28/29 days of the last 30" counts the days of the window (at most the last 30)
its SLO held all day, of those that could be judged.

meshctl usage report -f EVENTS ingests JSON Lines (- for standard input):
  {"id":"e1","time":"2026-11-23T10:00:00Z","product":"sales/orders","port":"orders-table",
   "consumer":"revenue-dashboard","operation":"read","rows":120,"bytes":40960}
  {"time":"2026-11-23T10:05:00Z","product":"sales/orders","port":"orders-table",
   "updatedAt":"2026-11-23T10:00:00Z"}
A line with updatedAt is a freshness event. Ingest is idempotent by id. Each bad line
is reported with its line number (exit 1); the good lines are kept. With 10,000
lines or more and stderr a terminal (or MESHCTL_PROGRESS=always), one line on stderr
says the ingest is running, erased when done.

Examples:
  meshctl usage sales/orders
  meshctl usage sales/orders --since 7d -o json
  meshctl usage report -f events.jsonl
  producer | meshctl usage report -f -)");
  command->add_option("product", options->product, "DOMAIN/NAME");
  command->add_option("--since", options->since, "The window, in days up to today (Default: 30d)");
  command->callback([options, command, &context] {
    if (!command->get_subcommands().empty()) return;  // `usage report` ran
    if (options->product.empty()) {
      context.exit_code = report_error(
          context, make_error(ErrorKind::invalid, "usage needs a product DOMAIN/NAME (or: usage report -f EVENTS)"));
      return;
    }
    context.exit_code = run_usage(*options, context);
  });

  auto report_options = std::make_shared<ReportOptions>();
  auto* report = command->add_subcommand("report", "Ingest usage and freshness events (JSON Lines)");
  report->add_option("-f,--file", report_options->file, "The events file; - for standard input")->required();
  report->callback([report_options, &context] { context.exit_code = run_report(*report_options, context); });
}

}  // namespace meshctl::cli
