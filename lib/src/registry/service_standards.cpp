// RegistryService: the platform's standards, kept and versioned by the registry, and the check every
// publication passes against them.

#include <fmt/format.h>

#include "meshctl/registry/service.h"
#include "meshctl/registry/standards_in_force.h"
#include "meshctl/standards/standards.h"
#include "meshctl/yaml/json.h"
#include "registry/service_support.h"

namespace meshctl::registry {

using service_support::authorize_admin;
using service_support::in_read_transaction;
using service_support::in_write_transaction;
using service_support::ManifestFacts;
using service_support::record_refusal;

namespace {

nlohmann::json finding_json(const Diagnostic& finding) {
  nlohmann::json json = {
      {"rule", finding.rule}, {"severity", to_string(finding.severity)}, {"message", finding.message}};
  if (!finding.path.empty()) json["path"] = finding.path;
  return json;
}

// The findings of a standards file, for an error's details.
nlohmann::json findings_json(const std::vector<Diagnostic>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& finding : findings) {
    auto json = finding_json(finding);
    json["line"] = finding.position.line;
    json["column"] = finding.position.column;
    list.push_back(std::move(json));
  }
  return list;
}

}  // namespace

namespace service_support {

Status check_registry_standards(StoreTransaction& transaction, std::span<const ManifestFacts> batch) {
  auto record = transaction.latest_standards();
  if (!record.ok()) return record.error();
  auto in_force = standards_in_force(*record);
  if (!in_force.ok()) return in_force.error();
  nlohmann::json refused = nlohmann::json::array();
  std::size_t errors = 0;
  std::string first;
  for (const ManifestFacts& facts : batch) {
    // The manifest as the registry keeps it (canonical JSON), as the tree reading its text would give.
    const auto value = nlohmann::json::parse(facts.canonical_json, nullptr, false);
    if (value.is_discarded()) continue;  // facts_of wrote it: never happens
    const auto root = yaml::to_node(value);
    std::vector<Diagnostic> findings;
    in_force->rules.check(root, facts.ref.text(), findings);
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& finding : findings) {
      if (finding.severity != Severity::error) continue;
      if (first.empty()) {
        first =
            fmt::format("{}{}: {}", finding.rule, finding.path.empty() ? "" : " at " + finding.path, finding.message);
      }
      listed.push_back(finding_json(finding));
      ++errors;
    }
    if (!listed.empty()) refused.push_back({{"product", facts.ref.text()}, {"findings", std::move(listed)}});
  }
  if (errors == 0) return ok_status();
  const std::size_t manifests = refused.size();
  const auto message = fmt::format(
      "{} breaks {} ({} error{} in {} manifest{}; first: {}); nothing was written: fix the manifest (meshctl "
      "validate --registry shows where)",
      refused[0]["product"].get<std::string>(), in_force->label, errors, errors == 1 ? "" : "s", manifests,
      manifests == 1 ? "" : "s", first);
  return make_error(ErrorKind::findings, message,
                    {{"standardsVersion", *record ? nlohmann::json((*record)->version) : nlohmann::json(nullptr)},
                     {"manifests", std::move(refused)}});
}

}  // namespace service_support

Result<std::optional<StandardsRecord>> RegistryService::standards() {
  return in_read_transaction<std::optional<StandardsRecord>>(
      store_, [](StoreTransaction& transaction) { return transaction.latest_standards(); });
}

Result<StandardsPublication> RegistryService::publish_standards(const Caller& caller, const std::string& text) {
  const auto now = format_utc(clock_.now());
  if (auto allowed = authorize_admin(caller, "publish the platform's standards"); !allowed.ok()) {
    return record_refusal(store_, caller, {}, allowed.error(), now);
  }
  auto parsed = standards::parse_standards(text, "standards");
  if (!parsed.standards) {
    return make_error(ErrorKind::findings,
                      fmt::format("the standards file has {} error{}; nothing was published: fix it (the details "
                                  "give each finding's line and column)",
                                  parsed.diagnostics.size(), parsed.diagnostics.size() == 1 ? "" : "s"),
                      {{"findings", findings_json(parsed.diagnostics)}});
  }
  using Publication = StandardsPublication;
  return in_write_transaction<Publication>(store_, [&](StoreTransaction& transaction) -> Result<Publication> {
    auto latest = transaction.latest_standards();
    if (!latest.ok()) return latest.error();
    const auto hash = content_hash(text);
    if (*latest && (*latest)->content_hash == hash && (*latest)->text == text) {
      return Publication{std::move(**latest), true};
    }
    StandardsRecord record{*latest ? (*latest)->version + 1 : 1, text, hash, now, caller.actor};
    if (auto status = transaction.insert_standards(record); !status.ok()) return status.error();
    AuditEvent event{0,
                     now,
                     caller.actor,
                     "standards-publish",
                     {},
                     "",
                     fmt::format("standards version {} published ({})", record.version, hash)};
    if (auto id = transaction.append_audit(event); !id.ok()) return id.error();
    return Publication{std::move(record), false};
  });
}

}  // namespace meshctl::registry
