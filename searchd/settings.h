// Everything an operator can set on dixit-searchd, with the documented defaults.
#pragma once

#include "query_parser.h"

#include <chrono>
#include <cstddef>
#include <string>

namespace dixit {

/// Limits of the HTTP layer and of result pages.
struct ServerLimits {
    std::size_t max_body_bytes = 64 * 1024;      ///< POST body (413 beyond)
    std::size_t max_header_bytes = 16 * 1024;    ///< request line + headers (431 beyond)
    std::size_t max_url_bytes = 8 * 1024;        ///< request target (414 beyond)
    std::size_t max_connections = 1024;         ///< open connections (503 and close beyond)
    std::size_t max_queued_requests = 512;      ///< requests waiting for a worker (503 beyond)
    std::chrono::milliseconds read_timeout{10000};   ///< to receive one whole request once it has begun
    std::chrono::milliseconds idle_timeout{30000};   ///< keep-alive connection with no request
    std::chrono::milliseconds write_timeout{10000};  ///< to send one response
};

/// Limits of searches.
struct SearchLimits {
    unsigned default_per_page = 20;
    unsigned max_per_page = 100;
    unsigned max_page_depth = 10000;   ///< page * per_page; deeper paging in date order uses the cursor
    unsigned max_facet_size = 1000;    ///< values per facet in one response
    unsigned max_filter_values = 64;   ///< values of all URL filters together
    unsigned max_latest_hours = 24 * 31;
    unsigned exact_total_up_to = 10000;  ///< a total of at most this many matches is exact; above, it may be an estimate
    std::chrono::milliseconds max_search{2000};  ///< time budget of one search (503 search_timeout beyond; 0 = none)
    QueryLimits query;
};

/// dixit-searchd's settings (flags and DIXIT_* environment variables; see README).
struct Settings {
    std::string db;                       ///< index directory written by dixit-indexer
    std::string listen = "127.0.0.1:8080";
    std::string allowed_hosts;            ///< Host names answered besides the listen address's (allowed_hosts.h); "*": any
    unsigned threads = 0;                 ///< search workers; 0 = number of cores
    bool access_log = false;              ///< one line per request on stderr
    std::chrono::milliseconds reopen_interval{200};  ///< how often a worker checks the index for changes
    std::chrono::milliseconds switch_wait{60'000};   ///< longest a worker serves the old generation while the new one's columns are built
    std::size_t cache_bytes = 64 << 20;   ///< response cache size in bytes (0 = no cache; response_cache.h)
    bool columns = true;                  ///< facets, totals and date orders from in-memory columns (columns.h)
    bool suggestions = true;              ///< "did you mean" from the index's vocabulary, held in memory (spelling.h)
    /// The keys (access_keys.h), never logged: writes need write_key and are refused without one; when
    /// read_key is set, the API's reads need it (or the write key).
    std::string write_key, read_key;
    ServerLimits server;
    SearchLimits search;
};

}  // namespace dixit
