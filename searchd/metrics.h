// Prometheus metrics of dixit-searchd: requests by route and status, a latency histogram, the index.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace dixit {

/// What the workers last saw of the index (reported by Searcher::refresh).
struct IndexStatus {
    std::uint64_t documents = 0;
    std::uint64_t revision = 0;
    double last_reopen_unix = 0;  ///< wall-clock time of the last open or reopen that changed the revision
};

/// Counters and a latency histogram, safe to update from any thread.
class Metrics {
public:
    Metrics();
    /// Records one answered request (route as given by route_of(), HTTP status, seconds from read to write).
    void observe(std::string_view route, unsigned status, double seconds);
    /// Stores the latest index status.
    void set_index(const IndexStatus& status);
    /// The Prometheus text exposition format (version 0.0.4).
    std::string render() const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
    static constexpr std::array<double, 12> bounds_ = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                       0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
    std::array<std::uint64_t, 13> buckets_{};  ///< per bound, plus +Inf (non-cumulative; summed in render)
    double latency_sum_ = 0;
    std::uint64_t latency_count_ = 0;
    IndexStatus index_;
    double started_unix_;
};

}  // namespace dixit
