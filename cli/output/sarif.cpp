// SARIF 2.1.0 output of `validate --format sarif`, in the form GitHub code scanning ingests
// (upload with github/codeql-action/upload-sarif).
#include <algorithm>
#include <cstdint>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "meshctl/core/json_text.h"
#include "meshctl/core/text.h"
#include "meshctl/standards/standards.h"
#include "output/diagnostics.h"

namespace meshctl::cli {

namespace {

using nlohmann::ordered_json;

constexpr const char* kSarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";

struct RuleDescription {
  std::string summary;
  std::string rationale;
  Severity severity;
  bool builtin = false;  // `meshctl standards explain ID` knows it
};

// What SARIF says about `rule`: the built-in rule's text, the structural rule's, or (custom
// rules, whose text lives in a standards file the report does not carry) the id alone.
RuleDescription describe_rule(const std::string& rule, Severity seen) {
  for (const auto& info : standards::builtin_rules()) {
    if (info.id == rule) return {info.summary, info.rationale, info.severity, true};
  }
  if (const auto* info = standards::find_structural_rule(rule)) return {info->summary, info->rationale, info->severity};
  return {rule, "", seen};
}

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "note";
}

// A URI reference for a file as the user named it: forward slashes, no leading "./", and the
// characters URIs do not allow percent-encoded ("<stdin>" becomes "%3Cstdin%3E").
std::string artifact_uri(const std::string& file) {
  std::string path = file;
  std::replace(path.begin(), path.end(), '\\', '/');
  while (path.starts_with("./")) path.erase(0, 2);
  std::string uri;
  for (const unsigned char c : path) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         std::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos;
    if (allowed) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

// Identifies a finding across runs independently of its line, so that code scanning keeps
// tracking an alert when lines above it move: rule, file, document path and message.
std::string fingerprint(const Diagnostic& d, const std::string& uri) {
  std::uint64_t hash = fnv1a_64(d.rule);
  for (const std::string* part : {&uri, &d.path, &d.message}) {
    hash = fnv1a_64(std::string_view("\0", 1), hash);
    hash = fnv1a_64(*part, hash);
  }
  return fmt::format("{:016x}", hash);
}

ordered_json make_rule(const std::string& id, Severity seen) {
  const auto description = describe_rule(id, seen);
  ordered_json rule = {{"id", id}, {"shortDescription", {{"text", description.summary}}}};
  if (!description.rationale.empty()) {
    rule["fullDescription"] = {{"text", description.rationale}};
    std::string help = fmt::format("{}. Why: {}", description.summary, description.rationale);
    if (description.builtin) help += fmt::format(" More: `meshctl standards explain {}`.", id);
    rule["help"] = {{"text", std::move(help)}};
  }
  rule["defaultConfiguration"] = {{"level", sarif_level(description.severity)}};
  return rule;
}

ordered_json make_result(const Diagnostic& d, std::size_t rule_index) {
  const std::string uri = artifact_uri(d.file);
  ordered_json physical = {{"artifactLocation", {{"uri", uri}}}};
  if (d.position.line != 0) {
    ordered_json region = {{"startLine", d.position.line}};
    if (d.position.column != 0) region["startColumn"] = d.position.column;
    physical["region"] = std::move(region);
  }
  ordered_json location = {{"physicalLocation", std::move(physical)}};
  if (!d.path.empty()) location["logicalLocations"] = ordered_json::array({{{"fullyQualifiedName", d.path}}});
  return {{"ruleId", d.rule},
          {"ruleIndex", rule_index},
          {"level", sarif_level(d.severity)},
          {"message", {{"text", d.message}}},
          {"locations", ordered_json::array({std::move(location)})},
          {"partialFingerprints", {{"meshctl/v1", fingerprint(d, uri)}}}};
}

}  // namespace

void print_diagnostics_sarif(std::ostream& out, const validate::Report& report) {
  // The rules reported, sorted by id; ruleIndex points into this list.
  std::map<std::string, Severity> seen;
  for (const auto& d : report.diagnostics) seen.emplace(d.rule, d.severity);
  std::map<std::string, std::size_t> index_of;
  ordered_json rules = ordered_json::array();
  for (const auto& [id, severity] : seen) {
    index_of.emplace(id, rules.size());
    rules.push_back(make_rule(id, severity));
  }
  ordered_json results = ordered_json::array();
  for (const auto& d : report.diagnostics) results.push_back(make_result(d, index_of.at(d.rule)));

  ordered_json driver = {{"name", "meshctl"},
                         {"version", MESHCTL_VERSION},
                         {"semanticVersion", MESHCTL_VERSION},
                         {"rules", std::move(rules)}};
  ordered_json run = {{"tool", {{"driver", std::move(driver)}}}, {"results", std::move(results)}};
  ordered_json log = {{"$schema", kSarifSchema}, {"version", "2.1.0"}, {"runs", ordered_json::array({std::move(run)})}};
  out << json_text(log, 2) << '\n';
}

}  // namespace meshctl::cli
