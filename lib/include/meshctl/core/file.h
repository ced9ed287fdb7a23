#pragma once

#include <filesystem>
#include <string>

#include "meshctl/core/error.h"

namespace meshctl {

// The whole content of a file. Fails with ErrorKind::invalid (naming the path
// and the system's reason) when it cannot be opened or read.
Result<std::string> read_file(const std::filesystem::path& path);

// Writes `content` to `path` only if nothing is there yet (O_EXCL): never
// overwrites. `mode` is the new file's permission bits (less the umask).
// Fails with ErrorKind::conflict when the file exists, invalid otherwise.
Status write_new_file(const std::filesystem::path& path, const std::string& content, unsigned mode = 0644);

}  // namespace meshctl
