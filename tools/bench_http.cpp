// dixit-bench-http: a bounded HTTP load run against a dixit-searchd on loopback (keep-alive connections).
//
// Opens C keep-alive connections from one thread and sends GET requests taken in turn from a file of
// targets (dixit-bench-query --emit writes one), until the time or request budget is spent. Prints
// throughput, latency percentiles and any non-200 answers. Loopback only. Usage:
//   dixit-bench-http --port P --targets FILE [--host 127.0.0.1] [--connections 64] [--seconds 10]
//                    [--max-requests 200000]
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Run {
    std::vector<std::string> targets;
    std::string host;
    std::size_t next = 0;
    std::size_t max_requests = 0;
    Clock::time_point deadline;
    std::vector<double> latencies_ms;
    std::map<int, std::size_t> failures;  ///< status (or -1 for a transport error) -> count

    bool more() { return next < max_requests && Clock::now() < deadline; }
    const std::string& take() { return targets[next++ % targets.size()]; }
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    Connection(net::io_context& io, Run& run) : stream_(io), run_(run) {}

    void start(const tcp::endpoint& endpoint) {
        stream_.async_connect(endpoint, [self = shared_from_this()](beast::error_code ec) {
            if (ec) return self->fail();
            self->send();
        });
    }

private:
    void send() {
        if (!run_.more()) {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
            return;
        }
        request_ = {http::verb::get, run_.take(), 11};
        request_.set(http::field::host, run_.host);
        request_.keep_alive(true);
        started_ = Clock::now();
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail();
            self->receive();
        });
    }

    void receive() {
        response_ = {};
        http::async_read(stream_, buffer_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail();
            self->run_.latencies_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - self->started_).count());
            if (self->response_.result_int() != 200) ++self->run_.failures[self->response_.result_int()];
            if (!self->response_.keep_alive()) return;
            self->send();
        });
    }

    void fail() { ++run_.failures[-1]; }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::empty_body> request_;
    http::response<http::string_body> response_;
    Clock::time_point started_;
    Run& run_;
};

bool is_loopback(const net::ip::address& a) { return a.is_loopback(); }

}  // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1", targets_file;
    unsigned port = 0, connections = 64, seconds = 10;
    std::size_t max_requests = 200000;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) { std::cerr << a << " needs a value\n"; std::exit(2); }
            return argv[++i];
        };
        if (a == "--host") host = value();
        else if (a == "--port") port = static_cast<unsigned>(std::stoul(value()));
        else if (a == "--targets") targets_file = value();
        else if (a == "--connections") connections = static_cast<unsigned>(std::stoul(value()));
        else if (a == "--seconds") seconds = static_cast<unsigned>(std::stoul(value()));
        else if (a == "--max-requests") max_requests = std::stoul(value());
        else if (a == "--help" || a == "-h") {
            std::cout << "usage: dixit-bench-http --port P --targets FILE [--host 127.0.0.1] [--connections 64]\n"
                         "                        [--seconds 10] [--max-requests 200000]\n"
                         "A bounded keep-alive GET load on a loopback dixit-searchd; prints req/s and latency.\n";
            return 0;
        } else { std::cerr << "unknown argument " << a << "\n"; return 2; }
    }
    if (!port || targets_file.empty() || connections == 0 || seconds == 0 || seconds > 600) {
        std::cerr << "--port and --targets are required; --seconds is 1..600\n";
        return 2;
    }
    Run run;
    run.host = host;
    run.max_requests = max_requests;
    std::ifstream in(targets_file);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) run.targets.push_back(line);
    if (run.targets.empty()) { std::cerr << "no targets in " << targets_file << "\n"; return 2; }
    // A deterministic shuffle mixes the query classes.
    for (std::size_t i = run.targets.size() - 1; i > 0; --i) std::swap(run.targets[i], run.targets[(i * 7919) % (i + 1)]);

    net::io_context io;
    beast::error_code ec;
    auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec || !is_loopback(address)) {
        std::cerr << "dixit-bench-http only loads loopback addresses (got " << host << ")\n";
        return 2;
    }
    tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    auto start = Clock::now();
    run.deadline = start + std::chrono::seconds(seconds);
    for (unsigned c = 0; c < connections; ++c) std::make_shared<Connection>(io, run)->start(endpoint);
    io.run();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

    auto& l = run.latencies_ms;
    std::sort(l.begin(), l.end());
    auto pct = [&](double p) { return l.empty() ? 0.0 : l[std::min(l.size() - 1, static_cast<std::size_t>(l.size() * p))]; };
    std::printf("| connections | requests | seconds | req/s | p50 ms | p90 ms | p99 ms | max ms | failed |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|\n");
    std::size_t failed = 0;
    for (auto& [status, n] : run.failures) failed += n;
    std::printf("| %u | %zu | %.1f | %.0f | %.2f | %.2f | %.2f | %.2f | %zu |\n", connections, l.size(), elapsed,
                l.size() / elapsed, pct(0.5), pct(0.9), pct(0.99), l.empty() ? 0.0 : l.back(), failed);
    for (auto& [status, n] : run.failures)
        std::printf("  %s %d: %zu\n", status < 0 ? "transport error" : "status", status, n);
    return failed ? 1 : 0;
}
