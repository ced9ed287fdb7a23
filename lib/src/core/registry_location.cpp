#include "meshctl/core/registry_location.h"

#include <algorithm>

#include <fmt/format.h>

namespace meshctl {

Result<RegistryLocation> parse_registry_location(std::string_view text) {
  if (text.starts_with("http://") || text.starts_with("https://")) {
    std::string url(text);
    while (url.size() > 8 && url.back() == '/') url.pop_back();
    return RegistryLocation{RegistryLocation::Kind::http, url};
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    return RegistryLocation{RegistryLocation::Kind::postgres, std::string(text)};
  }
  if (text.starts_with("sqlite:")) text.remove_prefix(7);
  const bool is_uri = text.find("://") != std::string_view::npos;
  if (text.empty() || is_uri) {
    return make_error(ErrorKind::invalid,
                      fmt::format("registry '{}' is not understood: give a file path, sqlite:PATH, "
                                  "postgresql://USER@HOST/DATABASE, or http(s)://HOST:PORT",
                                  is_uri ? redact_postgres_uri(std::string(text)) : std::string(text)));
  }
  return RegistryLocation{RegistryLocation::Kind::sqlite, std::string(text)};
}

std::string redact_postgres_uri(const std::string& uri) {
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) return "a PostgreSQL database";
  const auto authority_start = scheme_end + 3;
  const auto authority_end = std::min(uri.find_first_of("/?#", authority_start), uri.size());
  std::string authority = uri.substr(authority_start, authority_end - authority_start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    const auto user = authority.substr(0, at);
    authority = user.substr(0, user.find(':')) + authority.substr(at);
  }
  const auto path_end = std::min(uri.find_first_of("?#", authority_end), uri.size());
  return uri.substr(0, authority_start) + authority + uri.substr(authority_end, path_end - authority_end);
}

}  // namespace meshctl
