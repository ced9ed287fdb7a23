#pragma once

// `validate --cache`: what checking one file found, kept on disk under a key made of everything
// that decides it, so that a run over unchanged files reads small entries instead of parsing YAML.
//
// An entry is one file, FOLDER/ab/cdef... (the key's 64 hex digits split after two, so that no
// folder holds more than a 256th of the entries):
//
//   meshctl-validate-cache 1\n          the format and its version
//   <the key, 64 hex digits>\n          the full key, checked against the one asked for
//   <length> <SHA-256 of the payload>\n
//   <payload>                           the findings and input ports, without the file's name
//                                       (encode_findings: length-prefixed, byte for byte)
//
// An entry is written to a temporary file in its folder and renamed over its name, so concurrent
// runs share a folder and a reader sees a whole entry or none. An entry that fails any check of its
// header, length or checksum is a miss (and a warning), never a finding. Entries not used for
// kMaxUnusedAge are removed by prune(); deleting the whole folder at any time is safe.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meshctl/core/build.h"
#include "meshctl/core/diagnostic.h"
#include "meshctl/validate/validator.h"

namespace meshctl::validate {

// What checking one file yields, without the file's name: it is given back on a hit, so two copies
// of a file share an entry.
struct SourceFindings {
  std::vector<Diagnostic> diagnostics;    // `file` empty; in diagnostic_less order
  std::vector<std::string> defined;       // as SourceInputs::defined
  std::vector<InputPortReference> reads;  // as SourceInputs::reads
  std::vector<TermReference> terms;       // as SourceInputs::terms
  std::vector<DefinedTerm> glossary;      // as SourceInputs::glossary
  friend bool operator==(const SourceFindings&, const SourceFindings&) = default;
};

// SHA-256 over the cache format's version, meshctl's version, the check's context and the file's bytes.
using CacheKey = std::array<unsigned char, 32>;

// An entry unused for this long is removed by FindingsCache::prune.
inline constexpr std::chrono::hours kMaxUnusedAge{24 * 30};

class FindingsCache {
 public:
  // `folder` holds the entries; it is created when the first entry is written. `now` dates the
  // use of entries (and prune's cut-off). `tool_version` is part of every key: a new meshctl
  // never reads another build's findings. Default: build_identity() (meshctl/core/build.h),
  // so a rebuild with other rules re-checks every file even when the version is the same.
  FindingsCache(std::filesystem::path folder, std::chrono::system_clock::time_point now,
                std::string tool_version = build_identity());

  const std::filesystem::path& folder() const { return folder_; }

  // The key of a file whose bytes are `bytes`, checked in `context`: everything else that decides
  // its findings (which standards, by content; the load limits), as the caller spells it.
  CacheKey key(std::string_view context, std::string_view bytes) const;

  // The findings kept under `key`, or nullopt: none kept, or an entry that fails a check (counted
  // for warnings()). Safe to call from several threads at once.
  std::optional<SourceFindings> load(const CacheKey& key);

  // Keeps `findings` under `key`, replacing what is there. A failure is not returned: the first
  // one is kept for warnings() and later writes are skipped. Safe to call from several threads.
  void store(const CacheKey& key, const SourceFindings& findings);

  // Removes the entries not used for `max_age`, and temporary files a killed run left behind, at
  // most once a day (a file `last-prune` in the folder remembers when). Only names that entries
  // and their temporary files have are removed: nothing else in the folder is touched.
  void prune(std::chrono::hours max_age = kMaxUnusedAge);

  struct Counts {
    std::size_t hits = 0;
    std::size_t misses = 0;  // nothing kept, or an entry that failed a check
  };
  // How the loads so far went.
  Counts counts() const;

  // What went wrong, one sentence per kind of problem however many files it hit: entries that
  // could not be read or failed a check, and the first failure to write. Empty when nothing did.
  std::vector<std::string> warnings() const;

 private:
  std::optional<SourceFindings> find(const CacheKey& key);
  std::filesystem::path entry_path(const std::string& hex) const;
  void note_unreadable();
  void note_write_failure(std::string reason);

  std::filesystem::path folder_;
  std::chrono::system_clock::time_point now_;
  std::string key_prefix_;  // the format's and meshctl's versions, as key() hashes them
  std::atomic<std::size_t> hits_{0};
  std::atomic<std::size_t> misses_{0};
  std::atomic<std::size_t> unreadable_{0};
  std::atomic<bool> writes_failed_{false};
  mutable std::mutex mutex_;
  std::optional<std::string> write_failure_;  // guarded by mutex_
};

// The payload of an entry, and back. Numbers in decimal and strings as `<length>:<bytes>`, so any
// byte survives (a message may quote a file's bytes that are not UTF-8, which JSON would replace).
// decode_findings returns nullopt for text that is not exactly one such payload.
std::string encode_findings(const SourceFindings& findings);
std::optional<SourceFindings> decode_findings(std::string_view payload);

}  // namespace meshctl::validate
