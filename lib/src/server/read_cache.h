#pragma once

// What the server remembers between requests, private to lib/src/server: the
// answers of read routes and the principals of tokens, each valid until the
// store's data changes (in this process or any other).
//
// Why that is exact, not a time-to-live. A ChangeWatcher gives each request,
// before it reads anything, the generation it runs in: the watcher's own store
// connection is asked whether data changed (Store::changed_since_last_call) by
// a check that began after the request arrived, and a change starts a new
// generation. Then:
//   - an answer is stored under the generation given *before* its read
//     transaction began, so its snapshot includes every commit seen by then;
//   - a commit that lands after that snapshot is seen by the next check, and
//     every request arriving after the commit waits for a check that began
//     after it: from then on the older generation, and its answers, are never
//     used.
// So a request never gets an answer older than the commits that finished
// before it arrived.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "meshctl/core/error.h"
#include "meshctl/server/server.h"
#include "meshctl/store/store.h"

namespace meshctl::server {

// Concurrent requests share one check when it began after they all arrived,
// so under load a check serves several requests. A check that fails drops
// the watcher's connection; the next one opens a new connection, whose first
// check counts as a change. Thread-safe.
class ChangeWatcher {
 public:
  // `open`: a connection of the watcher's own, used only for the checks.
  explicit ChangeWatcher(StoreOpener open) : open_(std::move(open)) {}

  // The generation of a request arriving now; the store's error when the check fails.
  Result<std::uint64_t> generation() {
    const auto arrived = checks_started_.load();
    std::lock_guard lock(mutex_);
    if (last_check_ > arrived) return generation_;  // that check began after this request arrived
    const auto check = ++checks_started_;
    if (!store_) {
      auto opened = open_();
      if (!opened) return opened.error();
      store_ = std::move(*opened);
    }
    auto changed = store_->changed_since_last_call();
    if (!changed) {
      store_.reset();
      return changed.error();
    }
    if (*changed) ++generation_;
    last_check_ = check;
    return generation_;
  }

 private:
  StoreOpener open_;
  std::unique_ptr<registry::Store> store_;
  std::atomic<std::uint64_t> checks_started_{0};
  std::mutex mutex_;
  std::uint64_t last_check_ = 0;  // the number of the last finished check
  std::uint64_t generation_ = 0;
};

// Values by key, each valid for one generation, within a memory budget: when
// a value does not fit its shard, the shard is emptied first (cheap, and the
// next reads fill it again). A budget of 0 keeps nothing. A shard keeps only
// values of the newest generation it has seen: once a request of a newer one
// arrives, older values can serve no request arriving later, so they are
// dropped at once rather than when their key is next read; under steady writes
// the memory used is that of one generation's reads, not the budget.
// Thread-safe.
template <typename Value>
class GenerationCache {
 public:
  explicit GenerationCache(std::size_t max_bytes) : shard_budget_(max_bytes / kShards) {}

  std::optional<Value> find(const std::string& key, std::uint64_t generation) {
    auto& shard = shard_of(key);
    std::lock_guard lock(shard.mutex);
    advance(shard, generation);
    const auto found = shard.entries.find(key);
    if (found == shard.entries.end() || found->second.generation != generation) return std::nullopt;
    return found->second.value;
  }

  // What the kept values hold, by the count `put` was given.
  std::size_t bytes() {
    std::size_t total = 0;
    for (auto& shard : shards_) {
      std::lock_guard lock(shard.mutex);
      total += shard.bytes;
    }
    return total;
  }

  // `bytes`: what the value holds, beyond the key.
  void put(const std::string& key, std::uint64_t generation, Value value, std::size_t bytes) {
    bytes += key.size() + kEntryOverhead;
    if (bytes > shard_budget_) return;
    auto& shard = shard_of(key);
    std::lock_guard lock(shard.mutex);
    advance(shard, generation);
    if (generation < shard.newest) return;  // a slower request of an older generation: no later request needs it
    if (const auto found = shard.entries.find(key); found != shard.entries.end()) {
      shard.bytes -= found->second.bytes;
      shard.entries.erase(found);
    }
    if (shard.bytes + bytes > shard_budget_) {
      shard.entries.clear();
      shard.bytes = 0;
    }
    shard.entries.emplace(key, Entry{generation, std::move(value), bytes});
    shard.bytes += bytes;
  }

 private:
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kEntryOverhead = 96;  // the map node, the key's and the entry's headers

  struct Entry {
    std::uint64_t generation;
    Value value;
    std::size_t bytes;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::size_t bytes = 0;
    std::uint64_t newest = 0;  // the newest generation of a request seen; every entry is of it
  };

  // A request of a newer generation than the shard's: every value kept is outdated for good.
  static void advance(Shard& shard, std::uint64_t generation) {
    if (generation <= shard.newest) return;
    shard.entries.clear();
    shard.bytes = 0;
    shard.newest = generation;
  }

  Shard& shard_of(const std::string& key) { return shards_[std::hash<std::string>{}(key) % kShards]; }

  std::size_t shard_budget_;
  std::array<Shard, kShards> shards_;
};

}  // namespace meshctl::server
