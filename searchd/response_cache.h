// A small LRU cache of response bodies keyed by index revision and canonical request (the home page).
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace dixit {

/// Thread-safe LRU map from key to response body, bounded in bytes (keys, bodies and the bookkeeping of
/// each entry). Keys start with Searcher::revision_key(), so an index change makes old entries
/// unreachable; they age out.
class ResponseCache {
public:
    /// An entry larger than capacity / max_entry_share is not kept: it would push out many small ones.
    static constexpr std::size_t max_entry_share = 8;

    /// capacity_bytes = 0: no cache.
    explicit ResponseCache(std::size_t capacity_bytes) : capacity_(capacity_bytes) {}
    /// The cached body for key, if any (and marks it recently used).
    std::optional<std::string> get(const std::string& key);
    /// Whether key is cached (without marking it used).
    bool contains(const std::string& key);
    /// Stores body under key, evicting the least recently used entries until it fits; false when it
    /// is not kept (no cache, or an entry over capacity / max_entry_share).
    bool put(const std::string& key, std::string body);
    /// Bytes held, as counted by entry_bytes().
    std::size_t bytes();
    /// Entries held.
    std::size_t size();
    /// What an entry counts against the capacity: the key twice (list and hash index), the body, and
    /// the list and hash nodes.
    static std::size_t entry_bytes(const std::string& key, const std::string& body);

private:
    using Entry = std::pair<std::string, std::string>;
    void evict_until(std::size_t free_bytes);

    std::mutex mutex_;
    const std::size_t capacity_;
    std::size_t bytes_ = 0;
    std::list<Entry> entries_;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace dixit
