#include "meshctl/validate/validator.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <variant>

#include <fmt/format.h>

#include "meshctl/core/digest.h"
#include "meshctl/core/file.h"
#include "meshctl/interop/documents.h"
#include "meshctl/interop/import.h"
#include "meshctl/manifest/model.h"
#include "meshctl/yaml/json.h"
#include "meshctl/manifest/shape.h"
#include "meshctl/standards/standards.h"
#include "meshctl/validate/cache.h"
#include "meshctl/validate/path_filter.h"

namespace meshctl::validate {

namespace fs = std::filesystem;

namespace {

bool is_manifest_name(const fs::path& path) {
  const auto extension = path.extension();
  return extension == ".yaml" || extension == ".yml";
}

// Orders paths as std::filesystem::path does, component by component ("a/x" before "a-b/x"), without
// building a path, which holds a list of its components: 10,000 of them cost megabytes.
bool path_less(std::string_view a, std::string_view b) {
  const auto rank = [](char c) { return c == '/' ? 0 : static_cast<int>(static_cast<unsigned char>(c)) + 1; };
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [&](char x, char y) { return rank(x) < rank(y); });
}

// Adds the manifests below `folder` (whose path relative to the folder given is `relative`) to
// `found`, reading its .meshctlignore first; `filter` holds the patterns of the folders above.
Status collect_folder(const fs::path& folder, const std::string& relative, PathFilter& filter,
                      std::vector<std::string>& found) {
  const auto cannot_read = [&](const std::error_code& ec) {
    return make_error(ErrorKind::invalid, fmt::format("cannot read folder {}: {}", folder.string(), ec.message()));
  };
  const std::size_t inherited = filter.size();
  std::error_code ec;
  const auto ignore_file = folder / ".meshctlignore";
  if (fs::is_regular_file(ignore_file, ec)) {
    auto text = read_file(ignore_file);
    if (!text) return text.error();
    filter.add_lines(*text, relative);
  }
  fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) return cannot_read(ec);
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return cannot_read(ec);
    const auto& path = it->path();
    const std::string name = path.filename().native();
    const std::string below = relative.empty() ? name : relative + "/" + name;
    // Like recursive_directory_iterator, links to folders are not followed (no loops).
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      if (name.starts_with(".")) continue;  // .git, .meshctl and the like hold no manifests
      if (filter.excluded(below, true)) continue;
      if (auto walked = collect_folder(path, below, filter, found); !walked) return walked;
      continue;
    }
    if (it->is_regular_file(ec) && is_manifest_name(path) && !filter.excluded(below, false)) {
      found.push_back(path.native());
    }
  }
  filter.truncate(inherited);
  return ok_status();
}

Status collect_folder(const fs::path& folder, const std::vector<std::string>& excludes, std::vector<Source>& out) {
  PathFilter filter;
  for (const auto& pattern : excludes) filter.add(pattern);
  std::vector<std::string> found;
  if (auto walked = collect_folder(folder, "", filter, found); !walked) return walked;
  std::sort(found.begin(), found.end(), path_less);
  out.reserve(out.size() + found.size());
  for (auto& path : found) out.push_back(Source{std::move(path), std::nullopt, true});
  return ok_status();
}

// The standards in force for some sources, and what besides a file's bytes decides its findings,
// spelled for the cache's key: the standards by content (a file's bytes, or the built-in one that
// meshctl's version fixes) and the load limits. Where a standards file is does not count: findings
// about a manifest never name it.
struct StandardsInForce {
  standards::LoadedStandards loaded;
  std::string cache_context;
  std::string label;  // the file's path as found, "built-in", or empty when standards are not checked
};

using SharedStandards = std::shared_ptr<const StandardsInForce>;

std::string cache_context(std::string_view standards, const Options& options) {
  const auto& limits = options.limits;
  return fmt::format("standards {}\nregistry standards {}\nlimits {} {} {}", standards,
                     options.registry_standards ? options.registry_standards_key : "none", limits.max_file_bytes,
                     limits.max_depth, limits.max_alias_nodes);
}

// The standards for each source, resolved once per folder before the parallel phase.
struct StandardsPlan {
  std::vector<SharedStandards> per_source;
  std::vector<Diagnostic> diagnostics;  // findings about standards files, each file once
};

// With options.cache, also spells the cache's context (hashing the file costs a one-file run more than
// reading it).
Result<SharedStandards> load_standards(const fs::path& path, const Options& options) {
  auto text = read_file(path);
  if (!text) return text.error();
  return std::make_shared<const StandardsInForce>(StandardsInForce{
      standards::parse_standards(*text, path.string(), options.limits),
      options.cache != nullptr ? cache_context("file sha256:" + sha256_hex(*text), options) : std::string(),
      path.string()});
}

Result<StandardsPlan> plan_standards(const std::vector<Source>& sources, const Options& options) {
  StandardsPlan plan;
  if (!options.check_standards) {
    plan.per_source.assign(sources.size(), std::make_shared<const StandardsInForce>(StandardsInForce{
                                               standards::LoadedStandards{}, cache_context("none", options), ""}));
    return plan;
  }
  SharedStandards builtin;  // built when a source needs it: not when one --standards file covers every source
  std::map<fs::path, SharedStandards> by_folder;
  std::map<fs::path, SharedStandards> by_file;
  const auto load_once = [&](const fs::path& file) -> Result<SharedStandards> {
    auto known = by_file.find(file);
    if (known == by_file.end()) {
      auto loaded = load_standards(file, options);
      if (!loaded) return loaded.error();
      const auto& findings = (*loaded)->loaded.diagnostics;
      plan.diagnostics.insert(plan.diagnostics.end(), findings.begin(), findings.end());
      known = by_file.emplace(file, *loaded).first;
    }
    return known->second;
  };
  // A --standards file that cannot be read fails the run even without a manifest to check.
  if (options.standards_file) {
    if (auto loaded = load_once(*options.standards_file); !loaded) return loaded.error();
  }
  for (const auto& source : sources) {
    const fs::path anchor = source.text ? fs::current_path() / "stdin" : fs::path(source.name);
    const fs::path folder = anchor.parent_path();
    auto cached = by_folder.find(folder);
    if (cached == by_folder.end()) {
      SharedStandards chosen;
      if (auto file = standards_file_for(anchor, options.standards_file)) {
        auto loaded = load_once(*file);
        if (!loaded) return loaded.error();
        chosen = *loaded;
      } else {
        if (!builtin) {
          builtin = std::make_shared<const StandardsInForce>(
              StandardsInForce{standards::LoadedStandards{standards::Standards::builtin(), {}},
                               cache_context("builtin", options), "built-in"});
        }
        chosen = builtin;
      }
      cached = by_folder.emplace(folder, chosen).first;
    }
    plan.per_source.push_back(cached->second);
  }
  return plan;
}

// What one source's documents decode to (load_products).
struct Decoded {
  std::vector<manifest::DataProduct> products;
  std::vector<manifest::Glossary> glossaries;
};

const std::string* string_at(const yaml::Node& root, std::string_view section, std::string_view key) {
  const auto* parent = root.find(section);
  const auto* value = parent != nullptr ? parent->find(key) : nullptr;
  return value != nullptr && value->is_string() ? &value->text : nullptr;
}

// Notes the document's own "domain/name" and the products its input ports read.
void note_inputs(const yaml::Node& root, SourceInputs& inputs) {
  const auto* domain = string_at(root, "metadata", "domain");
  const auto* name = string_at(root, "metadata", "name");
  const std::string reader = domain != nullptr && name != nullptr ? *domain + "/" + *name : std::string();
  if (!reader.empty()) inputs.defined.push_back(reader);
  const auto* spec = root.find("spec");
  const auto* ports = spec != nullptr ? spec->find("inputPorts") : nullptr;
  if (ports == nullptr || !ports->is_sequence()) return;
  for (std::size_t i = 0; i < ports->items.size(); ++i) {
    const auto* product = ports->items[i].find("product");
    if (product == nullptr || !product->is_string()) continue;
    const auto slash = product->text.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == product->text.size()) continue;
    const auto* version = ports->items[i].find("version");
    const bool has_version = version != nullptr && version->is_string();
    inputs.reads.push_back(InputPortReference{product->position, fmt::format("spec.inputPorts[{}].product", i),
                                              product->text.substr(0, slash), product->text.substr(slash + 1), reader,
                                              i, has_version ? version->text : std::string(),
                                              has_version ? version->position : product->position});
  }
}

// Whether `text` may hold an ODCS or ODPS document (kind DataContract, or an apiVersion such as v1.0.0):
// such files are not checked through the findings cache, since a product's contracts may be elsewhere.
bool may_hold_open_standard(std::string_view text) {
  return text.find("DataContract") != std::string_view::npos || text.find("apiVersion: v") != std::string_view::npos ||
         text.find("apiVersion: \"v") != std::string_view::npos || text.find("apiVersion: 'v") != std::string_view::npos;
}

// Notes the term of every field (nested ones too) of the document's output ports.
void note_field_terms(const yaml::Node& fields, const std::string& path, const std::string& reader,
                      SourceInputs& inputs) {
  if (!fields.is_sequence()) return;
  for (std::size_t i = 0; i < fields.items.size(); ++i) {
    const auto field_path = fmt::format("{}[{}]", path, i);
    if (const auto* term = fields.items[i].find("term"); term != nullptr && term->is_string()) {
      inputs.terms.push_back(TermReference{term->position, field_path + ".term", term->text, reader});
    }
    if (const auto* nested = fields.items[i].find("fields"); nested != nullptr) {
      note_field_terms(*nested, field_path + ".fields", reader, inputs);
    }
  }
}

void note_terms(const yaml::Node& root, SourceInputs& inputs) {
  const auto* domain = string_at(root, "metadata", "domain");
  const auto* name = string_at(root, "metadata", "name");
  const std::string reader = domain != nullptr && name != nullptr ? *domain + "/" + *name : std::string();
  const auto* spec = root.find("spec");
  const auto* ports = spec != nullptr ? spec->find("outputPorts") : nullptr;
  if (ports == nullptr || !ports->is_sequence()) return;
  for (std::size_t i = 0; i < ports->items.size(); ++i) {
    const auto* schema = ports->items[i].find("schema");
    const auto* fields = schema != nullptr ? schema->find("fields") : nullptr;
    if (fields != nullptr) note_field_terms(*fields, fmt::format("spec.outputPorts[{}].schema.fields", i), reader, inputs);
  }
}

// The bytes of a source on disk, or the finding that says why they are not read.
std::variant<std::string, Diagnostic> read_source(const Source& source, const yaml::LoadLimits& limits) {
  auto read = read_file_at_most(source.name, limits.max_file_bytes);
  if (!read) return Diagnostic{source.name, {}, Severity::error, "MESH-IO", "", read.error().message};
  if (read->too_large) {
    return Diagnostic{source.name,
                      {},
                      Severity::error,
                      "MESH-YAML-LIMIT",
                      "",
                      read->size != 0 ? fmt::format("the file has {} bytes, more than the limit of {}: split it, "
                                                    "or raise the limit with --max-file-size",
                                                    read->size, limits.max_file_bytes)
                                      : fmt::format("the file has more bytes than the limit of {}: split it, or "
                                                    "raise the limit with --max-file-size",
                                                    limits.max_file_bytes)};
  }
  return std::move(read->content);
}

// Adds `extra` to the findings from out[from] on: a finding already there (same place, rule and
// message) keeps the stricter of the two severities instead of appearing twice.
void merge_stricter(std::vector<Diagnostic>& out, std::size_t from, std::vector<Diagnostic> extra) {
  const std::size_t end = out.size();
  for (auto& finding : extra) {
    auto same = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(from),
                             out.begin() + static_cast<std::ptrdiff_t>(end), [&](const Diagnostic& d) {
                               return d.position == finding.position && d.rule == finding.rule &&
                                      d.path == finding.path && d.message == finding.message;
                             });
    if (same == out.begin() + static_cast<std::ptrdiff_t>(end)) {
      out.push_back(std::move(finding));
    } else if (finding.severity < same->severity) {  // error < warning < info
      same->severity = finding.severity;
    }
  }
}

// Checks a native manifest's tree: its structure, then `rules` and options.registry_standards. True when
// the structure has an error (the document cannot be decoded).
bool check_native(const yaml::Node& root, const std::string& name, const standards::LoadedStandards& rules,
                  const Options& options, std::vector<Diagnostic>& out) {
  const std::size_t before = out.size();
  manifest::check_shape(root, name, out);
  const bool structural_error = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                                            [](const Diagnostic& d) { return d.severity == Severity::error; });
  const std::size_t standards_from = out.size();
  if (rules.standards) rules.standards->check(root, name, out);
  if (options.registry_standards) {
    std::vector<Diagnostic> registry_findings;
    options.registry_standards->check(root, name, registry_findings);
    merge_stricter(out, standards_from, std::move(registry_findings));
  }
  return structural_error;
}

// Checks the text of one source against its standards (`rules`) and options.registry_standards;
// when `products` is given, also decodes each structurally valid document into it; when `inputs`
// is given, notes what each document defines and reads. ODCS and ODPS documents are checked against
// their schema here and kept in `open` (when given) to be converted once every source is read.
std::vector<Diagnostic> check_text(std::string_view text, const std::string& name,
                                   const standards::LoadedStandards& rules, const Options& options,
                                   Decoded* products, SourceInputs* inputs,
                                   std::vector<interop::OpenDocument>* open = nullptr) {
  auto loaded = yaml::parse_yaml(text, name, options.limits);
  std::vector<Diagnostic> out = std::move(loaded.diagnostics);
  for (auto& document : loaded.documents) {
    if (manifest::document_kind(document.root) == manifest::kGlossaryKind) {
      // A business glossary: its own checks; the standards are about products.
      const std::size_t before = out.size();
      manifest::check_glossary(document.root, name, out);
      const bool clean = std::none_of(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                                      [](const Diagnostic& d) { return d.severity == Severity::error; });
      if (clean) {
        auto glossary = manifest::decode_glossary(document.root);
        if (inputs != nullptr) {
          for (const auto& term : glossary.terms) inputs->glossary.push_back({term.name, term.status, term.synonyms});
        }
        if (products != nullptr) products->glossaries.push_back(std::move(glossary));
      }
      continue;
    }
    if (auto standard = interop::recognize(document.root)) {
      // An ODCS or ODPS document: checked against the JSON Schema of the version it declares.
      const std::size_t before = out.size();
      interop::check_document(document.root, *standard, name, out);
      if (open != nullptr) {
        const bool schema_errors = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                                               [](const Diagnostic& d) { return d.severity == Severity::error; });
        nlohmann::json value = yaml::to_sorted_json(document.root);
        open->push_back(interop::OpenDocument{name, standard->standard, std::move(document.root), std::move(value),
                                              schema_errors});
      }
      continue;
    }
    const bool structural_error = check_native(document.root, name, rules, options, out);
    if (products != nullptr && !structural_error) products->products.push_back(manifest::decode(document.root));
    if (inputs != nullptr) {
      note_inputs(document.root, *inputs);
      note_terms(document.root, *inputs);
    }
  }
  std::stable_sort(out.begin(), out.end(), diagnostic_less);
  return out;
}

// check_text through `cache`: the findings kept for the same bytes in the same context, else
// checked and kept. Entries always hold what the file defines and reads, so that one written
// without --registry serves a run with it.
std::vector<Diagnostic> check_text_cached(FindingsCache& cache, std::string_view text, const std::string& name,
                                          const StandardsInForce& rules, const Options& options, SourceInputs* inputs) {
  const auto key = cache.key(rules.cache_context, text);
  if (auto kept = cache.load(key)) {
    for (auto& d : kept->diagnostics) d.file = name;
    if (inputs != nullptr) {
      inputs->defined = std::move(kept->defined);
      inputs->reads = std::move(kept->reads);
      inputs->terms = std::move(kept->terms);
      inputs->glossary = std::move(kept->glossary);
    }
    return std::move(kept->diagnostics);
  }
  SourceInputs noted;
  auto out = check_text(text, name, rules.loaded, options, nullptr, &noted);
  // Entries leave the file's name out and put it back; a finding that named another file would not survive that.
  if (std::all_of(out.begin(), out.end(), [&](const Diagnostic& d) { return d.file == name; })) {
    SourceFindings findings{out, noted.defined, noted.reads, noted.terms, noted.glossary};
    for (auto& d : findings.diagnostics) d.file.clear();
    cache.store(key, findings);
  }
  if (inputs != nullptr) {
    inputs->defined = std::move(noted.defined);
    inputs->reads = std::move(noted.reads);
    inputs->terms = std::move(noted.terms);
    inputs->glossary = std::move(noted.glossary);
  }
  return out;
}

// Checks one source (see check_text); through options.cache when it is set, the source is a file
// and nothing is to be decoded. A source skip_reason skips gets its reason in `skipped` and no
// finding. That verdict is taken before the cache, from the first keys of the text, which costs
// less than the digest of the whole file a cache lookup needs: nothing about it is kept, so a file
// that becomes a manifest is checked on the next run.
std::vector<Diagnostic> check_source(const Source& source, const StandardsInForce& rules, const Options& options,
                                     Decoded* products, SourceInputs* inputs,
                                     std::vector<interop::OpenDocument>* open, std::optional<std::string>& skipped) {
  std::variant<std::string, Diagnostic> read;
  if (!source.text) {
    read = read_source(source, options.limits);
    if (auto* finding = std::get_if<Diagnostic>(&read)) return {std::move(*finding)};
  }
  const std::string_view text = source.text ? std::string_view(*source.text) : std::get<std::string>(read);
  const auto header = yaml::peek_header(text);
  skipped = skip_reason(header, source.found_in_folder);
  if (skipped) return {};
  if (header.kind == "Standards") {  // a standards file: checked as `meshctl standards check` does
    auto findings = standards::parse_standards(text, source.name, options.limits).diagnostics;
    std::stable_sort(findings.begin(), findings.end(), diagnostic_less);
    return findings;
  }
  if (!source.text && options.cache != nullptr && products == nullptr && !may_hold_open_standard(text)) {
    return check_text_cached(*options.cache, text, source.name, rules, options, inputs);
  }
  return check_text(text, source.name, rules.loaded, options, products, inputs, open);
}

// The products of the ODCS and ODPS documents read (interop/import.h), each checked as the native
// manifest it converts to, its findings placed in the original documents. `source_of` gives the index
// of each document's source (whose standards apply).
void import_open_documents(const std::vector<std::vector<interop::OpenDocument>>& open, const StandardsPlan& plan,
                           const Options& options, LoadedProducts& loaded, bool decode) {
  std::vector<const interop::OpenDocument*> documents;
  std::map<const interop::OpenDocument*, std::size_t> source_of;
  for (std::size_t i = 0; i < open.size(); ++i) {
    for (const auto& document : open[i]) {
      documents.push_back(&document);
      source_of.emplace(&document, i);
    }
  }
  if (documents.empty()) return;
  // Only `decode` (apply) registers the products: a check needs the mapped product alone.
  interop::ImportResult imported =
      interop::import_documents(documents, decode ? interop::Leftovers::keep : interop::Leftovers::drop);
  auto& out = loaded.report.diagnostics;
  out.insert(out.end(), imported.diagnostics.begin(), imported.diagnostics.end());
  for (auto& product : imported.products) {
    const interop::OpenDocument* main = product.documents.front();
    // Checked without `extensions`: they hold what the mapping does not carry (the JSON Patch back to the
    // original documents), written by the conversion, none of it the standards' business. The tree is the
    // one its canonical JSON reads as; findings are placed in the original documents by path.
    auto native_json = manifest::to_json(product.product);
    native_json.erase("extensions");
    const yaml::Node native = yaml::to_node(native_json);
    std::vector<Diagnostic> findings;
    const bool structural_error =
        check_native(native, main->file, plan.per_source[source_of.at(main)]->loaded, options, findings);
    for (auto& finding : findings) out.push_back(interop::locate(std::move(finding), product));
    if (decode && !structural_error) {
      loaded.products.push_back(std::move(product.product));
      loaded.open_standards.push_back(LoadedProducts::Original{product.standard, {}});
      for (const auto* document : product.documents) {
        if (document != nullptr) loaded.open_standards.back()->documents.push_back(yaml::to_json(document->root));
      }
    }
  }
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
  Options options;
  options.limits = limits;
  auto loaded = load_standards(*file, options);
  if (!loaded) return loaded.error();
  return (*loaded)->loaded;
}

std::optional<std::string> skip_reason(const yaml::DocumentHeader& header, bool found_in_folder) {
  const bool recognised = (header.api_version && header.api_version->starts_with("meshctl/")) ||
                          header.kind == "DataProduct" || header.kind == "DataContract" || header.kind == "Standards" ||
                          header.kind == "Glossary";
  if (recognised || header.malformed || !found_in_folder) return std::nullopt;
  return std::string("not a meshctl document");
}

Result<std::vector<Source>> collect_sources(const std::vector<std::string>& paths,
                                            const std::optional<std::string>& stdin_text,
                                            const std::vector<std::string>& excludes) {
  std::vector<Source> sources;
  for (const auto& given : paths) {
    if (given == "-") {
      sources.push_back(Source{"<stdin>", stdin_text.value_or("")});
      continue;
    }
    std::error_code ec;
    const fs::path path(given);
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return make_error(ErrorKind::invalid, fmt::format("{}: no such file or folder", given));
    }
    if (fs::is_directory(status)) {
      if (auto folder = collect_folder(path, excludes, sources); !folder) return folder.error();
    } else {
      sources.push_back(Source{given, std::nullopt});
    }
  }
  return sources;
}

namespace {

Result<LoadedProducts> check_all(const std::vector<Source>& sources, const Options& options, bool decode) {
  auto plan = plan_standards(sources, options);
  if (!plan) return plan.error();

  std::vector<std::vector<Diagnostic>> per_source(sources.size());
  std::vector<Decoded> products(decode ? sources.size() : 0);
  std::vector<std::optional<std::string>> skipped(sources.size());
  std::vector<SourceInputs> inputs(options.collect_input_ports ? sources.size() : 0);
  std::vector<std::vector<interop::OpenDocument>> open(sources.size());
  std::atomic<std::size_t> next{0};
  std::size_t done = 0;  // sources checked, across workers (under progress_mutex)
  std::mutex progress_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < sources.size(); i = next++) {
      SourceInputs* noted = nullptr;
      if (options.collect_input_ports) {
        inputs[i].file = sources[i].name;
        noted = &inputs[i];
      }
      per_source[i] =
          check_source(sources[i], *plan->per_source[i], options, decode ? &products[i] : nullptr, noted, &open[i],
                       skipped[i]);
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(++done, sources.size());
      }
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
  std::set<std::string> standards_labels;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (skipped[i]) {
      loaded.report.skipped.push_back(SkippedSource{sources[i].name, std::move(*skipped[i])});
    } else if (!plan->per_source[i]->label.empty()) {
      standards_labels.insert(plan->per_source[i]->label);
    }
  }
  loaded.report.files = sources.size() - loaded.report.skipped.size();
  loaded.report.standards.assign(standards_labels.begin(), standards_labels.end());
  loaded.report.diagnostics = std::move(plan->diagnostics);
  const std::size_t plan_findings = loaded.report.diagnostics.size();
  loaded.report.inputs = std::move(inputs);
  for (auto& findings : per_source) {
    std::move(findings.begin(), findings.end(), std::back_inserter(loaded.report.diagnostics));
  }
  for (auto& decoded : products) {
    std::move(decoded.products.begin(), decoded.products.end(), std::back_inserter(loaded.products));
    std::move(decoded.glossaries.begin(), decoded.glossaries.end(), std::back_inserter(loaded.glossaries));
  }
  loaded.open_standards.resize(loaded.products.size());
  const std::size_t findings = loaded.report.diagnostics.size();
  import_open_documents(open, *plan, options, loaded, decode);
  if (loaded.report.diagnostics.size() != findings) {
    // Findings placed in the original documents join the others in diagnostic_less order.
    std::stable_sort(loaded.report.diagnostics.begin() + static_cast<std::ptrdiff_t>(plan_findings),
                     loaded.report.diagnostics.end(), diagnostic_less);
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
