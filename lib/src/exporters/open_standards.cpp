// `meshctl export --format odcs|odps`: the conversion of interop/convert.h, as YAML documents.

#include <fmt/format.h>

#include "exporters/formats.h"
#include "meshctl/interop/convert.h"

namespace meshctl::exporters {

Result<std::string> to_odcs(const manifest::DataProduct& product, const std::optional<std::string>& port) {
  const std::vector<nlohmann::json> contracts = interop::to_odcs(product);
  if (!port) return interop::documents_yaml(contracts);
  for (std::size_t i = 0; i < product.spec.output_ports.size(); ++i) {
    if (product.spec.output_ports[i].name == port) return interop::documents_yaml({contracts[i]});
  }
  return make_error(ErrorKind::not_found, fmt::format("{} has no output port '{}'", product.id(), *port));
}

Result<std::string> to_odps(const manifest::DataProduct& product, const std::optional<std::string>& port) {
  if (port) {
    return make_error(ErrorKind::invalid,
                      "--port does not apply to --format odps (an ODPS product holds every port): export one "
                      "port's contract with --format odcs --port NAME");
  }
  const interop::OdpsDocuments documents = interop::to_odps(product);
  std::vector<nlohmann::json> all{documents.product};
  all.insert(all.end(), documents.contracts.begin(), documents.contracts.end());
  return interop::documents_yaml(all);
}

}  // namespace meshctl::exporters
