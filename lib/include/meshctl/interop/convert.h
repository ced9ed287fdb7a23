#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/error.h"
#include "meshctl/manifest/model.h"

namespace meshctl::interop {

// Conversion between meshctl's manifests and the open standards, losslessly (mapping.cpp holds the one
// mapping table). Each direction maps the fields both sides have; whatever the mapping does not
// reproduce is kept as an RFC 6902 JSON Patch in the target's extension point, so converting back
// gives the original document as data:
//   - a native product keeps it under `extensions:`, key "odcs" (from an ODCS contract), "odps" (from an
//     ODPS product) and "odcs@N" (the contract of output port N of that product);
//   - an ODCS or ODPS document keeps it as the last `customProperties` entry, property "meshctl.patch",
//     a patch to the native manifest's canonical JSON (manifest::to_json).
// Documents are plain JSON values (read with yaml::to_json: dates stay strings, numbers numbers).

// The versions the converters write.
inline constexpr const char* kOdcsVersion = "v3.1.0";
inline constexpr const char* kOdpsVersion = "v1.0.0";
inline constexpr const char* kPatchProperty = "meshctl.patch";

// What a conversion to a native product keeps besides the mapped fields. `keep`: the patch back to the
// original under `extensions` (lossless: what apply registers). `drop`: the mapped product alone, for a
// check of it (validate), at a fraction of the cost; a document that carries a meshctl.patch keeps its
// leftovers either way, as its patch applies to the product with them.
enum class Leftovers { keep, drop };

// An ODCS contract as a native product with one output port (the contract's first schema object).
Result<manifest::DataProduct> from_odcs(const nlohmann::json& contract, Leftovers leftovers = Leftovers::keep);

// One ODCS contract per output port (one for a product without ports), each of which alone converts
// back to the whole product.
std::vector<nlohmann::json> to_odcs(const manifest::DataProduct& product);

// An ODPS product and its output ports' contracts.
struct OdpsDocuments {
  nlohmann::json product;
  std::vector<nlohmann::json> contracts;  // in output-port order; contractId links them
};

OdpsDocuments to_odps(const manifest::DataProduct& product);

// The contractId of each ODPS output port, in order ("" for a port without one).
std::vector<std::string> output_contract_ids(const nlohmann::json& odps_product);

// An ODPS product as a native product; `contracts` by id holds at least every output port's contract
// (output_contract_ids). A missing contract is an ErrorKind::not_found error naming the port.
Result<manifest::DataProduct> from_odps(const nlohmann::json& odps_product,
                                        const std::map<std::string, nlohmann::json>& contracts,
                                        Leftovers leftovers = Leftovers::keep);

// `document` with its keys in reading order: apiVersion, kind, id, metadata, name, ... first, the others
// alphabetically, at every level. For writing a converted document.
nlohmann::ordered_json reading_order(const nlohmann::json& document);

// `documents` as one YAML stream in reading_order, separated by `---` lines; ends with a line break.
std::string documents_yaml(const std::vector<nlohmann::json>& documents);

// The formats a registered manifest is given back in: `meshctl get manifest --format`, the web catalog's
// downloads.
enum class ManifestFormat { native, odcs, odps };

// The documents of `product` in `format`, each in reading_order: native, the manifest (manifest::to_json);
// odcs, one contract per output port (to_odcs); odps, the ODPS product, then its output ports' contracts
// (to_odps). When the version was applied as documents of that same format (`applied_format` "odcs" or
// "odps", `applied_documents_json` the JSON list of them with their keys in their original order), those
// are given back as they were applied. Applied documents that are not a JSON list are passed over.
std::vector<nlohmann::ordered_json> manifest_documents(const manifest::DataProduct& product, ManifestFormat format,
                                                       std::string_view applied_format = {},
                                                       std::string_view applied_documents_json = {});

// `documents` as one YAML stream, each with its keys in their order, separated by `---` lines; ends with a
// line break.
std::string yaml_stream(const std::vector<nlohmann::ordered_json>& documents);

}  // namespace meshctl::interop
