#include "context.h"

#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "exit_codes.h"

namespace meshctl::cli {

int report_error(Context& context, const Error& error) {
  if (context.output == OutputFormat::json) {
    nlohmann::json body = {{"error", {{"kind", to_string(error.kind)}, {"message", error.message}}}};
    if (!error.details.is_null()) body["error"]["details"] = error.details;
    *context.err << body.dump() << '\n';
  } else {
    *context.err << "meshctl: error: " << error.message << '\n';
  }
  return exit_code_for(error.kind);
}

std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace meshctl::cli
