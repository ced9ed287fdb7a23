#include "quality/distinct.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <queue>

#include <fmt/format.h>

#include "meshctl/core/text.h"

namespace meshctl::quality {

namespace {

constexpr std::size_t kInitialSlots = 1024;
constexpr std::size_t kMergeBlock = 4096;  // hashes read at a time from each run

Error temporary_file_error() {
  return make_error(ErrorKind::unavailable,
                    fmt::format("cannot write a temporary file for a unique check: {}", std::strerror(errno)));
}

}  // namespace

DistinctCounter::DistinctCounter(std::size_t memory_bytes) {
  std::size_t slots = kInitialSlots;
  while (slots * 2 * sizeof(Hash) <= memory_bytes) slots *= 2;
  max_slots_ = slots;
  table_.resize(std::min(kInitialSlots, max_slots_));
}

DistinctCounter::~DistinctCounter() {
  for (auto* run : runs_) std::fclose(run);
}

DistinctCounter::Hash DistinctCounter::hash_of(std::string_view value) {
  Hash hash{std::hash<std::string_view>{}(value), fnv1a_64(value)};
  if (hash.high == 0 && hash.low == 0) hash.low = 1;  // keep {0, 0} for empty slots
  return hash;
}

void DistinctCounter::grow() {
  std::vector<Hash> old(table_.size() * 2);
  old.swap(table_);
  const std::size_t mask = table_.size() - 1;
  for (const auto& hash : old) {
    if (hash.high == 0 && hash.low == 0) continue;
    std::size_t slot = hash.low & mask;
    while (!(table_[slot].high == 0 && table_[slot].low == 0)) slot = (slot + 1) & mask;
    table_[slot] = hash;
  }
}

Status DistinctCounter::spill() {
  std::vector<Hash> sorted;
  sorted.reserve(used_);
  for (const auto& hash : table_) {
    if (!(hash.high == 0 && hash.low == 0)) sorted.push_back(hash);
  }
  std::sort(sorted.begin(), sorted.end());
  std::FILE* run = std::tmpfile();
  if (run == nullptr) return temporary_file_error();
  runs_.push_back(run);
  if (std::fwrite(sorted.data(), sizeof(Hash), sorted.size(), run) != sorted.size() || std::fflush(run) != 0) {
    return temporary_file_error();
  }
  std::rewind(run);
  std::fill(table_.begin(), table_.end(), Hash{});
  used_ = 0;
  return ok_status();
}

Result<bool> DistinctCounter::add(std::string_view value) {
  if ((used_ + 1) * 10 > table_.size() * 7) {  // load factor 0.7
    if (table_.size() < max_slots_) {
      grow();
    } else if (auto spilled = spill(); !spilled) {
      return spilled.error();
    }
  }
  const Hash hash = hash_of(value);
  const std::size_t mask = table_.size() - 1;
  std::size_t slot = hash.low & mask;
  while (!(table_[slot].high == 0 && table_[slot].low == 0)) {
    if (table_[slot] == hash) {
      ++repeats_in_memory_;
      return true;
    }
    slot = (slot + 1) & mask;
  }
  table_[slot] = hash;
  ++used_;
  return false;
}

Result<std::int64_t> DistinctCounter::finish() {
  if (runs_.empty()) return repeats_in_memory_;
  if (used_ > 0) {
    if (auto spilled = spill(); !spilled) return spilled.error();
  }
  table_ = {};
  // k-way merge of the sorted runs: a hash equal to the one before it is a repeat across runs (within a
  // run, every hash is distinct).
  struct Reader {
    std::FILE* file;
    std::vector<Hash> block;
    std::size_t next = 0;
    bool load() {
      block.resize(kMergeBlock);
      block.resize(std::fread(block.data(), sizeof(Hash), kMergeBlock, file));
      next = 0;
      return !block.empty();
    }
  };
  std::vector<Reader> readers;
  readers.reserve(runs_.size());
  for (auto* run : runs_) readers.push_back(Reader{run, {}, 0});
  auto later = [&](std::size_t a, std::size_t b) { return readers[b].block[readers[b].next] < readers[a].block[readers[a].next]; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heap(later);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    if (readers[i].load()) heap.push(i);
  }
  std::int64_t repeats = repeats_in_memory_;
  bool first = true;
  Hash previous;
  while (!heap.empty()) {
    const std::size_t i = heap.top();
    heap.pop();
    const Hash hash = readers[i].block[readers[i].next++];
    if (!first && hash == previous) ++repeats;
    first = false;
    previous = hash;
    if (readers[i].next < readers[i].block.size() || readers[i].load()) heap.push(i);
  }
  for (auto* run : runs_) {
    if (std::ferror(run)) return temporary_file_error();
  }
  return repeats;
}

}  // namespace meshctl::quality
