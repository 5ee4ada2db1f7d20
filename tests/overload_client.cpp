// dixit-overload-client: holds many idle and slow-header connections open to a dixit-searchd, then times new clients.
//
// Opens IDLE connections that never send a byte and SLOW connections that send a request header one byte
// at a time (every 100 ms) and never finish it; once all are open and the slow ones have trickled for a
// while, PROBES new connections each send GET TARGET and wait for the whole response. Prints one line:
//   connected=N connect_failures=N idle_open=N slow_open=N probes=N probe_200=N probe_max_ms=N probe_statuses=S...
// where *_open count the held connections the server had not closed when the probes ended. Exit status 0
// when it ran (the caller judges the numbers), 2 on bad usage. Used by tests/overload.sh.
//   dixit-overload-client PORT IDLE SLOW TARGET [PROBES]
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// A header that is never finished: the server waits for the blank line until --read-timeout-ms.
const std::string slow_header = "GET /search?q=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

struct Held {
    explicit Held(net::io_context& io) : socket(io), timer(io) {}
    tcp::socket socket;
    net::steady_timer timer;  ///< the next byte (slow connections)
    char in[512];
    bool open = false;
    std::size_t sent = 0;
};

struct Counts {
    std::size_t connected = 0;
    std::size_t connect_failures = 0;
};

// Reads until the server closes the connection (a 503, a 408 or a plain close all end it).
void watch(const std::shared_ptr<Held>& h) {
    h->socket.async_read_some(net::buffer(h->in), [h](beast::error_code ec, std::size_t) {
        if (ec) {
            h->open = false;
            h->timer.cancel();
            return;
        }
        watch(h);
    });
}

void trickle(const std::shared_ptr<Held>& h) {
    if (!h->open) return;
    const char byte = h->sent < slow_header.size() ? slow_header[h->sent] : 'x';
    ++h->sent;
    beast::error_code ec;
    h->socket.write_some(net::buffer(&byte, 1), ec);  // one byte: the socket buffer always has room
    if (ec) {
        h->open = false;
        return;
    }
    h->timer.expires_after(std::chrono::milliseconds(100));
    h->timer.async_wait([h](beast::error_code wait_error) {
        if (!wait_error) trickle(h);
    });
}

// One new client: connect, GET target, read the whole response. Returns {status or 0, milliseconds}.
std::pair<int, long> probe(const tcp::endpoint& endpoint, const std::string& target) {
    const auto start = Clock::now();
    net::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    beast::error_code ec;
    int status = 0;
    stream.connect(endpoint, ec);
    if (!ec) {
        http::request<http::empty_body> request(http::verb::get, target, 11);
        request.set(http::field::host, "127.0.0.1");
        http::write(stream, request, ec);
    }
    if (!ec) {
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response, ec);
        if (!ec) status = response.result_int();
    }
    const long ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return {status, ms};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5 || argc > 6) {
        std::cerr << "usage: dixit-overload-client PORT IDLE SLOW TARGET [PROBES]\n";
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
    const auto idle = static_cast<std::size_t>(std::atol(argv[2]));
    const auto slow = static_cast<std::size_t>(std::atol(argv[3]));
    const std::string target = argv[4];
    const int probes = argc == 6 ? std::atoi(argv[5]) : 3;
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);

    net::io_context io;
    Counts counts;
    std::vector<std::shared_ptr<Held>> idle_held, slow_held;
    // Connect one at a time (each waits for the previous): a burst of thousands would overflow the
    // listen backlog and measure SYN retries rather than the server.
    auto connect_all = [&](std::vector<std::shared_ptr<Held>>& into, std::size_t n, bool is_slow) {
        for (std::size_t i = 0; i < n; ++i) {
            auto h = std::make_shared<Held>(io);
            beast::error_code ec;
            h->socket.connect(endpoint, ec);
            if (ec) {
                ++counts.connect_failures;
                continue;
            }
            ++counts.connected;
            h->open = true;
            watch(h);
            if (is_slow) trickle(h);
            into.push_back(h);
            io.poll();  // keep earlier connections' reads and trickles going
        }
    };
    connect_all(idle_held, idle, false);
    connect_all(slow_held, slow, true);

    // Let the slow clients trickle a while before and between the probes (they run on the other thread).
    io.restart();
    auto work = net::make_work_guard(io);
    std::thread runner([&] { io.run(); });
    std::this_thread::sleep_for(std::chrono::seconds(1));
    int ok = 0;
    long max_ms = 0;
    std::string statuses;
    for (int i = 0; i < probes; ++i) {
        auto [status, ms] = probe(endpoint, target);
        ok += status == 200;
        max_ms = std::max(max_ms, ms);
        statuses += (statuses.empty() ? "" : ",") + std::to_string(status);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    work.reset();
    std::size_t idle_open = 0, slow_open = 0;
    net::post(io, [&] {
        for (auto& h : idle_held) idle_open += h->open;
        for (auto& h : slow_held) slow_open += h->open;
        io.stop();
    });
    runner.join();
    std::cout << "connected=" << counts.connected << " connect_failures=" << counts.connect_failures
              << " idle_open=" << idle_open << " slow_open=" << slow_open << " probes=" << probes
              << " probe_200=" << ok << " probe_max_ms=" << max_ms << " probe_statuses=" << statuses << "\n";
    return 0;
}
