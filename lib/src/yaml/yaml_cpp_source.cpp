// The only file that knows yaml-cpp: it turns yaml-cpp's parse events into
// TreeBuilder calls. Replacing the parser (libyaml, say) means replacing this file.
#include <istream>
#include <optional>
#include <streambuf>
#include <string>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "meshctl/core/text.h"
#include "tree_builder.h"

namespace meshctl::yaml::detail {

namespace {

Position to_position(const YAML::Mark& mark) {
  if (mark.is_null()) return Position{};
  return Position{static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1)};
}

// yaml-cpp decodes the escapes \N (U+0085) and \_ (U+00A0) to the single bytes
// 0x85 and 0xA0 instead of their UTF-8 forms. The input is valid UTF-8 and every
// other escape comes out as UTF-8, so a lone 0x85 or 0xA0 can only be one of those.
std::string repair_nel_and_nbsp(const std::string& value) {
  if (!first_invalid_utf8(value)) return value;
  std::string repaired;
  repaired.reserve(value.size() + 4);
  std::size_t offset = 0;
  while (offset < value.size()) {
    if (const auto character = decode_utf8(value, offset)) {
      repaired.append(value, offset, character->length);
      offset += character->length;
      continue;
    }
    const auto byte = static_cast<unsigned char>(value[offset]);
    if (byte == 0x85 || byte == 0xA0) repaired += static_cast<char>(0xC2);
    repaired += value[offset];  // anything else stays, for the tree builder to refuse
    ++offset;
  }
  return repaired;
}

// YAML allows a carriage return alone as a line break; yaml-cpp does not, and
// reads such a file as one line. Turning each lone CR into LF keeps every byte
// offset, line and column, and means the same to YAML (line breaks in scalars
// are normalized to LF).
std::optional<std::string> lone_carriage_returns_as_line_feeds(std::string_view text) {
  std::optional<std::string> normalized;
  for (std::size_t i = text.find('\r'); i != std::string_view::npos; i = text.find('\r', i + 1)) {
    if (i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (!normalized) normalized.emplace(text);
    (*normalized)[i] = '\n';
  }
  return normalized;
}

// Reads the caller's bytes in place instead of copying them into a stringstream.
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): never written
    setg(begin, begin, begin + text.size());
  }
};

class Adapter : public YAML::EventHandler {
 public:
  explicit Adapter(TreeBuilder& builder) : builder_(builder) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    // After some malformed flow collections yaml-cpp starts document after
    // document at the same place, forever: a second start there means it is stuck.
    if (last_document_start_ && *last_document_start_ == mark.pos) {
      stuck_at_ = mark;
      return;
    }
    last_document_start_ = mark.pos;
    builder_.begin_document(to_position(mark));
  }
  // Where yaml-cpp stopped making progress, if it did.
  const std::optional<YAML::Mark>& stuck_at() const { return stuck_at_; }
  void OnDocumentEnd() override { builder_.end_document(); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    builder_.null_value(to_position(mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override { builder_.alias(to_position(mark), anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // yaml-cpp tags plain scalars "?" and quoted or block scalars "!".
    const bool plain = tag == "?";
    builder_.scalar(to_position(mark), repair_nel_and_nbsp(value), plain ? ScalarStyle::plain : ScalarStyle::quoted,
                    (tag == "?" || tag == "!") ? std::string_view{} : std::string_view{tag}, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    builder_.begin_sequence(to_position(mark), anchor);
  }
  void OnSequenceEnd() override { builder_.end_sequence(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    builder_.begin_mapping(to_position(mark), anchor);
  }
  void OnMapEnd() override { builder_.end_mapping(); }

 private:
  TreeBuilder& builder_;
  std::optional<int> last_document_start_;
  std::optional<YAML::Mark> stuck_at_;
};

std::optional<LoadAbort> feed_yaml_cpp_events(std::string_view text, TreeBuilder& builder) {
  MemoryBuffer buffer(text);
  std::istream stream(&buffer);
  Adapter adapter(builder);
  try {
    YAML::Parser parser(stream);
    // Every document takes at least one byte of the text: more documents than
    // bytes means the parser goes round in circles, however it does so.
    std::size_t documents = 0;
    while (parser.HandleNextDocument(adapter)) {
      if (adapter.stuck_at() || ++documents > text.size() + 1) {
        const auto mark = adapter.stuck_at().value_or(YAML::Mark());
        return LoadAbort{to_position(mark), "MESH-YAML-SYNTAX",
                         "the YAML cannot be read past this point (an unclosed '[' or '{' before it?): check the "
                         "brackets and quotes"};
      }
    }
  } catch (const YAML::DeepRecursion& e) {
    return LoadAbort{to_position(e.mark), "MESH-YAML-LIMIT", "nesting is too deep: flatten the document"};
  } catch (const YAML::ParserException& e) {
    return LoadAbort{to_position(e.mark), "MESH-YAML-SYNTAX", e.msg};
  }
  return std::nullopt;
}

// yaml-cpp's scanner holds back every token while a flow collection that could
// still turn out to be a mapping key is open, so `[[[[...` is scanned to its end
// (gigabytes for a few MiB) before the builder sees the first level. When the
// quick scan finds flow nesting past the limit, parsing just the text up to that
// bracket (closed again, so yaml-cpp does not take the open brackets for keys)
// confirms it in a moment; if it does not (the quick scan was fooled,
// say by a block scalar), the whole text is parsed as usual.
std::optional<LoadAbort> refuse_deep_flow_early(std::string_view text, const TreeBuilder& builder) {
  const auto cut = flow_nesting_cut(text, builder.limits().max_depth);
  if (!cut) return std::nullopt;
  const std::string prefix = std::string(text.substr(0, cut->end)) + cut->closers;
  std::vector<Document> scratch_documents;
  std::vector<Diagnostic> scratch_findings;
  TreeBuilder scratch(builder.limits(), scratch_documents, scratch_findings, builder.file_name());
  std::optional<LoadAbort> abort;
  try {
    abort = feed_yaml_cpp_events(prefix, scratch);
  } catch (const LoadAbort& e) {
    abort = e;
  }
  if (abort && abort->rule == "MESH-YAML-LIMIT") return abort;
  return std::nullopt;
}

}  // namespace

std::optional<LoadAbort> parse_with_yaml_cpp(std::string_view text, TreeBuilder& builder) {
  const auto normalized = lone_carriage_returns_as_line_feeds(text);
  if (normalized) text = *normalized;
  if (auto abort = refuse_deep_flow_early(text, builder)) return abort;
  return feed_yaml_cpp_events(text, builder);
}

std::optional<FlowNestingCut> flow_nesting_cut(std::string_view text, std::size_t max_depth) {
  std::string open;          // the brackets open now, outermost first
  char last = '\n';          // the last character outside blanks; '\n' at a line start in block context
  std::size_t last_run = 0;  // length of the last run of non-blank characters
  bool after_blank = true;
  auto node_may_start = [&] {
    if (!open.empty()) return last == '[' || last == '{' || last == ',' || last == ':' || last == '?';
    return after_blank && (last == '\n' || last == ':' || (last_run == 1 && (last == '-' || last == '?')));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      if (c != ' ' && c != '\t' && open.empty()) last = '\n', last_run = 0;
      after_blank = true;
      continue;
    }
    if (c == '#' && after_blank) {
      i = text.find('\n', i);
      if (i == std::string_view::npos) break;
      --i;
      continue;
    }
    const bool starts_node = node_may_start();
    if ((c == '"' || c == '\'') && starts_node) {
      for (++i; i < text.size(); ++i) {
        if (c == '"' && text[i] == '\\') {
          ++i;
        } else if (text[i] == c) {
          if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
            ++i;
          } else {
            break;
          }
        }
      }
    } else if ((c == '[' || c == '{') && (!open.empty() || starts_node)) {
      open += c;
      if (open.size() > max_depth) {
        FlowNestingCut cut{i + 1, {}};
        for (auto bracket = open.rbegin(); bracket != open.rend(); ++bracket) {
          cut.closers += *bracket == '[' ? ']' : '}';
        }
        return cut;
      }
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
    last_run = after_blank ? 1 : last_run + 1;
    last = c;
    after_blank = false;
  }
  return std::nullopt;
}

}  // namespace meshctl::yaml::detail
