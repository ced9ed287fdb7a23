#include "commands/manual.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "build_info.h"
#include "commands/commands.h"
#include "exit_codes.h"

namespace meshctl::cli {

namespace {

namespace fs = std::filesystem;

// `text` as roff body text: backslashes escaped, and a line that starts with a control character ('.' or
// '\'') kept as text.
std::string roff(const std::string& text) {
  std::string escaped;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) escaped += "\\&";
    if (c == '\\') {
      escaped += "\\e";
    } else if (c == '-') {
      escaped += "\\-";
    } else {
      escaped += c;
    }
    line_start = c == '\n';
  }
  return escaped;
}

// "meshctl get products" -> "meshctl-get-products"
std::string page_name(const std::string& words) {
  std::string name = words;
  for (char& c : name) c = c == ' ' ? '-' : c;
  return name;
}

std::vector<const CLI::App*> named_commands(const CLI::App& command) {
  return command.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
}

void write_options(std::ostream& out, const CLI::App& command) {
  const auto options = command.get_options([](const CLI::Option* option) { return option->nonpositional(); });
  if (options.empty()) return;
  out << ".SH OPTIONS\n";
  for (const CLI::Option* option : options) {
    std::string names;
    for (const auto& name : option->get_snames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-" + name + "\\fR");
    for (const auto& name : option->get_lnames()) {
      names += (names.empty() ? "" : ", ") + ("\\fB\\-\\-" + roff(name) + "\\fR");
    }
    const auto type = option->get_type_name();
    out << ".TP\n"
        << names << (option->get_type_size() > 0 && !type.empty() ? " \\fI" + roff(type) + "\\fR" : "") << '\n'
        << roff(option->get_description()) << '\n';
  }
}

// The synopsis' arguments: each positional, [optional] unless required, ... when it repeats.
std::string arguments(const CLI::App& command) {
  std::string text;
  for (const CLI::Option* option : command.get_options([](const CLI::Option* o) { return o->get_positional(); })) {
    std::string name = "\\fI" + roff(option->get_name()) + "\\fR" + (option->get_expected_max() > 1 ? "..." : "");
    text += " " + (option->get_required() ? name : "[" + name + "]");
  }
  return text;
}

// Writes the page of `command` and of each command under it; false when a file could not be written.
bool write_page(const fs::path& folder, const CLI::App& command, const std::string& words, const std::string& date) {
  const auto name = page_name(words);
  std::ofstream out(folder / (name + ".1"));
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << ".TH " << roff(upper) << " 1 \"" << date << "\" \"meshctl " << MESHCTL_VERSION << "\" \"meshctl manual\"\n";
  out << ".SH NAME\n" << roff(name) << " \\- " << roff(command.get_description()) << '\n';
  out << ".SH SYNOPSIS\n.B " << roff(words) << "\n[\\fIOPTIONS\\fR]";
  const auto subcommands = named_commands(command);
  out << (subcommands.empty() ? arguments(command) : " \\fICOMMAND\\fR") << '\n';
  if (!command.get_footer().empty()) out << ".SH DESCRIPTION\n.nf\n" << roff(command.get_footer()) << "\n.fi\n";
  if (!subcommands.empty()) {
    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : subcommands) {
      out << ".TP\n\\fB" << roff(sub->get_name()) << "\\fR\n"
          << roff(sub->get_description()) << " (" << roff(page_name(words + " " + sub->get_name())) << "(1))\n";
    }
  }
  write_options(out, command);
  if (command.get_parent() == nullptr) {
    out << ".SH EXIT STATUS\n0 success, 1 findings, 2 usage error, 3 not found, 4 conflict, 5 unauthenticated or "
           "forbidden, 6 registry unavailable.\n"
           ".SH ENVIRONMENT\n.TP\n\\fBMESHCTL_REGISTRY\\fR\nThe registry, as \\fB\\-\\-registry\\fR.\n"
           ".TP\n\\fBMESHCTL_TOKEN\\fR\nThe credential for a registry server, as \\fB\\-\\-token\\fR.\n"
           ".TP\n\\fBMESHCTL_CA_FILE\\fR\nCertificate authorities (PEM) to trust for an https registry.\n";
  } else {
    out << ".SH SEE ALSO\n\\fBmeshctl\\fR(1)\n";
  }
  out.close();
  bool written = !out.fail();
  for (const CLI::App* sub : subcommands)
    written = write_page(folder, *sub, words + " " + sub->get_name(), date) && written;
  return written;
}

}  // namespace

int write_manual_pages(const std::string& folder, Context& context) {
  CLI::App tree{"create, describe, evolve, observe and retire data products", "meshctl"};
  Context unused;
  register_commands(tree, unused, {});
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    return report_error(context, make_error(ErrorKind::invalid, "cannot create " + folder + ": " + error.message()));
  }
  if (!write_page(folder, tree, "meshctl", build_info().date)) {
    return report_error(context, make_error(ErrorKind::invalid, "cannot write the manual pages in " + folder));
  }
  return kSuccess;
}

}  // namespace meshctl::cli
