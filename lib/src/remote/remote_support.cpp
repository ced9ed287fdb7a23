#include "remote/remote_support.h"

#include <fmt/format.h>
#include <openssl/x509.h>

#include "meshctl/core/json_text.h"

namespace meshctl::registry {
namespace {

using nlohmann::json;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Why no answer came, in words.
std::string cause_of(httplib::Error error, const httplib::Client& client) {
  switch (error) {
    case httplib::Error::Connection: return "the connection was refused or the host is unreachable";
    case httplib::Error::ConnectionTimeout: return "connecting timed out";
    case httplib::Error::BindIPAddress: return "cannot bind the local address";
    case httplib::Error::Read: return "no answer came (the connection closed or timed out)";
    case httplib::Error::Write: return "the request could not be sent (the connection closed or timed out)";
    case httplib::Error::SSLConnection: return "the TLS handshake failed (is it an HTTPS server?)";
    case httplib::Error::SSLLoadingCerts: return "cannot load the certificate authorities (MESHCTL_CA_FILE)";
    case httplib::Error::SSLServerVerification: {
      const auto result = client.get_openssl_verify_result();
      return std::string("the server's certificate is not trusted: ") +
             (result != 0 ? X509_verify_cert_error_string(result) : "its name does not match the host");
    }
    default: return "the request failed (" + httplib::to_string(error) + ")";
  }
}

ErrorKind kind_for_status(int status) {
  switch (status) {
    case 401: return ErrorKind::unauthenticated;
    case 403: return ErrorKind::forbidden;
    case 404: return ErrorKind::not_found;
    case 409: return ErrorKind::conflict;
    default: return status >= 500 ? ErrorKind::unavailable : ErrorKind::invalid;
  }
}

}  // namespace

std::optional<ErrorKind> parse_error_kind(std::string_view text) {
  for (auto kind : {ErrorKind::invalid, ErrorKind::not_found, ErrorKind::conflict, ErrorKind::unauthenticated,
                    ErrorKind::forbidden, ErrorKind::unavailable, ErrorKind::findings}) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::string path_segment(std::string_view text) {
  std::string encoded;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

std::string product_path(const ProductRef& ref) {
  return "/v1/products/" + path_segment(ref.domain) + "/" + path_segment(ref.name);
}

Result<std::unique_ptr<RemoteConnection>> RemoteConnection::open(const RemoteRegistryOptions& options) {
  std::string base_url = options.base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  const bool https = starts_with(base_url, "https://");
  const auto rest = std::string_view(base_url).substr(https ? 8 : 7);
  if ((!https && !starts_with(base_url, "http://")) || rest.empty() || rest.find('/') != std::string_view::npos) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("'{}' is not a registry server address: write http(s)://HOST:PORT", options.base_url));
  }
  auto client = std::make_unique<httplib::Client>(base_url);
  if (!client->is_valid()) {
    return make_error(
        ErrorKind::invalid,
        fmt::format("'{}' is not a registry server address: write http(s)://HOST:PORT", options.base_url));
  }
  client->set_connection_timeout(options.connect_timeout);
  client->set_read_timeout(options.read_timeout);
  client->set_write_timeout(options.write_timeout);
  client->set_keep_alive(true);
  client->set_url_encode(false);  // paths are encoded segment by segment (path_segment)
  if (https) {
    client->enable_server_certificate_verification(true);
    if (options.ca_file) client->set_ca_cert_path(*options.ca_file);
  }
  httplib::Headers headers = {{"Accept", "application/json"}};
  if (options.token) headers.emplace("Authorization", "Bearer " + *options.token);
  return std::unique_ptr<RemoteConnection>(new RemoteConnection(base_url, std::move(client), std::move(headers)));
}

Result<json> RemoteConnection::get(const std::string& path, const httplib::Params& query) {
  return answer(client_->Get(path, query, headers_));
}

Result<json> RemoteConnection::post(const std::string& path, const json& body) {
  return answer(client_->Post(path, headers_, json_text(body), "application/json"));
}

Result<json> RemoteConnection::del(const std::string& path) {
  return answer(client_->Delete(path, headers_));
}

Result<json> RemoteConnection::answer(const httplib::Result& result) {
  if (!result) {
    return make_error(ErrorKind::unavailable, fmt::format("cannot reach the registry at {}: {}", base_url_,
                                                          cause_of(result.error(), *client_)));
  }
  auto body = json::parse(result->body, nullptr, false);
  if (result->status >= 200 && result->status < 300) {
    if (body.is_discarded() || !body.is_object()) {
      return make_error(ErrorKind::unavailable,
                        fmt::format("unexpected answer from the registry at {}: not a JSON object", base_url_));
    }
    return body;
  }
  // The server's own error reply, as the embedded registry would have returned it.
  if (!body.is_discarded() && body.contains("error") && body["error"].is_object()) {
    const auto& error = body["error"];
    const auto kind = parse_error_kind(error.value("kind", ""));
    Error decoded{kind.value_or(kind_for_status(result->status)), error.value("message", ""), nullptr};
    if (error.contains("details")) decoded.details = error["details"];
    if (decoded.message.empty()) decoded.message = fmt::format("the registry answered HTTP {}", result->status);
    return decoded;
  }
  return make_error(kind_for_status(result->status),
                    fmt::format("the registry at {} answered HTTP {}", base_url_, result->status));
}

}  // namespace meshctl::registry
