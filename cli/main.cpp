// meshctl: build the app, register the commands, run, map errors to exit codes.
#include <iostream>
#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

#include "commands/commands.h"
#include "commands/completion.h"
#include "commands/manual.h"
#include "exit_codes.h"
#include "network_handover.h"

int main(int argc, char** argv) {
  using namespace meshctl::cli;
  Context context;
  context.out = &std::cout;
  context.err = &std::cerr;
  context.in = &std::cin;
  if (const int refused = check_handover(context); refused != 0) return refused;
  install_network_handover(std::span<char* const>(argv, static_cast<std::size_t>(argc)), context);
  const std::span<const char* const> args(argv + 1, argv + argc);
  // The completion scripts' question: answered before any parsing, which would take its flags as meshctl's.
  if (!args.empty() && std::string_view(args[0]) == "__complete") return run_complete(args.subspan(1), context);
  if (args.size() == 2 && std::string_view(args[0]) == "__manual") return write_manual_pages(args[1], context);
  CLI::App app{"meshctl: create, describe, evolve, observe and retire data products", "meshctl"};
  register_commands(app, context, args);
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
