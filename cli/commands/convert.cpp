#include "commands/convert.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/core/file.h"
#include "meshctl/interop/convert.h"
#include "meshctl/interop/documents.h"
#include "meshctl/interop/import.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/yaml/emit.h"
#include "meshctl/yaml/json.h"
#include "meshctl/yaml/loader.h"
#include "output/diagnostics.h"

namespace meshctl::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ConvertOptions {
  std::string path;
  std::string to;
  std::string out;
};

enum class Format { native, odcs, odps };

// The documents read: native manifests as trees, ODCS and ODPS documents for interop::import_documents.
struct InputDocuments {
  std::vector<yaml::Node> native;
  std::vector<interop::OpenDocument> open;
};

// One document to write: its file name under --out DIR and its text.
struct OutputDocument {
  std::string name;
  std::string text;
};

bool is_yaml_file(const fs::path& path) {
  const std::string extension = path.extension().string();
  return extension == ".yaml" || extension == ".yml" || extension == ".json";
}

// The files of `path`: itself, or the YAML and JSON files of the folder tree, sorted.
Result<std::vector<fs::path>> files_of(const fs::path& path) {
  std::error_code error;
  if (!fs::is_directory(path, error)) return std::vector<fs::path>{path};
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(path, error); !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    if (it->is_regular_file() && is_yaml_file(it->path())) files.push_back(it->path());
  }
  if (error) return make_error(ErrorKind::invalid, fmt::format("cannot read {}: {}", path.string(), error.message()));
  std::sort(files.begin(), files.end());
  return files;
}

// Reads the documents of `files`; diagnostics for what is not YAML or not a document meshctl converts.
Result<InputDocuments> read_documents(const std::vector<fs::path>& files, std::vector<Diagnostic>& findings) {
  InputDocuments documents;
  for (const auto& path : files) {
    auto text = read_file(path);
    if (!text) return text.error();
    auto loaded = yaml::parse_yaml(*text, path.string());
    findings.insert(findings.end(), loaded.diagnostics.begin(), loaded.diagnostics.end());
    for (auto& document : loaded.documents) {
      if (auto kind = interop::recognize(document.root)) {
        json value = yaml::to_sorted_json(document.root);
        documents.open.push_back({path.string(), kind->standard, std::move(document.root), std::move(value), false});
        continue;
      }
      const yaml::Node* api_version = document.root.find("apiVersion");
      if (api_version == nullptr || api_version->text != "meshctl/v1") {
        findings.push_back(Diagnostic{path.string(), document.root.position, Severity::error, "MESH-CONVERT-UNKNOWN",
                                      "",
                                      "not a meshctl manifest (apiVersion meshctl/v1), an ODCS contract or an ODPS "
                                      "product: nothing to convert"});
        continue;
      }
      manifest::check_shape(document.root, path.string(), findings);
      documents.native.push_back(std::move(document.root));
    }
  }
  return documents;
}

std::string yaml_of(const json& document) { return yaml::to_yaml(interop::reading_order(document)); }

std::string file_name(std::string stem, const char* suffix) {
  for (char& c : stem) {
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  }
  return stem + suffix;
}

void add_native(const manifest::DataProduct& product, std::vector<OutputDocument>& out) {
  out.push_back({file_name(product.metadata.domain + "." + product.metadata.name, ".yaml"),
                 yaml_of(manifest::to_json(product))});
}

void add_contract(const json& contract, std::vector<OutputDocument>& out) {
  out.push_back({file_name(contract.value("id", std::string("contract")), ".odcs.yaml"), yaml_of(contract)});
}

void add_product(const manifest::DataProduct& product, Format to, std::vector<OutputDocument>& out) {
  switch (to) {
    case Format::native: add_native(product, out); break;
    case Format::odcs:
      for (const auto& contract : interop::to_odcs(product)) add_contract(contract, out);
      break;
    case Format::odps: {
      const interop::OdpsDocuments documents = interop::to_odps(product);
      out.push_back({file_name(documents.product.value("id", std::string("product")), ".odps.yaml"),
                     yaml_of(documents.product)});
      for (const auto& contract : documents.contracts) add_contract(contract, out);
      break;
    }
  }
}

Status write_text(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) return make_error(ErrorKind::invalid, fmt::format("cannot write {}", path.string()));
  return ok_status();
}

int run_convert(const ConvertOptions& options, Context& context) {
  const Format to = options.to == "odcs" ? Format::odcs : options.to == "odps" ? Format::odps : Format::native;
  auto files = files_of(options.path);
  if (!files) return report_error(context, files.error());
  std::vector<Diagnostic> findings;
  auto documents = read_documents(*files, findings);
  if (!documents) return report_error(context, documents.error());
  // ODCS contracts alone, and ODPS products with their contracts (found by contractId among the files given,
  // then in each product's folder tree), as interop::import_documents pairs them for validate and apply.
  std::vector<const interop::OpenDocument*> open;
  for (const auto& document : documents->open) open.push_back(&document);
  interop::ImportResult imported = interop::import_documents(open);
  findings.insert(findings.end(), imported.diagnostics.begin(), imported.diagnostics.end());
  if (count(findings).errors > 0) {
    print_diagnostics_text(*context.err, findings);
    return kFindings;
  }
  std::vector<OutputDocument> outputs;
  for (const auto& root : documents->native) add_product(manifest::decode(root), to, outputs);
  for (const auto& product : imported.products) {
    const bool same_standard = (product.standard == interop::Standard::odcs && to == Format::odcs) ||
                               (product.standard == interop::Standard::odps && to == Format::odps);
    if (!same_standard) {
      add_product(product.product, to, outputs);
      continue;
    }
    // Already in the format asked for: the documents as they are.
    const interop::OpenDocument& first = *product.documents.front();
    if (product.standard == interop::Standard::odcs) {
      add_contract(first.value, outputs);
      continue;
    }
    outputs.push_back({file_name(first.value.value("id", std::string("product")), ".odps.yaml"), yaml_of(first.value)});
    for (std::size_t i = 1; i < product.documents.size(); ++i) {
      if (product.documents[i] != nullptr) add_contract(product.documents[i]->value, outputs);
    }
  }
  if (!findings.empty()) print_diagnostics_text(*context.err, findings);

  std::error_code error;
  const bool out_is_dir = !options.out.empty() && (fs::is_directory(options.out, error) ||
                                                   options.out.back() == '/' || outputs.size() > 1);
  if (outputs.size() > 1 && options.out.empty()) {
    return report_error(context, make_error(ErrorKind::invalid,
                                            fmt::format("converting {} gives {} documents: name a folder for them "
                                                        "with --out DIR",
                                                        options.path, outputs.size())));
  }
  if (options.out.empty()) {
    for (const auto& output : outputs) *context.out << output.text;
    return kSuccess;
  }
  if (!out_is_dir) {
    Status written = write_text(options.out, outputs.empty() ? std::string() : outputs.front().text);
    if (!written) return report_error(context, written.error());
    return kSuccess;
  }
  if (fs::exists(options.out, error) && !fs::is_directory(options.out, error)) {
    return report_error(context, make_error(ErrorKind::invalid,
                                            fmt::format("--out {} is a file, and converting {} gives {} documents: "
                                                        "name a folder with --out DIR",
                                                        options.out, options.path, outputs.size())));
  }
  fs::create_directories(options.out, error);
  if (error) {
    return report_error(context, make_error(ErrorKind::invalid,
                                            fmt::format("cannot create {}: {}", options.out, error.message())));
  }
  std::map<std::string, int> seen;
  for (const auto& output : outputs) {
    if (++seen[output.name] > 1) {
      return report_error(context, make_error(ErrorKind::invalid,
                                              fmt::format("two converted documents would both be {}: convert them "
                                                          "separately",
                                                          output.name)));
    }
  }
  for (const auto& output : outputs) {
    Status written = write_text(fs::path(options.out) / output.name, output.text);
    if (!written) return report_error(context, written.error());
    *context.out << "wrote " << (fs::path(options.out) / output.name).string() << '\n';
  }
  return kSuccess;
}

}  // namespace

void register_convert(CLI::App& app, Context& context) {
  auto options = std::make_shared<ConvertOptions>();
  auto* command = app.add_subcommand(
      "convert", "Convert between meshctl manifests and ODCS contracts / ODPS products, losslessly");
  command->footer(R"(FILE is a manifest, an ODCS contract (kind DataContract), an ODPS product (kind
DataProduct, apiVersion v1.0.0 or v0.9.0), or a folder of them.
  --to native   ODCS contract -> a product with one output port; ODPS product + the
                contracts of its output ports (found by contractId among the files
                given and in the product's folder tree) -> one product
  --to odcs     a product -> one contract per output port (ODCS v3.1.0)
  --to odps     a product -> an ODPS v1.0.0 product + one contract per output port
One resulting document goes to standard output, or to --out FILE; several need --out DIR.
Nothing is lost: what the target has no field for is kept in its extension point
(ODCS/ODPS customProperties entry `meshctl.patch`, native `extensions:`), so
converting back gives the original document. README: "Converting to and from ODCS and ODPS".

Examples:
  meshctl convert contract.odcs.yaml --to native
  meshctl convert examples/products/sales/orders.yaml --to odps --out exported/
  meshctl convert product.odps.yaml --to native --out orders.yaml
  meshctl convert standards-docs/ --to native --out manifests/)");
  command->add_option("file", options->path, "A manifest, ODCS contract, ODPS product, or a folder of them")
      ->required();
  command->add_option("--to", options->to, "The target format: native, odcs or odps")
      ->required()
      ->check(CLI::IsMember({"native", "odcs", "odps"}));
  command->add_option("--out", options->out, "A file for one document, or a folder (DIR/) for several");
  command->callback([options, &context] { context.exit_code = run_convert(*options, context); });
}

}  // namespace meshctl::cli
