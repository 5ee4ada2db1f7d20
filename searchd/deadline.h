// The time budget of one search (--max-search-ms): a deadline that the column path checks in its loops
// and that ends Xapian's match early, so that an expensive request answers 503 instead of holding a worker.
#pragma once

#include <tombstones.h>

#include <xapian.h>

#include <chrono>
#include <cstddef>

namespace dixit {

/// When a search must be done by. Checking it reads the clock; a default Deadline never passes.
class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    /// No limit.
    Deadline() = default;
    /// budget from now; a zero budget is no limit.
    explicit Deadline(std::chrono::milliseconds budget);
    /// At a given time (tests: a deadline already passed).
    Deadline(Clock::time_point at, std::chrono::milliseconds budget) : at_(at), budget_(budget) {}

    /// Whether there is a limit at all.
    bool limited() const { return at_ != Clock::time_point::max(); }
    /// Whether the deadline has passed.
    bool passed() const { return limited() && Clock::now() >= at_; }
    /// Throws ApiError(SearchTimeout), with what to narrow, once the deadline has passed.
    void check() const;
    /// check() on every 4,096th i only, for inner loops.
    void check_at(std::size_t i) const {
        if ((i & 4095) == 0) check();
    }

private:
    Clock::time_point at_ = Clock::time_point::max();
    std::chrono::milliseconds budget_{0};
};

/// query over the live documents (dead ones, tombstones.h, never match), matched only until the deadline
/// passes: a posting source ANDed in skips the dead and reports its end at the deadline, so Xapian's
/// matcher stops (Enquire::set_time_limit only stops checking extra documents; the match still runs,
/// and its counts would be silently partial). Call deadline.check() after get_mset(). Without a limit
/// and without dead documents, query itself. dead must outlive the match.
Xapian::Query within(const Xapian::Query& query, const Deadline& deadline, const Tombstones& dead);

}  // namespace dixit
