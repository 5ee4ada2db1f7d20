// Metrics: counters and the latency histogram, rendered in the Prometheus text format 0.0.4.
#include "metrics.h"

#include <text.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

namespace dixit {
namespace {

// Shortest round-trip digits, positional in the usual range ("0.0005", "12", "1.5e-09" only for extremes):
// what Prometheus parses, with no locale in the way.
void append_number(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buffer[64];
    double magnitude = std::fabs(value);
    bool positional = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
    auto [end, ec] = positional ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
                                : std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

void append_number(std::string& out, std::uint64_t value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

// Label values escape backslash, double quote and newline (exposition format 0.0.4); routes come from
// route_of() today, but a future route name must not be able to break the output.
void append_label_value(std::string& out, std::string_view value) {
    out += '"';
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    out += '"';
}

void append_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

template <class T>
void append_gauge(std::string& out, std::string_view name, std::string_view help, T value) {
    append_header(out, name, "gauge", help);
    out.append(name).append(" ");
    append_number(out, value);
    out += '\n';
}

}  // namespace

Metrics::Metrics() : started_unix_(static_cast<double>(unix_now())) {}

void Metrics::observe(std::string_view route, unsigned status, double seconds) {
    if (!(seconds >= 0)) seconds = 0;  // a clock step or NaN must not corrupt the sum
    // First bound >= seconds: Prometheus buckets are "less than or equal".
    auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin());
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(route), status}];
    ++buckets_[bucket];
    latency_sum_ += seconds;
    ++latency_count_;
}

void Metrics::set_index(const IndexStatus& status) {
    std::lock_guard lock(mutex_);
    index_ = status;
}

std::string Metrics::render() const {
    // Copy under the lock, format outside it: a scrape must not hold up the workers.
    decltype(requests_) requests;
    decltype(buckets_) buckets;
    double sum;
    std::uint64_t count;
    IndexStatus index;
    {
        std::lock_guard lock(mutex_);
        requests = requests_;
        buckets = buckets_;
        sum = latency_sum_;
        count = latency_count_;
        index = index_;
    }
    const auto now = static_cast<double>(unix_now());
    std::string out;
    out.reserve(2048 + requests.size() * 64);

    append_header(out, "dixit_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [key, n] : requests) {
        out += "dixit_requests_total{route=";
        append_label_value(out, key.first);
        out += ",status=\"";
        append_number(out, std::uint64_t{key.second});
        out += "\"} ";
        append_number(out, n);
        out += '\n';
    }

    append_header(out, "dixit_request_duration_seconds", "histogram",
                  "Time from the first byte of a request to the last byte of its response.");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        cumulative += buckets[i];
        out += "dixit_request_duration_seconds_bucket{le=\"";
        append_number(out, i < bounds_.size() ? bounds_[i] : HUGE_VAL);
        out += "\"} ";
        append_number(out, cumulative);
        out += '\n';
    }
    out += "dixit_request_duration_seconds_sum ";
    append_number(out, sum);
    out += "\ndixit_request_duration_seconds_count ";
    append_number(out, count);
    out += '\n';

    append_gauge(out, "dixit_index_documents", "Documents in the index the workers last opened.", index.documents);
    append_gauge(out, "dixit_index_revision", "Revision of the index the workers last opened.", index.revision);
    // Before any (re)open is reported, count from the server's start rather than from 1970.
    double reopened = index.last_reopen_unix > 0 ? index.last_reopen_unix : started_unix_;
    append_gauge(out, "dixit_index_seconds_since_reopen", "Seconds since the index last changed under the workers.",
                 std::max(0.0, now - reopened));
    append_gauge(out, "dixit_uptime_seconds", "Seconds since dixit-searchd started.", std::max(0.0, now - started_unix_));
    return out;
}

}  // namespace dixit
