#pragma once

// Credentials of a registry server: how a token is made, read
// and checked. A token is `mesh_<token id>_<secret>`: the token id (64 random
// bits, hex) is public and finds the principal; the secret (256 random bits,
// hex) is known only to its holder, and the store keeps only its SHA-256.

#include <optional>
#include <string>
#include <string_view>

#include "meshctl/core/error.h"

namespace meshctl::registry::token {

inline constexpr std::string_view kPrefix = "mesh_";
inline constexpr std::size_t kTokenIdBytes = 8;
inline constexpr std::size_t kSecretBytes = 32;

struct Parts {
  std::string token_id;  // 2 * kTokenIdBytes lowercase hex digits
  std::string secret;    // 2 * kSecretBytes lowercase hex digits
};

// The whole token as its holder presents it.
std::string text_of(const Parts& parts);

// A new token from OpenSSL's RAND_bytes. ErrorKind::unavailable when the
// random generator fails (never a weaker token).
Result<Parts> generate();

// nullopt unless `text` is exactly the format above (lowercase hex only), so a
// malformed token never reaches the store.
std::optional<Parts> parse(std::string_view text);

// SHA-256 of `secret`, as 64 lowercase hex digits.
std::string hash_secret(std::string_view secret);

// True when the two hashes are equal; the time taken does not depend on where
// they differ. False for different lengths or empty hashes.
bool same_hash(std::string_view left, std::string_view right);

}  // namespace meshctl::registry::token
