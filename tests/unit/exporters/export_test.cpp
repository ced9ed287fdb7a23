#include "meshctl/exporters/export.h"

#include <catch2/catch.hpp>

#include "meshctl/jsonschema/schema.h"

namespace meshctl::exporters {

namespace {

using manifest::Field;
using nlohmann::json;

Field field(std::string name, std::string type, bool required = false) {
  Field f;
  f.name = std::move(name);
  f.type = std::move(type);
  if (required) f.required = true;
  return f;
}

manifest::DataProduct orders() {
  manifest::DataProduct product;
  product.metadata.name = "orders";
  product.metadata.domain = "sales";
  product.metadata.version = "1.2.0";
  product.metadata.description = "Orders <b>placed</b> | paid";
  manifest::OutputPort port;
  port.name = "orders-table";
  port.schema = manifest::Schema{};
  auto id = field("order_id", "string", true);
  id.unique = true;
  auto currency = field("currency", "string", true);
  currency.enum_values.emplace_back(std::string("EUR"));
  currency.enum_values.emplace_back(std::string("USD"));
  auto email = field("email", "string");
  email.pii = true;
  email.classification = "confidential";
  auto address = field("address", "object");
  address.fields = {field("country", "string", true), field("street", "string")};
  auto tags = field("tags", "array");
  tags.items = "string";
  port.schema->fields = {id, field("amount", "decimal", true), currency, email, field("ordered_on", "date", true),
                         address, tags};
  product.spec.output_ports.push_back(port);
  return product;
}

std::string exported(const manifest::DataProduct& product, Format format, SqlDialect dialect = SqlDialect::postgresql) {
  Options options;
  options.format = format;
  options.dialect = dialect;
  auto text = export_product(product, options);
  REQUIRE(text);
  return *text;
}

bool valid(const jsonschema::Schema& schema, const json& record) {
  return schema.is_valid(jsonschema::node_from_json(record));
}

json with(json record, const json& changes) {
  record.update(changes);
  return record;
}

}  // namespace

TEST_CASE("jsonschema: the records a port promises, and no others", "[exporters]") {
  const auto document = json::parse(exported(orders(), Format::jsonschema));
  CHECK(document["$schema"] == "http://json-schema.org/draft-07/schema#");
  CHECK(document["required"] == json::array({"order_id", "amount", "currency", "ordered_on"}));
  CHECK(document["properties"]["email"]["$comment"] == "pii; classification: confidential");
  auto schema = jsonschema::Schema::compile(document);
  REQUIRE(schema);
  const json good = {{"order_id", "o-1"}, {"amount", "12.50"}, {"currency", "EUR"}, {"ordered_on", "2026-01-31"},
                     {"email", nullptr}, {"address", {{"country", "DE"}}}, {"tags", {"a", "b"}}};
  CHECK(valid(*schema, good));
  CHECK(valid(*schema, with(good, {{"amount", 12.5}})));
  CHECK_FALSE(valid(*schema, with(good, {{"currency", "GBP"}})));
  CHECK_FALSE(valid(*schema, with(good, {{"currency", nullptr}})));  // required: no null
  CHECK_FALSE(valid(*schema, with(good, {{"amount", "12,50"}})));
  CHECK_FALSE(valid(*schema, with(good, {{"address", {{"street", "x"}}}})));  // nested required
  CHECK_FALSE(valid(*schema, with(good, {{"tags", {1}}})));
  json missing = good;
  missing.erase("order_id");
  CHECK_FALSE(valid(*schema, missing));
}

TEST_CASE("jsonschema: several ports are definitions, one port is picked with its name", "[exporters]") {
  auto product = orders();
  auto second = product.spec.output_ports.front();
  second.name = "a/b~c";
  product.spec.output_ports.push_back(second);
  const auto document = json::parse(exported(product, Format::jsonschema));
  CHECK(document["definitions"].size() == 2);
  CHECK(document["anyOf"][1]["$ref"] == "#/definitions/a~1b~0c");
  REQUIRE(jsonschema::Schema::compile(document));

  Options options;
  options.port = "nope";
  const auto missing = export_product(product, options);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::not_found);
  CHECK_THAT(missing.error().message, Catch::Contains("its ports are orders-table, a/b~c"));
}

TEST_CASE("export refuses what a format cannot say, naming the field", "[exporters]") {
  auto product = orders();
  product.spec.output_ports[0].schema->fields.push_back(field("price", "money"));
  for (auto format : {Format::jsonschema, Format::avro, Format::sql}) {
    Options options;
    options.format = format;
    const auto text = export_product(product, options);
    REQUIRE_FALSE(text);
    CHECK(text.error().kind == ErrorKind::invalid);
    CHECK_THAT(text.error().message, Catch::Contains("field 'price' of output port 'orders-table' has type 'money'"));
  }
  Options markdown;
  markdown.format = Format::markdown;
  CHECK(export_product(product, markdown));  // people read any type

  auto dashed = orders();
  dashed.spec.output_ports[0].schema->fields.push_back(field("order-total", "long"));
  Options avro;
  avro.format = Format::avro;
  const auto refused = export_product(dashed, avro);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error().message, Catch::Contains("'order-total' is not an Avro name"));

  manifest::DataProduct empty;
  empty.metadata = orders().metadata;
  const auto nothing = export_product(empty, avro);
  REQUIRE_FALSE(nothing);
  CHECK_THAT(nothing.error().message, Catch::Contains("no output port with schema fields"));
}

TEST_CASE("avro: optional fields are unions with null, enums and nested records are named once", "[exporters]") {
  auto product = orders();
  product.spec.output_ports.push_back(product.spec.output_ports.front());
  product.spec.output_ports.back().name = "orders-copy";
  const auto schemas = json::parse(exported(product, Format::avro));
  REQUIRE(schemas.is_array());
  const auto& record = schemas[0];
  CHECK(record["name"] == "orders_table");
  CHECK(record["namespace"] == "sales.orders");
  const auto& fields = record["fields"];
  CHECK(fields[0]["type"] == "string");
  CHECK(fields[0]["meshctl"]["unique"] == true);
  CHECK(fields[1]["type"] == "string");
  CHECK(fields[1]["meshctl"]["type"] == "decimal");
  CHECK(fields[2]["type"]["type"] == "enum");
  CHECK(fields[3]["type"] == json::array({"null", "string"}));
  CHECK(fields[3]["default"].is_null());
  CHECK(fields[4]["type"] == json({{"type", "int"}, {"logicalType", "date"}}));
  // The second port's nested record and enum take other names: a schema defines each name once.
  CHECK(schemas[1]["fields"][5]["type"][1]["name"] != fields[5]["type"][1]["name"]);
  CHECK(schemas[1]["fields"][2]["type"]["name"] != fields[2]["type"]["name"]);
}

TEST_CASE("sql: constraints and comments in each dialect, identifiers and text quoted", "[exporters]") {
  auto product = orders();
  manifest::Scalar quoted = std::string("it's");
  product.spec.output_ports[0].schema->fields[2].enum_values.push_back(quoted);
  const auto postgres = exported(product, Format::sql);
  CHECK_THAT(postgres, Catch::Contains("CREATE TABLE \"orders-table\" ("));
  CHECK_THAT(postgres, Catch::Contains("\"order_id\" text NOT NULL UNIQUE,"));
  CHECK_THAT(postgres, Catch::Contains("\"currency\" text NOT NULL CHECK (\"currency\" IN ('EUR', 'USD', 'it''s')),"));
  CHECK_THAT(postgres, Catch::Contains("\"address\" jsonb,"));
  CHECK_THAT(postgres, Catch::Contains("\"tags\" text[]"));
  CHECK_THAT(postgres, Catch::Contains("COMMENT ON COLUMN \"orders-table\".\"email\" IS 'PII; classification: confidential';"));
  const auto sqlite = exported(product, Format::sql, SqlDialect::sqlite);
  CHECK_THAT(sqlite, Catch::Contains("\"address\" TEXT CHECK (json_valid(\"address\"))"));
  CHECK_THAT(sqlite, Catch::Contains("  -- PII; classification: confidential\n  \"email\" TEXT,"));
  CHECK_THAT(sqlite, !Catch::Contains("COMMENT ON"));
}

TEST_CASE("markdown: manifest text cannot open HTML or break a table", "[exporters]") {
  const auto page = exported(orders(), Format::markdown);
  CHECK_THAT(page, Catch::StartsWith("# sales/orders\n"));
  CHECK_THAT(page, Catch::Contains("Orders &lt;b&gt;placed&lt;/b&gt; \\| paid"));
  CHECK_THAT(page, Catch::Contains("| `address.country` | string | yes |"));
  CHECK_THAT(page, Catch::Contains("| `email` | string |  |  | **PII** | confidential |"));
  CHECK_THAT(page, !Catch::Contains("<b>"));
}

}  // namespace meshctl::exporters
