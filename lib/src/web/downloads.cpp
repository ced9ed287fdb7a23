// A product's manifest to download: native, ODPS, ODCS (interop/convert.h), as the product's page offers
// them, the server answers them and the export writes them.

#include <string>
#include <vector>

#include <fmt/format.h>

#include "meshctl/catalog/json.h"
#include "meshctl/interop/convert.h"
#include "meshctl/web/catalog.h"
#include "web/page_support.h"

namespace meshctl::web {

using Format = ManifestDownload::Format;

bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name.front() != '.' &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
             std::string::npos;
}

std::vector<OfferedDownload> offered_downloads(const manifest::DataProduct& manifest) {
  std::vector<OfferedDownload> offered;
  const auto offer = [&offered](Format format, const std::string& port, std::string label) {
    OfferedDownload item;
    item.download.format = format;
    item.download.port = port;
    item.label = std::move(label);
    offered.push_back(std::move(item));
  };
  offer(Format::native, "", "native (YAML)");
  offer(Format::odps, "", fmt::format("ODPS {} (product and contracts)", interop::kOdpsVersion));
  const auto& ports = manifest.spec.output_ports;
  if (ports.size() <= 1) {
    offer(Format::odcs, "", fmt::format("ODCS {} contract", interop::kOdcsVersion));
    return offered;
  }
  for (const auto& port : ports) {
    const auto name = port.name.value_or("");
    if (is_plain_file_name(name))
      offer(Format::odcs, name, fmt::format("ODCS {} contract of {}", interop::kOdcsVersion, name));
  }
  return offered;
}

std::string download_file_name(const registry::ProductRef& ref, const ManifestDownload& download) {
  switch (download.format) {
    case Format::native: return ref.name + ".yaml";
    case Format::odps: return ref.name + ".odps.yaml";
    case Format::odcs: break;
  }
  return download.port.empty() ? ref.name + ".odcs.yaml" : ref.name + ".odcs." + download.port + ".yaml";
}

std::string CatalogLinks::download(const registry::ProductRef& ref, const ManifestDownload& download) const {
  const std::string folder = segment(ref.domain) + "/";
  if (!served_) return root() + "products/" + folder + segment(download_file_name(ref, download));
  const std::string product = "/catalog/products/" + folder + segment(ref.name);
  switch (download.format) {
    case Format::native: return product + "/manifest.yaml";
    case Format::odps: return product + "/odps.yaml";
    case Format::odcs: break;
  }
  return download.port.empty() ? product + "/odcs.yaml" : product + "/odcs/" + segment(download.port) + ".yaml";
}

Result<std::vector<DownloadText>> download_texts(CatalogReader& reader, const registry::ProductRef& ref) {
  auto details = reader.describe(ref);
  if (!details) return details.error();
  auto record = reader.version(ref, details->product.latest_version);
  if (!record) return record.error();
  auto manifest = registry::decode_stored_manifest(ref, record->version, record->manifest_json);
  if (!manifest) return manifest.error();
  const auto documents = [&](interop::ManifestFormat format) {
    return record->original ? interop::manifest_documents(*manifest, format, record->original->format,
                                                          record->original->documents_json)
                            : interop::manifest_documents(*manifest, format);
  };
  std::vector<DownloadText> texts;
  std::vector<nlohmann::ordered_json> contracts;
  for (auto& offered : offered_downloads(*manifest)) {
    std::string text;
    switch (offered.download.format) {
      case Format::native: text = interop::yaml_stream(documents(interop::ManifestFormat::native)); break;
      case Format::odps: text = interop::yaml_stream(documents(interop::ManifestFormat::odps)); break;
      case Format::odcs: {
        if (contracts.empty()) contracts = documents(interop::ManifestFormat::odcs);
        // One contract per output port, in port order (one for a product without ports).
        std::size_t index = 0;
        const auto& ports = manifest->spec.output_ports;
        while (index < ports.size() && ports[index].name.value_or("") != offered.download.port) ++index;
        if (offered.download.port.empty()) index = 0;
        if (index >= contracts.size()) continue;
        text = interop::yaml_stream({contracts[index]});
        break;
      }
    }
    texts.push_back({std::move(offered), std::move(text)});
  }
  return texts;
}

Result<std::string> manifest_download(CatalogReader& reader, const registry::ProductRef& ref,
                                      const ManifestDownload& download) {
  auto texts = download_texts(reader, ref);
  if (!texts) return texts.error();
  for (auto& text : *texts) {
    if (text.offered.download == download) return std::move(text.text);
  }
  return make_error(ErrorKind::not_found,
                    download.port.empty()
                        ? fmt::format("{} offers no such download", ref.text())
                        : fmt::format("{} offers no ODCS contract of a port '{}'", ref.text(), download.port));
}

}  // namespace meshctl::web
