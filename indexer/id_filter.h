// A fixed-size Bloom filter of the id terms a rebuild shard has taken: most ids are certainly new, and
// only a possible repeat costs a look-up in the shard, so memory does not grow with the input.
#pragma once

#include <codec.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace dixit {

/// Remembers id terms approximately: add() never answers "new" for a term it was given before.
class IdFilter {
public:
    /// bits: the filter's size, a power of two (default 2^27 bits = 16 MiB: under 0.1% false "maybe"
    /// answers up to 10M ids, and still correct, only slower, far beyond).
    explicit IdFilter(std::size_t bits = std::size_t{1} << 27) : words_(bits / 64), mask_(bits - 1) {}

    /// Adds term; true when it may have been added before (false: certainly not).
    bool add(std::string_view term) {
        std::uint64_t h = std::hash<std::string_view>{}(term);
        std::uint64_t step = mix64(h) | 1;  // double hashing: k probes from two hashes
        bool seen = true;
        for (int i = 0; i < probes; ++i, h += step) {
            std::uint64_t bit = h & mask_;
            std::uint64_t& word = words_[bit / 64];
            std::uint64_t m = std::uint64_t{1} << (bit % 64);
            if (!(word & m)) seen = false;
            word |= m;
        }
        return seen;
    }

private:
    static constexpr int probes = 4;
    std::vector<std::uint64_t> words_;
    std::uint64_t mask_;
};

}  // namespace dixit
