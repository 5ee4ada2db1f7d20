// The one error table of the API: error codes, their HTTP status, and the JSON error body.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dixit {

/// Every error the API can answer with (see error_info() for status and name).
enum class ErrorCode {
    BadQuery,          ///< 400 the q parameter cannot be parsed (message names the position)
    BadParameter,      ///< 400 a parameter is malformed or out of range (message names it)
    BadJson,           ///< 400 a POST body is not the JSON object expected
    HostNotAllowed,    ///< 403 the Host header names a host this server does not answer for (DNS rebinding)
    NotFound,          ///< 404 no such route or no such quote
    MethodNotAllowed,  ///< 405 the route exists but not for this method
    Timeout,           ///< 408 the request was not received in time
    BodyTooLarge,      ///< 413 request body over the limit
    UriTooLong,        ///< 414 request target over the limit
    HeadersTooLarge,   ///< 431 request header block over the limit
    Overloaded,        ///< 503 too many connections or queued requests
    IndexUnavailable,  ///< 503 the index cannot be opened right now
    SearchTimeout,     ///< 503 a search ran over --max-search-ms (message says how to narrow it)
    Internal,          ///< 500 a bug: never a stack trace, only this
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
