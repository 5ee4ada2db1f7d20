// The access log's line: one request, as dixit-searchd writes it to stderr with --access-log.
#pragma once

#include <cstddef>
#include <string>

namespace dixit {

/// What the access log says of one request.
struct AccessLogEntry {
    const std::string& client;  ///< "127.0.0.1"
    const std::string& method;  ///< "" when the request could not be read
    const std::string& target;  ///< as received, "" when none
    unsigned status;
    std::size_t body_bytes;  ///< of the response
    double seconds;          ///< from the first byte of the request to the last of the response
};

/// "2024-05-01T12:00:00.123Z 127.0.0.1 GET /health 200 56 0.172ms\n": UTC with milliseconds, "-" for a
/// missing method or target, the target cut to 2 KiB.
std::string access_log_line(const AccessLogEntry& entry);

}  // namespace dixit
