// The route table: every endpoint's path pattern, methods, lane and handler, read by routing, metrics and the worker pool.
#pragma once

#include "handlers.h"

#include <span>
#include <string_view>

namespace dixit {

/// Which lane of the worker pool (Lane in worker_pool.h) a route's requests take: is_quick() reads it.
enum class RouteLane {
    Quick,   ///< answered without a search (health, a quote by id): the quick lane
    Cached,  ///< the quick lane when the response cache holds the answer on the open index, else a search worker
    Search,  ///< a search worker, always
};

/// Which key a route needs (Settings::write_key, read_key).
enum class Access {
    Open,   ///< none (/health, for load balancers' probes)
    Read,   ///< the read key when one is set (a private archive), or the write key
    Write,  ///< the write key; refused when the server has none
};

/// What a route's handler is given.
struct RouteCall {
    const HttpRequest& request;
    std::string_view capture;  ///< the part of the path that the pattern's {name} stands for ("" without one)
    const Params& params;
    Searcher& searcher;
};

/// One endpoint of the API.
struct Route {
    /// "/search", "/quotes/{id}/variants": a {name} matches a non-empty rest of the path between the
    /// pattern's prefix and suffix. The pattern is also the route's metrics label.
    std::string_view pattern;
    std::string_view methods;  ///< "GET", "GET, POST", "DELETE"; HEAD is allowed wherever GET is
    bool takes_params;         ///< false: any query parameter is a 400
    RouteLane lane;
    Access access;
    HttpResponse (*handler)(const RouteCall&);
};

/// Every endpoint, in matching order (a pattern before a shorter one that would also match its paths); a
/// pattern has one row for each access (GET /quotes/{id} reads, DELETE /quotes/{id} writes).
std::span<const Route> routes();

/// The first route whose pattern matches path, with *capture set to what its {name} stands for; nullptr if none.
const Route* find_route(std::string_view path, std::string_view* capture = nullptr);

/// The route of path that allows method, with *capture set; nullptr if none does (a 404 or a 405).
const Route* find_route(std::string_view path, std::string_view method, std::string_view* capture = nullptr);

/// GET and POST /search (search_handler.cpp): parses the request, answers from the response cache when it can.
HttpResponse search_route(const RouteCall& call);

/// DELETE /quotes/{id} (writes.cpp): the quote removed and committed, searchable as gone when it answers.
HttpResponse delete_quote_route(const RouteCall& call);

}  // namespace dixit
