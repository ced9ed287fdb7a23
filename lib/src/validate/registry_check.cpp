#include "meshctl/validate/registry_check.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace meshctl::validate {

namespace {

std::string product_key(std::string_view domain, std::string_view name) {
  return fmt::format("{}/{}", domain, name);
}

std::string sunset_clause(const RegisteredProduct& product) {
  return product.sunset.empty() ? "" : fmt::format(" (sunset {})", product.sunset);
}

std::string reason_clause(const RegisteredProduct& product) {
  return product.reason.empty() ? "" : fmt::format(": {}", product.reason);
}

}  // namespace

bool is_registry_rule(std::string_view rule_id) {
  return rule_id == "MESH-INPUT-UNKNOWN" || rule_id == "MESH-INPUT-DEPRECATED" || rule_id == "MESH-INPUT-RETIRED";
}

Result<std::vector<Diagnostic>> check_input_products(const Report& report, const ProductLookup& lookup) {
  std::set<std::string> files_with_errors;
  for (const auto& diagnostic : report.diagnostics) {
    if (diagnostic.severity == Severity::error) files_with_errors.insert(diagnostic.file);
  }
  std::set<std::string> defined_in_run;
  for (const auto& source : report.inputs) {
    if (files_with_errors.count(source.file) == 0) defined_in_run.insert(source.defined.begin(), source.defined.end());
  }

  std::map<std::string, std::optional<RegisteredProduct>> answers;  // one lookup per product
  std::vector<Diagnostic> out;
  for (const auto& source : report.inputs) {
    if (files_with_errors.count(source.file) != 0) continue;
    for (const auto& reference : source.reads) {
      const auto key = product_key(reference.domain, reference.name);
      auto answer = answers.find(key);
      if (answer == answers.end()) {
        auto found = lookup(reference.domain, reference.name);
        if (!found) return found.error();
        answer = answers.emplace(key, std::move(*found)).first;
      }
      const auto& registered = answer->second;
      if (!registered) {
        if (defined_in_run.count(key) != 0) continue;
        out.push_back(
            Diagnostic{source.file, reference.position, Severity::error, "MESH-INPUT-UNKNOWN", reference.path,
                       fmt::format("reads {}, which is not registered: apply it first, or fix the name", key)});
      } else if (registered->status == ProductStatus::deprecated) {
        out.push_back(Diagnostic{
            source.file, reference.position, Severity::warning, "MESH-INPUT-DEPRECATED", reference.path,
            fmt::format("reads {}, deprecated{}{}", key, sunset_clause(*registered), reason_clause(*registered))});
      } else if (registered->status == ProductStatus::retired) {
        out.push_back(Diagnostic{
            source.file, reference.position, Severity::warning, "MESH-INPUT-RETIRED", reference.path,
            fmt::format("reads {}, retired{}{}", key, sunset_clause(*registered),
                        registered->reason.empty() ? ": move to its replacement" : reason_clause(*registered))});
      }
    }
  }
  return out;
}

}  // namespace meshctl::validate
