#include "meshctl/core/build.h"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <string_view>

#include "meshctl/core/digest.h"

namespace meshctl {
namespace {

// The NT_GNU_BUILD_ID note of the executable, the first object dl_iterate_phdr reports.
int read_build_id(dl_phdr_info* info, std::size_t /*size*/, void* data) {
  auto& id = *static_cast<std::string*>(data);
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const auto& header = info->dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    const auto* at = reinterpret_cast<const unsigned char*>(info->dlpi_addr + header.p_vaddr);  // NOLINT
    const auto* end = at + header.p_memsz;
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note{};
      std::memcpy(&note, at, sizeof note);
      const auto* name = at + sizeof note;
      const auto* desc = name + ((note.n_namesz + 3) & ~3u);
      const auto* next = desc + ((note.n_descsz + 3) & ~3u);
      if (next > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::string_view(reinterpret_cast<const char*>(name), 4) == std::string_view("GNU\0", 4)) {
        id = hex(desc, note.n_descsz);
        return 1;
      }
      at = next;
    }
  }
  return 1;  // only the executable
}

}  // namespace

const std::string& build_identity() {
  static const std::string identity = [] {
    std::string id;
    dl_iterate_phdr(read_build_id, &id);
    return id.empty() ? std::string(MESHCTL_VERSION) : std::string(MESHCTL_VERSION) + "+" + id;
  }();
  return identity;
}

}  // namespace meshctl
