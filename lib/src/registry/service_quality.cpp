// RegistryService: quality runs, what `meshctl test --publish` records for a published version and
// `get quality` and `describe` read.

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "meshctl/core/json_text.h"
#include "meshctl/registry/service.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::authorize_write;
using service_support::in_read_transaction;
using service_support::in_write_transaction;
using service_support::record_refusal;
using service_support::require_product;
using service_support::require_version;

namespace {

// The counts of `checks_json` per status, and the checks in the one spelling the registry keeps (keys
// sorted, whoever sent them); invalid naming the port and the check when they are not a list of checks.
Result<std::pair<QualityCounts, std::string>> read_checks(const QualityPortResult& port) {
  const auto checks = nlohmann::json::parse(port.checks_json, nullptr, false);
  const auto refuse = [&](const std::string& why) {
    return make_error(ErrorKind::invalid, fmt::format("the checks of port '{}' {}: publish what `meshctl test "
                                                      "-o json` reports",
                                                      port.port, why));
  };
  if (checks.is_discarded() || !checks.is_array()) return refuse("are not a JSON list");
  QualityCounts counts;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const auto& check = checks[i];
    const auto text_of = [&check](const char* key) {
      if (!check.is_object()) return std::string();
      const auto found = check.find(key);
      return found != check.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    const auto id = text_of("id");
    if (id.empty()) return refuse(fmt::format("hold an item without an id (item {})", i + 1));
    const auto text = text_of("status");
    if (text == "passed") {
      ++counts.passed;
    } else if (text == "failed") {
      ++counts.failed;
    } else if (text == "warning") {
      ++counts.warning;
    } else if (text == "error") {
      ++counts.error;
    } else if (text == "skipped") {
      ++counts.skipped;
    } else {
      return refuse(
          fmt::format("hold check '{}' with status '{}', not passed, failed, warning, error or skipped", id, text));
    }
  }
  return std::make_pair(counts, json_text(checks));
}

// The names of the output ports of a published version's manifest (canonical JSON).
std::vector<std::string> output_ports_of(const VersionRecord& version) {
  std::vector<std::string> names;
  const auto manifest = nlohmann::json::parse(version.manifest_json, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object()) return names;
  const auto spec = manifest.find("spec");
  if (spec == manifest.end() || !spec->is_object()) return names;
  const auto ports = spec->find("outputPorts");
  if (ports == spec->end() || !ports->is_array()) return names;
  for (const auto& port : *ports) {
    if (port.is_object() && port.contains("name") && port["name"].is_string()) {
      names.push_back(port["name"].get<std::string>());
    }
  }
  return names;
}

std::string summary_of(const QualityRun& run) {
  return fmt::format("{}: {}/{} passed", run.port, run.counts.passed, run.counts.total());
}

}  // namespace

Result<std::vector<QualityRun>> RegistryService::publish_quality(const Caller& caller,
                                                                 const QualityPublication& publication) {
  const auto now = format_utc(clock_.now());
  const auto& ref = publication.ref;
  const auto attempted = fmt::format("publish quality results of {}@{}", ref.text(), publication.version);
  if (auto allowed = authorize_write(caller, ref.domain, attempted); !allowed.ok()) {
    return record_refusal(store_, caller, ref, allowed.error(), now);
  }
  if (publication.ports.empty()) {
    return make_error(ErrorKind::invalid,
                      fmt::format("no port's checks to publish for {}@{}", ref.text(), publication.version));
  }
  std::vector<QualityRun> runs;
  std::set<std::string> seen;
  for (const auto& port : publication.ports) {
    if (!seen.insert(port.port).second) {
      return make_error(ErrorKind::invalid,
                        fmt::format("port '{}' is published twice: one result per port", port.port));
    }
    auto checks = read_checks(port);
    if (!checks.ok()) return checks.error();
    QualityRun run;
    run.ref = ref;
    run.version = publication.version;
    run.port = port.port;
    run.time = now;
    run.actor = caller.actor;
    run.counts = checks->first;
    run.checks_json = std::move(checks->second);
    runs.push_back(std::move(run));
  }
  using Runs = std::vector<QualityRun>;
  return in_write_transaction<Runs>(store_, [&](StoreTransaction& transaction) -> Result<Runs> {
    auto product = require_product(transaction, ref);
    if (!product.ok()) return product.error();
    if (product->status == LifecycleStatus::retired) {
      return make_error(ErrorKind::conflict,
                        fmt::format("{} is retired: its quality is no longer recorded", ref.text()),
                        {{"product", ref.text()}});
    }
    auto version = require_version(transaction, ref, publication.version);
    if (!version.ok()) return version.error();
    const auto declared = output_ports_of(*version);
    std::vector<std::string> summaries;
    for (auto& run : runs) {
      if (std::find(declared.begin(), declared.end(), run.port) == declared.end()) {
        return make_error(ErrorKind::invalid,
                          fmt::format("{}@{} has no output port '{}' (its output ports: {})", ref.text(),
                                      publication.version, run.port, fmt::join(declared, ", ")),
                          {{"product", ref.text()}, {"version", publication.version}, {"port", run.port}});
      }
      auto id = transaction.insert_quality_run(run);
      if (!id.ok()) return id.error();
      run.id = *id;
      summaries.push_back(summary_of(run));
    }
    AuditEvent event{0,
                     now,
                     caller.actor,
                     "quality-publish",
                     ref,
                     publication.version,
                     fmt::format("quality of {}: {}", publication.version, fmt::join(summaries, "; "))};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return runs;
  });
}

Result<std::vector<QualityRun>> RegistryService::quality_runs(const ProductRef& ref, const QualityQuery& query) {
  if (query.limit < 1 || query.limit > kMaxQualityLimit) {
    return make_error(ErrorKind::invalid, fmt::format("a limit of quality runs must be 1 to {} (--limit), not {}",
                                                      kMaxQualityLimit, query.limit));
  }
  using Runs = std::vector<QualityRun>;
  return in_read_transaction<Runs>(store_, [&](StoreTransaction& transaction) -> Result<Runs> {
    if (auto product = require_product(transaction, ref); !product.ok()) return product.error();
    QualitySelection selection;
    selection.version = query.version;
    selection.port = query.port;
    selection.limit = query.limit;
    return transaction.quality_runs(ref, selection);
  });
}

}  // namespace meshctl::registry
