#include "meshctl/interop/convert.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/interop/documents.h"
#include "meshctl/manifest/glossary.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/emit.h"
#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace meshctl;

namespace {

const fs::path kSource = fs::path(MESHCTL_SOURCE_DIR);

std::vector<fs::path> yaml_files(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

yaml::Node parse(const std::string& text) {
  auto loaded = yaml::parse_yaml(text, "doc.yaml");
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.documents.size() == 1);
  return loaded.documents.front().root;
}

yaml::Node read_root(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

// The document as meshctl writes it (reading order, YAML), read back: what `meshctl convert` gives.
json written(const json& document) {
  const yaml::Node root = parse(yaml::to_yaml(interop::reading_order(document)));
  return json(yaml::to_json(root));
}

// The findings of an exported ODCS or ODPS document against the schema of the version it declares.
std::string schema_findings(const json& document) {
  const yaml::Node root = parse(yaml::to_yaml(interop::reading_order(document)));
  auto kind = interop::recognize(root);
  REQUIRE(kind);
  std::vector<Diagnostic> findings;
  interop::check_document(root, *kind, "exported.yaml", findings);
  std::string out;
  for (const auto& d : findings) out += d.path + ": " + d.message + "\n";
  return out;
}

std::string native_findings(const manifest::DataProduct& product) {
  const yaml::Node root = parse(yaml::to_yaml(interop::reading_order(manifest::to_json(product))));
  std::vector<Diagnostic> findings;
  manifest::check_shape(root, "exported.yaml", findings);
  std::string out;
  for (const auto& d : findings) out += d.path + ": " + d.message + "\n";
  return out;
}

std::map<std::string, json> by_id(const std::vector<json>& contracts) {
  std::map<std::string, json> out;
  for (const auto& contract : contracts) out.emplace(contract.at("id").get<std::string>(), contract);
  return out;
}

// native -> ODCS -> native and native -> ODPS (+ contracts) -> native, every export valid. A product
// converted from a document that fails its declared schema (the corpus has four, declared a version too
// old) gives that document back as it was: `valid` false skips the schema check there.
void check_native_round_trips(const manifest::DataProduct& product, bool valid = true) {
  const json original = manifest::to_json(product);
  CHECK(native_findings(product).empty());
  for (const auto& contract : interop::to_odcs(product)) {
    if (valid) CHECK(schema_findings(contract).empty());
    auto back = interop::from_odcs(written(contract));
    REQUIRE(back);
    CHECK(manifest::to_json(*back) == original);
  }
  const auto odps = interop::to_odps(product);
  if (valid) CHECK(schema_findings(odps.product).empty());
  std::vector<json> contracts;
  for (const auto& contract : odps.contracts) {
    if (valid) CHECK(schema_findings(contract).empty());
    contracts.push_back(written(contract));
  }
  auto back = interop::from_odps(written(odps.product), by_id(contracts));
  REQUIRE(back);
  CHECK(manifest::to_json(*back) == original);
}

}  // namespace

TEST_CASE("every ODCS document of the conformance corpus round-trips through native, losslessly", "[convert]") {
  int count = 0;
  for (const auto& path : yaml_files(kSource / "tests/conformance/odcs")) {
    INFO(path);
    const json original(yaml::to_json(read_root(path)));
    auto product = interop::from_odcs(original);
    REQUIRE(product);
    CHECK(product->spec.output_ports.size() == 1);
    // ODCS -> native (written and read back) -> ODCS: the same document, as data.
    auto reread = manifest::from_json(written(manifest::to_json(*product)));
    REQUIRE(reread);
    CHECK(*reread == *product);
    const auto contracts = interop::to_odcs(*reread);
    REQUIRE(contracts.size() == 1);
    CHECK(written(contracts.front()) == original);
    // And the native product it became converts on, both ways.
    check_native_round_trips(*product, schema_findings(original).empty());
    ++count;
  }
  CHECK(count == 18);
}

TEST_CASE("every ODPS document of the corpus round-trips through native with its contracts", "[convert]") {
  int count = 0;
  for (const auto& path : yaml_files(kSource / "tests/conformance/odps")) {
    INFO(path);
    const json original(yaml::to_json(read_root(path)));
    std::map<std::string, json> contracts;
    for (const auto& id : interop::output_contract_ids(original)) {
      contracts[id] = {{"apiVersion", "v3.0.2"}, {"kind", "DataContract"}, {"id", id}, {"version", "1.0.0"},
                       {"status", "active"},     {"name", "orders"},       {"dataProduct", "shop"}};
    }
    auto product = interop::from_odps(original, contracts);
    REQUIRE(product);
    const auto back = interop::to_odps(*product);
    CHECK(written(back.product) == original);
    REQUIRE(back.contracts.size() == contracts.size());
    for (const auto& contract : back.contracts) CHECK(contracts.at(contract.at("id").get<std::string>()) == contract);
    check_native_round_trips(*product, schema_findings(original).empty());
    ++count;
  }
  CHECK(count == 2);
}

TEST_CASE("a conversion that drops the leftovers maps the same product, unless the document has a patch", "[convert]") {
  const auto without_extensions = [](const manifest::DataProduct& product) {
    json value = manifest::to_json(product);
    value.erase("extensions");
    return value;
  };
  int patched = 0;
  for (const auto& path : yaml_files(kSource / "tests/conformance/odcs")) {
    INFO(path);
    const yaml::Node root = read_root(path);
    const json original = yaml::to_sorted_json(root);
    CHECK(original == json(yaml::to_json(root)));
    auto kept = interop::from_odcs(original);
    auto dropped = interop::from_odcs(original, interop::Leftovers::drop);
    REQUIRE(kept);
    REQUIRE(dropped);
    CHECK_FALSE(dropped->extensions.contains("odcs"));
    CHECK(without_extensions(*dropped) == without_extensions(*kept));
  }
  // A contract meshctl wrote from a native product carries the patch back to the whole product: a conversion
  // that drops the leftovers keeps them for it.
  for (const auto& path : yaml_files(kSource / "examples/products")) {
    INFO(path);
    const yaml::Node root = read_root(path);
    if (manifest::document_kind(root) == manifest::kGlossaryKind) continue;
    const json contract = interop::to_odcs(manifest::decode(root)).front();
    const auto properties = contract.value("customProperties", json::array());
    if (properties.empty() || properties.back().value("property", "") != interop::kPatchProperty) continue;
    auto kept = interop::from_odcs(contract);
    auto dropped = interop::from_odcs(contract, interop::Leftovers::drop);
    REQUIRE(kept);
    REQUIRE(dropped);
    CHECK(*dropped == *kept);
    ++patched;
  }
  CHECK(patched > 0);
}

TEST_CASE("every example product converts to ODCS and ODPS and back, every export valid", "[convert]") {
  int count = 0;
  for (const auto& path : yaml_files(kSource / "examples/products")) {
    INFO(path);
    const yaml::Node root = read_root(path);
    if (manifest::document_kind(root) == manifest::kGlossaryKind) continue;  // a glossary, no product
    std::vector<Diagnostic> findings;
    manifest::check_shape(root, path.string(), findings);
    REQUIRE(findings.empty());
    check_native_round_trips(manifest::decode(root));
    ++count;
  }
  CHECK(count >= 7);
}

TEST_CASE("a missing output-port contract is an error naming it", "[convert]") {
  const json odps = {{"apiVersion", "v1.0.0"}, {"kind", "DataProduct"}, {"id", "p"}, {"status", "active"},
                     {"outputPorts", {{{"name", "o"}, {"version", "1"}, {"contractId", "c-1"}}}}};
  CHECK(interop::output_contract_ids(odps) == std::vector<std::string>{"c-1"});
  auto product = interop::from_odps(odps, {});
  REQUIRE_FALSE(product);
  CHECK(product.error().kind == ErrorKind::not_found);
  CHECK(product.error().message == "output port 0: contract 'c-1' not found");
}

TEST_CASE("values keep their YAML 1.2 types and explicit nulls through the conversion", "[convert]") {
  const json original(yaml::to_json(parse(R"(apiVersion: v3.1.0
kind: DataContract
id: c
version: 1.0.0
status: active
contractCreatedTs: 2024-01-01
price: {priceAmount: 1.50, priceCurrency: null}
tags: []
customProperties:
  - {property: n, value: 12}
)")));
  CHECK(original["contractCreatedTs"].is_string());
  auto product = interop::from_odcs(original);
  REQUIRE(product);
  CHECK(product->extensions.contains("odcs"));
  CHECK(written(interop::to_odcs(*product).front()) == original);
}

TEST_CASE("native extensions are kept in customProperties and come back", "[convert]") {
  manifest::DataProduct product;
  product.metadata = {"orders", "sales", "1.0.0", "Orders", std::nullopt, manifest::Owner{"team-a", std::nullopt},
                      {},       {{"tier", "gold"}}};
  product.extensions["x-cost"] = json{{"monthly", 12.5}, {"since", "2024-01-01"}, {"none", nullptr}};
  const auto contracts = interop::to_odcs(product);
  REQUIRE(contracts.size() == 1);
  const json& properties = contracts.front().at("customProperties");
  CHECK(properties.back().at("property") == interop::kPatchProperty);
  auto back = interop::from_odcs(written(contracts.front()));
  REQUIRE(back);
  CHECK(*back == product);
}

TEST_CASE("a field's glossary term is an ODCS businessDefinition and comes back as the term", "[convert]") {
  const json original(yaml::to_json(parse(R"(apiVersion: v3.1.0
kind: DataContract
id: c
version: 1.0.0
status: active
schema:
  - name: orders
    logicalType: object
    properties:
      - name: email
        logicalType: string
        authoritativeDefinitions:
          - {type: businessDefinition, url: "https://wiki.example.com/email"}
          - {type: businessDefinition, url: "urn:meshctl:term:customer-email"}
      - name: note
        logicalType: string
        authoritativeDefinitions:
          - {type: videoTutorial, url: "urn:meshctl:term:not-a-definition"}
)")));
  auto product = interop::from_odcs(original);
  REQUIRE(product);
  const auto& fields = product->spec.output_ports.at(0).schema->fields;
  REQUIRE(fields.size() == 2);
  CHECK(fields[0].term == std::optional<std::string>("customer-email"));
  CHECK_FALSE(fields[1].term.has_value());  // only a businessDefinition names a term
  CHECK(written(interop::to_odcs(*product).front()) == original);  // the other definitions travel in the patch

  // A native field's term, exported: one businessDefinition, valid against the schema, and back again.
  product->extensions.clear();
  const auto exported = interop::to_odcs(*product);
  const json& email = exported.front().at("schema")[0].at("properties")[0];
  CHECK(email.at("authoritativeDefinitions") ==
        json::array({{{"type", "businessDefinition"}, {"url", "urn:meshctl:term:customer-email"}}}));
  auto back = interop::from_odcs(written(exported.front()));
  REQUIRE(back);
  CHECK(back->spec.output_ports.at(0).schema->fields[0].term == std::optional<std::string>("customer-email"));
}

TEST_CASE("a manifest's documents by format: converted, or as they were applied in that format", "[convert]") {
  const auto product = manifest::decode(parse(R"(apiVersion: meshctl/v1
kind: DataProduct
metadata: { name: orders, domain: sales, version: 1.0.0 }
spec:
  outputPorts:
    - { name: table, type: table }
    - { name: api, type: api }
)"));
  const auto native = interop::manifest_documents(product, interop::ManifestFormat::native);
  REQUIRE(native.size() == 1);
  CHECK(native[0].begin().key() == "apiVersion");  // reading order, not sorted
  CHECK(interop::manifest_documents(product, interop::ManifestFormat::odcs).size() == 2);
  const auto odps = interop::manifest_documents(product, interop::ManifestFormat::odps);
  REQUIRE(odps.size() == 3);
  CHECK(odps[0]["kind"] == "DataProduct");
  CHECK(odps[2]["kind"] == "DataContract");

  const std::string applied = R"([{"kind": "DataContract", "id": "as-applied"}])";
  const auto kept = interop::manifest_documents(product, interop::ManifestFormat::odcs, "odcs", applied);
  REQUIRE(kept.size() == 1);
  CHECK(interop::yaml_stream(kept) == "kind: DataContract\nid: as-applied\n");
  // Applied as ODCS, asked for as ODPS: converted.
  CHECK(interop::manifest_documents(product, interop::ManifestFormat::odps, "odcs", applied).size() == 3);
  // Applied documents that are no JSON list are passed over.
  CHECK(interop::manifest_documents(product, interop::ManifestFormat::odcs, "odcs", "{").size() == 2);
  CHECK(interop::yaml_stream(odps).find("\n---\napiVersion: v3.1.0\n") != std::string::npos);
}
