#include "commands/version.h"

#include <string_view>

#include <nlohmann/json.hpp>

#include "build_info.h"
#include "output/structured.h"

namespace meshctl::cli {

namespace {

struct Library {
  std::string_view name;
  std::string_view version;
  bool in_network_module;  // in meshctl-network only: the commands that talk to a server or PostgreSQL
};

// Written by cli/CMakeLists.txt from the versions CMake found.
constexpr Library kLibraries[] = {
#include "build_libraries.inc"
};

nlohmann::ordered_json version_json() {
  nlohmann::ordered_json libraries = nlohmann::ordered_json::object();
  nlohmann::ordered_json network = nlohmann::ordered_json::object();
  for (const auto& library : kLibraries) {
    (library.in_network_module ? network : libraries)[std::string(library.name)] = library.version;
  }
  return {{"version", MESHCTL_VERSION},
          {"commit", build_info().commit},
          {"buildDate", build_info().date},
          {"libraries", std::move(libraries)},
          {"networkModuleLibraries", std::move(network)}};
}

void print_libraries(std::ostream& out, bool in_network_module) {
  bool first = true;
  for (const auto& library : kLibraries) {
    if (library.in_network_module != in_network_module) continue;
    out << (first ? "" : ", ") << library.name << ' ' << library.version;
    first = false;
  }
  out << '\n';
}

}  // namespace

void register_version(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("version", "Print meshctl's version, build and libraries");
  command->footer(R"(meshctl-network, installed with meshctl, links what only the server, remote
registries and PostgreSQL need: meshctl hands those commands over to it. --version
prints the first line.

Examples:
  meshctl version
  meshctl version -o json)");
  command->callback([&context] {
    print_as_requested(context, version_json(), [](std::ostream& out) {
      out << "meshctl " << MESHCTL_VERSION << '\n';
      out << "commit:          " << build_info().commit << '\n';
      out << "built:           " << build_info().date << '\n';
      out << "libraries:       ";
      print_libraries(out, false);
      out << "meshctl-network: ";
      print_libraries(out, true);
    });
  });
}

}  // namespace meshctl::cli
