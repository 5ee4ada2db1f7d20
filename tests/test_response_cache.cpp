// The response cache: LRU by bytes, and an entry over its share of the capacity is not kept.
#include <catch2/catch.hpp>

#include <response_cache.h>

#include <set>
#include <string>
#include <vector>

using dixit::ResponseCache;

namespace {

// A body that makes the entry of key count exactly `bytes` (at least the key's own share).
std::string body_of(const std::string& key, std::size_t bytes) {
    const std::size_t empty = ResponseCache::entry_bytes(key, "");
    return std::string(bytes > empty ? bytes - empty : 0, 'x');
}

// put: store an entry of `bytes` bytes, expecting `expect` (stored); get: look it up, expecting a hit or not.
struct Step {
    enum Op { put, get } op;
    std::string key;
    std::size_t bytes = 0;
    bool expect = true;
};

struct Case {
    std::string name;
    std::size_t capacity;
    std::vector<Step> steps;
    std::set<std::string> held;  ///< the keys cached at the end
    std::size_t bytes;           ///< the bytes counted at the end
};

}  // namespace

TEST_CASE("response cache: bytes are counted, the least recently used go first, large entries are not kept",
          "[cache]") {
    using S = Step;
    const std::vector<Case> cases = {
        {"fills to the capacity exactly",
         8000,
         {{S::put, "a", 1000}, {S::put, "b", 1000}, {S::put, "c", 1000}, {S::put, "d", 1000},
          {S::put, "e", 1000}, {S::put, "f", 1000}, {S::put, "g", 1000}, {S::put, "h", 1000}},
         {"a", "b", "c", "d", "e", "f", "g", "h"},
         8000},
        {"one more evicts the least recently used; a get makes an entry recent",
         8000,
         {{S::put, "a", 1000}, {S::put, "b", 1000}, {S::put, "c", 1000}, {S::put, "d", 1000},
          {S::put, "e", 1000}, {S::put, "f", 1000}, {S::put, "g", 1000}, {S::put, "h", 1000},
          {S::get, "a"}, {S::put, "i", 1000}, {S::get, "b", 0, false}},
         {"a", "c", "d", "e", "f", "g", "h", "i"},
         8000},
        {"a large entry evicts as many small ones as it needs",
         4000,
         {{S::put, "a", 250}, {S::put, "b", 250}, {S::put, "c", 250}, {S::put, "d", 250},
          {S::put, "e", 250}, {S::put, "f", 250}, {S::put, "g", 250}, {S::put, "h", 250},
          {S::put, "i", 250}, {S::put, "j", 250}, {S::put, "k", 250}, {S::put, "l", 250},
          {S::put, "m", 250}, {S::put, "n", 250}, {S::put, "o", 250}, {S::put, "p", 250},
          {S::put, "big", 500}},
         {"c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "big"},
         4000},
        {"an entry over 1/8 of the capacity is not stored and evicts nothing",
         8000,
         {{S::put, "a", 1000}, {S::put, "huge", 1001, false}, {S::get, "huge", 0, false}, {S::get, "a"}},
         {"a"},
         1000},
        {"storing a key again replaces its entry and its bytes",
         8000,
         {{S::put, "a", 500}, {S::put, "b", 500}, {S::put, "a", 900}},
         {"a", "b"},
         1400},
        {"capacity 0: nothing is cached",
         0,
         {{S::put, "a", 200, false}, {S::get, "a", 0, false}},
         {},
         0},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        ResponseCache cache(c.capacity);
        for (const auto& step : c.steps) {
            INFO((step.op == Step::put ? "put " : "get ") << step.key << " " << step.bytes);
            if (step.op == Step::put)
                CHECK(cache.put(step.key, body_of(step.key, step.bytes)) == step.expect);
            else
                CHECK(cache.get(step.key).has_value() == step.expect);
            CHECK(cache.bytes() <= c.capacity);
        }
        std::set<std::string> held;
        for (const std::string key : {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
                                      "p", "big", "huge"})
            if (cache.contains(key)) held.insert(key);
        CHECK(held == c.held);
        CHECK(cache.bytes() == c.bytes);
        CHECK(cache.size() == c.held.size());
    }
}

TEST_CASE("response cache: 100 answers of 1 MiB stay within 64 MiB", "[cache]") {
    // About the weight of a /search answer with 100 hits and several facets of 1,000 values.
    const std::string body(1 << 20, 'x');
    ResponseCache cache(64 << 20);
    for (int i = 0; i < 100; ++i) CHECK(cache.put("rev\nGET /search?q=w" + std::to_string(i), body));
    CHECK(cache.bytes() <= (64u << 20));
    CHECK(cache.size() == 63);  // 64 would need 64 MiB for the bodies alone, plus their keys
    CHECK(cache.contains("rev\nGET /search?q=w99"));
    CHECK_FALSE(cache.contains("rev\nGET /search?q=w36"));
}
