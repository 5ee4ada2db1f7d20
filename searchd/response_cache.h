// A small LRU cache of response bodies keyed by index revision and canonical request (the home page).
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace dixit {

/// Thread-safe LRU map from key to response body. Keys start with Searcher::revision_key(), so an index
/// change makes old entries unreachable; they age out.
class ResponseCache {
public:
    explicit ResponseCache(std::size_t capacity) : capacity_(capacity) {}
    /// The cached body for key, if any (and marks it recently used).
    std::optional<std::string> get(const std::string& key);
    /// Stores body under key, evicting the least recently used entry when full.
    void put(const std::string& key, std::string body);

private:
    using Entry = std::pair<std::string, std::string>;
    std::mutex mutex_;
    std::size_t capacity_;
    std::list<Entry> entries_;  ///< most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace dixit
