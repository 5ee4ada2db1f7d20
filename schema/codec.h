// Small fixed encodings shared by what the index stores and the programs around it: LEB128 varints, a term
// hash, a 64-bit mixing function, percent-encoding.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// Appends v as a LEB128 varint (7 bits a byte, high bit set on all but the last).
inline void append_varint(std::string& out, std::uint32_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

/// Reads a varint at in[i], advancing i; false when it is truncated or longer than 32 bits allow.
inline bool read_varint(std::string_view in, std::size_t& i, std::uint32_t& v) {
    v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (i >= in.size()) return false;
        auto byte = static_cast<unsigned char>(in[i++]);
        v |= static_cast<std::uint32_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

/// Sorts and dedupes ids, then encodes them as "v1:" and ascending deltas in varints (a run of appended
/// documents costs a byte each): the docid lists of the change log and the tombstones.
inline std::string encode_docids(std::vector<std::uint32_t>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::string out = "v1:";
    std::uint32_t previous = 0;
    for (std::uint32_t id : ids) {
        append_varint(out, id - previous);
        previous = id;
    }
    return out;
}

/// Appends the ids of an encode_docids() value to out; false when the value is not one.
inline bool decode_docids(std::string_view value, std::vector<std::uint32_t>& out) {
    if (value.substr(0, 3) != "v1:") return false;
    std::uint32_t previous = 0;
    for (std::size_t i = 3; i < value.size();) {
        std::uint32_t delta = 0;
        if (!read_varint(value, i, delta)) return false;
        previous += delta;
        out.push_back(previous);
    }
    return true;
}

/// FNV-1a of bytes: a fixed hash of a term (stored hashes must not depend on the build); mix64() it
/// before using its bits.
inline std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// splitmix64's finaliser: a fixed, well-mixed 64-bit function (stored hashes must not depend on the build).
inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// text with every byte but the unreserved characters (RFC 3986: letters, digits, - _ . ~) percent-encoded:
/// a URL's path segment or parameter value (searchd's parse_target() decodes it back), or part of an IRI.
inline std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace dixit
