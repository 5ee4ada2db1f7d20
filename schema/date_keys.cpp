// The date value slots' codecs (date_keys.h).
#include "date_keys.h"

#include <xapian.h>

#include <algorithm>

namespace dixit {
namespace {

// Bits of a packed key for published_at: seconds offset by 2^39 (about 17,000 years either side of 1970).
constexpr std::uint64_t published_bits = 40;

void put_u64(std::string& out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

}  // namespace

std::string sort_key(const Quote& q, DateOrder order, std::uint64_t sequence) {
    // Dated quotes come first in both orders: "0" before "1" ascending, "1" before "0" descending.
    bool dated = q.said_on.has_value();
    std::string key(1, (dated == (order == DateOrder::Oldest)) ? '0' : '1');
    if (dated) {
        key += q.said_on->iso();
        key += '\0';  // "2025\0" < "2025-03": a period sorts before the dates inside it
    }
    // published_at as 8 big-endian bytes of an offset value: fixed width, so bytes compare as numbers.
    put_u64(key, static_cast<std::uint64_t>(q.published_at.value_or(0)) ^ (std::uint64_t{1} << 63));
    put_u64(key, sequence);
    return key;
}

// The group byte, published_at and the sequence at least.
constexpr std::size_t min_sort_key_bytes = 1 + 8 + 8;

bool is_sort_key(std::string_view key) {
    return key.size() >= min_sort_key_bytes && (key[0] == '0' || key[0] == '1');
}

std::uint64_t sort_key_sequence(std::string_view key) {
    if (key.size() < min_sort_key_bytes) return 0;
    std::uint64_t v = 0;
    for (unsigned char c : key.substr(key.size() - 8)) v = (v << 8) | c;
    return v;
}

std::uint64_t pack_sort_key(std::string_view key) {
    if (key.empty()) return 0;
    std::uint64_t out = key[0] == '1' ? std::uint64_t{1} << 63 : 0;
    std::size_t pos = 1;
    // A dated key continues with said_on's ISO text and a NUL; an undated one with the published bytes,
    // whose first byte (0x7f or 0x80, the offset sign) is never a digit.
    if (pos < key.size() && key[pos] >= '0' && key[pos] <= '9') {
        std::uint64_t parts[3] = {0, 0, 0};
        int part = 0;
        for (; pos < key.size() && key[pos] != '\0'; ++pos) {
            if (key[pos] == '-') {
                if (++part > 2) break;
            } else if (key[pos] >= '0' && key[pos] <= '9') {
                parts[part] = parts[part] * 10 + static_cast<std::uint64_t>(key[pos] - '0');
            }
        }
        pos = key.find('\0', pos);
        if (pos == std::string_view::npos) return out;
        ++pos;
        out |= std::min<std::uint64_t>(parts[0], (1u << 14) - 1) << 49;
        out |= std::min<std::uint64_t>(parts[1], 15) << 45;
        out |= std::min<std::uint64_t>(parts[2], 31) << 40;
    }
    if (pos + 8 > key.size()) return out;
    std::uint64_t raw = 0;
    for (std::size_t i = 0; i < 8; ++i) raw = (raw << 8) | static_cast<unsigned char>(key[pos + i]);
    const auto published = static_cast<std::int64_t>(raw ^ (std::uint64_t{1} << 63));
    const std::int64_t offset = std::clamp<std::int64_t>(published + (std::int64_t{1} << (published_bits - 1)), 0,
                                                         (std::int64_t{1} << published_bits) - 1);
    return out | static_cast<std::uint64_t>(offset);
}

std::string published_value(std::int64_t unix_seconds) { return Xapian::sortable_serialise(static_cast<double>(unix_seconds)); }

std::optional<std::int64_t> published_from_value(std::string_view value) {
    if (value.empty()) return std::nullopt;
    return static_cast<std::int64_t>(Xapian::sortable_unserialise(std::string(value)));
}

}  // namespace dixit
