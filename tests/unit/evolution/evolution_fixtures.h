#pragma once

// A base manifest that exercises every part of the model, and handles to its parts.

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "meshctl/manifest/model.h"

namespace meshctl::evolution::testing {

// Designated initializers would leave members uninitialized in -Wextra's eyes: build parts with these.
inline manifest::Field make_field(std::string name, std::string type, bool required = false) {
  manifest::Field field;
  field.name = std::move(name);
  field.type = std::move(type);
  if (required) field.required = true;
  return field;
}

inline manifest::QualityRule make_rule(std::string rule, std::string field) {
  manifest::QualityRule out;
  out.rule = std::move(rule);
  out.field = std::move(field);
  return out;
}

inline manifest::DataProduct base_product(const std::string& version = "1.0.0") {
  manifest::DataProduct p;
  p.metadata.name = "orders";
  p.metadata.domain = "sales";
  p.metadata.version = version;
  p.metadata.title = "Confirmed orders";
  p.metadata.description = "One row per confirmed order line.";
  p.metadata.owner = manifest::Owner{"sales-data", "sales-data@example.com"};
  p.metadata.tags = {"orders"};
  p.metadata.labels = {{"tier", "gold"}};
  auto& input = p.spec.input_ports.emplace_back();
  input.name = "events";
  input.product = "sales/order-events";
  input.version = "^2";
  auto& out = p.spec.output_ports.emplace_back();
  out.name = "orders";
  out.type = "table";
  out.format = "parquet";
  out.location = "s3://sales/orders/";
  out.description = "The orders table";
  auto& fields = out.schema.emplace().fields;
  auto& id = fields.emplace_back(make_field("id", "integer", true));
  id.unique = true;
  id.description = "Order key";
  id.classification = "internal";
  fields.emplace_back(make_field("status", "string")).enum_values = {std::string("open"), std::string("closed")};
  auto& email = fields.emplace_back(make_field("email", "string"));
  email.classification = "confidential";
  email.pii = true;
  email.term = "email";
  fields.emplace_back(make_field("address", "object")).fields = {make_field("city", "string")};
  fields.emplace_back(make_field("labels", "array")).items = "string";
  fields.emplace_back(make_field("amount", "double"));
  out.slo = manifest::Slo{"1h", "99.9%"};
  out.quality.push_back(make_rule("not_null", "id"));
  return p;
}

// The paths diff() names for base_product's output port and its fields.
inline const std::string kPort = "spec.outputPorts[orders]";
inline const std::string kFields = kPort + ".schema.fields";

inline manifest::OutputPort& port(manifest::DataProduct& p) {
  return p.spec.output_ports.front();
}

inline manifest::Field& field_named(manifest::DataProduct& p, const std::string& name) {
  auto& fields = port(p).schema->fields;
  const auto found = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.name == name; });
  if (found == fields.end()) throw std::logic_error("no field " + name);
  return *found;
}

}  // namespace meshctl::evolution::testing
