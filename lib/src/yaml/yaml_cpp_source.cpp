// The only file that knows yaml-cpp: it turns yaml-cpp's parse events into
// TreeBuilder calls. Replacing the parser (libyaml, say) means replacing this file.
#include <istream>
#include <streambuf>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "tree_builder.h"

namespace meshctl::yaml::detail {

namespace {

Position to_position(const YAML::Mark& mark) {
  if (mark.is_null()) return Position{};
  return Position{static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1)};
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

  void OnDocumentStart(const YAML::Mark& mark) override { builder_.begin_document(to_position(mark)); }
  void OnDocumentEnd() override { builder_.end_document(); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    builder_.null_value(to_position(mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override { builder_.alias(to_position(mark), anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // yaml-cpp tags plain scalars "?" and quoted or block scalars "!".
    const bool plain = tag == "?";
    builder_.scalar(to_position(mark), value, plain ? ScalarStyle::plain : ScalarStyle::quoted,
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
};

}  // namespace

std::optional<LoadAbort> parse_with_yaml_cpp(std::string_view text, TreeBuilder& builder) {
  MemoryBuffer buffer(text);
  std::istream stream(&buffer);
  Adapter adapter(builder);
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(adapter)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    return LoadAbort{to_position(e.mark), "MESH-YAML-LIMIT", "nesting is too deep: flatten the document"};
  } catch (const YAML::ParserException& e) {
    return LoadAbort{to_position(e.mark), "MESH-YAML-SYNTAX", e.msg};
  }
  return std::nullopt;
}

}  // namespace meshctl::yaml::detail
