// The API's handlers: plain functions from a request struct to a response struct (no sockets, no Beast).
#pragma once

#include "api_error.h"
#include "searcher.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dixit {

/// Decoded query parameters in their order (a name may repeat: tag=a&tag=b).
using Params = std::vector<std::pair<std::string, std::string>>;

/// What a handler needs of an HTTP request.
struct HttpRequest {
    std::string method;        ///< "GET", "POST", ...
    std::string target;        ///< as received: "/search?q=..."
    std::string body;
    std::string content_type;  ///< of the body
    std::string if_none_match = {};  ///< the If-None-Match header (the web page's files answer 304)
    std::string authorization = {};  ///< the Authorization header ("Bearer KEY"; access_keys.h)
};

/// What the server sends back.
struct HttpResponse {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    /// Headers besides Content-Type; a Cache-Control here replaces the default no-store.
    std::vector<std::pair<std::string, std::string>> headers = {};
};

/// Splits a request target into its path and percent-decoded parameters ('+' is a space);
/// throws ApiError(BadParameter) on bad percent-encoding or invalid UTF-8.
void parse_target(std::string_view target, std::string& path, Params& params);

/// The route a path belongs to, for metrics and logs: its pattern in the route table (routes.h: "/search",
/// "/quotes/{id}"), or "/", "/static", "page" (the web page's) and "other".
std::string_view route_of(std::string_view path);

/// A 200 response of JSON (json_text(): invalid UTF-8 becomes U+FFFD).
HttpResponse json_response(const nlohmann::json& body);

/// An error response from the error table.
HttpResponse error_response(ErrorCode code, std::string_view message);

/// The response cache's key of a request on the index state named revision (Searcher::revision_key()).
std::string cache_key(const std::string& revision, const HttpRequest& request);

/// Whether a request is answered without a search (health, metrics, the page's files, a quote by id, a
/// malformed target) or from the response cache on the index state the workers have open: those take
/// the worker pool's quick lane. Never throws.
bool is_quick(const HttpRequest& request, SearchService& service);

/// Answers one request: routes it, runs the handler on this worker's searcher, and turns every failure
/// into a JSON error from the error table. Never throws.
HttpResponse handle(const HttpRequest& request, Searcher& searcher);

}  // namespace dixit
