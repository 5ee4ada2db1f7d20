// Date-order cursors: the last hit's sort key, tagged with its order, as base64url (see cursor.h).
#include "cursor.h"

#include "api_error.h"

#include <date_keys.h>

namespace dixit {
namespace {

// Cursor encoding: base64url of the last hit's unique sort key (see sort_key() in schema/date_keys.h).
constexpr std::string_view b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

// The key follows a byte naming the order it belongs to, so that a cursor of one order is refused by the other.
std::string encode_cursor(const std::string& last_key, SortOrder order) {
    const std::string key = (order == SortOrder::Newest ? "N" : "O") + last_key;
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : key) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += b64[(buffer >> bits) & 63];
        }
    }
    if (bits > 0) out += b64[(buffer << (6 - bits)) & 63];
    return out;
}

std::string decode_cursor(const std::string& cursor, SortOrder order) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : cursor) {
        auto pos = b64.find(c);
        if (pos == std::string_view::npos)
            throw ApiError(ErrorCode::BadParameter, "parameter 'cursor': not a cursor returned by this server");
        buffer = (buffer << 6) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    if (out.empty() || (out[0] != 'N' && out[0] != 'O') || !is_sort_key(std::string_view(out).substr(1)))
        throw ApiError(ErrorCode::BadParameter, "parameter 'cursor': not a cursor returned by this server");
    const bool newest = order == SortOrder::Newest;
    if ((out[0] == 'N') != newest)
        throw ApiError(ErrorCode::BadParameter, std::string("parameter 'cursor': this cursor pages sort=") +
                                                    (newest ? "oldest" : "newest") + ", not sort=" + (newest ? "newest" : "oldest"));
    return out.substr(1);
}

}  // namespace dixit
