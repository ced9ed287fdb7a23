#include "meshctl/validate/validator.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <sys/stat.h>

#include "meshctl/core/file.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/standards/standards.h"

namespace meshctl::validate {

namespace fs = std::filesystem;

namespace {

bool is_manifest_name(const fs::path& path) {
  const auto extension = path.extension();
  return extension == ".yaml" || extension == ".yml";
}

Status collect_folder(const fs::path& folder, std::vector<Source>& out) {
  std::error_code ec;
  std::vector<fs::path> found;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec)
    return make_error(ErrorKind::invalid, fmt::format("cannot read folder {}: {}", folder.string(), ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec)
      return make_error(ErrorKind::invalid, fmt::format("cannot read folder {}: {}", folder.string(), ec.message()));
    const auto name = it->path().filename().string();
    if (it->is_directory(ec) && name.starts_with(".")) {
      it.disable_recursion_pending();  // .git, .meshctl and the like hold no manifests
      continue;
    }
    if (it->is_regular_file(ec) && is_manifest_name(it->path())) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  for (auto& path : found) out.push_back(Source{path.string(), path, std::nullopt});
  return ok_status();
}

// The standards for each source, resolved once per folder before the parallel phase.
struct StandardsPlan {
  std::vector<std::shared_ptr<const standards::LoadedStandards>> per_source;
  std::vector<Diagnostic> diagnostics;  // findings about standards files, each file once
};

Result<std::shared_ptr<const standards::LoadedStandards>> load_standards(const fs::path& path,
                                                                         const yaml::LoadLimits& limits) {
  auto text = read_file(path);
  if (!text) return text.error();
  return std::make_shared<const standards::LoadedStandards>(standards::parse_standards(*text, path.string(), limits));
}

Result<StandardsPlan> plan_standards(const std::vector<Source>& sources, const Options& options) {
  StandardsPlan plan;
  if (!options.check_standards) {
    plan.per_source.assign(sources.size(), std::make_shared<const standards::LoadedStandards>());
    return plan;
  }
  auto builtin = std::make_shared<const standards::LoadedStandards>(
      standards::LoadedStandards{standards::Standards::builtin(), {}});
  std::map<fs::path, std::shared_ptr<const standards::LoadedStandards>> by_folder;
  std::map<fs::path, std::shared_ptr<const standards::LoadedStandards>> by_file;
  const auto load_once = [&](const fs::path& file) -> Result<std::shared_ptr<const standards::LoadedStandards>> {
    auto known = by_file.find(file);
    if (known == by_file.end()) {
      auto loaded = load_standards(file, options.limits);
      if (!loaded) return loaded.error();
      plan.diagnostics.insert(plan.diagnostics.end(), (*loaded)->diagnostics.begin(), (*loaded)->diagnostics.end());
      known = by_file.emplace(file, *loaded).first;
    }
    return known->second;
  };
  // A --standards file that cannot be read fails the run even without a manifest to check.
  if (options.standards_file) {
    if (auto loaded = load_once(*options.standards_file); !loaded) return loaded.error();
  }
  for (const auto& source : sources) {
    const fs::path anchor = source.path.empty() ? fs::current_path() / "stdin" : source.path;
    const fs::path folder = anchor.parent_path();
    auto cached = by_folder.find(folder);
    if (cached == by_folder.end()) {
      std::shared_ptr<const standards::LoadedStandards> chosen = builtin;
      if (auto file = standards_file_for(anchor, options.standards_file)) {
        auto loaded = load_once(*file);
        if (!loaded) return loaded.error();
        chosen = *loaded;
      }
      cached = by_folder.emplace(folder, chosen).first;
    }
    plan.per_source.push_back(cached->second);
  }
  return plan;
}

const std::string* string_at(const yaml::Node& root, std::string_view section, std::string_view key) {
  const auto* parent = root.find(section);
  const auto* value = parent != nullptr ? parent->find(key) : nullptr;
  return value != nullptr && value->is_string() ? &value->text : nullptr;
}

// Notes the document's own "domain/name" and the products its input ports read.
void note_inputs(const yaml::Node& root, SourceInputs& inputs) {
  const auto* domain = string_at(root, "metadata", "domain");
  const auto* name = string_at(root, "metadata", "name");
  if (domain != nullptr && name != nullptr) inputs.defined.push_back(*domain + "/" + *name);
  const auto* spec = root.find("spec");
  const auto* ports = spec != nullptr ? spec->find("inputPorts") : nullptr;
  if (ports == nullptr || !ports->is_sequence()) return;
  for (std::size_t i = 0; i < ports->items.size(); ++i) {
    const auto* product = ports->items[i].find("product");
    if (product == nullptr || !product->is_string()) continue;
    const auto slash = product->text.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == product->text.size()) continue;
    inputs.reads.push_back(InputPortReference{product->position, fmt::format("spec.inputPorts[{}].product", i),
                                              product->text.substr(0, slash), product->text.substr(slash + 1)});
  }
}

// Checks one source; when `products` is given, also decodes each structurally valid document into it;
// when `inputs` is given, notes what each document defines and reads.
std::vector<Diagnostic> check_source(const Source& source, const standards::LoadedStandards& rules,
                                     const yaml::LoadLimits& limits, std::vector<manifest::DataProduct>* products,
                                     SourceInputs* inputs) {
  std::vector<Diagnostic> out;
  std::string storage;
  std::string_view text;
  if (source.text) {
    text = *source.text;
  } else {
    struct stat info {};
    if (::stat(source.path.c_str(), &info) == 0 && static_cast<std::size_t>(info.st_size) > limits.max_file_bytes) {
      out.push_back(Diagnostic{source.name,
                               {},
                               Severity::error,
                               "MESH-YAML-LIMIT",
                               "",
                               fmt::format("the file has {} bytes, more than the limit of {}: split it, or raise "
                                           "the limit with --max-file-size",
                                           info.st_size, limits.max_file_bytes)});
      return out;
    }
    auto read = read_file(source.path);
    if (!read) {
      out.push_back(Diagnostic{source.name, {}, Severity::error, "MESH-IO", "", read.error().message});
      return out;
    }
    storage = std::move(*read);
    text = storage;
  }
  auto loaded = yaml::parse_yaml(text, source.name, limits);
  out = std::move(loaded.diagnostics);
  for (const auto& document : loaded.documents) {
    const std::size_t before = out.size();
    manifest::check_shape(document.root, source.name, out);
    const bool structural_error = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                                              [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (rules.standards) rules.standards->check(document.root, source.name, out);
    if (products != nullptr && !structural_error) products->push_back(manifest::decode(document.root));
    if (inputs != nullptr) note_inputs(document.root, *inputs);
  }
  std::stable_sort(out.begin(), out.end(), diagnostic_less);
  return out;
}

}  // namespace

std::optional<fs::path> standards_file_for(const fs::path& anchor, const std::optional<fs::path>& explicit_file) {
  if (explicit_file) return explicit_file;
  return standards::find_standards_file(anchor);
}

Result<standards::LoadedStandards> load_standards_for(const fs::path& anchor,
                                                      const std::optional<fs::path>& explicit_file,
                                                      const yaml::LoadLimits& limits) {
  const auto file = standards_file_for(anchor, explicit_file);
  if (!file) return standards::LoadedStandards{standards::Standards::builtin(), {}};
  auto loaded = load_standards(*file, limits);
  if (!loaded) return loaded.error();
  return **loaded;
}

Result<std::vector<Source>> collect_sources(const std::vector<std::string>& paths,
                                            const std::optional<std::string>& stdin_text) {
  std::vector<Source> sources;
  for (const auto& given : paths) {
    if (given == "-") {
      sources.push_back(Source{"<stdin>", {}, stdin_text.value_or("")});
      continue;
    }
    std::error_code ec;
    const fs::path path(given);
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return make_error(ErrorKind::invalid, fmt::format("{}: no such file or folder", given));
    }
    if (fs::is_directory(status)) {
      if (auto folder = collect_folder(path, sources); !folder) return folder.error();
    } else {
      sources.push_back(Source{given, path, std::nullopt});
    }
  }
  return sources;
}

namespace {

Result<LoadedProducts> check_all(const std::vector<Source>& sources, const Options& options, bool decode) {
  auto plan = plan_standards(sources, options);
  if (!plan) return plan.error();

  std::vector<std::vector<Diagnostic>> per_source(sources.size());
  std::vector<std::vector<manifest::DataProduct>> products(decode ? sources.size() : 0);
  std::vector<SourceInputs> inputs(options.collect_input_ports ? sources.size() : 0);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < sources.size(); i = next++) {
      SourceInputs* noted = nullptr;
      if (options.collect_input_ports) {
        inputs[i].file = sources[i].name;
        noted = &inputs[i];
      }
      per_source[i] =
          check_source(sources[i], *plan->per_source[i], options.limits, decode ? &products[i] : nullptr, noted);
    }
  };
  const unsigned cores = options.jobs != 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const auto workers = static_cast<unsigned>(std::min<std::size_t>(cores, sources.size()));
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::jthread> threads;
    threads.reserve(workers - 1);
    for (unsigned t = 1; t < workers; ++t) threads.emplace_back(work);
    work();
  }

  LoadedProducts loaded;
  loaded.report.files = sources.size();
  loaded.report.diagnostics = std::move(plan->diagnostics);
  loaded.report.inputs = std::move(inputs);
  for (auto& findings : per_source) {
    std::move(findings.begin(), findings.end(), std::back_inserter(loaded.report.diagnostics));
  }
  for (auto& decoded : products) {
    std::move(decoded.begin(), decoded.end(), std::back_inserter(loaded.products));
  }
  return loaded;
}

}  // namespace

Result<Report> validate_sources(const std::vector<Source>& sources, const Options& options) {
  auto checked = check_all(sources, options, false);
  if (!checked) return checked.error();
  return std::move(checked->report);
}

Result<LoadedProducts> load_products(const std::vector<Source>& sources, const Options& options) {
  return check_all(sources, options, true);
}

}  // namespace meshctl::validate
