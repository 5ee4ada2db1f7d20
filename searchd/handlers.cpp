// Routing: the route table, matching a path to its route, and turning every failure into an error response.
#include "handlers.h"

#include "access_keys.h"
#include "browse.h"
#include "feed.h"
#include "provenance.h"
#include "routes.h"
#include "static_files.h"
#include "variants.h"

#include <fields.h>
#include <text.h>

#include <nlohmann/json.hpp>

#include <array>
#include <iostream>

namespace dixit {
namespace {

HttpResponse health(const RouteCall& call) {
    call.searcher.refresh();
    return json_response({{"status", "ok"},
                          {"documents", call.searcher.documents()},
                          {"revision", call.searcher.revision_key()}});
}

HttpResponse metrics(const RouteCall& call) {
    return {200, "text/plain; version=0.0.4; charset=utf-8", call.searcher.service().metrics().render()};
}

HttpResponse field_list(const RouteCall&) { return {200, "application/json", fields_json()}; }

HttpResponse feed(const RouteCall& call) {
    const std::string_view target = call.request.target;
    const auto question = target.find('?');
    return search_feed(call.params, question == std::string_view::npos ? std::string_view{} : target.substr(question + 1),
                       call.searcher, unix_now());
}

HttpResponse latest(const RouteCall& call) { return latest_quotes(call.params, call.searcher, unix_now()); }
HttpResponse latest_context_list(const RouteCall& call) { return latest_contexts(call.params, call.searcher, unix_now()); }
HttpResponse attributions(const RouteCall& call) { return provenance(call.params, call.searcher); }
HttpResponse variants(const RouteCall& call) { return quote_variants(call.capture, call.searcher); }
HttpResponse quote(const RouteCall& call) { return get_quote(call.capture, call.searcher); }
HttpResponse facet(const RouteCall& call) { return facet_values(call.capture, call.params, call.searcher); }

// /quotes/{id}/variants comes before /quotes/{id}: an id that itself ends in "/variants" is read as that
// route, and its quote is reached as /quotes/{id} only.
constexpr std::array<Route, 12> route_table{{
    {"/search", "GET, POST", true, RouteLane::Cached, Access::Read, search_route},
    {"/search.atom", "GET", true, RouteLane::Search, Access::Read, feed},
    {"/health", "GET", true, RouteLane::Quick, Access::Open, health},
    {"/metrics", "GET", true, RouteLane::Quick, Access::Read, metrics},
    {"/fields", "GET", true, RouteLane::Quick, Access::Read, field_list},
    {"/latest", "GET", true, RouteLane::Search, Access::Read, latest},
    {"/contexts/latest", "GET", true, RouteLane::Search, Access::Read, latest_context_list},
    {"/provenance", "GET", true, RouteLane::Search, Access::Read, attributions},
    {"/quotes/{id}/variants", "GET", false, RouteLane::Search, Access::Read, variants},
    {"/quotes/{id}", "GET", false, RouteLane::Quick, Access::Read, quote},
    {"/quotes/{id}", "DELETE", false, RouteLane::Search, Access::Write, delete_quote_route},
    {"/facets/{field}", "GET", true, RouteLane::Search, Access::Read, facet},
}};

// The path matches the pattern; *capture is what its {name} stands for.
bool matches(std::string_view pattern, std::string_view path, std::string_view* capture) {
    const auto open = pattern.find('{');
    if (open == std::string_view::npos) {
        if (path != pattern) return false;
        *capture = {};
        return true;
    }
    const std::string_view prefix = pattern.substr(0, open);
    const std::string_view suffix = pattern.substr(pattern.find('}', open) + 1);
    if (path.size() <= prefix.size() + suffix.size() || !path.starts_with(prefix) || !path.ends_with(suffix)) return false;
    *capture = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    return true;
}

// True when methods ("GET, POST") lists method; HEAD goes wherever GET does.
bool allows(std::string_view methods, std::string_view method) {
    if (method == "HEAD") method = "GET";
    for (std::size_t start = 0; start < methods.size();) {
        const std::size_t comma = std::min(methods.find(',', start), methods.size());
        if (trim(methods.substr(start, comma - start)) == method) return true;
        start = comma + 1;
    }
    return false;
}

// The methods of every route of path ("GET, DELETE"), for a 405.
std::string methods_of(std::string_view path) {
    std::string out;
    std::string_view ignored;
    for (const Route& r : route_table) {
        if (!matches(r.pattern, path, &ignored)) continue;
        if (!out.empty()) out += ", ";
        out += r.methods;
    }
    return out;
}

// Throws unless the request carries the key the route needs.
void check_access(const Route& r, const HttpRequest& request, const Settings& settings) {
    if (r.access == Access::Open) return;
    const bool writer = bearer_matches(request.authorization, settings.write_key);
    if (r.access == Access::Write) {
        if (settings.write_key.empty())
            throw ApiError(ErrorCode::WritesDisabled, "writes are disabled on this server (start dixit-searchd with "
                                                      "--write-key-file FILE to take them)");
        if (!writer)
            throw ApiError(ErrorCode::Unauthorized, request.authorization.empty()
                                                        ? "this request needs the write key: Authorization: Bearer KEY"
                                                        : "the key given is not the write key");
        return;
    }
    if (settings.read_key.empty() || writer || bearer_matches(request.authorization, settings.read_key)) return;
    throw ApiError(ErrorCode::Unauthorized, request.authorization.empty()
                                                ? "this archive is private: send Authorization: Bearer KEY"
                                                : "the key given is not a key of this archive");
}

HttpResponse route(const HttpRequest& request, const std::string& path, const Params& params, Searcher& searcher) {
    std::string_view capture;
    if (const Route* r = find_route(path, request.method, &capture)) {
        check_access(*r, request, searcher.settings());
        if (!r->takes_params && !params.empty())
            throw ApiError(ErrorCode::BadParameter, std::string(r->pattern) + " takes no parameters");
        return r->handler(RouteCall{request, capture, params, searcher});
    }
    if (find_route(path))
        throw ApiError(ErrorCode::MethodNotAllowed, request.method + " is not allowed on " + path + " (" + methods_of(path) + ")");
    if (auto page = static_response(request, path)) return std::move(*page);  // the web page (web/)
    throw ApiError(ErrorCode::NotFound, "no such endpoint: " + path);
}

}  // namespace

std::span<const Route> routes() { return route_table; }

const Route* find_route(std::string_view path, std::string_view* capture) {
    std::string_view ignored;
    for (const Route& r : route_table)
        if (matches(r.pattern, path, capture ? capture : &ignored)) return &r;
    return nullptr;
}

const Route* find_route(std::string_view path, std::string_view method, std::string_view* capture) {
    std::string_view ignored;
    for (const Route& r : route_table)
        if (matches(r.pattern, path, capture ? capture : &ignored) && allows(r.methods, method)) return &r;
    return nullptr;
}

HttpResponse json_response(const nlohmann::json& body) { return {200, "application/json", json_text(body)}; }

std::string_view route_of(std::string_view path) {
    path = path.substr(0, path.find('?'));
    if (const Route* r = find_route(path)) return r->pattern;
    if (path == "/") return "/";
    if (path.starts_with("/static/")) return "/static";
    if (is_page_path(path)) return "page";
    return "other";
}

bool is_quick(const HttpRequest& request, SearchService& service) {
    try {
        std::string path;
        Params params;
        parse_target(request.target, path, params);  // decoded: /se%61rch is /search
        const Route* r = find_route(path, request.method);
        if (!r || r->lane == RouteLane::Quick) return true;  // the page's files, a 404 or a 405
        if (r->lane == RouteLane::Search) return false;
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
        HttpResponse response{error_info(e.code()).status, "application/json", error_body(e.code(), e.what(), e.position())};
        if (e.code() == ErrorCode::Unauthorized) response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"dixit\"");
        if (e.code() == ErrorCode::IndexBusy) response.headers.emplace_back("Retry-After", "2");
        return response;
    } catch (const Xapian::Error& e) {
        std::cerr << "dixit-searchd: index error on " << request.target << ": " << e.get_description() << '\n';
        return error_response(ErrorCode::IndexUnavailable, "the index could not be read; try again");
    } catch (const std::exception& e) {
        std::cerr << "dixit-searchd: internal error on " << request.target << ": " << e.what() << '\n';
        return error_response(ErrorCode::Internal, "internal error");
    }
}

}  // namespace dixit
