#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "meshctl/core/diagnostic.h"
#include "meshctl/core/error.h"
#include "meshctl/yaml/node.h"

namespace meshctl::jsonschema {

// A JSON Schema validator (draft 2019-09) over meshctl's positioned YAML tree, so that every violation
// points into the file. It implements the keywords the ODCS and ODPS schemas use, and a few of their
// neighbours:
//   type enum const  properties required additionalProperties unevaluatedProperties
//   items (a schema or a list) additionalItems minItems maxItems uniqueItems
//   allOf anyOf oneOf not if/then/else  $ref (local: "#/..." JSON pointers) $defs definitions
//   pattern (RE2: linear time, no backreferences or lookaround) minLength maxLength
//   minimum maximum exclusiveMinimum exclusiveMaximum multipleOf
// `format` is an annotation, as draft 2019-09 defines it by default: it is not asserted. Titles,
// descriptions, defaults, examples and the like are annotations too. Any other keyword is not
// implemented: Schema::unsupported_keywords() lists those a schema holds, and checking ignores them.

struct Limits {
  // Subschemas entered ($ref, allOf, properties, ...) while checking one document, one inside the other.
  // A schema whose $refs loop ({"$ref": "#"}) ends in a violation at that depth, never in a crash.
  std::size_t max_depth = 200;  // Default: 200
  // Subschemas a schema may hold once compiled.
  std::size_t max_subschemas = 100'000;  // Default: 100,000
};

// One way a value breaks the schema.
struct Violation {
  Position position;        // the offending value (for a property that is not allowed: its key)
  std::string path;         // where in the document: "schema[0].properties[2].logicalType"; "" is the root
  std::string message;      // what is wrong, in words, and what is expected
  std::string schema_path;  // the schema's keyword that failed: "#/$defs/Team/properties/name/type"
  friend bool operator==(const Violation&, const Violation&) = default;
};

struct Compiled;  // jsonschema/compiled.h
struct Image;     // image.h

class Schema {
 public:
  // Compiles `document`, a draft 2019-09 schema (an object or a boolean). Fails with ErrorKind::invalid,
  // naming the JSON pointer of the culprit, when a keyword's value has the wrong form, a pattern is not
  // an RE2 expression, a $ref does not point inside the document, or the schema exceeds `limits`.
  // Keywords it does not implement are not an error (see unsupported_keywords). The schema keeps what it
  // needs of `document`, not the document.
  static Result<Schema> compile(const nlohmann::json& document, const Limits& limits = {});

  // The schema an image holds (image.h): what compile gave when the build wrote the image. Fails with
  // ErrorKind::invalid when an index points outside the image, a value is not JSON or a pattern not RE2.
  static Result<Schema> load(const Image& image, const Limits& limits = {});

  // The keywords of the schema (reached from its root) that checking ignores because they are not
  // implemented, each once, sorted: e.g. {"patternProperties"}.
  const std::vector<std::string>& unsupported_keywords() const;

  // Checks `instance`. Returns the violations, in document order (empty: valid). Never throws.
  std::vector<Violation> validate(const yaml::Node& instance) const;

  // validate(instance).empty(), without spelling any message.
  bool is_valid(const yaml::Node& instance) const;

 private:
  friend std::string image_source(const Schema& schema, std::string_view symbol);
  explicit Schema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;
};

// The value of a JSON document as a positionless tree (every position 0:0), for instances that come as
// JSON rather than YAML (tests, API bodies). Numbers keep their JSON spelling.
yaml::Node node_from_json(const nlohmann::json& value);

}  // namespace meshctl::jsonschema
