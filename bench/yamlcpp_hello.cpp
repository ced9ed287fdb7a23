// The start-up floor of issue 14: a C++ program linked with yaml-cpp alone, which writes one scalar.
// meshctl validating one file should start at most 1.3x slower than this.
#include <yaml-cpp/yaml.h>

#include <cstdio>

int main() {
  YAML::Emitter out;
  out << "hello";
  std::puts(out.c_str());
  return 0;
}
