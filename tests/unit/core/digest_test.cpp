#include "meshctl/core/digest.h"

#include <string>

#include <catch2/catch.hpp>

TEST_CASE("sha256 gives the FIPS 180-2 digests", "[core][digest]") {
  CHECK(meshctl::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(meshctl::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(meshctl::sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  const auto digest = meshctl::sha256("abc");
  CHECK(digest[0] == 0xba);
  CHECK(digest[31] == 0xad);
}

TEST_CASE("sha256 reads every byte, NUL included", "[core][digest]") {
  CHECK(meshctl::sha256(std::string("a\0b", 3)) != meshctl::sha256("a"));
  CHECK(meshctl::sha256(std::string("a\0b", 3)) != meshctl::sha256(std::string("a\0c", 3)));
}
