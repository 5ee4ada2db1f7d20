// HttpSession: one connection's read → worker → write loop, after Boost 1.74's http_server_async and
// advanced_server examples (the registry of connections: connections.cpp; log lines: access_log.cpp).
#include "http_session.h"

#include "access_log.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <ctime>
#include <limits>

namespace dixit {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// After a response that ends the connection, keep reading (and discarding) for this long before closing:
// closing a socket with unread input sends a reset, and the client may lose our response with it
// (typically a 413 while it is still sending the body).
constexpr std::chrono::seconds linger_time{2};
constexpr std::size_t read_chunk = 8192;

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// handle() never throws by contract; this keeps a broken contract from reaching the socket code.
HttpResponse answer(const HttpRequest& request, Searcher& searcher) {
    try {
        return handle(request, searcher);
    } catch (...) {
    }
    try {
        return error_response(ErrorCode::Internal, "internal error");
    } catch (...) {
    }
    return HttpResponse{500, "application/json", R"({"error":{"code":"internal","message":"internal error"}})"};
}

bool is_http_error(const beast::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, ServerContext& context)
    : context_(context),
      registry_(context.registry),
      limits_(context.service.settings().server),
      stream_(std::move(socket)),
      read_timer_(stream_.get_executor()) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "-" : remote.address().to_string();
    // Small request/response exchanges: Nagle plus delayed ACKs would add 40 ms to some of them.
    stream_.socket().set_option(tcp::no_delay(true), ec);
}

HttpSession::~HttpSession() {
    if (id_) registry_.remove(id_);
}

void HttpSession::run(bool overloaded) {
    id_ = registry_.add(weak_from_this());
    // The socket came from the acceptor on its own strand; start on it, as the Beast examples do.
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), overloaded] {
        if (!overloaded) return self->wait_for_request();
        self->started_ = std::chrono::steady_clock::now();
        self->reject(ErrorCode::Overloaded, "too many open connections; retry later");
    });
}

void HttpSession::drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        if (self->state_ == State::Idle) self->close();
        // Otherwise the request in progress is answered with "Connection: close" (send() sees draining).
    });
}

void HttpSession::close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        if (self->state_ == State::Idle) self->close();
    });
}

void HttpSession::wait_for_request() {
    if (context_.draining) return close();
    parser_.reset();
    response_ = {};
    method_.clear();
    target_.clear();
    head_ = false;
    if (buffer_.size() > 0) {  // a pipelined request is already here
        started_ = std::chrono::steady_clock::now();
        return read_header();
    }
    // A large body grew the buffer; an idle keep-alive connection should not hold on to that memory.
    if (buffer_.capacity() > 4 * read_chunk) buffer_.shrink_to_fit();
    // Wait for the first byte under the idle timeout; the read timeout starts with it. A single
    // timeout for both would either cut slow clients short or let a trickling request hold a
    // connection for the whole keep-alive period.
    state_ = State::Idle;
    registry_.set_idle(id_, true);
    stream_.expires_after(limits_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(read_chunk),
                            beast::bind_front_handler(&HttpSession::on_first_bytes, shared_from_this()));
}

void HttpSession::on_first_bytes(error_code ec, std::size_t bytes) {
    if (ec) return close();  // idle timeout, the client closed, shutdown or room for another: nothing to answer
    registry_.set_idle(id_, false);
    buffer_.commit(bytes);
    started_ = std::chrono::steady_clock::now();
    read_header();
}

void HttpSession::read_header() {
    state_ = State::Reading;
    parser_.emplace();
    // Beast applies header_limit to the request line and to the header fields separately.
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(limits_.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(limits_.max_body_bytes);
    read_timed_out_ = false;
    stream_.expires_never();  // the read timer below owns this phase: the stream's own timeout would close
    read_timer_.expires_after(limits_.read_timeout);
    read_timer_.async_wait([self = shared_from_this(), request = ++request_number_](error_code ec) {
        self->on_read_timeout(request, ec);
    });
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_read_timeout(std::uint64_t request, error_code ec) {
    if (ec || request != request_number_ || state_ != State::Reading) return;
    read_timed_out_ = true;
    error_code ignored;
    stream_.socket().cancel(ignored);  // the pending read ends with operation_aborted; on_read_error answers 408
}

void HttpSession::on_header(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    const auto& request = parser_->get();
    if (request.target().size() > limits_.max_url_bytes)
        return reject(ErrorCode::UriTooLong,
                      "request target over " + std::to_string(limits_.max_url_bytes) + " bytes");
    // Before the body is read: a page of another site (DNS rebinding) gets nothing but this.
    if (request.count(http::field::host) > 1) return reject(ErrorCode::BadParameter, "more than one Host header");
    const auto host_field = request[http::field::host];
    const std::string_view host(host_field.data(), host_field.size());
    if (!context_.hosts.allows(host))
        return reject(ErrorCode::HostNotAllowed, "Host '" + std::string(host.substr(0, 256)) +
                                                     "' is not a name of this server (dixit-searchd --allowed-hosts)");
    if (parser_->is_done()) return dispatch_request();
    // curl and others wait a second for this before sending a body; the limits are already checked.
    if (request.version() >= 11 && beast::iequals(request[http::field::expect], "100-continue")) {
        static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(stream_, net::buffer(continue_line.data(), continue_line.size()),
                         beast::bind_front_handler(&HttpSession::read_body, shared_from_this()));
        return;
    }
    read_body({}, 0);
}

void HttpSession::read_body(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
}

void HttpSession::on_body(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    dispatch_request();
}

void HttpSession::on_read_error(error_code ec) {
    if (read_timed_out_)
        return reject(ErrorCode::Timeout,
                      "request not received within " + std::to_string(limits_.read_timeout.count()) + " ms");
    if (ec == http::error::header_limit) {
        // No target yet means the request line itself did not fit: that is a too-long URL.
        if (parser_->get().target().empty())
            return reject(ErrorCode::UriTooLong, "request line over " + std::to_string(limits_.max_header_bytes) + " bytes");
        return reject(ErrorCode::HeadersTooLarge,
                      "request headers over " + std::to_string(limits_.max_header_bytes) + " bytes");
    }
    if (ec == http::error::body_limit)
        return reject(ErrorCode::BodyTooLarge, "request body over " + std::to_string(limits_.max_body_bytes) + " bytes");
    // The client went away mid-request: nobody to answer.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message || !is_http_error(ec)) return close();
    reject(ErrorCode::BadParameter, "malformed HTTP request: " + ec.message());
}

void HttpSession::dispatch_request() {
    read_timer_.cancel();
    state_ = State::Working;
    auto message = parser_->release();
    parser_.reset();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == http::verb::head;
    method_ = std::string(message.method_string());
    target_ = std::string(message.target());

    HttpRequest request;
    // HEAD is answered as GET with the body left out, so its headers are exactly GET's.
    request.method = head_ ? "GET" : method_;
    request.target = target_;
    request.content_type = std::string(message[http::field::content_type]);
    request.if_none_match = std::string(message[http::field::if_none_match]);
    request.authorization = std::string(message[http::field::authorization]);
    request.body = std::move(message.body());

    // The work guard keeps io_context::run() going while the request is away on a worker; the answer
    // comes back through post() to this session's strand.
    const Lane lane = is_quick(request, context_.service) ? Lane::Quick : Lane::Search;
    auto self = shared_from_this();
    auto job = [self, work = net::make_work_guard(context_.io), executor = stream_.get_executor(),
                request = std::move(request)](Searcher& searcher) {
        net::post(executor, [self, response = answer(request, searcher)]() mutable {
            self->send(std::move(response), false);
        });
    };
    if (!context_.pool.try_submit(std::move(job), lane))
        send(error_response(ErrorCode::Overloaded, "too many requests waiting; retry later"), false);
}

void HttpSession::reject(ErrorCode code, const std::string& message) {
    // What was parsed of the request, for the status line and the log.
    if (parser_ && !parser_->get().target().empty()) {
        version_ = parser_->get().version();
        method_ = std::string(parser_->get().method_string());
        target_ = std::string(parser_->get().target());
    } else {
        version_ = 11;
    }
    keep_alive_ = false;
    head_ = false;
    send(error_response(code, message), true);
}

void HttpSession::send(HttpResponse response, bool close) {
    read_timer_.cancel();
    state_ = State::Writing;
    bool keep_alive = keep_alive_ && !close && !context_.draining;
    status_ = response.status;
    body_bytes_ = response.body.size();
    response_ = {};
    response_.version(version_ == 10 ? 10 : 11);
    response_.result(response.status);
    response_.set(http::field::server, "dixit");
    response_.set(http::field::content_type, response.content_type);
    // Answers change whenever the index does; a cache in between would serve stale results.
    response_.set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : response.headers) response_.set(name, value);
    response_.keep_alive(keep_alive);
    if (head_) {
        response_.content_length(body_bytes_);
    } else {
        response_.body() = std::move(response.body);
        response_.prepare_payload();
    }
    stream_.expires_after(limits_.write_timeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
}

void HttpSession::on_write(bool keep_alive, error_code ec, std::size_t) {
    record();
    if (ec) return close();
    if (!keep_alive) return linger();
    wait_for_request();
}

void HttpSession::record() noexcept {
    try {
        double seconds = seconds_since(started_);
        std::string_view path = target_;
        path = path.substr(0, path.find('?'));
        context_.service.metrics().observe(route_of(path), status_, seconds);
        if (!context_.service.settings().access_log) return;
        const std::string line = access_log_line({client_, method_, target_, status_, body_bytes_, seconds});
        std::fwrite(line.data(), 1, line.size(), stderr);  // one call: stdio's lock keeps lines whole
    } catch (...) {
        // Bookkeeping must never take the connection down.
    }
}

void HttpSession::linger() {
    state_ = State::Closing;
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    buffer_.consume(buffer_.size());
    stream_.expires_after(linger_time);  // a deadline for all the reads below together
    stream_.async_read_some(buffer_.prepare(read_chunk),
                            beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::on_linger(error_code ec, std::size_t) {
    if (ec) return close();  // the client closed its side (or the linger time is up)
    stream_.async_read_some(buffer_.prepare(read_chunk),
                            beast::bind_front_handler(&HttpSession::on_linger, shared_from_this()));
}

void HttpSession::close() {
    state_ = State::Closing;
    read_timer_.cancel();
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
}

}  // namespace dixit
