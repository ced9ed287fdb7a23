// CSV and JSON Lines: read once, in blocks, each row handed to the RowChecker as it is read.
//
// CSV is parsed by libcsv (Debian's libcsv-dev): a push parser fed one block at a time, so memory holds one
// block and one record whatever the file's size. It follows RFC 4180 in strict mode: quoted fields with
// doubled quotes, delimiters and line breaks inside them, CRLF or LF; it tells an unquoted empty field (null)
// from a quoted one ("", the empty string); spaces are kept as data (RFC 4180: they are part of a field).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <csv.h>
#include <fmt/format.h>

#include "meshctl/core/file.h"
#include "quality/engines.h"
#include "quality/row_checker.h"

namespace meshctl::quality {

namespace {

constexpr std::size_t kBlock = std::size_t{1} << 18;
constexpr std::size_t kMaxLine = std::size_t{64} << 20;  // a JSON Lines line longer than this is not read

// Opens the file for reading; unavailable, naming the source, when it cannot be.
Result<int> open_source(const Source& source) {
  const int fd = ::open(source.target.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return source_unreachable(source, std::strerror(errno));
  return fd;
}

// Reads the whole file in blocks, calling `consume(data, size)` for each. Stops when it returns false.
template <typename Consume>
Status read_blocks(int fd, const Source& source, Consume&& consume) {
  std::vector<char> block(kBlock);
  while (true) {
    const ssize_t got = ::read(fd, block.data(), block.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      return source_unreachable(source, std::strerror(errno));
    }
    if (got == 0) return ok_status();
    if (!consume(block.data(), static_cast<std::size_t>(got))) return ok_status();
  }
}

std::string pass_description(const Source& source) {
  return fmt::format("one pass over {}", source.display);
}

class CsvReader {
 public:
  CsvReader(const PortPlan& plan, RowChecker& checker) : plan_(plan), checker_(checker) {
    spans_.resize(plan.fields.size());
    kinds_.resize(plan.fields.size());
    cells_.resize(plan.fields.size());
  }

  static void on_field(void* data, std::size_t length, void* self) {
    static_cast<CsvReader*>(self)->field(static_cast<const char*>(data), length);
  }
  static void on_row(int, void* self) { static_cast<CsvReader*>(self)->row(); }

  Status status() const { return status_; }
  std::int64_t records() const { return record_; }

 private:
  void field(const char* data, std::size_t length) {
    if (!header_done_) {
      std::string name(data ? data : "", data ? length : 0);
      if (header_.empty() && name.starts_with("\xEF\xBB\xBF")) name.erase(0, 3);  // a UTF-8 byte order mark
      header_.push_back(std::move(name));
      return;
    }
    if (column_ < slot_of_column_.size() && slot_of_column_[column_] >= 0) {
      const auto slot = static_cast<std::size_t>(slot_of_column_[column_]);
      kinds_[slot] = data == nullptr ? Value::Kind::null : Value::Kind::text;
      spans_[slot] = {arena_.size(), length};
      if (data != nullptr) arena_.append(data, length);
    }
    ++column_;
  }

  void row() {
    if (!status_) return;
    if (!header_done_) {
      header_done_ = true;
      slot_of_column_.assign(header_.size(), -1);
      for (std::size_t c = 0; c < header_.size(); ++c) {
        bool declared = false;
        for (std::size_t f = 0; f < plan_.fields.size(); ++f) {
          if (*plan_.fields[f]->name != header_[c]) continue;
          declared = true;
          if (std::find(slot_of_column_.begin(), slot_of_column_.end(), static_cast<int>(f)) == slot_of_column_.end()) {
            slot_of_column_[c] = static_cast<int>(f);
            checker_.mark_present(f);
          }
        }
        if (!declared) checker_.add_undeclared(header_[c]);
      }
      return;
    }
    ++record_;
    if (column_ != header_.size()) {
      checker_.add_malformed(record_, fmt::format("{} fields where the header has {}", column_, header_.size()));
    } else {
      for (std::size_t i = 0; i < cells_.size(); ++i) {
        cells_[i] = Value{kinds_[i], kinds_[i] == Value::Kind::text
                                         ? std::string_view(arena_).substr(spans_[i].first, spans_[i].second)
                                         : std::string_view{}};
      }
      status_ = checker_.add_row(cells_, record_);
    }
    column_ = 0;
    arena_.clear();
    std::fill(kinds_.begin(), kinds_.end(), Value::Kind::missing);
  }

  const PortPlan& plan_;
  RowChecker& checker_;
  bool header_done_ = false;
  std::vector<std::string> header_;
  std::vector<int> slot_of_column_;  // the field each column holds, -1 for none
  std::size_t column_ = 0;
  std::string arena_;  // the current row's declared fields, end to end
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
  std::vector<Value::Kind> kinds_;
  std::vector<Value> cells_;
  std::int64_t record_ = 0;
  Status status_ = ok_status();
};

int no_space(unsigned char) {
  return 0;
}

}  // namespace

Result<PortOutcome> scan_csv(const PortPlan& plan, const Source& source, const TestOptions& options) {
  auto fd = open_source(source);
  if (!fd) return fd.error();
  FileDescriptor file(*fd);
  RowChecker checker(plan, options, pass_description(source));
  if (auto started = checker.start(); !started) return started.error();
  CsvReader reader(plan, checker);

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
    return make_error(ErrorKind::unavailable, "cannot start the CSV parser: out of memory");
  }
  csv_set_space_func(&parser, no_space);
  bool parse_error = false;
  auto read = read_blocks(file.get(), source, [&](const char* data, std::size_t size) {
    if (csv_parse(&parser, data, size, CsvReader::on_field, CsvReader::on_row, &reader) != size) {
      parse_error = true;
      return false;
    }
    return reader.status().ok();
  });
  if (read && !parse_error && reader.status() && csv_fini(&parser, CsvReader::on_field, CsvReader::on_row, &reader) != 0) {
    parse_error = true;
  }
  if (parse_error || csv_error(&parser) != CSV_SUCCESS) {
    checker.add_malformed(reader.records() + 1,
                          fmt::format("not RFC 4180 CSV from here ({}): the rest of the file is not read",
                                      csv_strerror(csv_error(&parser))));
  }
  csv_free(&parser);
  if (!read) return read.error();
  if (!reader.status()) return reader.status().error();
  auto checks = checker.finish();
  if (!checks) return checks.error();
  return PortOutcome{PortScan{plan.name, source.display, reader.records(), pass_description(source)},
                     std::move(*checks)};
}

Result<PortOutcome> scan_jsonl(const PortPlan& plan, const Source& source, const TestOptions& options) {
  auto fd = open_source(source);
  if (!fd) return fd.error();
  FileDescriptor file(*fd);
  RowChecker checker(plan, options, pass_description(source));
  if (auto started = checker.start(); !started) return started.error();

  std::vector<Value> cells(plan.fields.size());
  std::vector<bool> present(plan.fields.size(), false);
  std::string line;
  bool skipping = false;  // inside a line longer than kMaxLine
  std::int64_t line_number = 0;
  std::int64_t records = 0;
  Status status = ok_status();

  auto handle_line = [&]() {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) return;
    ++records;
    const auto object = nlohmann::json::parse(line, nullptr, false);
    if (!object.is_object()) {
      checker.add_malformed(line_number, object.is_discarded() ? "not JSON" : "JSON, but not an object");
      return;
    }
    for (std::size_t i = 0; i < plan.fields.size(); ++i) {
      const auto found = object.find(*plan.fields[i]->name);
      if (found == object.end()) {
        cells[i] = Value{};
        continue;
      }
      if (!present[i]) {
        present[i] = true;
        checker.mark_present(i);
      }
      if (found->is_null()) {
        cells[i] = Value{Value::Kind::null, {}, nullptr};
      } else if (found->is_string()) {
        cells[i] = Value{Value::Kind::json, found->get_ref<const std::string&>(), &*found};
      } else {
        cells[i] = Value{Value::Kind::json, {}, &*found};
      }
    }
    for (const auto& [key, value] : object.items()) {
      bool declared = false;
      for (const auto* field : plan.fields) declared = declared || *field->name == key;
      if (!declared) checker.add_undeclared(key);
    }
    status = checker.add_row(cells, line_number);
  };

  auto read = read_blocks(file.get(), source, [&](const char* data, std::size_t size) {
    std::size_t start = 0;
    while (start < size && status) {
      const auto* newline = static_cast<const char*>(std::memchr(data + start, '\n', size - start));
      const std::size_t end = newline ? static_cast<std::size_t>(newline - data) : size;
      if (!skipping) {
        if (line.size() + (end - start) > kMaxLine) {
          skipping = true;
          line.clear();
        } else {
          line.append(data + start, end - start);
        }
      }
      if (newline == nullptr) break;
      if (skipping) {
        ++line_number;
        ++records;
        checker.add_malformed(line_number, fmt::format("a line longer than {} MiB", kMaxLine >> 20));
        skipping = false;
      } else {
        handle_line();
      }
      line.clear();
      start = end + 1;
    }
    return status.ok();
  });
  if (!read) return read.error();
  if (status && skipping) {
    checker.add_malformed(++line_number, fmt::format("a line longer than {} MiB", kMaxLine >> 20));
    ++records;
  } else if (status && !line.empty()) {
    handle_line();
  }
  if (!status) return status.error();
  auto checks = checker.finish();
  if (!checks) return checks.error();
  return PortOutcome{PortScan{plan.name, source.display, records, pass_description(source)}, std::move(*checks)};
}

}  // namespace meshctl::quality
