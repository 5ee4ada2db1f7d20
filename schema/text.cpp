// Small text helpers: UTF-8 through ICU's macros, trimming, JSON text and the clock.
#include "text.h"

#include <nlohmann/json.hpp>
#include <unicode/utf8.h>

#include <chrono>

namespace dixit {

std::size_t first_invalid_utf8(std::string_view s) {
    // ICU's U8_NEXT refuses overlong forms, surrogates and code points past U+10FFFF.
    const auto n = static_cast<std::int32_t>(s.size());
    for (std::int32_t i = 0; i < n;) {
        const std::int32_t at = i;
        UChar32 c;
        U8_NEXT(s.data(), i, n, c);
        if (c < 0) return static_cast<std::size_t>(at);
    }
    return std::string_view::npos;
}

bool is_valid_utf8(std::string_view s) { return first_invalid_utf8(s) == std::string_view::npos; }

std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

UChar32 next_code_point(std::string_view s, std::size_t& i) {
    UChar32 c;
    auto pos = static_cast<std::int32_t>(i);
    U8_NEXT(s.data(), pos, static_cast<std::int32_t>(s.size()), c);
    i = static_cast<std::size_t>(pos);
    return c;
}

std::u32string code_points(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const UChar32 c = next_code_point(s, i);
        if (c < 0) return {};
        out.push_back(static_cast<char32_t>(c));
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string json_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::int64_t unix_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace dixit
