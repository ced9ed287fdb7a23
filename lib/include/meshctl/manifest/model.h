#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/error.h"
#include "meshctl/yaml/node.h"

namespace meshctl::manifest {

// The typed DataProduct manifest (apiVersion meshctl/v1): every key that
// check_shape accepts, and nothing else. Optional values are std::optional (or
// an empty list/map: an empty list and an absent one mean the same). Values
// whose allowed words are policy (compatibility, port type, field type,
// classification, quality rule kind) stay strings: the standards decide which
// words are allowed, not the model.

// A number as written: integers stay integers (`min: 1` is not `1.0`).
using Number = std::variant<std::int64_t, double>;

// A scalar that keeps its YAML type (an enum value, an accepted value). A
// non-finite float (`.inf`, `.nan`) has no JSON form: decode keeps its spelling
// as a string. (check_shape refuses non-finite numbers where a number is required.)
using Scalar = std::variant<bool, std::int64_t, double, std::string>;

struct Owner {
  std::optional<std::string> team;
  std::optional<std::string> email;
  bool operator==(const Owner&) const = default;
};

struct Metadata {
  std::string name;
  std::string domain;
  std::string version;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<Owner> owner;
  std::vector<std::string> tags;
  std::map<std::string, std::string> labels;  // sorted: label order carries no meaning
  bool operator==(const Metadata&) const = default;
};

struct InputPort {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> product;  // "domain/name"
  std::optional<std::string> version;  // a constraint: "^2", "~1.4", ">=3.1.0"
  bool operator==(const InputPort&) const = default;
};

struct Field {
  std::optional<std::string> name;
  std::optional<std::string> type;  // string, integer, ..., array, object
  std::optional<bool> required;
  std::optional<bool> unique;
  std::optional<std::string> description;
  std::optional<std::string> classification;
  std::optional<bool> pii;
  std::optional<std::string> term;
  std::vector<Scalar> enum_values;   // the `enum` key
  std::optional<std::string> items;  // arrays of scalars: the element type
  std::vector<Field> fields;         // objects, and arrays of objects
  bool operator==(const Field&) const = default;
};

struct Slo {
  std::optional<std::string> freshness;     // "1h"
  std::optional<std::string> availability;  // "99.9%"
  bool operator==(const Slo&) const = default;
};

struct QualityRule {
  std::optional<std::string> rule;  // not_null, unique, row_count, range, pattern, accepted_values, freshness, sql
  std::optional<std::string> field;
  std::optional<Number> min;
  std::optional<Number> max;
  std::optional<std::string> pattern;
  std::vector<Scalar> values;
  std::optional<std::string> query;  // sql: one SELECT returning one number, compared with the bounds below
  std::optional<Number> must_be;
  std::optional<Number> must_be_less_than;
  std::optional<Number> must_be_greater_than;
  std::optional<std::string> description;
  bool operator==(const QualityRule&) const = default;
};

struct Schema {
  std::vector<Field> fields;
  bool operator==(const Schema&) const = default;
};

struct OutputPort {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> type;  // table, topic, file, api
  std::optional<std::string> format;
  std::optional<std::string> location;
  std::optional<Schema> schema;
  std::optional<Slo> slo;
  std::vector<QualityRule> quality;
  bool operator==(const OutputPort&) const = default;
};

struct Spec {
  std::optional<std::string> compatibility;  // absent means forward
  std::vector<InputPort> input_ports;
  std::vector<OutputPort> output_ports;
  bool operator==(const Spec&) const = default;
};

inline constexpr const char* kDefaultCompatibility = "forward";

struct DataProduct {
  Metadata metadata;
  Spec spec;
  // `extensions:`, carried untouched (any JSON value under each key). Converting from ODCS or ODPS keeps
  // here what meshctl has no field for (interop/convert.h), so nothing is lost on the way back.
  std::map<std::string, nlohmann::json> extensions;

  // "domain/name": how the registry and input ports name a product.
  std::string id() const { return metadata.domain + "/" + metadata.name; }
  // spec.compatibility, or "forward" when the manifest does not say.
  std::string effective_compatibility() const { return spec.compatibility.value_or(kDefaultCompatibility); }

  bool operator==(const DataProduct&) const = default;
};

// The model of a DataProduct document's tree.
// REQUIRES: check_shape reported no error for `root` (a value of the wrong
// type is skipped, never a crash). Unknown keys are ignored.
DataProduct decode(const yaml::Node& root);

// Canonical JSON: the manifest's own keys (apiVersion and kind included),
// objects with their keys sorted, absent optionals and empty lists/maps
// omitted, booleans and numbers typed. Equal products give byte-identical
// canonical_text(), so the registry stores and hashes that text.
nlohmann::json to_json(const DataProduct& product);

// The inverse of to_json. Returns an ErrorKind::invalid error, whose message
// names the JSON path, when the document is not a DataProduct: wrong apiVersion
// or kind, a missing metadata.name/domain/version, a value of the wrong type,
// an unknown key (canonical JSON never has one), or objects and lists nested
// deeper than the YAML loader allows (yaml::LoadLimits::max_depth).
Result<DataProduct> from_json(const nlohmann::json& document);

// to_json(product) dumped compactly (no spaces, UTF-8 as is): the bytes the
// registry stores and hashes (content hash = SHA-256 of this text, computed by
// the registry).
std::string canonical_text(const DataProduct& product);

}  // namespace meshctl::manifest
