#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::validate {

// Whether `path` ('/'-separated) matches the glob `pattern`: `*` and `?` match within one path
// component, `[abc]`, `[a-z]` and `[!a]` one character of a set, `**` any number of components
// (`**/x` also matches `x`, `a/**` everything under `a`), and `\` escapes the character after it.
bool glob_match(std::string_view pattern, std::string_view path);

// Which paths of a folder being walked are left out: the --exclude patterns and the lines of the
// .meshctlignore files found on the way, a subset of .gitignore. A pattern without a '/' (apart
// from a trailing one) matches a file or folder's name at any depth below the folder that gave it;
// one with a '/' matches the path relative to that folder (a leading '/' is dropped). A trailing
// '/' matches folders only; `!` before a pattern takes back what earlier patterns left out, except
// inside a folder already left out (its contents are never read); the last matching pattern
// decides. Blank lines and lines starting with `#` are ignored.
class PathFilter {
 public:
  // A pattern that applies below the folder at `base` (relative to the walked folder, "" for itself).
  void add(std::string_view pattern, std::string_view base = "");
  // Each line of a .meshctlignore file found in the folder at `base`.
  void add_lines(std::string_view text, std::string_view base);

  // `relative_path`: relative to the walked folder.
  bool excluded(std::string_view relative_path, bool is_folder) const;

  // How many patterns it holds; truncate(n) drops those added after size() was n (leaving a folder).
  std::size_t size() const { return patterns_.size(); }
  void truncate(std::size_t n) { patterns_.resize(n); }

 private:
  struct Pattern {
    std::string glob;
    std::string base;  // "" or "a/b/"
    bool negated = false;
    bool folders_only = false;
    bool anchored = false;  // matched against the whole path below `base`, not the name
  };
  std::vector<Pattern> patterns_;
};

}  // namespace meshctl::validate
