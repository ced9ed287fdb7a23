#pragma once

// Where `meshctl test` reads a port's data: a --source value or a port's location.

#include <string>
#include <string_view>

#include "meshctl/core/error.h"

namespace meshctl::quality {

enum class SourceKind { sqlite, postgresql, csv, jsonl };

struct Source {
  SourceKind kind = SourceKind::csv;
  // sqlite, csv, jsonl: the file's path. postgresql: the connection URI without its fragment.
  std::string target;
  // sqlite: the table; postgresql: SCHEMA.TABLE (or TABLE). Empty for csv and jsonl.
  std::string table;
  // The source as written, its password (if any) replaced by "***": what messages and output show.
  std::string display;
};

// One of `sqlite:PATH#TABLE`, `postgresql://...#SCHEMA.TABLE` (or `postgres://`), `csv:PATH`, `jsonl:PATH`.
// Fails with ErrorKind::invalid, listing these forms, for anything else (an s3:// location, a missing
// table). The message never holds a password.
Result<Source> parse_source(std::string_view text);

// `text` with the password of a URI's user information replaced by "***" (other text unchanged).
std::string redact_password(std::string_view text);

}  // namespace meshctl::quality
