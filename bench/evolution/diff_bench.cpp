// The in-process figure of issue 4's "Performance": diff() of two versions with
// 10,000 fields each. Prints milliseconds (median and min of RUNS); asserts nothing
// about time. Built and run by bench/evolution/run.
//
//   diff_bench [FIELDS] [RUNS]     defaults 10000 and 30

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "meshctl/evolution/evolution.h"

namespace {

using meshctl::evolution::Compatibility;
using meshctl::manifest::DataProduct;
using meshctl::manifest::Field;

const char* const kTypes[] = {"string", "integer", "long", "double", "boolean", "timestamp"};

DataProduct product(std::size_t fields) {
  DataProduct out;
  out.metadata.name = "orders";
  out.metadata.domain = "sales";
  out.metadata.version = "1.0.0";
  auto& port = out.spec.output_ports.emplace_back();
  port.name = "orders-table";
  port.type = "table";
  auto& schema = port.schema.emplace().fields;
  schema.reserve(fields);
  for (std::size_t i = 0; i < fields; ++i) {
    Field field;
    field.name = "field_" + std::to_string(i);
    field.type = kTypes[i % 6];
    field.required = i % 3 == 0;
    field.description = "Field number " + std::to_string(i) + " of the orders table.";
    field.classification = "internal";
    schema.push_back(std::move(field));
  }
  return out;
}

// The realistic case: every field kept but in another order, 1% of them changed
// (type widened, made optional, reworded), 50 removed, 50 added.
DataProduct evolved(DataProduct before) {
  before.metadata.version = "2.0.0";
  auto& fields = before.spec.output_ports.front().schema->fields;
  std::reverse(fields.begin(), fields.end());
  for (std::size_t i = 0; i < fields.size(); i += 100) {
    if (fields[i].type == "integer") fields[i].type = "long";
    fields[i].required = false;
    fields[i].description = "Reworded.";
  }
  fields.erase(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(50, fields.size())));
  for (int i = 0; i < 50; ++i) {
    Field field;
    field.name = "added_" + std::to_string(i);
    field.type = "string";
    fields.push_back(std::move(field));
  }
  return before;
}

// Every field's type changed: the most changes a diff of this size can report.
DataProduct all_changed(DataProduct before) {
  before.metadata.version = "2.0.0";
  for (auto& field : before.spec.output_ports.front().schema->fields) field.type = "bytes";
  return before;
}

struct Figure {
  double median_ms;
  double min_ms;
  std::size_t changes;
};

Figure time_diff(const DataProduct& before, const DataProduct& after, int runs) {
  std::vector<double> samples;
  std::size_t changes = 0;
  for (int run = 0; run < runs; ++run) {
    const auto started = std::chrono::steady_clock::now();
    const auto result = meshctl::evolution::diff(before, after, Compatibility::full);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    changes = result.changes.size();
    samples.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
  }
  std::sort(samples.begin(), samples.end());
  return {samples[samples.size() / 2], samples.front(), changes};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t fields = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 30;
  if (fields == 0 || runs <= 0) {
    std::fprintf(stderr, "usage: diff_bench [FIELDS] [RUNS]\n");
    return 2;
  }
  const auto base = product(fields);
  struct Case {
    const char* name;
    DataProduct after;
  };
  const Case cases[] = {
      {"identical", base}, {"1% changed, reordered", evolved(base)}, {"all changed", all_changed(base)}};
  std::printf("| case (%zu fields each, %d runs) | changes | median ms | min ms |\n", fields, runs);
  std::printf("| --- | ---: | ---: | ---: |\n");
  for (const auto& c : cases) {
    const auto figure = time_diff(base, c.after, runs);
    std::printf("| %s | %zu | %.2f | %.2f |\n", c.name, figure.changes, figure.median_ms, figure.min_ms);
  }
  return 0;
}
