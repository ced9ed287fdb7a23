#include "web/templates.h"

#include <stdexcept>

namespace meshctl::web {
namespace {

std::string template_text(std::string_view name) {
  for (const auto& file : embedded_templates()) {
    if (file.name == name) return std::string(file.text);
  }
  // The build embeds every file of lib/src/web/templates: a missing one is a bug of meshctl, not of the input.
  throw std::logic_error("web template missing from the build: " + std::string(name));
}

// What {{value}} writes: the five characters that could end a text or an attribute value, as references.
// mstch's own escape also writes '/' as &#x2F;, which no context needs and which makes every link unreadable.
std::string escape_html(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

}  // namespace

std::string render_page(std::string_view body_template, const mstch::map& context, const std::string& title,
                        const std::vector<Crumb>& crumbs, const CatalogLinks& links) {
  // Installed once, before the first page renders (a function-local static is initialized by one thread).
  static const bool escape_installed = [] {
    mstch::config::escape = escape_html;
    return true;
  }();
  (void)escape_installed;
  static const std::string layout = template_text("layout.mustache");
  static const std::string css = template_text("catalog.css");
  mstch::array crumb_nodes;
  for (const auto& crumb : crumbs) crumb_nodes.push_back(mstch::map{{"label", crumb.label}, {"href", crumb.href}});
  const std::string body = mstch::render(template_text(body_template), context);
  return mstch::render(layout, mstch::map{{"title", title},
                                          {"css", css},
                                          {"home", links.home()},
                                          {"crumbs", crumb_nodes},
                                          {"signed_in_as", links.signed_in_as()},
                                          {"body", body}});
}

}  // namespace meshctl::web
