// The single-core parse floor of `meshctl validate` (issue 2, "Performance"):
// yaml-cpp's EVENT API (YAML::Parser + an EventHandler) over every file named on
// the command line, one file after the other on one core. The handler only
// counts scalars, so this is what the grammar alone costs; meshctl's loader runs
// the same parser and adds its positioned tree, the checks and the output.
//
// build: g++ -O2 -std=c++17 -o yamlcpp_event_floor yamlcpp_event_floor.cpp -lyaml-cpp
// usage: ./yamlcpp_event_floor FILE...
// prints: files=N scalars=N scalar_bytes=N input_bytes=N
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace {

class ScalarCounter : public YAML::EventHandler {
 public:
  unsigned long long scalars = 0;
  unsigned long long scalar_bytes = 0;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string& value) override {
    ++scalars;
    scalar_bytes += value.size();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

int main(int argc, char** argv) {
  ScalarCounter counter;
  unsigned long long input_bytes = 0;
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    // Read the whole file first, as meshctl does, then parse from memory.
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::perror(argv[i]);
      ++failed;
      continue;
    }
    std::ostringstream bytes;
    bytes << file.rdbuf();
    const std::string text = bytes.str();
    input_bytes += text.size();
    std::istringstream stream(text);
    try {
      YAML::Parser parser(stream);
      while (parser.HandleNextDocument(counter)) {
      }
    } catch (const YAML::Exception& e) {
      std::fprintf(stderr, "%s: %s\n", argv[i], e.what());
      ++failed;
    }
  }
  std::printf("files=%d scalars=%llu scalar_bytes=%llu input_bytes=%llu\n", argc - 1 - failed, counter.scalars,
              counter.scalar_bytes, input_bytes);
  return failed ? 1 : 0;
}
