#include <catch2/catch.hpp>

#include "meshctl/exporters/export.h"
#include "meshctl/interop/convert.h"
#include "meshctl/interop/documents.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"

using namespace meshctl;

namespace {

constexpr const char* kManifest = R"(apiVersion: meshctl/v1
kind: DataProduct
metadata:
  name: orders
  domain: sales
  version: 1.2.0
  description: Confirmed orders.
  owner:
    team: sales-data
    email: sales-data@example.com
spec:
  outputPorts:
    - name: orders-table
      type: table
      schema:
        fields:
          - name: order_id
            type: string
            required: true
          - name: email
            type: string
            pii: true
            classification: confidential
      slo:
        freshness: 1h
    - name: orders-topic
      type: topic
      schema:
        fields:
          - name: order_id
            type: string
)";

manifest::DataProduct product() {
  auto loaded = yaml::parse_yaml(kManifest, "orders.yaml");
  REQUIRE(loaded.documents.size() == 1);
  return manifest::decode(loaded.documents[0].root);
}

// Each YAML document of `text`, checked against the schema of the version it declares.
std::size_t documents_checked(const std::string& text) {
  auto loaded = yaml::parse_yaml(text, "exported.yaml");
  REQUIRE(loaded.diagnostics.empty());
  for (const auto& document : loaded.documents) {
    auto kind = interop::recognize(document.root);
    REQUIRE(kind);
    std::vector<Diagnostic> findings;
    interop::check_document(document.root, *kind, "exported.yaml", findings);
    INFO(text);
    CHECK(findings.empty());
  }
  return loaded.documents.size();
}

}  // namespace

TEST_CASE("export --format odcs and odps write documents that validate against their schema", "[export][convert]") {
  exporters::Options options;
  SECTION("odcs: a contract per output port, or the one asked for") {
    options.format = exporters::Format::odcs;
    auto text = exporters::export_product(product(), options);
    REQUIRE(text);
    CHECK(documents_checked(*text) == 2);
    options.port = "orders-topic";
    text = exporters::export_product(product(), options);
    REQUIRE(text);
    CHECK(documents_checked(*text) == 1);
    CHECK(text->find("orders-topic") != std::string::npos);
    options.port = "nope";
    CHECK(exporters::export_product(product(), options).error().kind == ErrorKind::not_found);
  }
  SECTION("odps: the product, then its contracts") {
    options.format = exporters::Format::odps;
    auto text = exporters::export_product(product(), options);
    REQUIRE(text);
    CHECK(documents_checked(*text) == 3);
    CHECK(text->find("kind: DataProduct") < text->find("kind: DataContract"));
    options.port = "orders-table";
    CHECK(exporters::export_product(product(), options).error().kind == ErrorKind::invalid);
  }
  CHECK(exporters::parse_format("odcs") == exporters::Format::odcs);
  CHECK(exporters::parse_format("odps") == exporters::Format::odps);
}
