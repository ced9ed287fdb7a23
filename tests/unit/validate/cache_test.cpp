#include "meshctl/validate/cache.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include "meshctl/validate/validator.h"
#include "registry/temporary_folder.h"

namespace fs = std::filesystem;

using meshctl::Diagnostic;
using meshctl::Position;
using meshctl::Severity;
using meshctl::registry::testing::TemporaryFolder;
using meshctl::validate::FindingsCache;
using meshctl::validate::SourceFindings;

namespace {

const auto kNow = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20'000);  // 2024-10-04

SourceFindings sample_findings() {
  SourceFindings findings;
  findings.diagnostics.push_back(
      Diagnostic{"", Position{3, 5}, Severity::error, "MESH-PII-CLASS", "spec.outputPorts[0]", "field 'a' is PII"});
  // What JSON could not carry byte for byte: bytes that are not UTF-8, a NUL, line breaks, colons.
  findings.diagnostics.push_back(Diagnostic{"", Position{}, Severity::info, "MESH-TITLE", "",
                                            std::string("bad \xff\xfe byte, NUL \0, line\nbreak: 12:34", 37)});
  findings.diagnostics.push_back(Diagnostic{"", Position{9, 1}, Severity::warning, "X", "", ""});
  findings.defined = {"sales/orders", ""};
  findings.reads.push_back(meshctl::validate::InputPortReference{Position{12, 18}, "spec.inputPorts[0].product",
                                                                 "sales", "order-events", "sales/orders", 0, "^2",
                                                                 Position{13, 18}});
  findings.reads.push_back(meshctl::validate::InputPortReference{Position{14, 18}, "spec.inputPorts[3].product",
                                                                 "sales", "refunds", "", 3, "", Position{14, 18}});
  return findings;
}

std::vector<fs::path> entry_files(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& item : fs::recursive_directory_iterator(folder)) {
    if (item.is_regular_file() && item.path().filename() != "last-prune") out.push_back(item.path());
  }
  return out;
}

std::string read_entry(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_entry(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

void set_mtime(const fs::path& path, std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  const timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

fs::path entry_path(const fs::path& folder, const meshctl::validate::CacheKey& key) {
  std::string hex;
  for (const unsigned char byte : key) hex += fmt::format("{:02x}", byte);
  return folder / hex.substr(0, 2) / hex.substr(2);
}

std::chrono::system_clock::time_point mtime(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return std::chrono::system_clock::time_point{} + std::chrono::seconds(info.st_mtim.tv_sec);
}

}  // namespace

TEST_CASE("findings survive the payload codec byte for byte", "[validate][cache]") {
  const auto findings = sample_findings();
  const auto payload = meshctl::validate::encode_findings(findings);
  const auto decoded = meshctl::validate::decode_findings(payload);
  REQUIRE(decoded);
  CHECK(*decoded == findings);
  CHECK(meshctl::validate::decode_findings(meshctl::validate::encode_findings(SourceFindings{})) == SourceFindings{});

  SECTION("anything but exactly one payload is refused") {
    for (std::size_t size = 0; size < payload.size(); ++size) {
      CHECK_FALSE(meshctl::validate::decode_findings(payload.substr(0, size)));
    }
    CHECK_FALSE(meshctl::validate::decode_findings(payload + "0 \n"));
    CHECK_FALSE(meshctl::validate::decode_findings("99999999999999999999 \n0 \n0 \n"));
    CHECK_FALSE(meshctl::validate::decode_findings("1 \n1 1 5:fatal1:X0:0:\n0 \n0 \n"));           // no such severity
    CHECK_FALSE(meshctl::validate::decode_findings("1 \n4294967296 1 5:error1:X0:0:\n0 \n0 \n"));  // line > 32 bits
  }
}

TEST_CASE("a kept entry is found under the same key only", "[validate][cache]") {
  TemporaryFolder folder;
  FindingsCache cache(folder.path() / "cache", kNow, "1.0.0");
  const auto key = cache.key("standards builtin", "apiVersion: meshctl/v1\n");
  CHECK_FALSE(cache.load(key));
  cache.store(key, sample_findings());
  const auto found = cache.load(key);
  REQUIRE(found);
  CHECK(*found == sample_findings());
  CHECK(cache.counts().hits == 1);
  CHECK(cache.counts().misses == 1);
  CHECK(cache.warnings().empty());

  SECTION("one file per key, in a fan-out folder named by the key's first two hex digits") {
    const auto files = entry_files(cache.folder());
    REQUIRE(files.size() == 1);
    CHECK(files[0].parent_path().filename().string().size() == 2);
    CHECK((files[0].parent_path().filename().string() + files[0].filename().string()).size() == 64);
    CHECK(read_entry(files[0]).starts_with("meshctl-validate-cache 3\n"));
  }
  SECTION("other bytes, another context or another meshctl miss") {
    CHECK_FALSE(cache.load(cache.key("standards builtin", "apiVersion: meshctl/v1\n ")));
    CHECK_FALSE(cache.load(cache.key("standards builtin ", "apiVersion: meshctl/v1\n")));
    FindingsCache newer(folder.path() / "cache", kNow, "1.0.1");
    CHECK(newer.key("standards builtin", "apiVersion: meshctl/v1\n") != key);
    CHECK_FALSE(newer.load(newer.key("standards builtin", "apiVersion: meshctl/v1\n")));
    CHECK(newer.warnings().empty());
  }
  SECTION("the context and the bytes cannot run into each other") {
    CHECK(cache.key("ab", "c") != cache.key("a", "bc"));
  }
}

TEST_CASE("an entry that fails a check is a miss and one warning", "[validate][cache]") {
  TemporaryFolder folder;
  FindingsCache writer(folder.path(), kNow, "1.0.0");
  const auto key = writer.key("context", "bytes");
  writer.store(key, sample_findings());
  const auto path = entry_files(folder.path()).at(0);
  const auto good = read_entry(path);

  const auto corrupted = GENERATE_COPY(
      good.substr(0, good.size() - 1),  // truncated
      good + "x",                       // longer than its header says
      std::string(),                    // empty (a crash between create and write)
      [&] {
        std::string flipped = good;  // one byte of the payload changed
        flipped[flipped.size() - 3] ^= 0x01;
        return flipped;
      }(),
      [&] {
        std::string other = good;  // another format version
        other[23] = '1';
        return other;
      }(),
      std::string("not an entry at all\n"));
  write_entry(path, corrupted);

  FindingsCache reader(folder.path(), kNow, "1.0.0");
  CHECK_FALSE(reader.load(key));
  CHECK_FALSE(reader.load(key));
  const auto warnings = reader.warnings();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("2 entries") != std::string::npos);
  CHECK(warnings[0].find(folder.path().string()) != std::string::npos);

  // Written anew by the next store, and found again.
  reader.store(key, sample_findings());
  CHECK(reader.load(key) == sample_findings());
}

TEST_CASE("an entry under another key's name is a miss", "[validate][cache]") {
  TemporaryFolder folder;
  FindingsCache cache(folder.path(), kNow, "1.0.0");
  const auto first = cache.key("context", "one");
  const auto second = cache.key("context", "two");
  cache.store(first, sample_findings());
  cache.store(second, SourceFindings{});
  auto files = entry_files(folder.path());
  REQUIRE(files.size() == 2);
  // Whichever is which, each now holds the other's entry: its header names a key that is not its own.
  const auto a = read_entry(files[0]);
  write_entry(files[0], read_entry(files[1]));
  write_entry(files[1], a);
  CHECK_FALSE(cache.load(first));
  CHECK_FALSE(cache.load(second));
  CHECK(cache.warnings().size() == 1);
}

TEST_CASE("a cache that cannot be written warns once and changes no finding", "[validate][cache]") {
  TemporaryFolder folder;
  write_entry(folder.path() / "not-a-folder", "a file where the cache's folder should be\n");
  FindingsCache cache(folder.path() / "not-a-folder", kNow, "1.0.0");
  for (int i = 0; i < 3; ++i) {
    const auto key = cache.key("context", std::to_string(i));
    CHECK_FALSE(cache.load(key));
    cache.store(key, sample_findings());
    CHECK_FALSE(cache.load(key));
  }
  const auto warnings = cache.warnings();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("cannot write") != std::string::npos);
  CHECK(warnings[0].find("Not a directory") != std::string::npos);
  cache.prune();  // nothing to prune, nothing to fail
}

TEST_CASE("several writers and readers share one folder", "[validate][cache]") {
  TemporaryFolder folder;
  constexpr int kThreads = 8;
  constexpr int kKeys = 40;
  std::vector<SourceFindings> expected(kKeys);
  for (int k = 0; k < kKeys; ++k) {
    expected[k] = sample_findings();
    expected[k].diagnostics[0].message = std::string(static_cast<std::size_t>(k) * 100, 'x');  // sizes differ
  }
  std::atomic<int> wrong{0};
  std::vector<std::unique_ptr<FindingsCache>> caches;
  for (int t = 0; t < kThreads; ++t) caches.push_back(std::make_unique<FindingsCache>(folder.path(), kNow, "1.0.0"));
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        FindingsCache& cache = *caches[static_cast<std::size_t>(t)];
        for (int round = 0; round < 20; ++round) {
          for (int k = 0; k < kKeys; ++k) {
            const auto key = cache.key("context", std::to_string(k));
            if (auto found = cache.load(key); found && *found != expected[static_cast<std::size_t>(k)]) ++wrong;
            cache.store(key, expected[static_cast<std::size_t>(k)]);
          }
        }
      });
    }
  }
  CHECK(wrong == 0);
  for (const auto& cache : caches) CHECK(cache->warnings().empty());
  CHECK(entry_files(folder.path()).size() == kKeys);  // no temporary file left behind
  FindingsCache after(folder.path(), kNow, "1.0.0");
  for (int k = 0; k < kKeys; ++k) CHECK(after.load(after.key("context", std::to_string(k))) == expected[k]);
}

TEST_CASE("entries unused for 30 days are pruned, once a day", "[validate][cache]") {
  TemporaryFolder folder;
  const auto days = [](int n) { return std::chrono::hours(24 * n); };
  FindingsCache cache(folder.path(), kNow, "1.0.0");
  const auto old_key = cache.key("context", "old");
  const auto used_key = cache.key("context", "used");
  for (const auto& key : {old_key, used_key}) cache.store(key, sample_findings());
  for (const auto& file : entry_files(folder.path())) set_mtime(file, kNow - days(40));

  // A hit refreshes the time of use of an entry older than a day (and only then: no write per hit).
  REQUIRE(cache.load(used_key));
  CHECK(mtime(entry_path(folder.path(), used_key)) == kNow);
  FindingsCache an_hour_later(folder.path(), kNow + std::chrono::hours(1), "1.0.0");
  REQUIRE(an_hour_later.load(used_key));
  CHECK(mtime(entry_path(folder.path(), used_key)) == kNow);

  const auto fan_out = entry_path(folder.path(), used_key).parent_path();
  const auto abandoned = fan_out / (std::string(62, 'a') + ".tmp.123.0");
  const auto being_written = fan_out / (std::string(62, 'b') + ".tmp.123.1");
  write_entry(abandoned, "left by a killed run");
  write_entry(being_written, "being written now");
  set_mtime(abandoned, kNow - days(2));
  set_mtime(being_written, kNow - std::chrono::minutes(1));
  for (const auto& foreign : {folder.path() / "notes.txt", fan_out / "README"}) {
    write_entry(foreign, "not meshctl's");
    set_mtime(foreign, kNow - days(400));
  }
  fs::create_directories(folder.path() / "zz");
  write_entry(folder.path() / "zz" / std::string(62, 'd'), "not in a fan-out folder");
  set_mtime(folder.path() / "zz" / std::string(62, 'd'), kNow - days(400));

  cache.prune();
  CHECK(fs::exists(entry_path(folder.path(), used_key)));
  CHECK_FALSE(fs::exists(entry_path(folder.path(), old_key)));
  CHECK_FALSE(fs::exists(abandoned));
  CHECK(fs::exists(being_written));
  CHECK(fs::exists(folder.path() / "notes.txt"));
  CHECK(fs::exists(fan_out / "README"));
  CHECK(fs::exists(folder.path() / "zz" / std::string(62, 'd')));
  CHECK(cache.warnings().empty());

  SECTION("the next prune waits a day") {
    set_mtime(entry_path(folder.path(), used_key), kNow - days(40));
    FindingsCache same_day(folder.path(), kNow + std::chrono::hours(23), "1.0.0");
    same_day.prune();
    CHECK(fs::exists(entry_path(folder.path(), used_key)));
    FindingsCache next_day(folder.path(), kNow + std::chrono::hours(25), "1.0.0");
    next_day.prune();
    CHECK_FALSE(fs::exists(entry_path(folder.path(), used_key)));
  }
}
