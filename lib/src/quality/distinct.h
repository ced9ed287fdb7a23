#pragma once

// Counting repeated values of a stream in bounded memory, for `unique` on files.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include "meshctl/core/error.h"

namespace meshctl::quality {

// Counts the values that repeat an earlier one (every occurrence but the first of each value). Values are
// kept as 128-bit hashes (two independent 64-bit hashes: a false repeat needs both to collide) in an open-
// addressing table of at most `memory_bytes`. When it is full, its sorted hashes are written to a temporary
// file and the table starts again empty; finish() merges those runs, so the count stays exact however many
// distinct values there are. add() reports the repeats it sees in memory: all of them until the first
// spill, only those within the table's current span after it (which only affects which rows are sampled).
class DistinctCounter {
 public:
  explicit DistinctCounter(std::size_t memory_bytes);
  ~DistinctCounter();
  DistinctCounter(const DistinctCounter&) = delete;
  DistinctCounter& operator=(const DistinctCounter&) = delete;

  // True when `value` repeats one seen before (as far as the table in memory tells). Fails with
  // ErrorKind::unavailable when a temporary file cannot be written.
  Result<bool> add(std::string_view value);
  // The number of repeats in total. Call once, after the last add().
  Result<std::int64_t> finish();

 private:
  struct Hash {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    bool operator<(const Hash& other) const { return high != other.high ? high < other.high : low < other.low; }
    bool operator==(const Hash& other) const = default;
  };
  static Hash hash_of(std::string_view value);
  void grow();
  Status spill();

  std::vector<Hash> table_;  // Hash{0, 0} marks an empty slot
  std::size_t used_ = 0;
  std::size_t max_slots_;
  std::int64_t repeats_in_memory_ = 0;
  std::vector<std::FILE*> runs_;
};

}  // namespace meshctl::quality
