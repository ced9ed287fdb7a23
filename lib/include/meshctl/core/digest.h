#pragma once

#include <array>
#include <string>
#include <string_view>

namespace meshctl {

// The SHA-256 digest of `data` (GNU Nettle's). Never fails.
std::array<unsigned char, 32> sha256(std::string_view data);

// The same digest as 64 lowercase hexadecimal digits.
std::string sha256_hex(std::string_view data);

}  // namespace meshctl
