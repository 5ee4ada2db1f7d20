// The registry of dixit-searchd's open connections: counted, the longest idle one closed to make room.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace dixit {

class HttpSession;

/// The open connections, so that the listener can count them (max_connections), make room by closing
/// the longest idle one, and shutdown can reach the idle ones. Thread-safe.
class ConnectionRegistry {
public:
    using Clock = std::chrono::steady_clock;

    /// Registers a session; returns the id to remove it with.
    std::uint64_t add(std::weak_ptr<HttpSession> session);
    void remove(std::uint64_t id);
    std::size_t size() const;
    /// The sessions still alive.
    std::vector<std::shared_ptr<HttpSession>> snapshot() const;
    /// The session is waiting for a request (since now), or no longer.
    void set_idle(std::uint64_t id, bool idle);
    /// The session that has waited longest for a request, no longer counted as idle (so that two
    /// accepts do not pick the same one); nullptr when none is idle.
    std::shared_ptr<HttpSession> take_longest_idle();

private:
    struct Entry {
        std::weak_ptr<HttpSession> session;
        std::optional<Clock::time_point> idle_since;
    };
    mutable std::mutex mutex_;
    std::uint64_t next_id_ = 0;
    std::unordered_map<std::uint64_t, Entry> sessions_;
};

}  // namespace dixit
