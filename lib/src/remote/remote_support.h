#pragma once

// The HTTP side of RemoteRegistry: one connection to the server, JSON in and
// out, and the server's error replies turned back into Errors. Private to lib;
// every remote_registry*.cpp uses it.

#include <memory>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "meshctl/catalog/types.h"
#include "meshctl/core/error.h"
#include "meshctl/remote/remote_registry.h"

namespace meshctl::registry {

class RemoteConnection {
 public:
  // ErrorKind::invalid when `options.base_url` is not http(s)://HOST[:PORT].
  static Result<std::unique_ptr<RemoteConnection>> open(const RemoteRegistryOptions& options);

  // Each returns the answer's JSON body on a 2xx status; otherwise the
  // server's error (kind, message, details), or ErrorKind::unavailable
  // "cannot reach the registry at URL: <cause>" when no answer came.
  // `path` starts with "/v1/" and is already percent-encoded (see segment()).
  Result<nlohmann::json> get(const std::string& path, const httplib::Params& query = {});
  Result<nlohmann::json> post(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> del(const std::string& path);

  const std::string& base_url() const { return base_url_; }

 private:
  RemoteConnection(std::string base_url, std::unique_ptr<httplib::Client> client, httplib::Headers headers)
      : base_url_(std::move(base_url)), client_(std::move(client)), headers_(std::move(headers)) {}
  Result<nlohmann::json> answer(const httplib::Result& result);

  std::string base_url_;
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers headers_;
};

// `text` percent-encoded for one path segment (everything but A-Z a-z 0-9 - . _ ~).
std::string path_segment(std::string_view text);

// "/v1/products/DOMAIN/NAME", encoded.
std::string product_path(const ProductRef& ref);

// The ErrorKind named in an error reply ("not_found"); nullopt for an unknown name.
std::optional<ErrorKind> parse_error_kind(std::string_view text);

// Reads a list under `key` of an answer with `read`, stopping at the first error.
template <typename T, typename Read>
Result<std::vector<T>> read_answer_list(const nlohmann::json& answer, const char* key, Read read) {
  std::vector<T> items;
  const auto found = answer.find(key);
  if (found == answer.end() || !found->is_array()) {
    return make_error(ErrorKind::invalid, std::string("the answer has no list '") + key + "'");
  }
  for (const auto& element : *found) {
    auto item = read(element);
    if (!item) return item.error();
    items.push_back(std::move(*item));
  }
  return items;
}

}  // namespace meshctl::registry
