#include "meshctl/core/digest.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <nettle/memops.h>
#include <nettle/sha2.h>

namespace meshctl {

Sha256 sha256(std::string_view bytes) {
  sha256_ctx context{};
  sha256_init(&context);
  sha256_update(&context, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));  // NOLINT: bytes
  Sha256 digest{};
  sha256_digest(&context, digest.size(), digest.data());
  return digest;
}

std::string sha256_hex(std::string_view bytes) {
  const auto digest = sha256(bytes);
  return hex(digest.data(), digest.size());
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return text;
}

bool is_lowercase_hex(std::string_view text) {
  return text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool equal_in_constant_time(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  return nettle_memeql_sec(left.data(), right.data(), left.size()) != 0;
}

std::optional<std::string> random_hex(std::size_t count) {
  std::array<unsigned char, 256> buffer{};
  if (count > buffer.size()) return std::nullopt;
  std::size_t filled = 0;
  while (filled < count) {
    const auto got = ::getrandom(buffer.data() + filled, count - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    filled += static_cast<std::size_t>(got);
  }
  auto text = hex(buffer.data(), count);
  explicit_bzero(buffer.data(), buffer.size());  // the bytes may be a secret: not left on the stack
  return text;
}

}  // namespace meshctl
