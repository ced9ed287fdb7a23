#pragma once

#include <string_view>

namespace meshctl::evolution {

// True when a value of field type `from` can be read as `to` without loss of
// meaning: Avro's promotions over meshctl's types (integer -> long, float,
// double; long -> float, double; float -> double). Everything else, string <->
// bytes included, is a change, not a widening.
bool is_widening(std::string_view from, std::string_view to);

}  // namespace meshctl::evolution
