#pragma once

// How to reach a registry server (RemoteRegistry::open). A header of its own so
// that meshctl fills it in without linking the HTTP client, which lives in the
// network areas (meshctl/network/module.h).

#include <chrono>
#include <optional>
#include <string>

namespace meshctl::registry {

struct RemoteRegistryOptions {
  std::string base_url;              // "http://HOST:PORT" or "https://HOST:PORT"
  std::optional<std::string> token;  // sent as `Authorization: Bearer`; never logged or printed
  // HTTPS: a PEM file of the certificate authorities to trust. Default: the
  // system's. Server certificates are always verified.
  std::optional<std::string> ca_file;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{60};
  std::chrono::seconds write_timeout{60};
};

}  // namespace meshctl::registry
