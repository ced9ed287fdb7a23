#pragma once

// The one place that renders the templates of lib/src/web/templates (compiled
// into the binary: embedded_templates.h). Private to lib/src/web.

#include <string>
#include <string_view>
#include <vector>

#include <mstch/mstch.hpp>

#include "meshctl/web/catalog.h"
#include "web/embedded_templates.h"

namespace meshctl::web {

// A link in the breadcrumb above a page's heading.
struct Crumb {
  std::string label;
  std::string href;
};

// The whole page: `body_template` rendered with `context`, inside the layout
// with its title, breadcrumb (after the link home of `links`), the stylesheet,
// and who is signed in (a sign-out button). Every {{value}} is escaped for
// HTML; only the layout's body and stylesheet go in raw.
std::string render_page(std::string_view body_template, const mstch::map& context, const std::string& title,
                        const std::vector<Crumb>& crumbs, const CatalogLinks& links);

}  // namespace meshctl::web
