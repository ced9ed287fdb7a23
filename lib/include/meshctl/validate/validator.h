#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "meshctl/core/diagnostic.h"
#include "meshctl/core/error.h"
#include "meshctl/interop/documents.h"
#include "meshctl/manifest/glossary.h"
#include "meshctl/manifest/model.h"
#include "meshctl/standards/standards.h"
#include "meshctl/yaml/header.h"
#include "meshctl/yaml/loader.h"

namespace meshctl::validate {

class FindingsCache;  // cache.h

// One input to check: a file on disk, or text already read (standard input).
struct Source {
  // How diagnostics name it: its path on disk as given (or as found in a folder), or "<stdin>".
  std::string name;
  std::optional<std::string> text;  // set for text already read (standard input): then `name` is no path
  // Found while walking a folder rather than named: then a file that is not recognisably a document
  // meshctl reads (see skip_reason) is skipped instead of checked.
  bool found_in_folder = false;
};

// Expands what the user named into sources: files as they are, folders
// recursively to their *.yaml and *.yml files (sorted, hidden folders skipped),
// "-" to standard input (its text passed in `stdin_text`). In a folder, the paths
// that `excludes` (globs, see PathFilter) or a .meshctlignore file in the folder or
// below it leave out are not collected; files named explicitly always are.
// Fails with ErrorKind::invalid when a path or a .meshctlignore file does not exist
// or cannot be read.
Result<std::vector<Source>> collect_sources(const std::vector<std::string>& paths,
                                            const std::optional<std::string>& stdin_text,
                                            const std::vector<std::string>& excludes = {});

// Why a document with `header` is not checked, or nullopt when it is. Checked: a meshctl manifest
// or standards file (apiVersion meshctl/..., or kind DataProduct or Standards), a glossary (kind
// Glossary), an ODCS (kind DataContract) or ODPS (kind DataProduct) document, and text too malformed
// to tell. Skipped, when `found_in_folder`: anything else ("not a meshctl document"); a file named
// explicitly is checked whatever it holds, so its findings say what a manifest would need.
std::optional<std::string> skip_reason(const yaml::DocumentHeader& header, bool found_in_folder);

struct Options {
  // The standards file; Default: the nearest .meshctl/standards.yaml above each
  // manifest, else the built-in standard.
  std::optional<std::filesystem::path> standards_file;
  yaml::LoadLimits limits;
  unsigned jobs = 0;  // worker threads; Default (0): every core
  // false: YAML and structure only, no standards (what `diff` needs: a
  // committed version may predate today's rules).
  bool check_standards = true;
  // Also note, while each document is loaded, the products it defines and
  // reads (Report::inputs): what `validate --registry` checks afterwards.
  bool collect_input_ports = false;
  // Where validate_sources keeps each file's findings and finds them again while the file's bytes,
  // its standards and meshctl are unchanged (cache.h). Standard input is never cached, and
  // load_products does not use it. Default: none.
  FindingsCache* cache = nullptr;
  // The registry's standards (validate --registry, apply): checked besides each file's own, so a
  // local file may add strictness but never remove the registry's. A finding of either counts; when
  // both report the same finding, the stricter severity stands. Default: none.
  std::optional<standards::Standards> registry_standards;
  // What identifies registry_standards in the cache's key (their version and hash).
  std::string registry_standards_key;
  // Called after each source is checked with how many are done and how many there are, from the
  // worker threads but never two calls at once. Default: none.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// An input port's `spec.inputPorts[i].product`, where the file says it, and
// its version constraint.
struct InputPortReference {
  Position position;
  std::string path;  // "spec.inputPorts[1].product"
  std::string domain;
  std::string name;
  std::string reader;         // "domain/name" of the document whose port it is; empty when it names none
  std::size_t index = 0;      // the port is spec.inputPorts[index]
  std::string version;        // the port's `version` when it is a string (a constraint); else empty
  Position version_position;  // where that `version` is; the product's position when there is none
  friend bool operator==(const InputPortReference&, const InputPortReference&) = default;
};

// A field's `term:`, where the file says it.
struct TermReference {
  Position position;
  std::string path;    // "spec.outputPorts[0].schema.fields[1].term"
  std::string term;    // as written
  std::string reader;  // "domain/name" of the document whose field it is; empty when it names none
  friend bool operator==(const TermReference&, const TermReference&) = default;
};

// A term a Glossary document of the run defines (manifest/glossary.h).
struct DefinedTerm {
  std::string name;
  std::string status;  // draft | active | deprecated
  std::vector<std::string> synonyms;
  friend bool operator==(const DefinedTerm&, const DefinedTerm&) = default;
};

// What one source's documents define and read.
struct SourceInputs {
  std::string file;                       // the source's name, as diagnostics give it
  std::vector<std::string> defined;       // "domain/name" of each document that names one
  std::vector<InputPortReference> reads;  // in document order; values that are not domain/name left out
  std::vector<TermReference> terms;       // every field's term, in document order
  std::vector<DefinedTerm> glossary;      // the terms of the source's Glossary documents
};

// Which standards file is in force for the manifest at `anchor` (a file's
// path; for standard input, a name in the current folder): `explicit_file`
// when given (--standards), else the nearest .meshctl/standards.yaml above
// the anchor's folder. nullopt: the built-in standard.
std::optional<std::filesystem::path> standards_file_for(const std::filesystem::path& anchor,
                                                        const std::optional<std::filesystem::path>& explicit_file);

// The standards in force for `anchor`, loaded: the standard (nullopt when its
// file is broken) and the findings about its file. Fails with the file's read
// error (ErrorKind::invalid) only when it cannot be read.
Result<standards::LoadedStandards> load_standards_for(const std::filesystem::path& anchor,
                                                      const std::optional<std::filesystem::path>& explicit_file,
                                                      const yaml::LoadLimits& limits = {});

// A source that was not checked, and why (skip_reason).
struct SkippedSource {
  std::string file;
  std::string reason;
};

struct Report {
  std::size_t files = 0;               // the sources checked (skipped ones do not count)
  std::vector<SkippedSource> skipped;  // in source order
  // The standards in force for the sources checked, each once, sorted: a standards file's path
  // as found, or "built-in". Empty when no source was checked or standards were not checked.
  std::vector<std::string> standards;
  std::vector<Diagnostic> diagnostics;  // in diagnostic_less order whatever the scheduling
  std::vector<SourceInputs> inputs;     // with Options::collect_input_ports: one per source, in source order
};

// Checks every source: YAML, structure, then the standards in force (Glossary
// documents: their own checks, manifest::check_glossary; standards are about
// products). Findings
// are data in the report; only an unreadable --standards file is an Error.
Result<Report> validate_sources(const std::vector<Source>& sources, const Options& options);

struct LoadedProducts {
  Report report;
  // Every document that is structurally valid, decoded, in source order, then the products converted
  // from ODCS and ODPS documents (interop/import.h). Only fit to publish when the report has no error.
  std::vector<manifest::DataProduct> products;
  // The documents a product was converted from: the standard, then the ODPS product and its contracts,
  // or the ODCS contract, as JSON values in their key order.
  struct Original {
    interop::Standard standard = interop::Standard::odcs;
    std::vector<nlohmann::ordered_json> documents;
  };
  // One per product: nullopt for a native manifest.
  std::vector<std::optional<Original>> open_standards;
  std::vector<manifest::Glossary> glossaries;  // the Glossary documents (kind: Glossary), likewise
};

// validate_sources, keeping the decoded manifests: what `apply` publishes.
Result<LoadedProducts> load_products(const std::vector<Source>& sources, const Options& options);

}  // namespace meshctl::validate
