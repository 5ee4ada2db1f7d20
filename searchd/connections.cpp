// The registry of open connections (connections.h).
#include "connections.h"

namespace dixit {


std::uint64_t ConnectionRegistry::add(std::weak_ptr<HttpSession> session) {
    std::lock_guard lock(mutex_);
    sessions_.emplace(++next_id_, Entry{std::move(session), std::nullopt});
    return next_id_;
}

void ConnectionRegistry::remove(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

std::vector<std::shared_ptr<HttpSession>> ConnectionRegistry::snapshot() const {
    std::vector<std::shared_ptr<HttpSession>> alive;
    std::lock_guard lock(mutex_);
    alive.reserve(sessions_.size());
    for (const auto& [id, entry] : sessions_)
        if (auto session = entry.session.lock()) alive.push_back(std::move(session));
    return alive;
}

void ConnectionRegistry::set_idle(std::uint64_t id, bool idle) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    it->second.idle_since = idle ? std::optional(Clock::now()) : std::nullopt;
}

std::shared_ptr<HttpSession> ConnectionRegistry::take_longest_idle() {
    std::lock_guard lock(mutex_);
    // A linear scan: it runs only when the server is full, and a map by time would cost every request.
    Entry* longest = nullptr;
    for (auto& [id, entry] : sessions_)
        if (entry.idle_since && (!longest || *entry.idle_since < *longest->idle_since) && !entry.session.expired())
            longest = &entry;
    if (!longest) return nullptr;
    longest->idle_since.reset();
    return longest->session.lock();
}

}  // namespace dixit
