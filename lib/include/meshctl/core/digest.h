#pragma once

// SHA-256 (GNU Nettle), and bytes from the kernel's random generator.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace meshctl {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view bytes);
// Lowercase hexadecimal, 64 characters.
std::string sha256_hex(std::string_view bytes);

// Lowercase hexadecimal of `size` bytes.
std::string hex(const unsigned char* bytes, std::size_t size);
// Whether `text` is made of lowercase hexadecimal digits only (true when empty).
bool is_lowercase_hex(std::string_view text);

// Whether two texts are equal, in a time that depends on their length only.
bool equal_in_constant_time(std::string_view left, std::string_view right);

// `count` bytes from getrandom(2), as lowercase hexadecimal; nullopt when the
// kernel cannot give them. REQUIRES: count <= 256.
std::optional<std::string> random_hex(std::size_t count);

}  // namespace meshctl
