// The only file that knows libyaml: it turns libyaml's parse events into
// TreeBuilder calls. Replacing the parser means replacing this file.
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <yaml.h>

#include "meshctl/core/text.h"
#include "meshctl/yaml/header.h"
#include "tree_builder.h"

namespace meshctl::yaml::detail {

namespace {

Position to_position(const yaml_mark_t& mark) {
  return Position{static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1)};
}

// The line and column of byte `offset` of `text`, counted as the loader counts them.
Position position_at(std::string_view text, std::size_t offset) {
  Position position{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++position.line;
      position.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != '\r') {
      ++position.column;
    }
  }
  return position;
}

std::string utf8_of(char32_t code_point) {  // REQUIRES: code_point >= 0x10000
  return {static_cast<char>(0xF0 | (code_point >> 18)), static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)),
          static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)), static_cast<char>(0x80 | (code_point & 0x3F))};
}

// YAML 1.2 reads NEL (U+0085), LS (U+2028) and PS (U+2029) as ordinary characters. libyaml follows
// YAML 1.1, where they break lines: a plain scalar would end at one (`description: a<LS>b` in a
// nested mapping becomes a syntax error), and every line after it would be numbered differently
// than the loader numbers it. So libyaml reads a copy of the text in which each of them is a
// private-use character (plane 15) found nowhere in the file, not even as a \U escape, and the
// scalars it returns get the original characters back. Columns count characters: they do not move.
class Yaml11LineBreaks {
 public:
  // nullopt when `text` has none of those characters, or (a file made to) holds every candidate
  // stand-in: libyaml then reads `text` as it is.
  static std::optional<Yaml11LineBreaks> replace_in(std::string_view text) {
    std::vector<std::string> originals;
    for (const char* character : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
      if (text.find(character) != std::string_view::npos) originals.emplace_back(character);
    }
    if (originals.empty()) return std::nullopt;
    std::vector<bool> taken(0x10000);  // the plane-15 code points in the file, raw or escaped
    for (std::size_t i = text.find('\xF3'); i != std::string_view::npos; i = text.find('\xF3', i + 1)) {
      if (auto character = decode_utf8(text, i); character && character->code_point >> 16 == 0xF) {
        taken[character->code_point & 0xFFFF] = true;
      }
    }
    for (std::size_t i = text.find("\\U"); i != std::string_view::npos; i = text.find("\\U", i + 1)) {
      const std::string digits(text.substr(i + 2, 8));
      if (digits.size() != 8 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) continue;
      const auto code_point = std::stoul(digits, nullptr, 16);
      if (code_point >> 16 == 0xF) taken[code_point & 0xFFFF] = true;
    }
    Yaml11LineBreaks breaks;
    std::size_t low = 0;
    for (const auto& original : originals) {
      while (low < 0xFFFE && taken[low]) ++low;
      if (low == 0xFFFE) return std::nullopt;
      breaks.pairs_.push_back({utf8_of(0xF0000 + static_cast<char32_t>(low++)), original});
    }
    breaks.text_ = text;
    for (const auto& [stand_in, original] : breaks.pairs_) replace_all(breaks.text_, original, stand_in);
    return breaks;
  }

  const std::string& text() const { return text_; }

  // `value` as the file wrote it.
  std::string restore(std::string_view value) const {
    std::string restored(value);
    if (value.find('\xF3') == std::string_view::npos) return restored;
    for (const auto& [stand_in, original] : pairs_) replace_all(restored, stand_in, original);
    return restored;
  }

 private:
  static void replace_all(std::string& text, const std::string& from, const std::string& to) {
    std::string replaced;
    replaced.reserve(text.size());
    std::size_t start = 0;
    for (std::size_t i = text.find(from); i != std::string::npos; i = text.find(from, start)) {
      replaced.append(text, start, i - start).append(to);
      start = i + from.size();
    }
    replaced.append(text, start);
    text = std::move(replaced);
  }

  struct Pair {
    std::string stand_in;
    std::string original;
  };
  std::vector<Pair> pairs_;
  std::string text_;
};

// libyaml's parser and its current event, released however parsing ends.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    if (yaml_parser_initialize(&parser_) == 0) throw std::bad_alloc();
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~Parser() {
    release_event();
    yaml_parser_delete(&parser_);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // The next event; nullptr when the text is malformed (see parser()).
  const yaml_event_t* next() {
    release_event();
    if (yaml_parser_parse(&parser_, &event_) == 0) return nullptr;
    has_event_ = true;
    return &event_;
  }
  const yaml_parser_t& parser() const { return parser_; }

 private:
  void release_event() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = false;
  }

  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool has_event_ = false;
};

// libyaml's problem, with what it was reading and where that began when that is elsewhere:
// "did not find expected ',' or ']' (while parsing a flow sequence that starts at line 4, column 7)".
LoadAbort syntax_error(const yaml_parser_t& parser, std::string_view text) {
  if (parser.error == YAML_MEMORY_ERROR) {
    return LoadAbort{to_position(parser.mark), "MESH-YAML-LIMIT", "the YAML parser ran out of memory"};
  }
  std::string message = parser.problem != nullptr ? parser.problem : "the YAML cannot be read here";
  // A reader's problem has a byte offset only. The loader refuses first what libyaml's reader
  // refuses, so it is not expected here.
  const Position position =
      parser.error == YAML_READER_ERROR ? position_at(text, parser.problem_offset) : to_position(parser.problem_mark);
  if (parser.context != nullptr) {
    const Position context = to_position(parser.context_mark);
    message += context == position ? fmt::format(" ({})", parser.context)
                                   : fmt::format(" ({} that starts at line {}, column {})", parser.context,
                                                 context.line, context.column);
  }
  return LoadAbort{position, "MESH-YAML-SYNTAX", std::move(message)};
}

// A plain `~`, `null`, `Null` or `NULL` without a tag is a null node, which has no text in the tree.
bool is_null_word(std::string_view text) {
  return text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// Turns libyaml's anchor names into the builder's anchor ids (1, 2, ... per document; a name
// defined again names the new node from there on).
class Anchors {
 public:
  void clear() {
    ids_.clear();
    next_id_ = 1;
  }
  // 0 for no anchor.
  std::size_t define(const yaml_char_t* name) {
    if (name == nullptr) return 0;
    ids_[reinterpret_cast<const char*>(name)] = next_id_;
    return next_id_++;
  }
  std::optional<std::size_t> find(const yaml_char_t* name) const {
    const auto it = ids_.find(reinterpret_cast<const char*>(name));
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::unordered_map<std::string, std::size_t> ids_;
  std::size_t next_id_ = 1;
};

void feed_scalar(const yaml_event_t& event, TreeBuilder& builder, Anchors& anchors,
                 const std::optional<Yaml11LineBreaks>& breaks) {
  const auto& scalar = event.data.scalar;
  const Position position = to_position(event.start_mark);
  const std::size_t anchor = anchors.define(scalar.anchor);
  const std::string_view tag = scalar.tag != nullptr ? reinterpret_cast<const char*>(scalar.tag) : "";
  std::string_view value(reinterpret_cast<const char*>(scalar.value), scalar.length);
  std::string restored;
  if (breaks) {
    restored = breaks->restore(value);
    value = restored;
  }
  // Only a plain scalar with no tag resolves by its text; `! text` is a string, like a quoted one.
  const bool plain = scalar.tag == nullptr && scalar.style == YAML_PLAIN_SCALAR_STYLE;
  if (plain && value.empty()) {
    if (anchor == 0) {
      builder.empty_value(position);
    } else {
      builder.null_value(position, anchor);
    }
  } else if (plain && is_null_word(value)) {
    builder.null_value(position, anchor);
  } else {
    builder.scalar(position, value, plain ? ScalarStyle::plain : ScalarStyle::quoted, tag == "!" ? "" : tag, anchor);
  }
}

// Where a document begins: its `---` when it has one (the event starts at the directives before
// it, if any), else its first token.
Position document_start(const yaml_event_t& event) {
  if (event.data.document_start.implicit != 0) return to_position(event.start_mark);
  Position separator = to_position(event.end_mark);
  separator.column -= 3;  // `---`, always three characters, ends the event
  return separator;
}

}  // namespace

std::optional<LoadAbort> parse_with_libyaml(std::string_view text, TreeBuilder& builder) {
  const auto breaks = Yaml11LineBreaks::replace_in(text);
  if (breaks) text = breaks->text();
  Parser parser(text);
  Anchors anchors;
  while (const yaml_event_t* event = parser.next()) {
    const Position position = to_position(event->start_mark);
    switch (event->type) {
      case YAML_STREAM_END_EVENT: return std::nullopt;
      case YAML_DOCUMENT_START_EVENT:
        anchors.clear();  // an alias names an anchor of its own document only
        builder.begin_document(document_start(*event));
        break;
      case YAML_DOCUMENT_END_EVENT: builder.end_document(); break;
      case YAML_SCALAR_EVENT: feed_scalar(*event, builder, anchors, breaks); break;
      case YAML_ALIAS_EVENT:
        if (const auto anchor = anchors.find(event->data.alias.anchor)) {
          builder.alias(position, *anchor);
        } else {
          const std::string name = reinterpret_cast<const char*>(event->data.alias.anchor);
          return LoadAbort{position, "MESH-YAML-SYNTAX",
                           fmt::format("the alias *{} names no anchor before it in this document: write &{} on "
                                       "the node it stands for, above the alias",
                                       name, name)};
        }
        break;
      case YAML_SEQUENCE_START_EVENT:
        builder.begin_sequence(position, anchors.define(event->data.sequence_start.anchor));
        break;
      case YAML_SEQUENCE_END_EVENT: builder.end_sequence(); break;
      case YAML_MAPPING_START_EVENT:
        builder.begin_mapping(position, anchors.define(event->data.mapping_start.anchor));
        break;
      case YAML_MAPPING_END_EVENT: builder.end_mapping(); break;
      case YAML_STREAM_START_EVENT:
      case YAML_NO_EVENT: break;
    }
  }
  return syntax_error(parser.parser(), text);
}

}  // namespace meshctl::yaml::detail

namespace meshctl::yaml {

DocumentHeader peek_header(std::string_view text) {
  DocumentHeader header;
  detail::Parser parser(text);
  std::size_t depth = 0;                           // 1 inside the top-level mapping
  bool expecting_key = true;                       // at depth 1: the next node is a key (else its value)
  std::optional<std::string>* value_of = nullptr;  // the header field the next value fills
  while (const yaml_event_t* event = parser.next()) {
    switch (event->type) {
      case YAML_STREAM_START_EVENT:
      case YAML_DOCUMENT_START_EVENT:
      case YAML_NO_EVENT: continue;
      case YAML_STREAM_END_EVENT:
      case YAML_DOCUMENT_END_EVENT: return header;
      case YAML_MAPPING_START_EVENT:
      case YAML_SEQUENCE_START_EVENT:
        if (depth == 0 && event->type == YAML_SEQUENCE_START_EVENT) return header;
        if (depth == 1) {
          value_of = nullptr;
          expecting_key = !expecting_key;
        }
        ++depth;
        continue;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        if (--depth == 0) return header;
        continue;
      case YAML_SCALAR_EVENT:
      case YAML_ALIAS_EVENT:
        if (depth == 0) return header;  // a scalar document
        if (depth > 1) continue;
        if (expecting_key) {
          value_of = nullptr;
          if (event->type == YAML_SCALAR_EVENT) {
            const std::string_view key(reinterpret_cast<const char*>(event->data.scalar.value),
                                       event->data.scalar.length);
            if (key == "apiVersion") value_of = &header.api_version;
            if (key == "kind") value_of = &header.kind;
          }
        } else if (value_of != nullptr && event->type == YAML_SCALAR_EVENT) {
          *value_of = std::string(reinterpret_cast<const char*>(event->data.scalar.value), event->data.scalar.length);
          if (header.api_version && header.kind) return header;
        }
        expecting_key = !expecting_key;
        continue;
    }
  }
  header.malformed = true;
  return header;
}

}  // namespace meshctl::yaml
