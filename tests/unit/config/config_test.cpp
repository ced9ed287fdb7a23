#include "meshctl/config/config.h"

#include <filesystem>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "meshctl/core/file.h"

namespace fs = std::filesystem;
using meshctl::ErrorKind;
using meshctl::RegistryLocation;

namespace {

fs::path fresh_folder(const char* name) {
  auto folder =
      fs::temp_directory_path() / (std::string("meshctl-config-test-") + name + "-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  return folder;
}

}  // namespace

TEST_CASE("the config file round-trips and a missing one is empty") {
  const auto folder = fresh_folder("roundtrip");
  const auto path = folder / "sub" / "config.yaml";
  auto empty = meshctl::config::load_config(path);
  REQUIRE(empty.ok());
  CHECK(empty->contexts.empty());
  CHECK_FALSE(empty->current_context);

  meshctl::config::Config config;
  config.set_context("prod", std::string("https://r:1"), std::string("se\"cr\\et"));
  config.set_context("local", std::string("sqlite:/tmp/a b.db"), std::nullopt);
  config.set_context("prod", std::nullopt, std::nullopt);  // an update that changes nothing
  config.current_context = "prod";
  REQUIRE(meshctl::config::save_config(path, config).ok());
  CHECK((fs::status(path).permissions() & fs::perms::group_read) == fs::perms::none);

  auto loaded = meshctl::config::load_config(path);
  REQUIRE(loaded.ok());
  CHECK(meshctl::config::render_config(*loaded) == meshctl::config::render_config(config));
  REQUIRE(loaded->find("prod") != nullptr);
  CHECK(loaded->find("prod")->token == "se\"cr\\et");
  CHECK(loaded->find("local")->registry == "sqlite:/tmp/a b.db");
  CHECK_FALSE(loaded->find("local")->token);
  fs::remove_all(folder);
}

TEST_CASE("a malformed config file names its file, line and column") {
  const auto folder = fresh_folder("malformed");
  const auto path = folder / "config.yaml";
  REQUIRE(meshctl::write_new_file(path, "contexts:\n  prod: {token: x}\n").ok());
  auto loaded = meshctl::config::load_config(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().message == path.string() + ":2:9: context 'prod' needs a registry (a string)");
  fs::remove_all(folder);
}

TEST_CASE("a NUL in the config file is refused where it is, not read as another character") {
  const auto folder = fresh_folder("nul");
  const auto path = folder / "config.yaml";
  REQUIRE(meshctl::write_new_file(path, std::string("current-context: pro\0d\n", 23)).ok());
  auto loaded = meshctl::config::load_config(path);
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.error().message, Catch::StartsWith(path.string() + ":1:21: the control character U+0000"));
  fs::remove_all(folder);
}

TEST_CASE("the registry comes from the flag, the environment, the context, then the default") {
  meshctl::config::RegistryInputs inputs;
  inputs.default_database = "/home/u/.local/share/meshctl/registry.db";
  auto resolved = meshctl::config::resolve_registry(inputs);
  REQUIRE(resolved.ok());
  CHECK(resolved->origin == "default");
  CHECK(resolved->location.target == "/home/u/.local/share/meshctl/registry.db");
  CHECK(resolved->create_folder);  // the default registry's folder is meshctl's to make

  inputs.config.set_context("prod", std::string("https://prod:8443"), std::string("context-token"));
  inputs.config.current_context = "prod";
  resolved = meshctl::config::resolve_registry(inputs);
  CHECK(resolved->origin == "context prod");
  CHECK(resolved->token == "context-token");

  inputs.env_registry = "sqlite:/env.db";
  inputs.env_token = "env-token";
  resolved = meshctl::config::resolve_registry(inputs);
  CHECK(resolved->origin == "MESHCTL_REGISTRY");
  CHECK(resolved->location.target == "/env.db");
  CHECK(resolved->token == "env-token");
  CHECK_FALSE(resolved->create_folder);  // a folder missing under a path the user gave is likely a typo

  inputs.env_registry = "postgresql://mesh@db/registry";
  resolved = meshctl::config::resolve_registry(inputs);
  CHECK(resolved->location == RegistryLocation{RegistryLocation::Kind::postgres, "postgresql://mesh@db/registry"});

  inputs.flag_registry = "http://127.0.0.1:9";
  inputs.flag_token = "flag-token";
  resolved = meshctl::config::resolve_registry(inputs);
  CHECK(resolved->origin == "--registry");
  CHECK(resolved->location.kind == RegistryLocation::Kind::http);
  CHECK(resolved->token == "flag-token");
}

TEST_CASE("a current context that does not exist is an error unless a registry is named") {
  meshctl::config::RegistryInputs inputs;
  inputs.config.current_context = "gone";
  auto resolved = meshctl::config::resolve_registry(inputs);
  REQUIRE_FALSE(resolved.ok());
  CHECK(resolved.error().message.find("'gone' is not defined") != std::string::npos);
  inputs.flag_registry = "r.db";
  CHECK(meshctl::config::resolve_registry(inputs).ok());
}
