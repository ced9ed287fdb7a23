// The mapping between meshctl's manifest and the open standards: the one table of which field goes where
// (README, "Converting to and from ODCS and ODPS", shows it). A field not listed here is not lost: it
// travels in the target's extension point as a JSON Patch (convert.h).
//
//   native                              ODCS (one contract per output port)     ODPS
//   metadata.name                       dataProduct, name                        name
//   metadata.domain                     domain                                   domain
//   metadata.version                    version                                  version, outputPorts[].version
//   metadata.description                description.purpose                      description.purpose
//   metadata.owner.team                 team.name                                team.name
//   metadata.owner.email                team.members[] {username, role: owner}   team.members[] {username, role: owner}
//   metadata.tags                       tags                                     tags
//   spec.inputPorts[].name/version      -                                        inputPorts[].name/version
//   spec.inputPorts[].product           -                                        inputPorts[].contractId
//   spec.outputPorts[].name             schema[0].name                           outputPorts[].name
//   spec.outputPorts[].description      schema[0].description                    outputPorts[].description
//   spec.outputPorts[].type             schema[0].physicalType                   outputPorts[].type
//   ...schema.fields[].name             schema[0].properties[].name              (in the contract)
//   ...fields[].type                    logicalType (+ physicalType when the logical type does not say it)
//   ...fields[].required/unique/description/classification   the same keys
//   ...fields[].term                    authoritativeDefinitions[] {type: businessDefinition,
//                                       url: urn:meshctl:term:TERM} (the first such entry comes back)
//   ...fields[].items                   items.logicalType
//   ...fields[].fields                  properties (objects), items.properties (arrays of objects)
//   spec.outputPorts[].slo.freshness    slaProperties[] {property: latency, value}
//   spec.outputPorts[].slo.availability slaProperties[] {property: availability, value}
//   (generated)                         id "DOMAIN.NAME.PORT", status active     id "DOMAIN.NAME", status active
//   everything else                     customProperties meshctl.patch  <->  extensions.odcs / .odps / .odcs@N
#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "interop/mapping.h"
#include "meshctl/interop/convert.h"

namespace meshctl::interop {

namespace {

using nlohmann::json;

// ------------------------------------------------------------------ field types

struct TypePair {
  std::string_view native;
  std::string_view logical;
};
// The native type and the ODCS logicalType it goes to; the first entry of a logical type is where it comes back.
constexpr std::array<TypePair, 12> kTypes{{{"string", "string"},
                                           {"integer", "integer"},
                                           {"double", "number"},
                                           {"boolean", "boolean"},
                                           {"date", "date"},
                                           {"timestamp", "timestamp"},
                                           {"array", "array"},
                                           {"object", "object"},
                                           {"long", "integer"},
                                           {"float", "number"},
                                           {"decimal", "number"},
                                           {"bytes", "string"}}};

std::string_view logical_of(std::string_view native) {
  for (const auto& pair : kTypes) {
    if (pair.native == native) return pair.logical;
  }
  return {};
}

std::string_view native_of(std::string_view logical) {
  for (const auto& pair : kTypes) {
    if (pair.logical == logical) return pair.native;
  }
  return {};
}

bool is_native_type(std::string_view word) { return !logical_of(word).empty(); }

// A glossary term as an ODCS authoritative definition: a URN, since a term is known by its name
// across the mesh (meshctl describe term NAME), not by an address.
constexpr std::string_view kTermUrn = "urn:meshctl:term:";

const json* string_at(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? &*it : nullptr;
}

std::string text_or(const json& object, const char* key, std::string fallback) {
  const json* value = string_at(object, key);
  return value != nullptr ? value->get<std::string>() : fallback;
}

void put(json& out, const char* key, const std::optional<std::string>& value) {
  if (value) out[key] = *value;
}

void copy_string(const json& in, const char* key, std::optional<std::string>& out) {
  if (const json* value = string_at(in, key)) out = value->get<std::string>();
}

void copy_bool(const json& in, const char* key, std::optional<bool>& out) {
  if (in.is_object() && in.contains(key) && in[key].is_boolean()) out = in[key].get<bool>();
}

// ------------------------------------------------------------------ owner <-> team

// The owner as an ODCS v3.1 / ODPS v1 team: {name: TEAM, members: [{username: EMAIL, role: owner}]}.
void put_team(json& out, const std::optional<manifest::Owner>& owner) {
  if (!owner || (!owner->team && !owner->email)) return;
  json team = json::object();
  put(team, "name", owner->team);
  if (owner->email) team["members"] = json::array({{{"username", *owner->email}, {"role", "owner"}}});
  out["team"] = std::move(team);
}

// The owner of a team object (v3.1, ODPS v1) or a list of members (ODCS v3.0, ODPS v0.9): the team's
// name, and the username of the member whose role is owner (else of the only member).
std::optional<manifest::Owner> owner_of(const json& document) {
  if (!document.is_object() || !document.contains("team")) return std::nullopt;
  const json& team = document["team"];
  manifest::Owner owner;
  const json* members = &team;
  if (team.is_object()) {
    copy_string(team, "name", owner.team);
    members = team.contains("members") ? &team["members"] : nullptr;
  }
  if (members != nullptr && members->is_array()) {
    for (const auto& member : *members) {
      if (text_or(member, "role", "") == "owner" || members->size() == 1) copy_string(member, "username", owner.email);
      if (owner.email) break;
    }
  }
  if (!owner.team && !owner.email) return std::nullopt;
  return owner;
}

// ------------------------------------------------------------------ native -> ODCS

json property_of(const manifest::Field& field) {
  json out = json::object();
  put(out, "name", field.name);
  if (field.type) {
    const std::string_view logical = logical_of(*field.type);
    if (!logical.empty()) out["logicalType"] = std::string(logical);
    if (logical.empty() || native_of(logical) != *field.type) out["physicalType"] = *field.type;
  }
  if (field.required) out["required"] = *field.required;
  if (field.unique) out["unique"] = *field.unique;
  put(out, "description", field.description);
  put(out, "classification", field.classification);
  if (field.term) {
    json definition = {{"type", "businessDefinition"}, {"url", fmt::format("{}{}", kTermUrn, *field.term)}};
    out["authoritativeDefinitions"] = json::array({std::move(definition)});
  }
  json nested = json::array();
  for (const auto& child : field.fields) nested.push_back(property_of(child));
  if (field.type == std::optional<std::string>("array") && (field.items || !nested.empty())) {
    json items = json::object();
    if (field.items) {
      const std::string_view logical = logical_of(*field.items);
      items["logicalType"] = std::string(logical.empty() ? "string" : logical);
      if (logical.empty() || native_of(logical) != *field.items) items["physicalType"] = *field.items;
    } else {
      items["logicalType"] = "object";
    }
    if (!nested.empty()) items["properties"] = std::move(nested);
    out["items"] = std::move(items);
  } else if (!nested.empty()) {
    out["properties"] = std::move(nested);
  }
  return out;
}

}  // namespace

std::string contract_id(const manifest::DataProduct& product, std::size_t port) {
  const auto& ports = product.spec.output_ports;
  const std::string name = port < ports.size() && ports[port].name ? *ports[port].name : std::to_string(port);
  return fmt::format("{}.{}.{}", product.metadata.domain, product.metadata.name, name);
}

// The ODCS contract of output port `port` as far as the mapping goes (`port` past the last: no schema).
json odcs_of(const manifest::DataProduct& product, std::size_t port) {
  const auto& m = product.metadata;
  json out = {{"apiVersion", kOdcsVersion}, {"kind", "DataContract"}, {"id", contract_id(product, port)},
              {"name", m.name},             {"version", m.version},    {"status", "active"},
              {"domain", m.domain},         {"dataProduct", m.name}};
  if (m.description) out["description"] = {{"purpose", *m.description}};
  put_team(out, m.owner);
  if (!m.tags.empty()) out["tags"] = m.tags;
  if (port >= product.spec.output_ports.size()) return out;
  const manifest::OutputPort& p = product.spec.output_ports[port];
  json object = {{"logicalType", "object"}};
  put(object, "name", p.name);
  put(object, "description", p.description);
  put(object, "physicalType", p.type);
  if (p.schema && !p.schema->fields.empty()) {
    json properties = json::array();
    for (const auto& field : p.schema->fields) properties.push_back(property_of(field));
    object["properties"] = std::move(properties);
  }
  out["schema"] = json::array({std::move(object)});
  if (p.slo && (p.slo->freshness || p.slo->availability)) {
    json sla = json::array();
    if (p.slo->freshness) sla.push_back({{"property", "latency"}, {"value", *p.slo->freshness}});
    if (p.slo->availability) sla.push_back({{"property", "availability"}, {"value", *p.slo->availability}});
    out["slaProperties"] = std::move(sla);
  }
  return out;
}

// ------------------------------------------------------------------ ODCS -> native

namespace {

manifest::Field field_of(const json& property) {
  manifest::Field field;
  copy_string(property, "name", field.name);
  const std::string physical = text_or(property, "physicalType", "");
  const std::string logical = text_or(property, "logicalType", "");
  if (is_native_type(physical)) {
    field.type = physical;
  } else if (!native_of(logical).empty()) {
    field.type = std::string(native_of(logical));
  }
  copy_bool(property, "required", field.required);
  copy_bool(property, "unique", field.unique);
  copy_string(property, "description", field.description);
  copy_string(property, "classification", field.classification);
  if (const auto definitions = property.find("authoritativeDefinitions");
      definitions != property.end() && definitions->is_array()) {
    for (const auto& definition : *definitions) {
      const std::string url = text_or(definition, "url", "");
      if (text_or(definition, "type", "") == "businessDefinition" && url.starts_with(kTermUrn) &&
          url.size() > kTermUrn.size()) {
        field.term = url.substr(kTermUrn.size());
        break;
      }
    }
  }
  const json* nested = nullptr;
  if (field.type == std::optional<std::string>("array") && property.contains("items") &&
      property["items"].is_object()) {
    const json& items = property["items"];
    const std::string item_physical = text_or(items, "physicalType", "");
    const std::string item_logical = text_or(items, "logicalType", "");
    if (is_native_type(item_physical)) {
      field.items = item_physical;
    } else if (item_logical != "object" && !native_of(item_logical).empty()) {
      field.items = std::string(native_of(item_logical));
    }
    if (items.contains("properties")) nested = &items["properties"];
  } else if (property.is_object() && property.contains("properties")) {
    nested = &property["properties"];
  }
  if (nested != nullptr && nested->is_array()) {
    for (const auto& child : *nested) {
      if (child.is_object()) field.fields.push_back(field_of(child));
    }
  }
  return field;
}

}  // namespace

manifest::DataProduct native_of_odcs(const json& contract) {
  manifest::DataProduct product;
  auto& m = product.metadata;
  m.name = text_or(contract, "dataProduct", text_or(contract, "name", text_or(contract, "id", "contract")));
  m.domain = text_or(contract, "domain", "default");
  m.version = text_or(contract, "version", "0.0.0");
  if (contract.contains("description")) copy_string(contract["description"], "purpose", m.description);
  m.owner = owner_of(contract);
  if (contract.contains("tags") && contract["tags"].is_array()) {
    for (const auto& tag : contract["tags"]) {
      if (tag.is_string()) m.tags.push_back(tag.get<std::string>());
    }
  }
  manifest::OutputPort port;
  const json* object = nullptr;
  if (contract.contains("schema") && contract["schema"].is_array() && !contract["schema"].empty() &&
      contract["schema"][0].is_object()) {
    object = &contract["schema"][0];
  }
  if (object != nullptr) {
    copy_string(*object, "name", port.name);
    copy_string(*object, "description", port.description);
    copy_string(*object, "physicalType", port.type);
    if (object->contains("properties") && (*object)["properties"].is_array()) {
      manifest::Schema schema;
      for (const auto& property : (*object)["properties"]) {
        if (property.is_object()) schema.fields.push_back(field_of(property));
      }
      if (!schema.fields.empty()) port.schema = std::move(schema);
    }
  }
  if (!port.name) port.name = text_or(contract, "name", "default");
  if (contract.contains("slaProperties") && contract["slaProperties"].is_array()) {
    manifest::Slo slo;
    for (const auto& sla : contract["slaProperties"]) {
      const std::string property = text_or(sla, "property", "");
      if (property == "latency") copy_string(sla, "value", slo.freshness);
      if (property == "availability") copy_string(sla, "value", slo.availability);
    }
    if (slo.freshness || slo.availability) port.slo = slo;
  }
  product.spec.output_ports.push_back(std::move(port));
  return product;
}

// ------------------------------------------------------------------ ODPS

json odps_of(const manifest::DataProduct& product) {
  const auto& m = product.metadata;
  json out = {{"apiVersion", kOdpsVersion},
              {"kind", "DataProduct"},
              {"id", fmt::format("{}.{}", m.domain, m.name)},
              {"name", m.name},
              {"version", m.version},
              {"status", "active"},
              {"domain", m.domain}};
  if (m.description) out["description"] = {{"purpose", *m.description}};
  put_team(out, m.owner);
  if (!m.tags.empty()) out["tags"] = m.tags;
  if (!product.spec.input_ports.empty()) {
    json& ports = out["inputPorts"] = json::array();
    for (const auto& port : product.spec.input_ports) {
      ports.push_back({{"name", port.name.value_or(port.product.value_or("input"))},
                       {"version", port.version.value_or("*")},
                       {"contractId", port.product.value_or("")}});
    }
  }
  if (!product.spec.output_ports.empty()) {
    json& ports = out["outputPorts"] = json::array();
    for (std::size_t i = 0; i < product.spec.output_ports.size(); ++i) {
      const auto& port = product.spec.output_ports[i];
      json entry = {{"name", port.name.value_or(std::to_string(i))},
                    {"version", m.version},
                    {"contractId", contract_id(product, i)}};
      put(entry, "description", port.description);
      put(entry, "type", port.type);
      ports.push_back(std::move(entry));
    }
  }
  return out;
}

// The native product of an ODPS product whose output ports' contracts are `contracts` (null: none).
manifest::DataProduct native_of_odps(const json& odps, const std::vector<const json*>& contracts) {
  manifest::DataProduct product;
  auto& m = product.metadata;
  m.name = text_or(odps, "name", text_or(odps, "id", "product"));
  m.domain = text_or(odps, "domain", "default");
  m.version = text_or(odps, "version", "0.0.0");
  if (odps.contains("description")) copy_string(odps["description"], "purpose", m.description);
  m.owner = owner_of(odps);
  if (odps.contains("tags") && odps["tags"].is_array()) {
    for (const auto& tag : odps["tags"]) {
      if (tag.is_string()) m.tags.push_back(tag.get<std::string>());
    }
  }
  if (odps.contains("inputPorts") && odps["inputPorts"].is_array()) {
    for (const auto& entry : odps["inputPorts"]) {
      manifest::InputPort port;
      copy_string(entry, "name", port.name);
      copy_string(entry, "version", port.version);
      copy_string(entry, "contractId", port.product);
      product.spec.input_ports.push_back(std::move(port));
    }
  }
  if (odps.contains("outputPorts") && odps["outputPorts"].is_array()) {
    const json& entries = odps["outputPorts"];
    for (std::size_t i = 0; i < entries.size(); ++i) {
      manifest::OutputPort port;
      if (i < contracts.size() && contracts[i] != nullptr) {
        manifest::DataProduct from_contract = native_of_odcs(*contracts[i]);
        port = std::move(from_contract.spec.output_ports.front());
        port.name.reset();
        port.description.reset();
        port.type.reset();
      }
      copy_string(entries[i], "name", port.name);
      copy_string(entries[i], "description", port.description);
      copy_string(entries[i], "type", port.type);
      product.spec.output_ports.push_back(std::move(port));
    }
  }
  return product;
}

}  // namespace meshctl::interop
