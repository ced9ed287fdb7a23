// meshctl: build the app, register the commands, run, map errors to exit codes.
#include <iostream>
#include <span>

#include <CLI/CLI.hpp>

#include "commands/commands.h"
#include "exit_codes.h"

int main(int argc, char** argv) {
  using namespace meshctl::cli;
  Context context;
  context.out = &std::cout;
  context.err = &std::cerr;
  context.in = &std::cin;
  CLI::App app{"meshctl: create, describe, evolve, observe and retire data products", "meshctl"};
  register_commands(app, context, std::span<const char* const>(argv + 1, argv + argc));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (const auto advice = usage_error_advice(app, e)) {
      std::cerr << "meshctl: error: " << *advice << '\n';
    } else {
      app.exit(e);
    }
    return kUsage;
  }
  return context.exit_code;
}
