#include "meshctl/registry/token.h"

#include "meshctl/core/digest.h"

namespace meshctl::registry::token {
namespace {

Result<std::string> random_hex(std::size_t bytes) {
  auto text = meshctl::random_hex(bytes);
  if (!text) return make_error(ErrorKind::unavailable, "the system's random generator failed: no token was created");
  return std::move(*text);
}

}  // namespace

std::string text_of(const Parts& parts) {
  return std::string(kPrefix) + parts.token_id + "_" + parts.secret;
}

Result<Parts> generate() {
  auto token_id = random_hex(kTokenIdBytes);
  if (!token_id.ok()) return token_id.error();
  auto secret = random_hex(kSecretBytes);
  if (!secret.ok()) return secret.error();
  return Parts{std::move(*token_id), std::move(*secret)};
}

std::optional<Parts> parse(std::string_view text) {
  constexpr std::size_t kIdLength = 2 * kTokenIdBytes;
  constexpr std::size_t kSecretLength = 2 * kSecretBytes;
  if (text.size() != kPrefix.size() + kIdLength + 1 + kSecretLength || text.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  const auto token_id = text.substr(kPrefix.size(), kIdLength);
  const auto separator = text[kPrefix.size() + kIdLength];
  const auto secret = text.substr(kPrefix.size() + kIdLength + 1);
  if (separator != '_' || !is_lowercase_hex(token_id) || !is_lowercase_hex(secret)) {
    return std::nullopt;
  }
  return Parts{std::string(token_id), std::string(secret)};
}

std::string hash_secret(std::string_view secret) {
  return sha256_hex(secret);
}

bool same_hash(std::string_view left, std::string_view right) {
  return !left.empty() && equal_in_constant_time(left, right);
}

}  // namespace meshctl::registry::token
