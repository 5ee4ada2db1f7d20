// One HTTP connection of dixit-searchd (Beast): read under limits, answer on a worker, write.
#pragma once

#include "allowed_hosts.h"
#include "connections.h"
#include "handlers.h"
#include "worker_pool.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dixit {

/// What every session shares with the server.
struct ServerContext {
    SearchService& service;
    WorkerPool& pool;
    ConnectionRegistry& registry;
    boost::asio::io_context& io;       ///< kept busy (work guard) while a worker holds a request
    const AllowedHosts& hosts;          ///< the Host headers answered
    std::atomic<bool> draining{false};  ///< shutting down: no new requests, no keep-alive
};

/// A connection: idle wait (idle_timeout, closes silently), request read (read_timeout from its first byte,
/// 408), limits (413, 414, 431), malformed input (400), the pool (503 when full), the response
/// (write_timeout), keep-alive, and a lingering close so that an error response is not lost to a reset.
/// All of its handlers run on its own strand.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context);
    ~HttpSession();

    /// Starts serving; when overloaded (over max_connections), answers 503 and closes instead.
    void run(bool overloaded);
    /// Shutdown: closes the connection now if it is waiting for a request, else after the current response.
    /// Thread-safe.
    void drain();
    /// Room for a new connection: closes this one if it is still waiting for a request. Thread-safe.
    void close_if_idle();

private:
    enum class State { Idle, Reading, Working, Writing, Closing };
    using error_code = boost::beast::error_code;

    void wait_for_request();
    void on_first_bytes(error_code ec, std::size_t bytes);
    void read_header();
    void on_header(error_code ec, std::size_t bytes);
    void read_body(error_code ec, std::size_t bytes);  ///< after the optional "100 Continue"
    void on_body(error_code ec, std::size_t bytes);
    void on_read_timeout(std::uint64_t request, error_code ec);
    void on_read_error(error_code ec);
    void dispatch_request();
    void reject(ErrorCode code, const std::string& message);
    void send(HttpResponse response, bool close);
    void on_write(bool keep_alive, error_code ec, std::size_t bytes);
    void record() noexcept;
    void linger();
    void on_linger(error_code ec, std::size_t bytes);
    void close();

    ServerContext& context_;
    ConnectionRegistry& registry_;  ///< outlives the io_context, unlike parts of the context
    const ServerLimits& limits_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    boost::asio::steady_timer read_timer_;  ///< read_timeout; cancels the read so that a 408 can still be sent
    boost::beast::http::response<boost::beast::http::string_body> response_;
    State state_ = State::Idle;
    std::uint64_t id_ = 0;
    std::uint64_t request_number_ = 0;  ///< tells a stale read-timer expiry from the current one
    bool read_timed_out_ = false;

    // The request being answered, for the response line, the access log and the metrics.
    std::string client_;
    std::chrono::steady_clock::time_point started_;
    unsigned version_ = 11;
    bool keep_alive_ = false;
    bool head_ = false;
    std::string method_;
    std::string target_;
    unsigned status_ = 0;
    std::size_t body_bytes_ = 0;
};

}  // namespace dixit
