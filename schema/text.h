// Small text helpers every program shares: UTF-8, trimming, whole numbers, JSON text and the clock.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <unicode/umachine.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace dixit {

/// True when the bytes are valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// Byte offset of the first ill-formed UTF-8 sequence, or npos when the bytes are valid UTF-8.
std::size_t first_invalid_utf8(std::string_view bytes);

/// Number of Unicode code points in valid UTF-8.
std::size_t utf8_length(std::string_view bytes);

/// The code point at byte offset i, advancing i past it; negative for an ill-formed sequence (i still advances).
UChar32 next_code_point(std::string_view bytes, std::size_t& i);

/// The code points of valid UTF-8; empty when the bytes are not valid UTF-8.
std::u32string code_points(std::string_view bytes);

/// True for the ASCII white space that trimming removes: space, \t, \n, \v, \f, \r.
constexpr bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// s without leading and trailing ASCII white space.
std::string_view trim(std::string_view s);

/// A whole decimal number of type T (unsigned) written with digits only: no sign, no space, no overflow
/// ("-1" is refused, never wrapped to the largest value); nullopt otherwise.
template <class T>
std::optional<T> parse_whole(std::string_view text) {
    static_assert(std::is_unsigned_v<T>, "parse_whole reads unsigned numbers");
    T value{};
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

/// JSON as compact text; invalid UTF-8 in strings becomes U+FFFD instead of an exception.
std::string json_text(const nlohmann::json& value);

/// Seconds since the Unix epoch, now.
std::int64_t unix_now();

}  // namespace dixit
