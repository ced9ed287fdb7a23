#include "meshctl/validate/registry_check.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "meshctl/core/file.h"

namespace meshctl::validate {

namespace {

struct InputReference {
  std::string file;
  Position position;
  std::string path;  // e.g. "spec.inputPorts[1].product"
  std::string domain;
  std::string name;
};

std::string product_key(std::string_view domain, std::string_view name) { return fmt::format("{}/{}", domain, name); }

const std::string* string_at(const yaml::Node& root, std::string_view section, std::string_view key) {
  const auto* parent = root.find(section);
  const auto* value = parent != nullptr ? parent->find(key) : nullptr;
  return value != nullptr && value->is_string() ? &value->text : nullptr;
}

// Collects the document's own "domain/name" into `defined` and its input port references into `references`.
void scan_document(const yaml::Node& root, const std::string& file, std::set<std::string>& defined,
                   std::vector<InputReference>& references) {
  const auto* domain = string_at(root, "metadata", "domain");
  const auto* name = string_at(root, "metadata", "name");
  if (domain != nullptr && name != nullptr) defined.insert(product_key(*domain, *name));

  const auto* spec = root.find("spec");
  const auto* ports = spec != nullptr ? spec->find("inputPorts") : nullptr;
  if (ports == nullptr || !ports->is_sequence()) return;
  for (std::size_t i = 0; i < ports->items.size(); ++i) {
    const auto* product = ports->items[i].find("product");
    if (product == nullptr || !product->is_string()) continue;
    const auto slash = product->text.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == product->text.size()) continue;
    references.push_back(InputReference{file, product->position, fmt::format("spec.inputPorts[{}].product", i),
                                        product->text.substr(0, slash), product->text.substr(slash + 1)});
  }
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

Result<std::vector<Diagnostic>> check_input_products(const std::vector<Source>& sources, const Report& report,
                                                     const yaml::LoadLimits& limits, const ProductLookup& lookup) {
  std::set<std::string> files_with_errors;
  for (const auto& diagnostic : report.diagnostics) {
    if (diagnostic.severity == Severity::error) files_with_errors.insert(diagnostic.file);
  }

  std::set<std::string> defined_in_run;
  std::vector<InputReference> references;
  for (const auto& source : sources) {
    if (files_with_errors.count(source.name) != 0) continue;
    std::string text;
    if (source.text) {
      text = *source.text;
    } else {
      auto read = read_file(source.path);
      if (!read) continue;  // validate already reported it; a file that vanished since is not ours to judge
      text = std::move(*read);
    }
    const auto loaded = yaml::parse_yaml(text, source.name, limits);
    for (const auto& document : loaded.documents) scan_document(document.root, source.name, defined_in_run, references);
  }

  std::map<std::string, std::optional<RegisteredProduct>> answers;  // one lookup per product
  std::vector<Diagnostic> out;
  for (const auto& reference : references) {
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
      out.push_back(Diagnostic{reference.file, reference.position, Severity::error, "MESH-INPUT-UNKNOWN",
                               reference.path,
                               fmt::format("reads {}, which is not registered: apply it first, or fix the name", key)});
    } else if (registered->status == ProductStatus::deprecated) {
      out.push_back(Diagnostic{
          reference.file, reference.position, Severity::warning, "MESH-INPUT-DEPRECATED", reference.path,
          fmt::format("reads {}, deprecated{}{}", key, sunset_clause(*registered), reason_clause(*registered))});
    } else if (registered->status == ProductStatus::retired) {
      out.push_back(Diagnostic{reference.file, reference.position, Severity::warning, "MESH-INPUT-RETIRED",
                               reference.path,
                               fmt::format("reads {}, retired{}{}", key, sunset_clause(*registered),
                                           registered->reason.empty() ? ": move to its replacement"
                                                                      : reason_clause(*registered))});
    }
  }
  return out;
}

}  // namespace meshctl::validate
