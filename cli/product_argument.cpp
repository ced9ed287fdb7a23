#include "product_argument.h"

#include <filesystem>

#include <fmt/format.h>

#include "exit_codes.h"
#include "meshctl/catalog/json.h"
#include "meshctl/core/file.h"
#include "meshctl/validate/validator.h"
#include "output/diagnostics.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

Loaded load_file(const std::string& path, std::string_view command, Context& context) {
  auto text = path == "<stdin>" ? Result<std::string>(read_stdin(context)) : read_file(path);
  if (!text) return report_error(context, text.error());
  return load_manifest_text(std::move(*text), path, command, fmt::format("{} takes one", command), context);
}

Loaded load_registered(const std::string& argument, Context& context) {
  auto selector = registry::parse_product_selector(argument);
  if (!selector) return report_error(context, selector.error());
  auto registry = open_registry(context);
  if (!registry) return report_error(context, registry.error());
  std::string version;
  if (selector->version) {
    version = *selector->version;
  } else {
    auto product = (*registry)->get_product(selector->ref);
    if (!product) return report_error(context, product.error());
    version = product->latest_version;
  }
  auto record = (*registry)->get_version(selector->ref, version);
  if (!record) return report_error(context, record.error());
  auto product = registry::decode_stored_manifest(record->ref, record->version, record->manifest_json);
  if (!product) return report_error(context, product.error());
  return std::move(*product);
}

}  // namespace

Loaded load_manifest_text(std::string text, const std::string& name, std::string_view command,
                          std::string_view takes, Context& context) {
  validate::Options options;
  options.check_standards = false;
  auto loaded = validate::load_products({validate::Source{name, std::move(text)}}, options);
  if (!loaded) return report_error(context, loaded.error());
  std::vector<Diagnostic> errors = std::move(loaded->report.diagnostics);
  std::erase_if(errors, [](const Diagnostic& d) { return d.severity != Severity::error; });
  if (!errors.empty()) {
    print_diagnostics_text(*context.err, errors, color_on_err(context));
    *context.err << "meshctl: cannot " << command << " " << name << ": " << errors.size()
                 << (errors.size() == 1 ? " error" : " errors") << " (see above)\n";
    return kFindings;
  }
  if (loaded->products.size() != 1) {
    return report_error(context, make_error(ErrorKind::invalid, fmt::format("{} holds {} data products: {}", name,
                                                                            loaded->products.size(), takes)));
  }
  return std::move(loaded->products.front());
}

Loaded load_product(const std::string& argument, std::string_view command, Context& context) {
  if (argument == "-") return load_file("<stdin>", command, context);
  std::error_code ignored;
  if (std::filesystem::exists(argument, ignored)) return load_file(argument, command, context);
  if (argument.find('/') != std::string::npos && !argument.ends_with(".yaml") && !argument.ends_with(".yml")) {
    return load_registered(argument, context);
  }
  return report_error(context, make_error(ErrorKind::invalid,
                                          fmt::format("{}: no such file (a registered product is written "
                                                      "DOMAIN/NAME or DOMAIN/NAME@VERSION, e.g. sales/orders)",
                                                      argument)));
}

}  // namespace meshctl::cli
