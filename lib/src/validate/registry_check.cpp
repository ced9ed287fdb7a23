#include "meshctl/validate/registry_check.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/core/text.h"

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

std::string constraint_clause(const InputPortReference& reference) {
  return reference.version.empty() ? "" : " " + reference.version;
}

// The finding about the versions `reference` resolves to among the registered
// ones, or nullopt when it resolves to one that is not deprecated.
std::optional<Diagnostic> check_versions(const std::string& file, const InputPortReference& reference,
                                         const std::string& key, const RegisteredProduct& registered) {
  const auto match = match_constraint(reference.version, registered.versions);
  const auto version_path = fmt::format("spec.inputPorts[{}].version", reference.index);
  if (!match.valid) {
    return Diagnostic{file,
                      reference.version_position,
                      Severity::error,
                      "MESH-INPUT-UNMATCHED",
                      version_path,
                      fmt::format("'{}' is not a version constraint, so it meets no version of {}: write one like "
                                  "^2, ~1.4 or >=3.1.0",
                                  reference.version, key)};
  }
  if (match.matching.empty()) {
    return Diagnostic{
        file,
        reference.version_position,
        Severity::error,
        "MESH-INPUT-UNMATCHED",
        reference.version.empty() ? reference.path : version_path,
        fmt::format("reads {}{}, but no version of it meets the constraint (versions not retired: {}): publish a "
                    "matching version first, or change the constraint",
                    key, constraint_clause(reference), version_list_text(match.available))};
  }
  if (!match.only_deprecated) return std::nullopt;
  return Diagnostic{
      file,
      reference.position,
      Severity::warning,
      "MESH-INPUT-DEPRECATED",
      reference.path,
      fmt::format("reads {}{}, which resolves only to deprecated versions ({}; sunset {}): move to a "
                  "version that is not deprecated before then",
                  key, constraint_clause(reference), version_list_text(match.matching), match.last_sunset)};
}

}  // namespace

bool is_registry_rule(std::string_view rule_id) {
  return rule_id == "MESH-INPUT-UNKNOWN" || rule_id == "MESH-INPUT-DEPRECATED" || rule_id == "MESH-INPUT-RETIRED" ||
         rule_id == "MESH-INPUT-UNMATCHED" || rule_id.starts_with("MESH-TERM-");
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
      } else if (registered->status == ProductStatus::retired) {
        out.push_back(
            Diagnostic{source.file, reference.position, Severity::error, "MESH-INPUT-RETIRED", reference.path,
                       fmt::format("reads {}, retired{}{}; the registry refuses new versions that read it: read its "
                                   "replacement",
                                   key, sunset_clause(*registered), reason_clause(*registered))});
      } else {
        // A product of the same run may publish the version the port needs: applying it tells.
        const auto versions =
            defined_in_run.count(key) == 0 ? check_versions(source.file, reference, key, *registered) : std::nullopt;
        if (registered->status == ProductStatus::deprecated) {
          if (versions && versions->severity == Severity::error) out.push_back(*versions);
          out.push_back(Diagnostic{
              source.file, reference.position, Severity::warning, "MESH-INPUT-DEPRECATED", reference.path,
              fmt::format("reads {}, deprecated{}{}", key, sunset_clause(*registered), reason_clause(*registered))});
        } else if (versions) {
          out.push_back(*versions);
        }
      }
    }
  }
  return out;
}

std::vector<Diagnostic> check_field_terms(const Report& report, const std::vector<DefinedTerm>& registered) {
  std::map<std::string, DefinedTerm> terms;
  for (const auto& term : registered) terms[term.name] = term;
  for (const auto& source : report.inputs) {
    for (const auto& term : source.glossary) terms[term.name] = term;
  }
  std::map<std::string, std::string> preferred;  // synonym -> term
  for (const auto& [name, term] : terms) {
    for (const auto& synonym : term.synonyms) {
      if (!terms.contains(synonym)) preferred.emplace(synonym, name);
    }
  }
  std::set<std::string> with_errors;
  for (const auto& d : report.diagnostics) {
    if (d.severity == Severity::error) with_errors.insert(d.file);
  }
  std::vector<Diagnostic> out;
  for (const auto& source : report.inputs) {
    if (with_errors.contains(source.file)) continue;
    for (const auto& reference : source.terms) {
      if (auto found = terms.find(reference.term); found != terms.end()) {
        if (found->second.status == "deprecated") {
          out.push_back(Diagnostic{source.file, reference.position, Severity::warning, "MESH-TERM-DEPRECATED",
                                   reference.path,
                                   fmt::format("term '{}' is deprecated in its glossary: bind the field to the term "
                                               "that replaces it (meshctl describe term {})",
                                               reference.term, reference.term)});
        }
        continue;
      }
      if (auto synonym = preferred.find(reference.term); synonym != preferred.end()) {
        out.push_back(Diagnostic{source.file, reference.position, Severity::warning, "MESH-TERM-SYNONYM",
                                 reference.path,
                                 fmt::format("'{}' is a synonym of term '{}': name the term itself", reference.term,
                                             synonym->second)});
        continue;
      }
      std::vector<std::string_view> names;
      names.reserve(terms.size() + preferred.size());
      for (const auto& [name, term] : terms) names.push_back(name);
      const auto match = closest_match(reference.term, names);
      out.push_back(Diagnostic{
          source.file, reference.position, Severity::error, "MESH-TERM-UNKNOWN", reference.path,
          match ? fmt::format("term '{}' is not in the glossary: did you mean '{}'?", reference.term, *match)
                : fmt::format("term '{}' is not in the glossary: define it in a kind: Glossary document, or name a "
                              "term that exists (meshctl get terms)",
                              reference.term)});
    }
  }
  return out;
}

}  // namespace meshctl::validate
