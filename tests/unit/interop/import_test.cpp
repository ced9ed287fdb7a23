#include "meshctl/interop/import.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"

namespace fs = std::filesystem;
using namespace meshctl;

namespace {

constexpr const char* kContract = R"(apiVersion: v3.1.0
kind: DataContract
id: shop.orders.table
name: orders
version: 1.0.0
status: active
domain: shop
team:
  name: shop-data
  members:
    - username: shop@example.com
      role: owner
schema:
  - name: orders-table
    logicalType: object
    properties:
      - name: order_id
        logicalType: string
        required: true
      - name: email
        logicalType: string
        classification: restricted
)";

constexpr const char* kProduct = R"(apiVersion: v1.0.0
kind: DataProduct
id: shop.orders
name: orders
version: 1.0.0
status: active
domain: shop
outputPorts:
  - name: orders-table
    version: 1.0.0
    contractId: shop.orders.table
)";

interop::OpenDocument open_document(const std::string& text, const std::string& file) {
  auto loaded = yaml::parse_yaml(text, file);
  REQUIRE(loaded.documents.size() == 1);
  auto kind = interop::recognize(loaded.documents[0].root);
  REQUIRE(kind);
  nlohmann::json value = yaml::to_json(loaded.documents[0].root);
  return interop::OpenDocument{file, kind->standard, std::move(loaded.documents[0].root), std::move(value), false};
}

}  // namespace

TEST_CASE("an ODCS contract alone is a product with one output port", "[convert][import]") {
  const auto contract = open_document(kContract, "orders.odcs.yaml");
  const auto result = interop::import_documents({&contract});
  CHECK(result.diagnostics.empty());
  REQUIRE(result.products.size() == 1);
  const auto& product = result.products[0].product;
  CHECK(product.id() == "shop/orders");
  REQUIRE(product.metadata.owner);
  CHECK(product.metadata.owner->team == "shop-data");
  CHECK(product.metadata.owner->email == "shop@example.com");
  REQUIRE(product.spec.output_ports.size() == 1);
  REQUIRE(product.spec.output_ports[0].schema);
  CHECK(product.spec.output_ports[0].schema->fields.size() == 2);

  SECTION("a finding about the native manifest is placed where the contract says it") {
    Diagnostic finding{"orders.odcs.yaml", {}, Severity::error, "MESH-PII-CLASS",
                       "spec.outputPorts[0].schema.fields[1].classification", "restricted is not allowed"};
    const auto placed = interop::locate(finding, result.products[0]);
    CHECK(placed.file == "orders.odcs.yaml");
    CHECK(placed.path == "schema[0].properties[1].classification");
    CHECK(placed.position.line == 22);
    CHECK(placed.position.column == 25);
    finding.path = "metadata.owner.email";
    CHECK(interop::locate(finding, result.products[0]).path == "team");
    finding.path = "metadata.title";  // no place in ODCS: the document itself
    CHECK(interop::locate(finding, result.products[0]).position.line == 1);
  }
}

TEST_CASE("an ODPS product takes its contracts along, from the documents or its folder tree",
          "[convert][import]") {
  const auto product = open_document(kProduct, "shop/product.odps.yaml");
  SECTION("among the documents given: the contract is no product of its own") {
    const auto contract = open_document(kContract, "shop/orders.odcs.yaml");
    const auto result = interop::import_documents({&product, &contract});
    CHECK(result.diagnostics.empty());
    REQUIRE(result.products.size() == 1);
    CHECK(result.products[0].standard == interop::Standard::odps);
    REQUIRE(result.products[0].documents.size() == 2);
    CHECK(result.products[0].documents[1] == &contract);
    Diagnostic finding{"x", {}, Severity::error, "R", "spec.outputPorts[0].schema.fields[0].required", "m"};
    const auto placed = interop::locate(finding, result.products[0]);
    CHECK(placed.file == "shop/orders.odcs.yaml");
    CHECK(placed.path == "schema[0].properties[0].required");
  }
  SECTION("in the folder tree of the product's file") {
    const fs::path folder = fs::temp_directory_path() / "meshctl-import-test";
    fs::remove_all(folder);
    fs::create_directories(folder / "contracts");
    std::ofstream(folder / "contracts" / "orders.odcs.yaml") << kContract;
    const auto in_folder = open_document(kProduct, (folder / "product.odps.yaml").string());
    const auto result = interop::import_documents({&in_folder});
    CHECK(result.diagnostics.empty());
    REQUIRE(result.products.size() == 1);
    CHECK(result.products[0].product.spec.output_ports[0].schema->fields.size() == 2);
    fs::remove_all(folder);
  }
  SECTION("a contract found nowhere is an error at the port's contractId") {
    const auto alone = open_document(kProduct, "<stdin>");
    const auto result = interop::import_documents({&alone});
    CHECK(result.products.empty());
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].rule == "MESH-ODPS-CONTRACT");
    CHECK(result.diagnostics[0].position.line == 11);
    CHECK(result.diagnostics[0].position.column == 17);
  }
}
