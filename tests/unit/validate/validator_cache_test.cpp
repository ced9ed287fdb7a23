// validate_sources through a FindingsCache: the same report as without, from entries when nothing
// that decides a file's findings changed, and from a fresh check of exactly what did change.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "meshctl/validate/cache.h"
#include "meshctl/validate/validator.h"
#include "registry/temporary_folder.h"

namespace fs = std::filesystem;

using meshctl::registry::testing::TemporaryFolder;
using meshctl::validate::FindingsCache;
using meshctl::validate::Options;
using meshctl::validate::Report;
using meshctl::validate::Source;

namespace {

const auto kRunTime = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20'000);

// Everything a printer or the registry check reads of a report, as text to compare.
std::string describe_report(const Report& report) {
  std::ostringstream out;
  out << "files " << report.files << '\n';
  for (const auto& d : report.diagnostics) {
    out << d.file << ':' << d.position.line << ':' << d.position.column << ' ' << to_string(d.severity) << ' ' << d.rule
        << " [" << d.path << "] " << d.message << '\n';
  }
  for (const auto& inputs : report.inputs) {
    out << "inputs of " << inputs.file << ':';
    for (const auto& product : inputs.defined) out << " defines " << product;
    for (const auto& read : inputs.reads) {
      out << " reads " << read.domain << '/' << read.name << " at " << read.position.line << ':' << read.position.column
          << ' ' << read.path;
    }
    out << '\n';
  }
  return out.str();
}

void write_file_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// The examples (every kind of finding, a file that is not UTF-8, several documents), a copy of one
// under another name, and a folder with its own standards file.
fs::path make_corpus(const fs::path& root) {
  const fs::path examples = fs::path(MESHCTL_SOURCE_DIR) / "examples";
  fs::create_directories(root);
  fs::copy(examples / "products", root / "products", fs::copy_options::recursive);
  fs::copy(examples / "invalid", root / "invalid", fs::copy_options::recursive);
  fs::copy_file(examples / "invalid" / "rule-pii-internal.yaml", root / "invalid" / "copy-of-pii-internal.yaml");
  write_file_text(root / "invalid" / ".meshctl" / "standards.yaml",
                  "apiVersion: meshctl/v1\nkind: Standards\nextends: default\nrules:\n  MESH-TITLE: off\n"
                  "  MESH-PII-CLASS: { severity: warning }\n");
  return root;
}

Report validate_with(const std::vector<Source>& sources, Options options, FindingsCache* cache) {
  options.cache = cache;
  auto report = meshctl::validate::validate_sources(sources, options);
  REQUIRE(report);
  return std::move(*report);
}

}  // namespace

TEST_CASE("validate_sources reports the same with a cache, cold and warm", "[validate][cache]") {
  TemporaryFolder folder;
  const auto root = make_corpus(folder.path() / "corpus");
  auto sources = meshctl::validate::collect_sources({root.string(), "-"}, std::string("kind: DataProduct\n"));
  REQUIRE(sources);
  Options options;
  options.collect_input_ports = GENERATE(false, true);
  options.jobs = GENERATE(1u, 3u);
  const auto uncached = validate_with(*sources, options, nullptr);
  const auto expected = describe_report(uncached);
  // Standard input is never cached; the empty file is skipped (no meshctl document) before the cache.
  REQUIRE(uncached.skipped.size() == 1);
  const std::size_t files = uncached.files - 1;
  REQUIRE(expected.find("MESH-YAML-ENCODING") != std::string::npos);

  FindingsCache cold(folder.path() / "cache", kRunTime);
  CHECK(describe_report(validate_with(*sources, options, &cold)) == expected);
  CHECK(cold.counts().hits + cold.counts().misses == files);
  CHECK(cold.warnings().empty());

  FindingsCache warm(folder.path() / "cache", kRunTime);
  CHECK(describe_report(validate_with(*sources, options, &warm)) == expected);
  CHECK(warm.counts().hits == files);
  CHECK(warm.warnings().empty());

  SECTION("entries written without --registry's notes serve a run with them, and back") {
    Options other = options;
    other.collect_input_ports = !options.collect_input_ports;
    FindingsCache again(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, other, &again)) ==
          describe_report(validate_with(*sources, other, nullptr)));
    CHECK(again.counts().hits == files);
  }
  SECTION("a changed file is checked again, alone") {
    write_file_text(root / "products" / "sales" / "orders.yaml", "kind: DataProduct\n");
    FindingsCache after(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, options, &after)) ==
          describe_report(validate_with(*sources, options, nullptr)));
    CHECK(after.counts().misses == 1);
  }
  SECTION("a changed standards file checks again exactly the files it governs") {
    // Every entry of the folder but .meshctl and the empty file (skipped, never cached).
    const auto governed = static_cast<std::size_t>(std::distance(fs::directory_iterator(root / "invalid"), {})) - 2;
    std::ofstream(root / "invalid" / ".meshctl" / "standards.yaml", std::ios::app) << "  MESH-TAGS: off\n";
    FindingsCache after(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, options, &after)) ==
          describe_report(validate_with(*sources, options, nullptr)));
    // The copy shares its entry with the file it copies: with one job it is found; with more, either may come first.
    CHECK(after.counts().misses >= governed - 1);
    CHECK(after.counts().misses <= governed);
  }
  SECTION("a standards file given with --standards is its content, wherever it is") {
    write_file_text(folder.path() / "elsewhere" / "standards.yaml", "apiVersion: meshctl/v1\nkind: Standards\n");
    write_file_text(folder.path() / "moved" / "standards.yaml", "apiVersion: meshctl/v1\nkind: Standards\n");
    Options given = options;
    given.standards_file = folder.path() / "elsewhere" / "standards.yaml";
    FindingsCache first(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, given, &first)) ==
          describe_report(validate_with(*sources, given, nullptr)));
    given.standards_file = folder.path() / "moved" / "standards.yaml";
    FindingsCache second(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, given, &second)) ==
          describe_report(validate_with(*sources, given, nullptr)));
    CHECK(second.counts().hits == files);
  }
  SECTION("other limits check again") {
    Options smaller = options;
    smaller.limits.max_depth = 8;
    FindingsCache after(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, smaller, &after)) ==
          describe_report(validate_with(*sources, smaller, nullptr)));
    CHECK(after.counts().hits <= 1);  // the copy, when its original was checked and kept first
  }
  SECTION("another meshctl checks again") {
    FindingsCache newer(folder.path() / "cache", kRunTime, "99.0.0");
    CHECK(describe_report(validate_with(*sources, options, &newer)) == expected);
    CHECK(newer.counts().hits <= 1);  // the copy, when its original was checked and kept first
  }
}

TEST_CASE("validate_sources through a cache it cannot use gives the same report", "[validate][cache]") {
  TemporaryFolder folder;
  const auto root = make_corpus(folder.path() / "corpus");
  auto sources = meshctl::validate::collect_sources({root.string()}, std::nullopt);
  REQUIRE(sources);
  const auto expected = describe_report(validate_with(*sources, Options{}, nullptr));

  SECTION("not writable: a file where its folder should be") {
    write_file_text(folder.path() / "cache", "not a folder");
    FindingsCache cache(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, Options{}, &cache)) == expected);
    CHECK(cache.warnings().size() == 1);
  }
  SECTION("every entry corrupt") {
    FindingsCache cold(folder.path() / "cache", kRunTime);
    validate_with(*sources, Options{}, &cold);
    std::size_t corrupted = 0;
    for (const auto& item : fs::recursive_directory_iterator(folder.path() / "cache")) {
      if (!item.is_regular_file()) continue;
      fs::resize_file(item.path(), fs::file_size(item.path()) / 2);
      ++corrupted;
    }
    REQUIRE(corrupted > 0);
    FindingsCache warm(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, Options{}, &warm)) == expected);
    REQUIRE(warm.warnings().size() == 1);
    CHECK(warm.warnings()[0].starts_with(std::to_string(warm.counts().misses) + " entries"));
    FindingsCache repaired(folder.path() / "cache", kRunTime);
    CHECK(describe_report(validate_with(*sources, Options{}, &repaired)) == expected);
    CHECK(repaired.warnings().empty());
    CHECK(repaired.counts().misses == 0);
  }
}
