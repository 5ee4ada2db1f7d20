// The one error table of the API: error codes, their HTTP status, and the JSON error body.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dixit {

/// The error table, one row an error: X(code, HTTP status, wire name). Each row carries its own code, so
/// the enum and the table cannot drift apart.
#define DIXIT_API_ERRORS(X)                                                                                   \
    X(BadQuery, 400, "bad_query")                 /* the q parameter cannot be parsed (names the position) */ \
    X(BadParameter, 400, "bad_parameter")         /* a parameter is malformed or out of range (names it) */    \
    X(BadJson, 400, "bad_json")                   /* a POST body is not the JSON object expected */            \
    X(Unauthorized, 401, "unauthorized")          /* no key, or a wrong one, where one is needed */            \
    X(HostNotAllowed, 403, "host_not_allowed")    /* the Host header names another host (DNS rebinding) */     \
    X(WritesDisabled, 403, "writes_disabled")     /* a write on a server started without --write-key-file */   \
    X(NotFound, 404, "not_found")                 /* no such route or no such quote */                         \
    X(MethodNotAllowed, 405, "method_not_allowed") /* the route exists but not for this method */              \
    X(Timeout, 408, "timeout")                    /* the request was not received in time */                   \
    X(BodyTooLarge, 413, "body_too_large")        /* request body over the limit */                            \
    X(UriTooLong, 414, "uri_too_long")            /* request target over the limit */                          \
    X(HeadersTooLarge, 431, "headers_too_large")  /* request header block over the limit */                    \
    X(Overloaded, 503, "overloaded")              /* too many connections or queued requests */                \
    X(IndexUnavailable, 503, "index_unavailable") /* the index cannot be opened right now */                   \
    X(IndexBusy, 503, "index_busy")               /* another writer holds the index (Retry-After says when) */ \
    X(SearchTimeout, 503, "search_timeout")       /* a search ran over --max-search-ms (says how to narrow) */ \
    X(Internal, 500, "internal")                  /* a bug: never a stack trace, only this */

/// Every error the API can answer with (DIXIT_API_ERRORS; error_info() gives status and name).
enum class ErrorCode {
#define DIXIT_ERROR_CODE(code, status, name) code,
    DIXIT_API_ERRORS(DIXIT_ERROR_CODE)
#undef DIXIT_ERROR_CODE
};

/// HTTP status and wire name of an error code.
struct ErrorInfo {
    unsigned status;
    std::string_view name;  ///< "bad_query", "not_found"...
};

/// The table entry of an error code.
const ErrorInfo& error_info(ErrorCode code);

/// An error a handler answers with; position is the 1-based character in q for query errors.
class ApiError : public std::runtime_error {
public:
    ApiError(ErrorCode code, const std::string& message, std::optional<std::size_t> position = std::nullopt);
    ErrorCode code() const noexcept { return code_; }
    std::optional<std::size_t> position() const noexcept { return position_; }

private:
    ErrorCode code_;
    std::optional<std::size_t> position_;
};

/// The JSON body {"error": {"code", "message"[, "position"]}}.
std::string error_body(ErrorCode code, std::string_view message, std::optional<std::size_t> position = std::nullopt);

}  // namespace dixit
