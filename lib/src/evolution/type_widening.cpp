#include "evolution/type_widening.h"

#include <array>
#include <utility>

namespace meshctl::evolution {

bool is_widening(std::string_view from, std::string_view to) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kPromotions = {{
      {"integer", "long"},
      {"integer", "float"},
      {"integer", "double"},
      {"long", "float"},
      {"long", "double"},
      {"float", "double"},
  }};
  for (const auto& [narrow, wide] : kPromotions) {
    if (from == narrow && to == wide) return true;
  }
  return false;
}

}  // namespace meshctl::evolution
