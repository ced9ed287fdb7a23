#include "commands/test.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <variant>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/file.h"
#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "meshctl/quality/test.h"
#include "meshctl/validate/validator.h"
#include "output/diagnostics.h"
#include "output/quality.h"
#include "progress.h"
#include "product_argument.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

enum class TestFormat { text, json_run, junit };

struct TestOptions {
  std::string product;               // a manifest file, or DOMAIN/NAME[@VERSION]
  std::string port;                  // --port: test this output port only
  std::vector<std::string> sources;  // --source [PORT=]URL
  TestFormat format = TestFormat::text;
  bool publish = false;  // --publish: record the run in the registry
  std::string rule_timeout = "5m";  // --rule-timeout
};

bool is_port_name(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::vector<std::string> port_names(const manifest::DataProduct& product) {
  std::vector<std::string> names;
  for (const auto& port : product.spec.output_ports) names.push_back(port.name.value_or(""));
  return names;
}

// PostgreSQL's password comes from libpq's environment (PGPASSWORD) or ~/.pgpass, never from a manifest or a
// command line (which other users of the machine may read).
Status refuse_password(const quality::Source& source, const std::string& written, std::string_view where) {
  if (source.kind != quality::SourceKind::postgresql || quality::redact_password(written) == written) {
    return ok_status();
  }
  return make_error(ErrorKind::invalid,
                    fmt::format("{} holds a password ({}): remove it, and give it to libpq in PGPASSWORD or "
                                "~/.pgpass instead",
                                where, source.display));
}

// Each port to test with its source: --source, else the port's location when meshctl reads it.
Result<std::map<std::string, quality::Source>> choose_sources(const manifest::DataProduct& product,
                                                              const TestOptions& options) {
  const auto names = port_names(product);
  auto known = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); };
  const auto listed = fmt::format("{}", fmt::join(names, ", "));
  if (!options.port.empty() && !known(options.port)) {
    return make_error(ErrorKind::invalid,
                      fmt::format("{} has no output port '{}': its ports are {}", product.id(), options.port, listed));
  }
  std::map<std::string, quality::Source> given;
  for (const auto& argument : options.sources) {
    std::string port;
    std::string url = argument;
    const auto equals = argument.find('=');
    if (equals != std::string::npos && is_port_name(std::string_view(argument).substr(0, equals))) {
      port = argument.substr(0, equals);
      url = argument.substr(equals + 1);
    } else if (!options.port.empty()) {
      port = options.port;
    } else if (names.size() == 1) {
      port = names.front();
    } else {
      return make_error(ErrorKind::invalid,
                        fmt::format("--source {}: {} has {} output ports ({}): write --source PORT=URL",
                                    quality::redact_password(argument), product.id(), names.size(), listed));
    }
    if (!known(port)) {
      return make_error(ErrorKind::invalid, fmt::format("--source {}: {} has no output port '{}': its ports are {}",
                                                        quality::redact_password(argument), product.id(), port,
                                                        listed));
    }
    if (!options.port.empty() && port != options.port) {
      return make_error(ErrorKind::invalid,
                        fmt::format("--source names port '{}', but --port tests '{}' only", port, options.port));
    }
    auto source = quality::parse_source(url);
    if (!source) return source.error();
    if (auto refused = refuse_password(*source, url, "--source"); !refused) return refused.error();
    if (!given.emplace(port, std::move(*source)).second) {
      return make_error(ErrorKind::invalid, fmt::format("--source names port '{}' twice", port));
    }
  }
  std::map<std::string, quality::Source> chosen;
  std::vector<std::string> without;
  for (const auto& port : product.spec.output_ports) {
    const auto name = port.name.value_or("");
    if (!options.port.empty() && name != options.port) continue;
    if (auto found = given.find(name); found != given.end()) {
      chosen.emplace(name, found->second);
      continue;
    }
    if (port.location) {
      if (auto source = quality::parse_source(*port.location)) {
        const auto where = fmt::format("the location of output port '{}'", name);
        if (auto refused = refuse_password(*source, *port.location, where); !refused) return refused.error();
        chosen.emplace(name, std::move(*source));
        continue;
      }
    }
    without.push_back(port.location ? fmt::format("'{}' (location {})", name, quality::redact_password(*port.location))
                                    : fmt::format("'{}' (no location)", name));
  }
  if (!without.empty()) {
    return make_error(ErrorKind::invalid,
                      fmt::format("no source meshctl can read for output port {}: give --source PORT=URL, with URL "
                                  "one of sqlite:PATH#TABLE, csv:PATH, jsonl:PATH, postgresql://...#SCHEMA.TABLE{}",
                                  fmt::join(without, ", "),
                                  options.port.empty() && names.size() > 1 ? ", or test one port with --port NAME"
                                                                           : ""));
  }
  return chosen;
}

// The run as the registry records it: each tested port's checks, as `-o json` shows them.
Result<registry::QualityPublication> publication_of(const quality::TestRun& run) {
  auto ref = registry::parse_product_ref(run.product);
  if (!ref) return ref.error();
  registry::QualityPublication publication{std::move(*ref), run.version, {}};
  const auto checks = test_run_json(run)["checks"];
  for (const auto& port : run.ports) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& check : checks) {
      if (check["port"] == port.port) list.push_back(check);
    }
    publication.ports.push_back({port.port, json_text(list)});
  }
  return publication;
}

// Records the run in the registry (after its report was printed): 0, or the exit code of the refusal.
int publish_run(const quality::TestRun& run, Context& context) {
  auto publication = publication_of(run);
  if (!publication) return report_error(context, publication.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  auto runs = (*registry)->publish_quality(*publication);
  if (!runs) return report_error(context, runs.error());
  std::string lines;
  for (const auto& recorded : *runs) {
    lines += fmt::format("published: {}@{} port {}: {}/{} passed (run {}, {})\n", recorded.ref.text(), recorded.version,
                         recorded.port, recorded.counts.passed, recorded.counts.total(), recorded.id, recorded.time);
  }
  *context.err << printable_text(lines, LineBreaks::keep);  // one write: stderr is unbuffered
  return kSuccess;
}

int run_test(const TestOptions& options, Context& context) {
  const auto rule_timeout = parse_duration(options.rule_timeout);
  if (!rule_timeout) {
    return report_error(context, make_error(ErrorKind::invalid,
                                            fmt::format("--rule-timeout {}: write a duration such as 30s, 5m or 1h",
                                                        options.rule_timeout)));
  }
  Loaded loaded = load_product(options.product, "test", context);
  if (const int* code = std::get_if<int>(&loaded)) return *code;
  const auto& product = std::get<manifest::DataProduct>(loaded);
  auto sources = choose_sources(product, options);
  if (!sources) return report_error(context, sources.error());

  quality::TestOptions lib_options;
  lib_options.sources = std::move(*sources);
  lib_options.now = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  Progress progress(*context.err, progress_wanted(context));
  lib_options.progress = [&](const std::string& port, std::int64_t rows) {
    progress.count("testing " + port + ": rows read", static_cast<std::size_t>(rows), 0);
  };
  lib_options.rule_timeout_seconds = *rule_timeout;
  auto run = quality::run_tests(product, lib_options);
  progress.finish();
  if (!run) return report_error(context, run.error());

  switch (options.format) {
    case TestFormat::json_run: *context.out << json_text(test_run_json(*run)) << '\n'; break;
    case TestFormat::junit: print_test_junit(*context.out, *run); break;
    case TestFormat::text:
      print_test_text(*context.out, *run);
      *context.err << test_summary(*run) + '\n';  // one write: stderr is unbuffered
      break;
  }
  if (options.publish) {
    if (const int code = publish_run(*run, context); code != kSuccess) return code;
  }
  const auto counts = quality::count(*run);
  return counts.failed > 0 || counts.error > 0 ? kFindings : kSuccess;
}

}  // namespace

void register_test(CLI::App& app, Context& context) {
  auto options = std::make_shared<TestOptions>();
  auto* command =
      app.add_subcommand("test", "Check a product's schema and quality rules against its real data");
  command->footer(R"(PRODUCT is a manifest file, or a registered DOMAIN/NAME[@VERSION] (the latest version
by default) read from the registry. Each output port is read from --source, else from
its location when meshctl reads it. Sources are only ever read:
  sqlite:PATH#TABLE                 a table of an SQLite database
  postgresql://USER@HOST:PORT/DB#SCHEMA.TABLE
                                    a PostgreSQL table (the password from
                                    PGPASSWORD or ~/.pgpass, never the URI)
  csv:PATH                          RFC 4180 CSV with a header row
  jsonl:PATH                        JSON Lines: one object per line
A product with one output port may omit PORT= in --source.

Checks: every declared field exists, values fit its type, required fields hold no
null or empty value, unique fields no repeat, enum fields only allowed values;
columns the schema does not declare are a warning. Nested fields are checked by
path (billing_address.country_code, segments[] for an array's elements, lines[].sku)
where their parent is present: in JSON Lines, and in CSV and SQLite columns holding
JSON text (not yet on PostgreSQL: skipped). Then every quality rule:
not_null, unique, row_count, range, pattern, accepted_values, freshness (newest
value against slo.freshness) and sql (one SELECT returning one number, run in a
read-only transaction, where the port's data is the table named after the port,
stopped after --rule-timeout: a check that errs, never a hang).
SQLite runs the checks as one SQL scan per port; files are read once, in constant
memory. Samples of failing rows (up to 5) show PII fields as ***.

Output: one line per check and a summary (text), the whole run (-o json), or one
test case per check (-o junit). Exit codes: 0 nothing failed, 1 a check failed or
could not run, 2 usage error, 3 the product is not registered, 5 --publish was
refused, 6 a source cannot be read.

--publish records the run in the registry (--registry), after the report: for the
product's version (which must be published) one run per tested port, with the
time, who published it, the count of checks per status and every check's result.
On a server only the owners of the product's domain (and admins) may publish.
`meshctl get quality DOMAIN/NAME` lists the runs, `describe` shows each port's latest.
When stderr is a terminal, a file's scan shows the rows read so far on one line of
stderr (every 65,536 rows), erased when done.

Examples:
  meshctl test examples/products/sales/orders.yaml --source csv:examples/data/orders.csv
  meshctl test orders.yaml --source orders-table=sqlite:warehouse.db#orders -o json
  meshctl test sales/orders@1.2.0 --port orders-table --source jsonl:orders.jsonl
  meshctl test orders.yaml --source csv:orders.csv -o junit > meshctl-test.xml
  meshctl test sales/orders --source csv:orders.csv --publish)");
  command->add_option("product", options->product, "Manifest file, or DOMAIN/NAME[@VERSION] of a registered product")
      ->required();
  command->add_option("--port", options->port, "Test this output port only")->type_name("NAME");
  command->add_option("--rule-timeout", options->rule_timeout, "How long one sql rule's query may run")
      ->type_name("DURATION")
      ->default_str("5m");
  command->add_option("--source", options->sources, "Where a port's data is: [PORT=]URL (repeatable)")
      ->type_name("[PORT=]URL");
  command->add_flag("--publish", options->publish, "Record the run in the registry for the product's version");
  command->callback([options, &context] {
    options->format = context.output_name == "json"    ? TestFormat::json_run
                      : context.output_name == "junit" ? TestFormat::junit
                                                       : TestFormat::text;
    context.exit_code = run_test(*options, context);
  });
}

}  // namespace meshctl::cli
