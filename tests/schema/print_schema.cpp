// Prints manifest::manifest_json_schema(): the schema the agreement test checks
// the examples against when the `meshctl schema` command cannot print it.
#include <iostream>

#include "meshctl/manifest/shape.h"

int main() {
  std::cout << meshctl::manifest::manifest_json_schema().dump(2) << '\n';
  return 0;
}
