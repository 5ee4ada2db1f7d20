// The access log's line (access_log.h).
#include "access_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace dixit {
namespace {

constexpr std::size_t max_logged_target = 2048;

// "2024-05-01T12:00:00.123Z": UTC with milliseconds.
std::string iso_now() {
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms));
    return text;
}

}  // namespace

std::string access_log_line(const AccessLogEntry& e) {
    const std::string target = e.target.empty() ? "-" : e.target.substr(0, max_logged_target);
    char tail[96];
    std::snprintf(tail, sizeof tail, " %u %zu %.3fms\n", e.status, e.body_bytes, e.seconds * 1000);
    return iso_now() + ' ' + e.client + ' ' + (e.method.empty() ? "-" : e.method) + ' ' + target + tail;
}

}  // namespace dixit
