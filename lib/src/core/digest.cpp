#include "meshctl/core/digest.h"

#include <cstdint>

#include <nettle/sha2.h>

namespace meshctl {

static_assert(SHA256_DIGEST_SIZE == 32);

std::array<unsigned char, 32> sha256(std::string_view data) {
  sha256_ctx context{};
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<unsigned char, 32> digest{};
  sha256_digest(&context, digest.size(), digest.data());
  return digest;
}

std::string sha256_hex(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const auto digest = sha256(data);
  std::string hex(digest.size() * 2, '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kDigits[digest[i] >> 4];
    hex[2 * i + 1] = kDigits[digest[i] & 0x0F];
  }
  return hex;
}

}  // namespace meshctl
