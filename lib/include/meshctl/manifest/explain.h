#pragma once

// `meshctl explain PATH`: the documentation of one manifest field, read from
// manifest_json_schema(), the declaration that also drives check_shape.

#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/error.h"

namespace meshctl::manifest {

struct FieldDoc {
  std::string path;                 // as asked, normalised: "spec.outputPorts.slo"
  std::string type;                 // "object", "array of object", "string", "string | number"...
  std::string description;          // empty when the schema has none
  bool required = false;            // its parent requires it
  std::vector<std::string> values;  // an enum's values
  struct Child {
    std::string name;
    std::string type;
    std::string description;
    bool required = false;
  };
  std::vector<Child> fields;  // an object's fields (of its elements, for an array of objects)
};

// The field at `path`: keys joined by '.', array elements implied ("spec.outputPorts.slo", not
// "spec.outputPorts[0].slo", which is accepted too). An empty path is the whole manifest.
// ErrorKind::not_found naming the first key that does not exist, with the closest one.
Result<FieldDoc> explain_field(std::string_view path);

}  // namespace meshctl::manifest
