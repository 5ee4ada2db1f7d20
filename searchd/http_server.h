// The HTTP front of dixit-searchd: the listener, the io threads, the worker pool and graceful shutdown.
#pragma once

#include "searcher.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dixit {

/// A parsed --listen value.
struct ListenAddress {
    std::string host;  ///< an IP address literal, without brackets
    std::uint16_t port = 0;
};

/// Parses "HOST:PORT", "[IPV6]:PORT", ":PORT" or "PORT" (the last two on 127.0.0.1); HOST is an IP
/// address or "localhost". Port 0 picks a free port. Throws std::invalid_argument saying what is wrong.
ListenAddress parse_listen(std::string_view text);

/// dixit-searchd's server: asynchronous Boost.Beast sessions on one or two io threads, requests answered
/// by a fixed pool of worker threads that each own a Searcher. Stops on SIGTERM or SIGINT after the
/// requests in flight are answered. Call bind(), start_workers(), then run().
class HttpServer {
public:
    /// Uses service.settings() (listen, threads, server limits, access log).
    explicit HttpServer(SearchService& service);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and listens; throws std::runtime_error with one plain sentence when it cannot (port in use).
    void bind();
    /// Opens the index on every worker thread and returns its document count; rethrows what a Searcher
    /// constructor threw (ApiError(IndexUnavailable)).
    std::uint64_t start_workers();
    /// Number of search workers.
    unsigned workers() const;
    /// "http://127.0.0.1:8080", with the real port once bound.
    std::string url() const;
    /// Serves until SIGTERM or SIGINT, drains (bounded), and joins every thread.
    void run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dixit
