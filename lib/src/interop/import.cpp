#include "meshctl/interop/import.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "meshctl/core/file.h"
#include "meshctl/interop/convert.h"
#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"

namespace meshctl::interop {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string* id_of(const OpenDocument& document) {
  if (!document.value.is_object()) return nullptr;
  auto it = document.value.find("id");
  return it != document.value.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

bool is_document_file(const fs::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

// The ODCS contracts of the folder tree under `folder`, each checked against its schema.
void read_folder_contracts(const fs::path& folder, ImportResult& result) {
  std::error_code error;
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_directory(error) && it->path().filename().native().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error) && is_document_file(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    auto text = read_file(path);
    if (!text) continue;
    if (text->find("DataContract") == std::string::npos) continue;  // most files: not worth parsing
    auto loaded = yaml::parse_yaml(*text, path.string());
    for (auto& document : loaded.documents) {
      auto kind = recognize(document.root);
      if (!kind || kind->standard != Standard::odcs) continue;
      auto found = std::make_unique<OpenDocument>();
      found->file = path.string();
      found->standard = Standard::odcs;
      std::vector<Diagnostic> findings;
      check_document(document.root, *kind, found->file, findings);
      found->schema_errors = count(findings).errors > 0;
      result.diagnostics.insert(result.diagnostics.end(), findings.begin(), findings.end());
      found->value = yaml::to_sorted_json(document.root);
      found->root = std::move(document.root);
      result.found.push_back(std::move(found));
    }
  }
}

// The position of output port `port`'s contractId in an ODPS document.
Position contract_reference(const yaml::Node& root, std::size_t port) {
  const yaml::Node* ports = root.find("outputPorts");
  if (ports == nullptr || !ports->is_sequence() || port >= ports->items.size()) return root.position;
  const yaml::Node* id = ports->items[port].find("contractId");
  return id != nullptr ? id->position : ports->items[port].position;
}

// ------------------------------------------------------------------ locate

struct Segment {
  std::string key;
  std::optional<std::size_t> index;
};

// "spec.outputPorts[0].schema" -> {spec}, {outputPorts, 0}, {schema}.
std::vector<Segment> segments_of(const std::string& path) {
  std::vector<Segment> segments;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('.', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    Segment segment;
    const std::size_t bracket = part.find('[');
    segment.key = part.substr(0, bracket);
    if (bracket != std::string::npos) {
      try {
        segment.index = static_cast<std::size_t>(std::stoul(part.substr(bracket + 1)));
      } catch (const std::exception&) {
      }
    }
    segments.push_back(std::move(segment));
    start = end + 1;
  }
  return segments;
}

// A place in an original document while the native path is walked.
struct Cursor {
  const OpenDocument* document = nullptr;
  const yaml::Node* node = nullptr;
  std::string path;

  // Moves to `key` of the mapping; false (not moved) when it is absent.
  bool enter(std::string_view key) {
    const yaml::Node* next = node->find(key);
    if (next == nullptr) return false;
    node = next;
    if (!path.empty()) path += '.';
    path.append(key);
    return true;
  }
  bool enter(std::size_t index) {
    if (!node->is_sequence() || index >= node->items.size()) return false;
    node = &node->items[index];
    path += fmt::format("[{}]", index);
    return true;
  }
};

// The key of an ODCS property that says what a native field's `key` says.
std::string_view property_key(std::string_view key) {
  if (key == "type") return "logicalType";
  if (key == "items") return "items";
  if (key == "pii") return "classification";
  return key;
}

// From a contract's root along "schema.fields[1].fields[0].pii" (segments from `from`) or "slo.freshness".
void walk_contract(Cursor& at, const std::vector<Segment>& segments, std::size_t from) {
  const Cursor root = at;
  if (from < segments.size() && segments[from].key == "slo") {
    if (!at.enter("slaProperties")) return;
    if (from + 1 >= segments.size()) return;
    const std::string wanted = segments[from + 1].key == "freshness" ? "latency" : segments[from + 1].key;
    for (std::size_t i = 0; i < at.node->items.size(); ++i) {
      const yaml::Node* property = at.node->items[i].find("property");
      if (property != nullptr && property->text == wanted) {
        at.enter(i);
        at.enter("value");
        return;
      }
    }
    return;
  }
  if (!at.enter("schema") || !at.enter(std::size_t{0})) {
    at = root;
    return;
  }
  if (from >= segments.size()) return;
  const std::string& key = segments[from].key;
  if (key == "name" || key == "description") {
    at.enter(key);
    return;
  }
  if (key == "type") {
    at.enter("physicalType");
    return;
  }
  if (key != "schema") return;
  for (std::size_t i = from + 1; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    if (segment.key == "fields" && segment.index) {
      if (at.node->find("properties") == nullptr && at.node->find("items") != nullptr) at.enter("items");
      if (!at.enter("properties") || !at.enter(*segment.index)) return;
      continue;
    }
    at.enter(property_key(segment.key));
    return;
  }
}

}  // namespace

ImportResult import_documents(const std::vector<const OpenDocument*>& documents, Leftovers leftovers) {
  ImportResult result;
  std::map<std::string, const OpenDocument*> contracts;
  for (const auto* document : documents) {
    if (document->standard != Standard::odcs) continue;
    if (const std::string* id = id_of(*document)) contracts.emplace(*id, document);
  }
  std::set<fs::path> searched;
  std::set<const OpenDocument*> taken;
  std::map<const OpenDocument*, ImportedProduct> products;
  for (const auto* document : documents) {
    if (document->standard != Standard::odps || document->schema_errors) continue;
    const auto ids = output_contract_ids(document->value);
    ImportedProduct imported{{}, Standard::odps, {document}};
    bool complete = true;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (ids[i].empty()) {
        imported.documents.push_back(nullptr);
        continue;
      }
      if (!contracts.contains(ids[i]) && !document->file.starts_with("<")) {  // <stdin>, <request>: no folder
        const fs::path folder = fs::path(document->file).parent_path().empty()
                                    ? fs::path(".")
                                    : fs::path(document->file).parent_path();
        if (searched.insert(folder).second) {
          const std::size_t before = result.found.size();
          read_folder_contracts(folder, result);
          for (std::size_t f = before; f < result.found.size(); ++f) {
            if (const std::string* id = id_of(*result.found[f])) contracts.emplace(*id, result.found[f].get());
          }
        }
      }
      auto it = contracts.find(ids[i]);
      if (it == contracts.end()) {
        complete = false;
        result.diagnostics.push_back(Diagnostic{
            document->file, contract_reference(document->root, i), Severity::error, "MESH-ODPS-CONTRACT",
            fmt::format("outputPorts[{}].contractId", i),
            fmt::format("no ODCS contract with id '{}' among the files given or in the folder tree of {}: add "
                        "the contract (kind DataContract, id: {}) next to the product",
                        ids[i], document->file, ids[i])});
        continue;
      }
      if (it->second->schema_errors) complete = false;
      imported.documents.push_back(it->second);
    }
    for (const auto* contract : imported.documents) taken.insert(contract);
    if (!complete) continue;
    std::map<std::string, json> by_id;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (imported.documents[i + 1] != nullptr) by_id.emplace(ids[i], imported.documents[i + 1]->value);
    }
    auto product = from_odps(document->value, by_id, leftovers);
    if (!product) {
      result.diagnostics.push_back(Diagnostic{document->file, document->root.position, Severity::error,
                                              "MESH-INTEROP-CONVERT", "", product.error().message});
      continue;
    }
    imported.product = std::move(*product);
    products.emplace(document, std::move(imported));
  }
  for (const auto* document : documents) {
    if (document->standard == Standard::odps) {
      auto it = products.find(document);
      if (it != products.end()) result.products.push_back(std::move(it->second));
      continue;
    }
    if (taken.contains(document) || document->schema_errors) continue;
    auto product = from_odcs(document->value, leftovers);
    if (!product) {
      result.diagnostics.push_back(Diagnostic{document->file, document->root.position, Severity::error,
                                              "MESH-INTEROP-CONVERT", "", product.error().message});
      continue;
    }
    result.products.push_back(ImportedProduct{std::move(*product), Standard::odcs, {document}});
  }
  return result;
}

Diagnostic locate(Diagnostic finding, const ImportedProduct& imported) {
  const OpenDocument* main = imported.documents.front();
  Cursor at{main, &main->root, ""};
  const auto segments = segments_of(finding.path);
  auto placed = [&] {
    finding.file = at.document->file;
    finding.position = at.node->position;
    finding.path = at.path;
    return finding;
  };
  if (segments.size() < 2) return placed();
  const std::string& key = segments[1].key;
  if (segments[0].key == "metadata") {
    if (key == "name") {
      at.enter(imported.standard == Standard::odcs && main->root.find("dataProduct") != nullptr ? "dataProduct"
                                                                                                : "name");
    } else if (key == "domain" || key == "version" || key == "tags") {
      if (at.enter(key) && segments[1].index) at.enter(*segments[1].index);
    } else if (key == "description") {
      if (at.enter("description")) at.enter("purpose");
    } else if (key == "owner") {
      at.enter("team");
    }
    return placed();
  }
  if (segments[0].key != "spec" || !segments[1].index) return placed();
  const std::size_t port = *segments[1].index;
  if (key == "inputPorts" && imported.standard == Standard::odps) {
    if (at.enter("inputPorts") && at.enter(port) && segments.size() > 2) {
      at.enter(segments[2].key == "product" ? std::string_view("contractId") : std::string_view(segments[2].key));
    }
    return placed();
  }
  if (key != "outputPorts") return placed();
  if (imported.standard == Standard::odps) {
    if (!at.enter("outputPorts") || !at.enter(port)) return placed();
    if (segments.size() <= 2) return placed();
    const std::string& attribute = segments[2].key;
    if (attribute == "name" || attribute == "description" || attribute == "type") {
      at.enter(attribute);
      return placed();
    }
    if (port + 1 >= imported.documents.size() || imported.documents[port + 1] == nullptr) return placed();
    at = Cursor{imported.documents[port + 1], &imported.documents[port + 1]->root, ""};
  }
  walk_contract(at, segments, 2);
  return placed();
}

}  // namespace meshctl::interop
