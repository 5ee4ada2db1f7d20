// Routing, target parsing, the /search handler with its response cache, and the error table's responses.
#include "handlers.h"

#include "api_error.h"
#include "browse.h"
#include "feed.h"
#include "provenance.h"
#include "search.h"
#include "static_files.h"
#include "variants.h"

#include <quote.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace dixit {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
            int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                throw ApiError(ErrorCode::BadParameter, "bad percent-encoding at character " + std::to_string(i + 1) +
                                                            " of '" + std::string(text) + "'");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    if (!is_valid_utf8(out)) throw ApiError(ErrorCode::BadParameter, "parameters must be UTF-8");
    return out;
}

std::int64_t unix_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

HttpResponse json_body(std::string body) { return {200, "application/json", std::move(body)}; }

// GET and POST /search. Responses are cached by index revision and request (not those that depend on
// the clock): the home page, a match-all with facets, is then a look-up until the index changes.
HttpResponse search_handler(const HttpRequest& request, const Params& params, Searcher& searcher) {
    const SearchLimits& limits = searcher.settings().search;
    SearchRequest search_request;
    const std::int64_t now = unix_now();
    if (request.method == "POST") {
        if (!params.empty())
            throw ApiError(ErrorCode::BadParameter, "POST /search takes its parameters in the JSON body only");
        nlohmann::json body;
        try {
            body = nlohmann::json::parse(request.body);
        } catch (const nlohmann::json::parse_error& e) {
            throw ApiError(ErrorCode::BadJson, std::string("request body at byte ") + std::to_string(e.byte) +
                                                   ": not valid JSON");
        }
        search_request = search_request_from_json(body, limits, now);
    } else {
        search_request = search_request_from_params(params, limits, now);
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
        body = to_json(response).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        // The key was taken before the search; if the index moved meanwhile the entry is simply never hit.
        if (cacheable && !response.provisional) searcher.service().cache().put(key, body);
    }
    double took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    // took_ms is spliced in so that a cached body reports this request's time.
    char took[48];
    std::snprintf(took, sizeof took, "{\"took_ms\":%.3f,", took_ms);
    body.replace(0, 1, took);
    return json_body(std::move(body));
}

HttpResponse health(Searcher& searcher) {
    searcher.refresh();
    nlohmann::json body = {{"status", "ok"},
                           {"documents", searcher.documents()},
                           {"revision", searcher.revision_key()}};
    return json_body(body.dump());
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// /quotes/{id}/variants. An id that itself ends in "/variants" is read as that route: its quote is
// reached as /quotes/{id} only.
constexpr std::string_view variants_suffix = "/variants";
bool is_variants_path(std::string_view path) {
    return starts_with(path, "/quotes/") && path.size() > 8 + variants_suffix.size() &&
           path.substr(path.size() - variants_suffix.size()) == variants_suffix;
}

HttpResponse route(const HttpRequest& request, const std::string& path, const Params& params, Searcher& searcher) {
    const bool get = request.method == "GET" || request.method == "HEAD";
    auto only_get = [&] {
        if (!get) throw ApiError(ErrorCode::MethodNotAllowed, request.method + " is not allowed on " + path + " (GET)");
    };
    if (path == "/search") {
        if (!get && request.method != "POST")
            throw ApiError(ErrorCode::MethodNotAllowed, request.method + " is not allowed on /search (GET, POST)");
        return search_handler(request, params, searcher);
    }
    if (path == "/search.atom") {
        only_get();
        const auto question = request.target.find('?');
        return search_feed(params, question == std::string::npos ? std::string_view{} : std::string_view(request.target).substr(question + 1),
                           searcher, unix_now());
    }
    if (path == "/health") return only_get(), health(searcher);
    if (path == "/metrics") {
        only_get();
        return {200, "text/plain; version=0.0.4; charset=utf-8", searcher.service().metrics().render()};
    }
    if (path == "/latest") return only_get(), latest_quotes(params, searcher, unix_now());
    if (path == "/contexts/latest") return only_get(), latest_contexts(params, searcher, unix_now());
    if (path == "/provenance") return only_get(), provenance(params, searcher);
    if (is_variants_path(path)) {
        only_get();
        if (!params.empty()) throw ApiError(ErrorCode::BadParameter, "/quotes/{id}/variants takes no parameters");
        return quote_variants(path.substr(8, path.size() - 8 - variants_suffix.size()), searcher);
    }
    if (starts_with(path, "/quotes/") && path.size() > 8) {
        only_get();
        if (!params.empty()) throw ApiError(ErrorCode::BadParameter, "/quotes/{id} takes no parameters");
        return get_quote(path.substr(8), searcher);
    }
    if (starts_with(path, "/facets/") && path.size() > 8) return only_get(), facet_values(path.substr(8), params, searcher);
    if (auto page = static_response(request, path)) return std::move(*page);  // the web page (web/)
    throw ApiError(ErrorCode::NotFound, "no such endpoint: " + path);
}

}  // namespace

void parse_target(std::string_view target, std::string& path, Params& params) {
    params.clear();
    auto question = target.find('?');
    path = percent_decode(target.substr(0, question), false);
    if (question == std::string_view::npos) return;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string name = percent_decode(pair.substr(0, eq), true);
        std::string value = eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
        params.emplace_back(std::move(name), std::move(value));
    }
}

std::string_view route_of(std::string_view path) {
    auto q = path.find('?');
    path = path.substr(0, q);
    for (std::string_view exact : {"/search", "/search.atom", "/health", "/metrics", "/latest", "/contexts/latest", "/provenance"})
        if (path == exact) return exact;
    if (is_variants_path(path)) return "/quotes/{id}/variants";
    if (starts_with(path, "/quotes/")) return "/quotes/{id}";
    if (starts_with(path, "/facets/")) return "/facets/{field}";
    if (path == "/") return "/";
    if (starts_with(path, "/static/")) return "/static";
    if (is_page_path(path)) return "page";
    return "other";
}

std::string cache_key(const std::string& revision, const HttpRequest& request) {
    return revision + '\n' + request.method + ' ' + request.target + '\n' + request.body;
}

bool is_quick(const HttpRequest& request, SearchService& service) {
    try {
        std::string path;
        Params params;
        parse_target(request.target, path, params);  // decoded: /se%61rch is /search
        const std::string_view route = route_of(path);
        if (route == "/latest" || route == "/contexts/latest" || route == "/facets/{field}" ||
            route == "/quotes/{id}/variants" || route == "/provenance" || route == "/search.atom")
            return false;
        if (route != "/search") return true;
        const std::string revision = service.revision_key();
        return !revision.empty() && service.cache().contains(cache_key(revision, request));
    } catch (...) {
        return true;  // a target that cannot be parsed is answered with a 400 at once
    }
}

HttpResponse error_response(ErrorCode code, std::string_view message) {
    return {error_info(code).status, "application/json", error_body(code, message)};
}

HttpResponse handle(const HttpRequest& request, Searcher& searcher) {
    try {
        std::string path;
        Params params;
        parse_target(request.target, path, params);
        return route(request, path, params, searcher);
    } catch (const ApiError& e) {
        return {error_info(e.code()).status, "application/json", error_body(e.code(), e.what(), e.position())};
    } catch (const Xapian::Error& e) {
        std::cerr << "dixit-searchd: index error on " << request.target << ": " << e.get_description() << '\n';
        return error_response(ErrorCode::IndexUnavailable, "the index could not be read; try again");
    } catch (const std::exception& e) {
        std::cerr << "dixit-searchd: internal error on " << request.target << ": " << e.what() << '\n';
        return error_response(ErrorCode::Internal, "internal error");
    }
}

}  // namespace dixit
