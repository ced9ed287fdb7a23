// What validate reads: the sources a folder expands to, in order, and files read no further than the limit.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "meshctl/core/file.h"
#include "meshctl/manifest/starter.h"
#include "meshctl/standards/standards.h"
#include "meshctl/validate/validator.h"
#include "meshctl/yaml/header.h"
#include "registry/temporary_folder.h"

namespace fs = std::filesystem;

using meshctl::registry::testing::TemporaryFolder;
using meshctl::validate::Options;
using meshctl::validate::Source;

namespace {

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("a folder expands to its manifests in path order, hidden folders skipped", "[validate][sources]") {
  TemporaryFolder root;
  for (const char* name : {"a-b/x.yaml", "a/x.yaml", "a/y.yml", "a/z.json", "a.yaml", ".git/config.yaml",
                           "a/.meshctl/standards.yaml", "b/c/d.yaml"}) {
    write(root.path() / name, "kind: DataProduct\n");
  }
  auto sources = meshctl::validate::collect_sources({root.path().string()}, std::nullopt);
  REQUIRE(sources);
  std::vector<std::string> names;
  for (const auto& source : *sources) {
    CHECK_FALSE(source.text.has_value());
    names.push_back(fs::path(source.name).lexically_relative(root.path()).string());
  }
  // Component by component, as std::filesystem::path compares: "a" before "a-b" before "a.yaml".
  CHECK(names == std::vector<std::string>{"a/x.yaml", "a/y.yml", "a-b/x.yaml", "a.yaml", "b/c/d.yaml"});
  std::vector<fs::path> as_paths(names.begin(), names.end());
  CHECK(std::is_sorted(as_paths.begin(), as_paths.end()));
}

TEST_CASE("a file over the size limit is MESH-YAML-LIMIT without being read", "[validate][sources]") {
  TemporaryFolder root;
  const auto big = root.path() / "big.yaml";
  write(big, std::string(5000, '#'));
  Options options;
  options.limits.max_file_bytes = 4096;
  auto report = meshctl::validate::validate_sources({Source{big.string(), std::nullopt}}, options);
  REQUIRE(report);
  REQUIRE(report->diagnostics.size() == 1);
  CHECK(report->diagnostics[0].rule == "MESH-YAML-LIMIT");
  CHECK(report->diagnostics[0].message.starts_with("the file has 5000 bytes, more than the limit of 4096"));
}

TEST_CASE("a device that never ends is read only up to the limit", "[validate][sources]") {
  Options options;
  options.limits.max_file_bytes = 1 << 20;
  auto report = meshctl::validate::validate_sources({Source{"/dev/zero", std::nullopt}}, options);
  REQUIRE(report);
  REQUIRE(report->diagnostics.size() == 1);
  CHECK(report->diagnostics[0].rule == "MESH-YAML-LIMIT");
  CHECK(report->diagnostics[0].message.starts_with("the file has more bytes than the limit of 1048576"));
}

TEST_CASE("read_file_at_most reads up to the limit and says when there is more", "[core][file]") {
  TemporaryFolder root;
  const auto file = root.path() / "f";
  write(file, "12345");
  for (std::size_t limit : {5u, 6u, 100u}) {
    auto read = meshctl::read_file_at_most(file, limit);
    REQUIRE(read);
    CHECK_FALSE(read->too_large);
    CHECK(read->content == "12345");
  }
  auto over = meshctl::read_file_at_most(file, 4);
  REQUIRE(over);
  CHECK(over->too_large);
  CHECK(over->size == 5);
  CHECK(over->content.empty());
  auto endless = meshctl::read_file_at_most("/dev/zero", 10'000);
  REQUIRE(endless);
  CHECK(endless->too_large);
  CHECK(endless->size == 0);
  CHECK_FALSE(meshctl::read_file_at_most(root.path(), 10));  // a folder
  CHECK_FALSE(meshctl::read_file_at_most(root.path() / "missing", 10));
}

namespace {

meshctl::standards::Standards parsed_standards(const std::string& text) {
  auto loaded = meshctl::standards::parse_standards(text, "standards.yaml");
  REQUIRE(loaded.standards.has_value());
  return *loaded.standards;
}

std::vector<std::string> findings_of(const meshctl::validate::Report& report) {
  std::vector<std::string> out;
  for (const auto& d : report.diagnostics) out.push_back(d.rule + " " + meshctl::to_string(d.severity));
  return out;
}

}  // namespace

TEST_CASE("the registry's standards add to a file's own: stricter never looser", "[validate][sources]") {
  TemporaryFolder root;
  const auto manifest = root.path() / "orders.yaml";
  meshctl::manifest::StarterOptions starter{
      "orders", "sales", "sales-data", "sales-data@example.com", std::nullopt, std::string(60, 'x')};
  write(manifest, meshctl::manifest::starter_manifest(starter));
  const auto lax = root.path() / "lax.yaml";
  write(lax, "apiVersion: meshctl/v1\nkind: Standards\nextends: none\n");
  const auto warn = root.path() / "warn.yaml";
  write(warn,
        "apiVersion: meshctl/v1\nkind: Standards\nextends: default\n"
        "rules:\n  MESH-DESCRIPTION: {severity: warning, params: {minLength: 100}}\n");
  const std::string strict =
      "apiVersion: meshctl/v1\nkind: Standards\nextends: none\n"
      "rules:\n  MESH-DESCRIPTION: {severity: error, params: {minLength: 100}}\n";
  const std::vector<Source> sources{Source{manifest.string(), std::nullopt}};

  Options options;
  options.standards_file = lax;
  auto report = meshctl::validate::validate_sources(sources, options);
  REQUIRE(report);
  CHECK(report->diagnostics.empty());

  SECTION("a rule the file turns off still counts when the registry's standards have it") {
    options.registry_standards = parsed_standards(strict);
    report = meshctl::validate::validate_sources(sources, options);
    REQUIRE(report);
    CHECK(findings_of(*report) == std::vector<std::string>{"MESH-DESCRIPTION error"});
  }
  SECTION("the same finding from both is reported once, at the stricter severity") {
    options.standards_file = warn;
    report = meshctl::validate::validate_sources(sources, options);
    REQUIRE(report);
    CHECK(findings_of(*report) == std::vector<std::string>{"MESH-DESCRIPTION warning"});
    options.registry_standards = parsed_standards(strict);
    report = meshctl::validate::validate_sources(sources, options);
    REQUIRE(report);
    CHECK(findings_of(*report) == std::vector<std::string>{"MESH-DESCRIPTION error"});
  }
  SECTION("a registry laxer than the file takes nothing away from it") {
    options.standards_file = warn;
    options.registry_standards = parsed_standards("apiVersion: meshctl/v1\nkind: Standards\nextends: none\n");
    report = meshctl::validate::validate_sources(sources, options);
    REQUIRE(report);
    CHECK(findings_of(*report) == std::vector<std::string>{"MESH-DESCRIPTION warning"});
  }
}

TEST_CASE("a folder's YAML files that are no meshctl document are skipped, named files are not",
          "[validate][sources]") {
  TemporaryFolder root;
  write(root.path() / "orders.yaml",
        "apiVersion: meshctl/v1\nkind: DataProduct\nmetadata: {name: orders, domain: sales}\n");
  write(root.path() / "docker-compose.yml", "services:\n  db:\n    image: postgres\n");
  write(root.path() / "glossary.yaml", "kind: Glossary\nterms: []\n");  // checked (its findings)
  write(root.path() / "dbt/schema.yml", "version: 2\nmodels: []\n");
  write(root.path() / "legacy/old.yaml", "apiVersion: meshctl/v1\n");
  write(root.path() / ".meshctlignore", "# old stuff\nlegacy/\n");
  auto sources = meshctl::validate::collect_sources({root.path().string()}, std::nullopt, {"dbt/**"});
  REQUIRE(sources);
  REQUIRE(sources->size() == 3);  // dbt/ by --exclude, legacy/ by .meshctlignore
  auto report = meshctl::validate::validate_sources(*sources, Options{});
  REQUIRE(report);
  CHECK(report->files == 2);
  REQUIRE(report->skipped.size() == 1);
  CHECK(fs::path(report->skipped[0].file).filename() == "docker-compose.yml");
  CHECK(report->skipped[0].reason == "not a meshctl document");
  CHECK(report->standards == std::vector<std::string>{"built-in"});
  for (const auto& d : report->diagnostics) {
    const auto file = fs::path(d.file).filename();
    CHECK((file == "orders.yaml" || file == "glossary.yaml"));
  }

  // Named explicitly, the same compose file is checked, and its findings say what it lacks.
  auto named = meshctl::validate::validate_sources(
      {Source{(root.path() / "docker-compose.yml").string(), std::nullopt}}, Options{});
  REQUIRE(named);
  CHECK(named->files == 1);
  CHECK(named->skipped.empty());
  CHECK_FALSE(named->diagnostics.empty());
}

TEST_CASE("peek_header reads apiVersion and kind from the first keys only", "[validate][sources]") {
  using meshctl::yaml::peek_header;
  auto header = peek_header("apiVersion: meshctl/v1\nkind: DataProduct\nspec: [unclosed\n");
  CHECK(header.api_version == "meshctl/v1");
  CHECK(header.kind == "DataProduct");
  CHECK_FALSE(header.malformed);  // decided before the broken part
  header = peek_header("metadata:\n  kind: Nested\n  apiVersion: x\nkind: DataContract\n");
  CHECK_FALSE(header.api_version);
  CHECK(header.kind == "DataContract");
  header = peek_header("kind: Glossary\n---\napiVersion: meshctl/v1\n");
  CHECK(header.kind == "Glossary");
  CHECK_FALSE(header.api_version);  // the first document decides
  CHECK_FALSE(peek_header("- a\n- b\n").kind);
  CHECK(peek_header("a: [\n").malformed);
  CHECK_FALSE(peek_header("").kind);
}
