#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "meshctl/core/error.h"

namespace meshctl {

// The whole content of a file. Fails with ErrorKind::invalid (naming the path
// and the system's reason) when it cannot be opened or read.
Result<std::string> read_file(const std::filesystem::path& path);

// What read_file_at_most found: the content, or that the file holds more than the limit.
struct BoundedRead {
  std::string content;
  bool too_large = false;   // content is empty, nothing past the limit was read
  std::size_t size = 0;     // the file's size when too_large and the size is known (a regular file), else 0
};

// Like read_file, but reads at most `max_bytes` (plus one byte to see the end): a regular file larger than
// the limit is not read at all, a device or a pipe that never ends is read only up to the limit.
Result<BoundedRead> read_file_at_most(const std::filesystem::path& path, std::size_t max_bytes);

// Writes `content` to `path` only if nothing is there yet (O_EXCL): never
// overwrites. `mode` is the new file's permission bits (less the umask).
// Fails with ErrorKind::conflict when the file exists, invalid otherwise.
Status write_new_file(const std::filesystem::path& path, const std::string& content, unsigned mode = 0644);

// Owns a file descriptor: closes it when destroyed.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  // Closes now, reporting the error close(2) may be the first to see (a full disk on NFS).
  bool close();

 private:
  int fd_;
};

// Writes all of `data` to `fd`, retrying after interruptions. False on an error (errno says which).
bool write_all(int fd, std::string_view data);

}  // namespace meshctl
