#include "commands/catalog.h"

#include <memory>

#include "exit_codes.h"
#include "meshctl/registry/registry.h"
#include "meshctl/web/export.h"
#include "output/structured.h"
#include "progress.h"
#include "registry_access.h"

namespace meshctl::cli {

namespace {

struct CatalogExportOptions {
  std::string folder;
  bool force = false;
};

int run_catalog_export(const CatalogExportOptions& options, Context& context) {
  OpenRegistryOptions how;
  how.existing_only = true;  // an export of a registry that does not exist is a mistake, not an empty site
  auto registry = open_registry(context, how);
  if (!registry) return report_error(context, registry.error());
  web::ReaderOver<registry::Registry> reader(**registry);
  Progress progress(*context.err, progress_wanted(context));
  auto summary = web::export_catalog(reader, {.folder = options.folder,
                                              .force = options.force,
                                              .progress = [&](std::size_t done, std::size_t total) {
                                                progress.count("writing product pages", done, total);
                                              }});
  progress.finish();
  if (!summary) return report_error(context, summary.error());
  const nlohmann::json result{{"folder", options.folder},
                              {"domains", summary->domains},
                              {"products", summary->products},
                              {"terms", summary->terms},
                              {"files", summary->files}};
  print_as_requested(context, result, [&](std::ostream& out) {
    out << "wrote " << summary->files << " files (" << summary->domains << " domains, " << summary->products
        << " products, " << summary->terms << " terms) to " << options.folder << "; open " << options.folder
        << "/index.html\n";
  });
  return kSuccess;
}

}  // namespace

void register_catalog(CLI::App& app, Context& context) {
  auto* command = app.add_subcommand("catalog", "The web catalog of the registry's data products");
  command->footer(R"(`meshctl serve --catalog public` shows the same pages live at / on the server.)");
  command->require_subcommand(1);

  auto options = std::make_shared<CatalogExportOptions>();
  auto* exported = command->add_subcommand("export", "Write the web catalog as a static site (HTML, no JavaScript)");
  exported->footer(R"(Writes DIR/index.html (the domains, products needing attention, recently changed and
deprecated products), one page per domain (domains/DOMAIN.html) and one per product
(products/DOMAIN/NAME.html: its description, owner, status, versions, each output
port's schema with PII and classification flagged and glossary terms linked, SLOs
met now and over the last 30 days, latest quality run, inputs and consumers) with
its manifest beside it to download: NAME.yaml (native), NAME.odps.yaml (ODPS
product and contracts), NAME.odcs.yaml or, with several output ports,
NAME.odcs.PORT.yaml (ODCS). The business glossary: glossary.html (every term) and
one page per term (terms/TERM.html: definition, synonyms, related terms, links,
the fields that use it). search.html looks words up in search-index.js. Links are
relative: open index.html from a folder, or publish DIR on any web server (a
repository's pages, an intranet share). Each file is written whole under a temporary
name and renamed. DIR must be new or empty unless --force (pages of the same name
are replaced, other files left as they are). Reads the embedded registry, or a
server with --registry https://... (a reader's token is enough).

Examples:
  meshctl catalog export site/
  meshctl --registry https://registry.example.com:8443 catalog export /srv/www/catalog --force)");
  exported->add_option("dir", options->folder, "The folder to write the pages into")->required();
  exported->add_flag("--force", options->force, "Write into DIR even when it holds files");
  exported->callback([options, &context] { context.exit_code = run_catalog_export(*options, context); });
}

}  // namespace meshctl::cli
