// HttpServer: binds, accepts (with the max_connections rule: the longest idle connection makes room, else
// 503), runs the io threads and the worker pool, and shuts down gracefully on SIGTERM/SIGINT (after Boost
// 1.74's advanced_server example).
#include "http_server.h"

#include "http_session.h"
#include "open_files.h"

#include <text.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <charconv>
#include <csignal>
#include <iostream>
#include <stdexcept>
#include <thread>

namespace dixit {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// How long shutdown waits for requests in flight before closing whatever is left.
constexpr std::chrono::seconds drain_time{5};
// Connections beyond max_connections still get their 503 up to this many more; past that they are closed
// unanswered, because even a 503 costs a socket and a little time.
constexpr std::size_t reject_headroom = 64;

std::string endpoint_text(const tcp::endpoint& endpoint) {
    auto address = endpoint.address();
    std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

unsigned worker_count(const Settings& settings) {
    if (settings.threads) return settings.threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

// One io thread saturates a core at ~100k small responses/s; a second one only pays off with cores to spare.
unsigned io_thread_count() { return std::thread::hardware_concurrency() >= 4 ? 2 : 1; }

}  // namespace

ListenAddress parse_listen(std::string_view text) {
    auto bad = [&](const std::string& why) {
        return std::invalid_argument("--listen '" + std::string(text) + "': " + why +
                                     " (expected HOST:PORT, [IPV6]:PORT, :PORT or PORT)");
    };
    std::string_view host, port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            throw bad("unclosed '[' or no port");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) throw bad("put an IPv6 address in brackets");
    } else {
        port = text;
    }
    ListenAddress result;
    // Loopback unless told otherwise: the API has no authentication of its own.
    result.host = host.empty() || host == "localhost" ? "127.0.0.1" : std::string(host);
    const auto value = parse_whole<unsigned>(port);
    if (!value || *value > 65535) throw bad("port must be a number from 0 to 65535");
    result.port = static_cast<std::uint16_t>(*value);
    beast::error_code address_error;
    net::ip::make_address(result.host, address_error);
    if (address_error) throw bad("'" + result.host + "' is not an IP address");
    return result;
}

struct HttpServer::Impl {
    explicit Impl(SearchService& service_)
        : service(service_),
          pool(service_, worker_count(service_.settings()), service_.settings().server.max_queued_requests),
          hosts(parse_listen(service_.settings().listen).host, service_.settings().allowed_hosts),
          context{service_, pool, registry, io, hosts},
          strand(net::make_strand(io)),
          acceptor(strand),
          signals(strand, SIGINT, SIGTERM),
          accept_retry(strand),
          drain_poll(strand) {}

    void limit_connections();
    void bind();
    void accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    void on_signal(beast::error_code ec, int signal);
    void poll_drain();
    void run_io();

    // Declaration order is destruction order in reverse: the pool (whose queued jobs hold sessions and
    // work on the io_context) goes before the io_context, and sessions unregister from the registry
    // even when the io_context destroys them last.
    SearchService& service;
    ConnectionRegistry registry;
    net::io_context io;
    WorkerPool pool;
    const AllowedHosts hosts;
    ServerContext context;
    net::strand<net::io_context::executor_type> strand;  ///< acceptor, signals and timers
    tcp::acceptor acceptor;
    net::signal_set signals;
    net::steady_timer accept_retry;
    net::steady_timer drain_poll;
    std::size_t max_connections = 0;  ///< --max-connections, or fewer when open files are short
    bool stopping = false;
    std::chrono::steady_clock::time_point drain_deadline;
};

void HttpServer::Impl::limit_connections() {
    // Each connection is a descriptor: past the limit of open files, a worker could no longer reopen the
    // index after a commit, and every search would fail. Connections get what the index leaves.
    const std::size_t configured = service.settings().server.max_connections;
    const OpenFilesLimit files = raise_open_files_limit();
    const unsigned workers = pool.size() + 1;  // the quick worker opens the index too
    max_connections = connection_limit(configured, files.now, workers, reject_headroom);
    if (files.now != files.before)
        std::cerr << "dixit-searchd: open files limit raised from " << files.before << " to " << files.now << "\n";
    if (max_connections < configured)
        std::cerr << "dixit-searchd: --max-connections " << configured << " lowered to " << max_connections
                  << ": the open files limit is " << files.now << " and " << reserved_descriptors(workers) << " + "
                  << reject_headroom << " are kept for the index and for 503 answers (raise it with ulimit -n)\n";
}

void HttpServer::Impl::bind() {
    limit_connections();
    ListenAddress listen = parse_listen(service.settings().listen);
    tcp::endpoint endpoint(net::ip::make_address(listen.host), listen.port);
    std::string where = endpoint_text(endpoint);
    beast::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);  // restart despite TIME_WAIT
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
}

void HttpServer::Impl::accept() {
    // Each connection gets its own strand, so two io threads never run one session's handlers at once.
    acceptor.async_accept(net::make_strand(io), beast::bind_front_handler(&Impl::on_accept, this));
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
    if (stopping) return;  // the socket closes as it goes out of scope
    if (ec) {
        if (ec == net::error::operation_aborted) return;
        // Out of file descriptors, typically: the listening socket stays readable, so retrying at once
        // would spin; pause while connections close.
        std::cerr << "dixit-searchd: accept failed: " << ec.message() << "\n";
        accept_retry.expires_after(std::chrono::milliseconds(100));
        accept_retry.async_wait([this](beast::error_code wait_error) {
            if (!wait_error && !stopping) accept();
        });
        return;
    }
    const std::size_t open = registry.size();
    bool overloaded = open >= max_connections;
    if (open < max_connections + reject_headroom) {
        // Full: the connection that has waited longest for a request makes room, rather than a new client
        // being turned away while keep-alive connections sit idle.
        if (overloaded) {
            if (auto idle = registry.take_longest_idle()) {
                idle->close_if_idle();
                overloaded = false;
            }
        }
        std::make_shared<HttpSession>(std::move(socket), context)->run(overloaded);
    }
    accept();
}

void HttpServer::Impl::on_signal(beast::error_code ec, int) {
    if (ec) return;
    if (stopping) {  // a second signal: stop waiting
        io.stop();
        return;
    }
    stopping = true;
    context.draining = true;
    std::cerr << "dixit-searchd: stopping, open connections: " << registry.size() << "\n";
    beast::error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    for (auto& session : registry.snapshot()) session->drain();
    signals.async_wait(beast::bind_front_handler(&Impl::on_signal, this));
    drain_deadline = std::chrono::steady_clock::now() + drain_time;
    poll_drain();
}

void HttpServer::Impl::poll_drain() {
    // Every session has ended once its last request is written: then nothing is left to wait for.
    if (registry.size() == 0 || std::chrono::steady_clock::now() >= drain_deadline) {
        io.stop();
        return;
    }
    drain_poll.expires_after(std::chrono::milliseconds(20));
    drain_poll.async_wait([this](beast::error_code ec) {
        if (!ec) poll_drain();
    });
}

void HttpServer::Impl::run_io() {
    // A handler that throws would end run() and with it this thread's share of the connections: report
    // it and keep serving rather than crash.
    for (;;) {
        try {
            io.run();
            return;
        } catch (const std::exception& e) {
            std::cerr << "dixit-searchd: internal error on an I/O thread: " << e.what() << "\n";
        } catch (...) {
            std::cerr << "dixit-searchd: internal error on an I/O thread\n";
        }
    }
}

HttpServer::HttpServer(SearchService& service) : impl_(std::make_unique<Impl>(service)) {}

HttpServer::~HttpServer() = default;

void HttpServer::bind() { impl_->bind(); }

std::uint64_t HttpServer::start_workers() {
    std::uint64_t documents = impl_->pool.start();
    // The columns before the first request is taken (bound, the port queues connections meanwhile):
    // without them a faceted or date-ordered search of 1M quotes can run past its time budget.
    if (impl_->service.settings().columns) {
        try {
            Xapian::Database db(impl_->service.settings().db);
            impl_->service.columns().get(db, true);
        } catch (const std::exception& e) {  // requests ask the builder again, and answer through Xapian meanwhile
            std::cerr << "dixit-searchd: building the columns failed: " << e.what() << '\n';
        } catch (const Xapian::Error& e) {
            std::cerr << "dixit-searchd: building the columns failed: " << e.get_msg() << '\n';
        }
    }
    return documents;
}

unsigned HttpServer::workers() const { return impl_->pool.size(); }

std::string HttpServer::url() const {
    beast::error_code ec;
    auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? "http://" + impl_->service.settings().listen : "http://" + endpoint_text(endpoint);
}

void HttpServer::run() {
    impl_->signals.async_wait(beast::bind_front_handler(&Impl::on_signal, impl_.get()));
    impl_->accept();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < io_thread_count(); ++i) threads.emplace_back([this] { impl_->run_io(); });
    impl_->run_io();
    for (auto& thread : threads) thread.join();
    impl_->pool.stop();  // after the io threads: no session can queue a request any more
}

}  // namespace dixit
