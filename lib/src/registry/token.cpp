#include "meshctl/registry/token.h"

#include <array>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace meshctl::registry::token {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string hex_of(const unsigned char* bytes, std::size_t size) {
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kHexDigits[bytes[i] >> 4]);
    text.push_back(kHexDigits[bytes[i] & 0x0f]);
  }
  return text;
}

Result<std::string> random_hex(std::size_t bytes) {
  std::array<unsigned char, 64> buffer{};
  if (bytes > buffer.size() || RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
    return make_error(ErrorKind::unavailable, "the system's random generator failed: no token was created");
  }
  auto text = hex_of(buffer.data(), bytes);
  OPENSSL_cleanse(buffer.data(), buffer.size());
  return text;
}

bool is_lowercase_hex(std::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
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
  if (separator != '_' || !is_lowercase_hex(token_id, kIdLength) || !is_lowercase_hex(secret, kSecretLength)) {
    return std::nullopt;
  }
  return Parts{std::string(token_id), std::string(secret)};
}

std::string hash_secret(std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  // EVP_Digest with SHA-256 cannot fail on in-memory input short of memory exhaustion;
  // an empty hash then matches no stored one.
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  // Fetched once: EVP_sha256() looks the algorithm up in OpenSSL 3's provider
  // tables (under a lock) on every digest, which was most of a server
  // request's authentication.
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const EVP_MD* sha256 = fetched != nullptr ? fetched : EVP_sha256();
#else
  const EVP_MD* sha256 = EVP_sha256();
#endif
  if (EVP_Digest(secret.data(), secret.size(), digest.data(), &size, sha256, nullptr) != 1) return {};
  return hex_of(digest.data(), size);
}

bool same_hash(std::string_view left, std::string_view right) {
  if (left.size() != right.size() || left.empty()) return false;
  return CRYPTO_memcmp(left.data(), right.data(), left.size()) == 0;
}

}  // namespace meshctl::registry::token
