#include "output/structured.h"

#include "meshctl/core/json_text.h"
#include "meshctl/yaml/emit.h"

namespace meshctl::cli {

template <typename Json>
void print_json(std::ostream& out, const Json& value) {
  out << json_text(value) << '\n';
}

template <typename Json>
void print_yaml(std::ostream& out, const Json& value) {
  out << yaml::to_yaml(value);
}

template void print_json(std::ostream&, const nlohmann::json&);
template void print_json(std::ostream&, const nlohmann::ordered_json&);
template void print_yaml(std::ostream&, const nlohmann::json&);
template void print_yaml(std::ostream&, const nlohmann::ordered_json&);

}  // namespace meshctl::cli
