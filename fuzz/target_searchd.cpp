// Fuzz targets cursor and http_target: what searchd reads from a request before it searches.
#include "targets.h"

#include <api_error.h>
#include <cursor.h>
#include <handlers.h>
#include <search.h>

#include <stdexcept>

namespace dixit::fuzz {
namespace {

constexpr std::int64_t kNow = 1740000000;  // a fixed clock: published_since must not depend on the run

void check_request(const SearchRequest& r, const SearchLimits& limits) {
    if (r.per_page < 1 || r.per_page > limits.max_per_page || r.page < 1 ||
        static_cast<std::uint64_t>(r.page) * r.per_page > limits.max_page_depth)
        throw std::logic_error("search_request_from_params let a page outside the limits through");
    for (SortOrder order : {SortOrder::Newest, SortOrder::Oldest}) {
        if (r.cursor.empty()) break;
        try {
            (void)decode_cursor(r.cursor, order);
        } catch (const ApiError& e) {
            if (e.code() != ErrorCode::BadParameter) throw;
        }
    }
}

}  // namespace

void cursor(std::string_view data) {
    if (data.empty()) return;
    const SortOrder order = (data[0] & 1) ? SortOrder::Newest : SortOrder::Oldest;
    data.remove_prefix(1);
    std::string key;
    try {
        key = decode_cursor(std::string(data), order);
    } catch (const ApiError& e) {  // the documented error: bad_parameter naming 'cursor'
        if (e.code() != ErrorCode::BadParameter) throw;
        return;
    }
    if (decode_cursor(encode_cursor(key, order), order) != key)
        throw std::logic_error("a decoded cursor does not survive encode_cursor/decode_cursor");
}

void http_target(std::string_view data) {
    static const SearchLimits limits;
    try {
        if (!data.empty() && data[0] == '{') {  // POST /search's body
            nlohmann::json body = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
            if (body.is_discarded()) return;
            check_request(search_request_from_json(body, limits, kNow), limits);
            return;
        }
        std::string path;
        Params params;
        parse_target(data, path, params);
        (void)route_of(path);
        check_request(search_request_from_params(params, limits, kNow), limits);
    } catch (const ApiError& e) {  // the documented errors: bad_parameter and bad_json, with a message
        if (e.code() != ErrorCode::BadParameter && e.code() != ErrorCode::BadJson) throw;
    }
}

}  // namespace dixit::fuzz
