// The JSON of quality runs (json.h): one encoder and one decoder each, used by `-o json`, the server's
// routes and the HTTP client.

#include "meshctl/catalog/json.h"
#include "meshctl/catalog/json_reader.h"
#include "meshctl/core/json_text.h"

namespace meshctl::registry {
namespace {

using nlohmann::json;

// The stored text of a run's checks as a value: an empty list when it does not parse (damaged storage).
json checks_value(const std::string& checks_json) {
  auto value = json::parse(checks_json, nullptr, false);
  if (value.is_discarded() || !value.is_array()) return json::array();
  return value;
}

}  // namespace

json to_json(const QualityRun& run) {
  json value = {{"id", run.id},
                {"product", run.ref.text()},
                {"version", run.version},
                {"port", run.port},
                {"time", run.time},
                {"actor", run.actor},
                {"summary",
                 {{"checks", run.counts.total()},
                  {"passed", run.counts.passed},
                  {"failed", run.counts.failed},
                  {"warning", run.counts.warning},
                  {"error", run.counts.error},
                  {"skipped", run.counts.skipped}}}};
  if (!run.checks_json.empty()) value["checks"] = checks_value(run.checks_json);
  return value;
}

Result<QualityRun> quality_run_from_json(const json& value) {
  ObjectReader reader(value, "quality run");
  QualityRun run;
  run.id = reader.integer("id");
  run.ref = reader.ref("product");
  run.version = reader.string("version");
  run.port = reader.string("port");
  run.time = reader.string("time");
  run.actor = reader.string("actor");
  ObjectReader summary(reader.object("summary"), "quality run.summary");
  run.counts.passed = summary.integer("passed");
  run.counts.failed = summary.integer("failed");
  run.counts.warning = summary.integer("warning");
  run.counts.error = summary.integer("error");
  run.counts.skipped = summary.integer("skipped");
  reader.take(summary);
  const auto& checks = reader.array("checks", false);
  if (!checks.is_null()) run.checks_json = json_text(checks);
  return reader.finish(std::move(run));
}

json to_json(const std::vector<QualityRun>& runs) {
  json list = json::array();
  for (const auto& run : runs) list.push_back(to_json(run));
  return {{"runs", std::move(list)}};
}

Result<std::vector<QualityRun>> quality_runs_from_json(const json& value) {
  ObjectReader reader(value, "quality runs");
  std::vector<QualityRun> runs;
  for (const auto& item : reader.array("runs")) {
    auto run = quality_run_from_json(item);
    if (!run) return run.error();
    runs.push_back(std::move(*run));
  }
  return reader.finish(std::move(runs));
}

json to_json(const QualityPublication& publication) {
  json ports = json::array();
  for (const auto& port : publication.ports) {
    auto checks = json::parse(port.checks_json, nullptr, false);
    ports.push_back({{"port", port.port}, {"checks", checks.is_discarded() ? json(nullptr) : std::move(checks)}});
  }
  return {{"version", publication.version}, {"ports", std::move(ports)}};
}

Result<QualityPublication> quality_publication_from_json(const json& value, const ProductRef& ref) {
  ObjectReader reader(value, "the request");
  QualityPublication publication;
  publication.ref = ref;
  publication.version = reader.string("version");
  for (const auto& item : reader.array("ports")) {
    ObjectReader port(item, "the request.ports[]");
    QualityPortResult result;
    result.port = port.string("port");
    result.checks_json = json_text(port.array("checks"));
    reader.take(port);
    if (!reader.ok()) break;
    publication.ports.push_back(std::move(result));
  }
  return reader.finish(std::move(publication));
}

}  // namespace meshctl::registry
