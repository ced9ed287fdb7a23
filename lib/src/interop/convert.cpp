#include "meshctl/interop/convert.h"

#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "interop/mapping.h"
#include "meshctl/yaml/emit.h"

namespace meshctl::interop {

namespace {

using nlohmann::json;

constexpr const char* kOdcsKey = "odcs";
constexpr const char* kOdpsKey = "odps";

std::string port_contract_key(std::size_t port) { return fmt::format("odcs@{}", port); }

// The product without the extensions a conversion from `key`'s standard left (the rest it keeps).
json extension_of(const manifest::DataProduct& product, const std::string& key) {
  auto it = product.extensions.find(key);
  return it == product.extensions.end() ? json(nullptr) : it->second;
}

// Whether a document's meshctl.patch (split_patch's second) has anything to apply.
bool has_patch(const json& patch) {
  return patch.is_array() && !patch.empty();
}

json patched(json document, const json& patch) {
  if (!has_patch(patch)) return document;
  try {
    return document.patch(patch);
  } catch (const json::exception&) {
    return document;  // a hand-edited patch that no longer applies: the mapped document as it is
  }
}

// Splits the meshctl.patch entry off a document's customProperties: the document as the mapping made
// it, and the patch (null when there is none).
std::pair<json, json> split_patch(json document) {
  json patch = nullptr;
  if (document.is_object() && document.contains("customProperties") && document["customProperties"].is_array()) {
    json& properties = document["customProperties"];
    if (!properties.empty() && properties.back().is_object() &&
        properties.back().value("property", std::string()) == kPatchProperty) {
      patch = properties.back().value("value", json(nullptr));
      properties.erase(properties.size() - 1);
      if (properties.empty()) document.erase("customProperties");
    }
  }
  return {std::move(document), std::move(patch)};
}

json with_patch(json document, const json& patch) {
  if (patch.empty()) return document;
  if (!document.contains("customProperties") || !document["customProperties"].is_array()) {
    document["customProperties"] = json::array();
  }
  document["customProperties"].push_back({{"property", kPatchProperty}, {"value", patch}});
  return document;
}

Result<manifest::DataProduct> checked(const json& document) {
  auto product = manifest::from_json(document);
  if (!product) {
    return make_error(ErrorKind::invalid,
                      fmt::format("the converted manifest is not valid ({}): was the meshctl.patch entry edited?",
                                  product.error().message));
  }
  return product;
}

// A contract as a product, the contract's own leftovers kept in extensions.odcs (unless dropped).
manifest::DataProduct odcs_core(const json& contract, Leftovers leftovers = Leftovers::keep) {
  manifest::DataProduct product = native_of_odcs(contract);
  if (leftovers == Leftovers::drop) return product;
  json rest = json::diff(odcs_of(product, 0), contract);
  if (!rest.empty()) product.extensions[kOdcsKey] = std::move(rest);
  return product;
}

// The contract of output port `port` as the mapping and the product's extensions give it.
json odcs_mapped(const manifest::DataProduct& product, std::size_t port) {
  json contract = odcs_of(product, port);
  contract = patched(std::move(contract), extension_of(product, port_contract_key(port)));
  if (port == 0) contract = patched(std::move(contract), extension_of(product, kOdcsKey));
  return contract;
}

manifest::DataProduct odps_core(const json& odps, const std::vector<const json*>& contracts,
                                Leftovers leftovers = Leftovers::keep) {
  manifest::DataProduct product = native_of_odps(odps, contracts);
  if (leftovers == Leftovers::drop) return product;
  json rest = json::diff(odps_of(product), odps);
  for (std::size_t i = 0; i < contracts.size(); ++i) {
    if (contracts[i] == nullptr) continue;
    json contract_rest = json::diff(odcs_of(product, i), *contracts[i]);
    if (!contract_rest.empty()) product.extensions[port_contract_key(i)] = std::move(contract_rest);
  }
  if (!rest.empty()) product.extensions[kOdpsKey] = std::move(rest);
  return product;
}

// A patch applies to the product with its leftovers: a document that carries one keeps them.
Leftovers needed(Leftovers asked, const json& patch) {
  return has_patch(patch) ? Leftovers::keep : asked;
}

}  // namespace

Result<manifest::DataProduct> from_odcs(const json& contract, Leftovers leftovers) {
  auto [mapped, patch] = split_patch(contract);
  return checked(patched(manifest::to_json(odcs_core(mapped, needed(leftovers, patch))), patch));
}

std::vector<json> to_odcs(const manifest::DataProduct& product) {
  const json original = manifest::to_json(product);
  std::vector<json> contracts;
  const std::size_t count = std::max<std::size_t>(1, product.spec.output_ports.size());
  for (std::size_t i = 0; i < count; ++i) {
    json contract = odcs_mapped(product, i);
    const json back = manifest::to_json(odcs_core(contract));
    contracts.push_back(with_patch(std::move(contract), json::diff(back, original)));
  }
  return contracts;
}

OdpsDocuments to_odps(const manifest::DataProduct& product) {
  OdpsDocuments out;
  for (std::size_t i = 0; i < product.spec.output_ports.size(); ++i) out.contracts.push_back(odcs_mapped(product, i));
  json odps = patched(odps_of(product), extension_of(product, kOdpsKey));
  // A contract whose id came back from its original keeps that id: the port names it.
  if (odps.contains("outputPorts") && odps["outputPorts"].is_array()) {
    for (std::size_t i = 0; i < out.contracts.size() && i < odps["outputPorts"].size(); ++i) {
      if (out.contracts[i].contains("id") && odps["outputPorts"][i].is_object()) {
        odps["outputPorts"][i]["contractId"] = out.contracts[i]["id"];
      }
    }
  }
  std::vector<const json*> contracts;
  for (const auto& contract : out.contracts) contracts.push_back(&contract);
  const json back = manifest::to_json(odps_core(odps, contracts));
  out.product = with_patch(std::move(odps), json::diff(back, manifest::to_json(product)));
  return out;
}

std::vector<std::string> output_contract_ids(const json& odps_product) {
  std::vector<std::string> ids;
  if (!odps_product.is_object() || !odps_product.contains("outputPorts")) return ids;
  const json& ports = odps_product["outputPorts"];
  if (!ports.is_array()) return ids;
  for (const auto& port : ports) {
    const bool has_id = port.is_object() && port.contains("contractId") && port["contractId"].is_string();
    ids.push_back(has_id ? port["contractId"].get<std::string>() : std::string());
  }
  return ids;
}

Result<manifest::DataProduct> from_odps(const json& odps_product, const std::map<std::string, json>& contracts,
                                        Leftovers leftovers) {
  auto [mapped, patch] = split_patch(odps_product);
  std::vector<const json*> resolved;
  const std::vector<std::string> ids = output_contract_ids(mapped);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i].empty()) {
      resolved.push_back(nullptr);
      continue;
    }
    auto it = contracts.find(ids[i]);
    if (it == contracts.end()) {
      return make_error(ErrorKind::not_found,
                        fmt::format("output port {}: contract '{}' not found", i, ids[i]));
    }
    resolved.push_back(&it->second);
  }
  return checked(patched(manifest::to_json(odps_core(mapped, resolved, needed(leftovers, patch))), patch));
}

nlohmann::ordered_json reading_order(const json& document) {
  static constexpr std::array<std::string_view, 28> kFirst{
      "apiVersion", "kind",        "id",          "metadata",     "spec",         "name",       "domain",
      "version",    "status",      "dataProduct", "title",        "description",  "purpose",    "owner",
      "team",       "email",       "tags",        "labels",       "compatibility", "inputPorts", "outputPorts",
      "product",    "contractId",  "type",        "logicalType",  "physicalType", "schema",     "fields"};
  if (document.is_array()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& item : document) list.push_back(reading_order(item));
    return list;
  }
  if (!document.is_object()) return document;
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const auto key : kFirst) {
    auto it = document.find(std::string(key));
    if (it != document.end()) object[std::string(key)] = reading_order(*it);
  }
  for (const auto& [key, value] : document.items()) {  // sorted: nlohmann::json keeps keys in order
    if (!object.contains(key)) object[key] = reading_order(value);
  }
  // The extension points come last.
  for (const char* key : {"customProperties", "extensions"}) {
    if (object.contains(key)) {
      nlohmann::ordered_json value = object[key];
      object.erase(key);
      object[key] = std::move(value);
    }
  }
  return object;
}

std::vector<nlohmann::ordered_json> manifest_documents(const manifest::DataProduct& product, ManifestFormat format,
                                                       std::string_view applied_format,
                                                       std::string_view applied_documents_json) {
  const char* wanted = format == ManifestFormat::odcs ? kOdcsKey : format == ManifestFormat::odps ? kOdpsKey : "";
  if (format != ManifestFormat::native && applied_format == wanted) {
    auto applied = nlohmann::ordered_json::parse(applied_documents_json, nullptr, false);
    if (applied.is_array()) return std::vector<nlohmann::ordered_json>(applied.begin(), applied.end());
  }
  std::vector<json> documents;
  if (format == ManifestFormat::odcs) {
    documents = to_odcs(product);
  } else if (format == ManifestFormat::odps) {
    OdpsDocuments odps = to_odps(product);
    documents.push_back(std::move(odps.product));
    for (auto& contract : odps.contracts) documents.push_back(std::move(contract));
  } else {
    documents.push_back(manifest::to_json(product));
  }
  std::vector<nlohmann::ordered_json> ordered;
  for (const auto& document : documents) ordered.push_back(reading_order(document));
  return ordered;
}

std::string yaml_stream(const std::vector<nlohmann::ordered_json>& documents) {
  std::string text;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) text += "---\n";
    text += yaml::to_yaml(documents[i]);
  }
  return text;
}

std::string documents_yaml(const std::vector<json>& documents) {
  std::string text;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) text += "---\n";
    text += yaml::to_yaml(reading_order(documents[i]));
  }
  return text;
}

}  // namespace meshctl::interop
