// ResponseCache: a mutex-guarded LRU list with a hash index, bounded in bytes.
#include "response_cache.h"

namespace dixit {
namespace {

// A list node (two pointers and two std::string headers) and a hash node (next pointer, key header,
// iterator, cached hash) with its bucket, rounded up.
constexpr std::size_t node_bytes = 160;

}  // namespace

std::size_t ResponseCache::entry_bytes(const std::string& key, const std::string& body) {
    return 2 * key.size() + body.size() + node_bytes;
}

std::optional<std::string> ResponseCache::get(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    entries_.splice(entries_.begin(), entries_, it->second);
    return it->second->second;
}

bool ResponseCache::contains(const std::string& key) {
    std::lock_guard lock(mutex_);
    return index_.count(key) != 0;
}

bool ResponseCache::put(const std::string& key, std::string body) {
    const std::size_t size = entry_bytes(key, body);
    if (capacity_ == 0 || size > capacity_ / max_entry_share) return false;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        bytes_ -= entry_bytes(key, it->second->second);
        entries_.erase(it->second);
        index_.erase(it);
    }
    evict_until(size);
    entries_.emplace_front(key, std::move(body));
    index_[key] = entries_.begin();
    bytes_ += size;
    return true;
}

void ResponseCache::evict_until(std::size_t free_bytes) {
    while (!entries_.empty() && bytes_ + free_bytes > capacity_) {
        const Entry& last = entries_.back();
        bytes_ -= entry_bytes(last.first, last.second);
        index_.erase(last.first);
        entries_.pop_back();
    }
}

std::size_t ResponseCache::bytes() {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::size_t ResponseCache::size() {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace dixit
