// GET and POST /search: the request from the query string or the JSON body, and the response cache.
#include "routes.h"

#include "search.h"

#include <text.h>

#include <chrono>
#include <cstdio>

namespace dixit {

std::string cache_key(const std::string& revision, const HttpRequest& request) {
    return revision + '\n' + request.method + ' ' + request.target + '\n' + request.body;
}

// Responses are cached by index revision and request (not those that depend on the clock): the home
// page, a match-all with facets, is then a look-up until the index changes.
HttpResponse search_route(const RouteCall& call) {
    const HttpRequest& request = call.request;
    Searcher& searcher = call.searcher;
    const SearchLimits& limits = searcher.settings().search;
    SearchRequest search_request;
    const std::int64_t now = unix_now();
    if (request.method == "POST") {
        if (!call.params.empty())
            throw ApiError(ErrorCode::BadParameter, "POST /search takes its parameters in the JSON body only");
        nlohmann::json body;
        try {
            body = nlohmann::json::parse(request.body);
        } catch (const nlohmann::json::parse_error& e) {
            throw ApiError(ErrorCode::BadJson, std::string("request body at byte ") + std::to_string(e.byte) +
                                                   ": not valid JSON");
        } catch (const nlohmann::json::exception&) {
            // The parser's other failure: a number too large for a double (out_of_range 406, "1e999").
            throw ApiError(ErrorCode::BadJson, "request body: a number is out of range");
        }
        search_request = search_request_from_json(body, limits, now);
    } else {
        search_request = search_request_from_params(call.params, limits, now);
    }
    auto started = std::chrono::steady_clock::now();
    searcher.refresh();
    const bool cacheable = !search_request.published_since;
    std::string key;
    std::string body;
    if (cacheable) {
        key = cache_key(searcher.revision_key(), request);
        if (auto hit = searcher.service().cache().get(key)) body = std::move(*hit);
    }
    if (body.empty()) {
        SearchResponse response = search(search_request, searcher);
        body = json_text(to_json(response));
        // The key was taken before the search; if the index moved meanwhile the entry is simply never hit.
        if (cacheable && !response.provisional) searcher.service().cache().put(key, body);
    }
    double took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // took_ms is spliced in so that a cached body reports this request's time.
    char took[48];
    std::snprintf(took, sizeof took, "{\"took_ms\":%.3f,", took_ms);
    body.replace(0, 1, took);
    return {200, "application/json", std::move(body)};
}

}  // namespace dixit
