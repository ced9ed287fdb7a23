#include "meshctl/core/file.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace meshctl {

namespace {

Error system_error(const std::filesystem::path& path, const char* what) {
  return make_error(ErrorKind::invalid, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(errno)));
}


}  // namespace

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileDescriptor::close() {
  const int fd = fd_;
  fd_ = -1;
  return ::close(fd) == 0;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Result<BoundedRead> read_file_at_most(const std::filesystem::path& path, std::size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return system_error(path, "read");
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return system_error(path, "read");
  if (S_ISDIR(info.st_mode)) {
    return make_error(ErrorKind::invalid, fmt::format("cannot read {}: it is a folder", path.string()));
  }
  BoundedRead result;
  const bool regular = S_ISREG(info.st_mode);
  if (regular && static_cast<std::size_t>(info.st_size) > max_bytes) {
    result.too_large = true;
    result.size = static_cast<std::size_t>(info.st_size);
    return result;
  }
  std::string& content = result.content;
  // A regular file is read in one go (its size plus one byte, to see the end); anything else grows.
  content.resize(regular ? static_cast<std::size_t>(info.st_size) + 1 : 4096);
  std::size_t used = 0;
  for (;;) {
    if (used == content.size()) {
      if (used > max_bytes) break;
      content.resize(std::min(content.size() * 2, max_bytes == SIZE_MAX ? max_bytes : max_bytes + 1));
    }
    const ssize_t n = ::read(fd.get(), content.data() + used, content.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return system_error(path, "read");
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) {
    return BoundedRead{{}, true, 0};
  }
  content.resize(used);
  return result;
}

Result<std::string> read_file(const std::filesystem::path& path) {
  auto read = read_file_at_most(path, SIZE_MAX);
  if (!read) return read.error();
  return std::move(read->content);
}

Status write_new_file(const std::filesystem::path& path, const std::string& content, unsigned mode) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode)));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return make_error(
          ErrorKind::conflict,
          fmt::format("{} already exists: meshctl never overwrites a file; choose another path", path.string()));
    }
    return system_error(path, "create");
  }
  if (!write_all(fd.get(), content)) return system_error(path, "write");
  return ok_status();
}

}  // namespace meshctl
