#include "meshctl/validate/cache.h"

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meshctl/core/digest.h"
#include "meshctl/core/file.h"

namespace meshctl::validate {

namespace fs = std::filesystem;

namespace {

// Part of every key and of every entry's first line: a new layout changes both, so an entry of
// another layout is never found, let alone read.
constexpr std::string_view kMagic = "meshctl-validate-cache 3\n";
constexpr std::size_t kHexDigits = 64;
// An entry's modification time says when it was last used; a hit refreshes it only when it is
// older than this, so that a warm run does not write to every entry it reads.
constexpr std::chrono::hours kUseResolution{24};
// Numbers the temporary files of this process (with its id, they have names no other writer uses).
std::atomic<std::uint64_t> temporary_names{0};

// Far more than the findings of the largest file validate reads; a bigger entry is not one of ours.
constexpr std::size_t kMaxEntryBytes = std::size_t{1} << 30;

std::string system_reason(int error) {
  return std::error_code(error, std::generic_category()).message();
}

timespec to_timespec(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
  const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(time - seconds);
  timespec out{};
  out.tv_sec = static_cast<time_t>(seconds.time_since_epoch().count());
  out.tv_nsec = static_cast<long>(nanoseconds.count());
  return out;
}

time_t seconds_since_epoch(std::chrono::system_clock::time_point time) {
  return static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count());
}

// Reads up to `size` bytes (fewer at end of file); false on a read error.
bool read_up_to(int fd, std::size_t size, std::string& out) {
  out.resize(size);
  std::size_t used = 0;
  while (used < size) {
    const ssize_t n = ::read(fd, out.data() + used, size - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  out.resize(used);
  return true;
}

// The payload's grammar: a number is decimal digits and a space; a text is its length in
// decimal, a colon and its bytes; each record ends with a line break (for a reader's eye only).
class PayloadWriter {
 public:
  void number(std::uint64_t value) { fmt::format_to(std::back_inserter(out_), "{} ", value); }
  void text(std::string_view value) {
    fmt::format_to(std::back_inserter(out_), "{}:", value.size());
    out_.append(value);
  }
  void end_record() { out_ += '\n'; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class PayloadReader {
 public:
  explicit PayloadReader(std::string_view in) : in_(in) {}

  bool number(std::uint64_t& value) {
    if (!digits(value) || pos_ == in_.size() || in_[pos_] != ' ') return false;
    ++pos_;
    return true;
  }
  bool number32(std::uint32_t& value) {
    std::uint64_t wide = 0;
    if (!number(wide) || wide > std::numeric_limits<std::uint32_t>::max()) return false;
    value = static_cast<std::uint32_t>(wide);
    return true;
  }
  bool text(std::string& value) {
    std::uint64_t size = 0;
    if (!digits(size) || pos_ == in_.size() || in_[pos_] != ':') return false;
    ++pos_;
    if (size > in_.size() - pos_) return false;
    value.assign(in_.substr(pos_, size));
    pos_ += size;
    return true;
  }
  bool end_record() {
    if (pos_ == in_.size() || in_[pos_] != '\n') return false;
    ++pos_;
    return true;
  }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  bool digits(std::uint64_t& value) {
    const char* begin = in_.data() + pos_;
    const auto [end, error] = std::from_chars(begin, in_.data() + in_.size(), value);
    if (error != std::errc{}) return false;
    pos_ += static_cast<std::size_t>(end - begin);
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

// The payload of a well-formed entry whose key is `hex`, or nullopt.
std::optional<std::string_view> checked_payload(std::string_view entry, std::string_view hex) {
  if (!entry.starts_with(kMagic)) return std::nullopt;
  entry.remove_prefix(kMagic.size());
  if (entry.size() < kHexDigits + 1 || entry.substr(0, kHexDigits) != hex || entry[kHexDigits] != '\n') {
    return std::nullopt;
  }
  entry.remove_prefix(kHexDigits + 1);
  std::size_t length = 0;
  const auto [end, error] = std::from_chars(entry.data(), entry.data() + entry.size(), length);
  if (error != std::errc{}) return std::nullopt;
  entry.remove_prefix(static_cast<std::size_t>(end - entry.data()));
  if (entry.size() < kHexDigits + 2 || entry[0] != ' ' || entry[kHexDigits + 1] != '\n') return std::nullopt;
  const auto checksum = entry.substr(1, kHexDigits);
  entry.remove_prefix(kHexDigits + 2);
  if (entry.size() != length || sha256_hex(entry) != checksum) return std::nullopt;
  return entry;
}

// An entry's name in its fan-out folder (the key's last 62 hex digits), or a temporary file of one.
enum class EntryFileKind { entry, temporary, other };

EntryFileKind entry_file_kind(std::string_view name) {
  constexpr std::size_t kNameDigits = kHexDigits - 2;
  if (name.size() < kNameDigits || !is_lowercase_hex(name.substr(0, kNameDigits))) return EntryFileKind::other;
  if (name.size() == kNameDigits) return EntryFileKind::entry;
  return name.substr(kNameDigits).starts_with(".tmp.") ? EntryFileKind::temporary : EntryFileKind::other;
}

}  // namespace

std::string encode_findings(const SourceFindings& findings) {
  PayloadWriter out;
  out.number(findings.diagnostics.size());
  out.end_record();
  for (const auto& d : findings.diagnostics) {
    out.number(d.position.line);
    out.number(d.position.column);
    out.text(to_string(d.severity));
    out.text(d.rule);
    out.text(d.path);
    out.text(d.message);
    out.end_record();
  }
  out.number(findings.defined.size());
  out.end_record();
  for (const auto& product : findings.defined) {
    out.text(product);
    out.end_record();
  }
  out.number(findings.reads.size());
  out.end_record();
  for (const auto& read : findings.reads) {
    out.number(read.position.line);
    out.number(read.position.column);
    out.text(read.path);
    out.text(read.domain);
    out.text(read.name);
    out.text(read.reader);
    out.number(read.index);
    out.text(read.version);
    out.number(read.version_position.line);
    out.number(read.version_position.column);
    out.end_record();
  }
  out.number(findings.terms.size());
  out.end_record();
  for (const auto& term : findings.terms) {
    out.number(term.position.line);
    out.number(term.position.column);
    out.text(term.path);
    out.text(term.term);
    out.text(term.reader);
    out.end_record();
  }
  out.number(findings.glossary.size());
  out.end_record();
  for (const auto& term : findings.glossary) {
    out.text(term.name);
    out.text(term.status);
    out.number(term.synonyms.size());
    for (const auto& synonym : term.synonyms) out.text(synonym);
    out.end_record();
  }
  return out.take();
}

std::optional<SourceFindings> decode_findings(std::string_view payload) {
  PayloadReader in(payload);
  SourceFindings findings;
  std::uint64_t count = 0;
  if (!in.number(count) || !in.end_record()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    Diagnostic d;
    std::string severity;
    if (!in.number32(d.position.line) || !in.number32(d.position.column) || !in.text(severity) || !in.text(d.rule) ||
        !in.text(d.path) || !in.text(d.message) || !in.end_record()) {
      return std::nullopt;
    }
    const auto parsed = parse_severity(severity);
    if (!parsed) return std::nullopt;
    d.severity = *parsed;
    findings.diagnostics.push_back(std::move(d));
  }
  if (!in.number(count) || !in.end_record()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string product;
    if (!in.text(product) || !in.end_record()) return std::nullopt;
    findings.defined.push_back(std::move(product));
  }
  if (!in.number(count) || !in.end_record()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    InputPortReference read;
    std::uint64_t index = 0;
    if (!in.number32(read.position.line) || !in.number32(read.position.column) || !in.text(read.path) ||
        !in.text(read.domain) || !in.text(read.name) || !in.text(read.reader) || !in.number(index) ||
        !in.text(read.version) || !in.number32(read.version_position.line) ||
        !in.number32(read.version_position.column) || !in.end_record()) {
      return std::nullopt;
    }
    read.index = static_cast<std::size_t>(index);
    findings.reads.push_back(std::move(read));
  }
  if (!in.number(count) || !in.end_record()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    TermReference term;
    if (!in.number32(term.position.line) || !in.number32(term.position.column) || !in.text(term.path) ||
        !in.text(term.term) || !in.text(term.reader) || !in.end_record()) {
      return std::nullopt;
    }
    findings.terms.push_back(std::move(term));
  }
  if (!in.number(count) || !in.end_record()) return std::nullopt;
  for (std::uint64_t i = 0; i < count; ++i) {
    DefinedTerm term;
    std::uint64_t synonyms = 0;
    if (!in.text(term.name) || !in.text(term.status) || !in.number(synonyms)) return std::nullopt;
    for (std::uint64_t j = 0; j < synonyms; ++j) {
      std::string synonym;
      if (!in.text(synonym)) return std::nullopt;
      term.synonyms.push_back(std::move(synonym));
    }
    if (!in.end_record()) return std::nullopt;
    findings.glossary.push_back(std::move(term));
  }
  if (!in.at_end()) return std::nullopt;
  return findings;
}

FindingsCache::FindingsCache(fs::path folder, std::chrono::system_clock::time_point now, std::string tool_version)
    : folder_(std::move(folder)),
      now_(now),
      key_prefix_(fmt::format("{}{}:{}\n", kMagic, tool_version.size(), tool_version)) {}

CacheKey FindingsCache::key(std::string_view context, std::string_view bytes) const {
  // The file's digest first: the bytes are hashed once, and the key's material stays small.
  const auto file_digest = sha256(bytes);
  std::string material = key_prefix_;
  fmt::format_to(std::back_inserter(material), "{}:{}\n", context.size(), context);
  material.append(reinterpret_cast<const char*>(file_digest.data()), file_digest.size());
  return sha256(material);
}

fs::path FindingsCache::entry_path(const std::string& hex) const {
  return folder_ / hex.substr(0, 2) / hex.substr(2);
}

std::optional<SourceFindings> FindingsCache::load(const CacheKey& key) {
  auto found = find(key);
  (found ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  return found;
}

std::optional<SourceFindings> FindingsCache::find(const CacheKey& key) {
  const auto name = hex(key.data(), key.size());
  FileDescriptor fd(::open(entry_path(name).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    // Not there (or no folder yet): a miss. Anything else means the cache cannot be read.
    if (errno != ENOENT && errno != ENOTDIR) note_unreadable();
    return std::nullopt;
  }
  struct stat info {};
  std::string entry;
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<std::size_t>(info.st_size) > kMaxEntryBytes ||
      !read_up_to(fd.get(), static_cast<std::size_t>(info.st_size), entry)) {
    note_unreadable();
    return std::nullopt;
  }
  const auto payload = checked_payload(entry, name);
  auto findings = payload ? decode_findings(*payload) : std::nullopt;
  if (!findings) {
    note_unreadable();
    return std::nullopt;
  }
  if (info.st_mtim.tv_sec < seconds_since_epoch(now_ - kUseResolution)) {
    const timespec used = to_timespec(now_);
    const timespec times[2] = {used, used};
    ::futimens(fd.get(), times);  // best effort: an entry that stays old is only pruned sooner
  }
  return findings;
}

void FindingsCache::store(const CacheKey& key, const SourceFindings& findings) {
  if (writes_failed_.load(std::memory_order_relaxed)) return;
  const auto name = hex(key.data(), key.size());
  const auto payload = encode_findings(findings);
  std::string entry;
  entry.reserve(kMagic.size() + 2 * kHexDigits + 24 + payload.size());
  entry += kMagic;
  entry += name;
  fmt::format_to(std::back_inserter(entry), "\n{} {}\n", payload.size(), sha256_hex(payload));
  entry += payload;

  const fs::path folder = folder_ / name.substr(0, 2);
  const fs::path temporary =
      folder / fmt::format("{}.tmp.{}.{}", name.substr(2), ::getpid(), temporary_names.fetch_add(1));
  const auto create = [&] { return ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644); };
  int created = create();
  if (created < 0 && errno == ENOENT) {
    std::error_code ignored;  // a failure shows in the second open's errno
    fs::create_directories(folder, ignored);
    created = create();
  }
  if (created < 0) {
    note_write_failure(system_reason(errno));
    return;
  }
  FileDescriptor fd(created);
  bool written = write_all(fd.get(), entry);
  int error = errno;
  if (written) {
    written = fd.close();
    error = errno;
  }
  if (!written) {
    note_write_failure(system_reason(error));
    ::unlink(temporary.c_str());
    return;
  }
  if (::rename(temporary.c_str(), entry_path(name).c_str()) != 0) {
    note_write_failure(system_reason(errno));
    ::unlink(temporary.c_str());
  }
}

void FindingsCache::prune(std::chrono::hours max_age) {
  const fs::path marker = folder_ / "last-prune";
  struct stat info {};
  if (::stat(marker.c_str(), &info) == 0 && info.st_mtim.tv_sec >= seconds_since_epoch(now_ - kUseResolution)) {
    return;
  }
  {
    // Claimed first, so that runs starting meanwhile skip the walk; a folder that is not there
    // yet (or cannot be written) has nothing to prune.
    FileDescriptor fd(::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (fd.get() < 0) return;
    const timespec used = to_timespec(now_);
    const timespec times[2] = {used, used};
    ::futimens(fd.get(), times);
  }
  const time_t unused_since = seconds_since_epoch(now_ - max_age);
  const time_t abandoned_since = seconds_since_epoch(now_ - kUseResolution);
  std::error_code ec;
  for (fs::directory_iterator fan_out(folder_, ec), end; !ec && fan_out != end; fan_out.increment(ec)) {
    const auto fan_out_name = fan_out->path().filename().string();
    if (fan_out_name.size() != 2 || !is_lowercase_hex(fan_out_name) || !fan_out->is_directory(ec)) continue;
    std::error_code inner;
    for (fs::directory_iterator file(fan_out->path(), inner); !inner && file != end; file.increment(inner)) {
      const auto kind = entry_file_kind(file->path().filename().string());
      if (kind == EntryFileKind::other || ::lstat(file->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        continue;
      }
      const time_t cut_off = kind == EntryFileKind::entry ? unused_since : abandoned_since;
      if (info.st_mtim.tv_sec < cut_off) ::unlink(file->path().c_str());
    }
  }
}

FindingsCache::Counts FindingsCache::counts() const {
  return Counts{hits_.load(), misses_.load()};
}

std::vector<std::string> FindingsCache::warnings() const {
  std::vector<std::string> out;
  if (const auto unreadable = unreadable_.load(); unreadable > 0) {
    out.push_back(
        fmt::format("{} {} of the validate cache in {} could not be read or failed a check (corrupt, "
                    "truncated or foreign): ignored, checked again and written anew",
                    unreadable, unreadable == 1 ? "entry" : "entries", folder_.string()));
  }
  std::lock_guard lock(mutex_);
  if (write_failure_) {
    out.push_back(
        fmt::format("cannot write to the validate cache in {}: {}: the findings are complete, but the "
                    "next run checks these files again",
                    folder_.string(), *write_failure_));
  }
  return out;
}

void FindingsCache::note_unreadable() {
  unreadable_.fetch_add(1, std::memory_order_relaxed);
}

void FindingsCache::note_write_failure(std::string reason) {
  writes_failed_.store(true, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  if (!write_failure_) write_failure_ = std::move(reason);
}

}  // namespace meshctl::validate
