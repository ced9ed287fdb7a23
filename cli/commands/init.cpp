#include "commands/init.h"

#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "meshctl/core/file.h"
#include "meshctl/manifest/starter.h"
#include "output/structured.h"

namespace meshctl::cli {

namespace {

struct InitOptions {
  manifest::StarterOptions starter;
  std::string file;        // Default: <name>.yaml in the current folder
  bool standards = false;  // also write .meshctl/standards.yaml next to the manifest
};

const char* flag_of(manifest::StarterField field) {
  switch (field) {
    case manifest::StarterField::name: return "--name";
    case manifest::StarterField::domain: return "--domain";
    case manifest::StarterField::owner_team: return "--owner-team";
    case manifest::StarterField::owner_email: return "--owner-email";
    case manifest::StarterField::title: return "--title";
    case manifest::StarterField::description: return "--description";
  }
  return "";
}

int run_init(const InitOptions& options, Context& context) {
  if (auto problem = manifest::check_starter_options(options.starter)) {
    const std::string flag = flag_of(problem->field);
    return report_error(
        context, make_error(ErrorKind::invalid, fmt::format("{}: {}", flag, problem->message), {{"flag", flag}}));
  }
  const std::filesystem::path manifest_path = options.file.empty() ? options.starter.name + ".yaml" : options.file;
  const std::filesystem::path standards_folder = manifest_path.parent_path() / ".meshctl";
  const std::filesystem::path standards_path = standards_folder / "standards.yaml";

  // Refuse before writing anything, so that a refusal leaves no half-done init behind.
  std::error_code ignored;
  if (options.standards && std::filesystem::exists(standards_path, ignored)) {
    return report_error(context, make_error(ErrorKind::conflict,
                                            fmt::format("{} already exists: meshctl never overwrites a file; leave "
                                                        "out --standards to keep it",
                                                        standards_path.string()),
                                            {{"path", standards_path.string()}}));
  }
  if (auto written = write_new_file(manifest_path, manifest::starter_manifest(options.starter)); !written) {
    return report_error(context, written.error());
  }
  nlohmann::json files = nlohmann::json::array({manifest_path.string()});
  if (options.standards) {
    std::error_code error;
    std::filesystem::create_directories(standards_folder, error);
    if (error) {
      return report_error(context,
                          make_error(ErrorKind::invalid,
                                     fmt::format("cannot create {}: {}", standards_folder.string(), error.message())));
    }
    if (auto written = write_new_file(standards_path, manifest::starter_standards()); !written) {
      return report_error(context, written.error());
    }
    files.push_back(standards_path.string());
  }
  print_as_requested(context, nlohmann::json{{"files", files}}, [&](std::ostream& out) {
    for (const auto& file : files) out << "wrote " << file.get<std::string>() << '\n';
    out << "next: fill in " << manifest_path.string() << ", then run `meshctl validate " << manifest_path.string()
        << "`\n";
  });
  return 0;
}

}  // namespace

void register_init(CLI::App& app, Context& context) {
  auto options = std::make_shared<InitOptions>();
  auto* command = app.add_subcommand("init", "Write a starter manifest (and, with --standards, a standards file)");
  command->footer(R"(The manifest passes `meshctl validate` with the built-in standard as written;
fill in the placeholders (description, location, fields) before publishing it.
meshctl never overwrites a file: an existing one is refused with exit code 4.

Examples:
  meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com
  meshctl init --name orders --domain sales --owner-team sales-data --owner-email sales-data@example.com \
      --title "Confirmed orders" -f products/orders.yaml --standards)");
  auto& starter = options->starter;
  command->add_option("--name", starter.name, "Product name, kebab-case, unique in its domain")->required();
  command->add_option("--domain", starter.domain, "Domain (tenant) that owns the product, kebab-case")->required();
  command->add_option("--owner-team", starter.owner_team, "Team that answers for the product, kebab-case")->required();
  command->add_option("--owner-email", starter.owner_email, "Where to reach the owning team")->required();
  command->add_option("--title", starter.title, "Short human name (default: the name in words)");
  command->add_option("--description", starter.description, "What the product holds and what it is for");
  command->add_option("-f,--file", options->file, "Where to write the manifest (default: NAME.yaml here)");
  command->add_flag("--standards", options->standards,
                    "Also write a starter .meshctl/standards.yaml in the manifest's folder");
  command->callback([options, &context] { context.exit_code = run_init(*options, context); });
}

}  // namespace meshctl::cli
