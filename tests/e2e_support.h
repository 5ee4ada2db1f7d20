// End-to-end test support: temporary directories, child processes (indexer, searchd) and a small HTTP client.
#pragma once

#include "temp_dir.h"

#include <codec.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace dixit::e2e {

using dixit::test::TempDir;

/// Paths of the binaries under test and of the project's data, fixed at build time by CMake.
inline const std::string searchd_path = DIXIT_SEARCHD;
inline const std::string indexer_path = DIXIT_INDEXER;
inline const std::string gen_corpus_path = DIXIT_GEN_CORPUS;
inline const std::string data_dir = DIXIT_DATA_DIR;

/// The whole content of a file ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// Starts argv[0] with stdout and stderr redirected to files; returns the child's pid (throws on failure).
inline pid_t spawn(const std::vector<std::string>& args, const std::string& out_file, const std::string& err_file) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
    return pid;
}

/// What a finished command left behind.
struct CommandResult {
    int status = -1;  ///< exit status, or -1 when killed by a signal
    std::string out, err;
};

/// Runs a command to completion (the indexer, the corpus generator), capturing its output in dir.
inline CommandResult run_command(const std::vector<std::string>& args, const TempDir& dir) {
    static int serial = 0;
    const std::string stem = dir / ("cmd-" + std::to_string(++serial));
    pid_t pid = spawn(args, stem + ".out", stem + ".err");
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {}
    CommandResult r;
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    r.out = slurp(stem + ".out");
    r.err = slurp(stem + ".err");
    return r;
}

/// A running dixit-searchd on a free loopback port; SIGTERM, then SIGKILL, in the destructor.
class Searchd {
public:
    /// Starts the server on the index at db and waits (up to 20 s) for its "listening on" line.
    Searchd(const std::string& db, const TempDir& dir, std::vector<std::string> extra = {})
        : err_file_(dir / "searchd.err") {
        std::vector<std::string> args = {searchd_path, "--db", db, "--listen", "127.0.0.1:0", "--threads", "2"};
        args.insert(args.end(), extra.begin(), extra.end());
        pid_ = spawn(args, "/dev/null", err_file_);
        const std::string marker = "dixit-searchd listening on http://127.0.0.1:";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < deadline) {
            const std::string err = slurp(err_file_);
            const auto at = err.find(marker);
            if (at != std::string::npos && err.find('\n', at) != std::string::npos) {
                port_ = static_cast<unsigned short>(std::stoul(err.substr(at + marker.size())));
                return;
            }
            int wstatus = 0;
            if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("dixit-searchd exited before listening: " + err);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        stop();  // the destructor of a half-constructed object never runs
        throw std::runtime_error("dixit-searchd did not report listening within 20 s: " + slurp(err_file_));
    }
    ~Searchd() { stop(); }
    Searchd(const Searchd&) = delete;
    Searchd& operator=(const Searchd&) = delete;

    /// The port it listens on.
    unsigned short port() const { return port_; }
    /// What it wrote on stderr so far.
    std::string log() const { return slurp(err_file_); }

    /// SIGTERM and wait (SIGKILL after 10 s); returns the exit status, -1 if killed, or nullopt if already stopped.
    std::optional<int> stop() {
        if (pid_ <= 0) return std::nullopt;
        ::kill(pid_, SIGTERM);
        int wstatus = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (::waitpid(pid_, &wstatus, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &wstatus, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        pid_ = -1;
        return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    }

private:
    std::string err_file_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

/// Percent-encodes a query parameter value (schema/codec.h).
inline std::string url_encode(const std::string& value) { return dixit::percent_encode(value); }

/// One HTTP response.
struct HttpResult {
    int status = 0;
    std::string body;
    std::string content_type;
};

/// A synchronous HTTP/1.1 client on one keep-alive connection, opened on first use and again after the
/// server closes it. Operations run asynchronously on a private io_context so that they can time out
/// (Beast's timeouts apply to async operations only): a hung server fails the test instead of hanging it.
class HttpClient {
public:
    explicit HttpClient(unsigned short port, std::chrono::seconds timeout = std::chrono::seconds(30))
        : port_(port), timeout_(timeout), stream_(ioc_) {
        std::signal(SIGPIPE, SIG_IGN);  // a write on a connection the server closed must be an error, not a death
    }

    /// GET target; throws boost::system::system_error on a transport error (the connection is then dropped).
    HttpResult get(const std::string& target) {
        namespace http = boost::beast::http;
        try {
            if (!connected_) connect();
            http::request<http::empty_body> request{http::verb::get, target, 11};
            request.set(http::field::host, "127.0.0.1");
            request.keep_alive(true);
            http::response_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            boost::system::error_code ec;
            stream_.expires_after(timeout_);
            http::async_write(stream_, request, [&](boost::system::error_code e, std::size_t) { ec = e; });
            run();
            if (!ec) {
                stream_.expires_after(timeout_);
                http::async_read(stream_, buffer_, parser, [&](boost::system::error_code e, std::size_t) { ec = e; });
                run();
            }
            if (ec) throw boost::system::system_error(ec, "GET " + target);
            auto& response = parser.get();
            HttpResult result{static_cast<int>(response.result_int()), std::move(response.body()),
                              std::string(response[http::field::content_type])};
            if (!response.keep_alive()) disconnect();  // the server said "Connection: close"
            ++requests_;
            return result;
        } catch (...) {
            disconnect();
            throw;
        }
    }

    /// Connections opened so far (1 when keep-alive held for every request).
    unsigned connections() const { return connections_; }
    /// Requests answered so far.
    unsigned requests() const { return requests_; }

private:
    void run() {
        ioc_.restart();
        ioc_.run();
    }
    void connect() {
        boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port_);
        boost::system::error_code ec;
        stream_.expires_after(timeout_);
        stream_.async_connect(endpoint, [&](boost::system::error_code e) { ec = e; });
        run();
        if (ec) throw boost::system::system_error(ec, "connect to 127.0.0.1:" + std::to_string(port_));
        buffer_.clear();
        connected_ = true;
        ++connections_;
    }
    void disconnect() {
        boost::system::error_code ignored;
        stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        connected_ = false;
    }

    unsigned short port_;
    std::chrono::seconds timeout_;
    boost::asio::io_context ioc_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    bool connected_ = false;
    unsigned connections_ = 0;
    unsigned requests_ = 0;
};

/// Splits UTF-8 text into code points (each as its bytes); the texts come from valid JSON.
inline std::vector<std::string> code_points(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out.push_back(text.substr(i, n));
        i += n;
    }
    return out;
}

}  // namespace dixit::e2e
