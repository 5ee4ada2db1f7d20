// Variant groups while indexing: which group of near-duplicates (schema/shingles.h) a new quote joins.
#pragma once

#include <shingles.h>
#include <tokenizer.h>

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace dixit {

/// The variant groups of a rebuild, formed online as the shard builders write: every quote with
/// shingles is looked up by its MinHash bands among the quotes before it, verified exactly on the stored
/// shingles, and joins the group of the best verified one (else starts its own). Shared by the shard
/// builders (one lock around each look-up and insert; the shingles are computed outside it).
/// Memory: each quote's shingles (4 bytes each, at most max_shingles) plus 16 band entries of 8 bytes at
/// half load and 16 bytes of bookkeeping: about 300 bytes a quote of 30 words.
class VariantClusters {
public:
    VariantClusters();

    /// The group a quote with these shingles joins (its own sequence number when it starts one); the
    /// quote is then a member others can join.
    std::uint64_t assign(const std::vector<std::uint32_t>& shingles, std::uint64_t sequence) {
        return assign(shingles, sequence, [] { return std::uint64_t{0}; });
    }
    /// The same, with elsewhere(): the group found outside these quotes (an index), asked only when none
    /// of these is a variant; 0 for none.
    std::uint64_t assign(const std::vector<std::uint32_t>& shingles, std::uint64_t sequence,
                         const std::function<std::uint64_t()>& elsewhere);

    /// Quotes assigned, and how many of them joined an existing group.
    std::uint64_t quotes() const { return docs_.size(); }
    std::uint64_t joined() const { return joined_; }

private:
    struct Doc {
        std::uint32_t offset;  // in its chunk
        std::uint16_t chunk;
        std::uint16_t size;
        std::uint64_t group;
    };
    static constexpr std::size_t chunk_size = std::size_t{1} << 22;  // shingles a chunk holds (16 MB)
    static constexpr unsigned max_per_key = 8;  // band entries kept for one key: an often repeated text is grouped by then

    std::vector<std::uint32_t> shingles_of(const Doc& d) const;
    void grow();

    std::mutex mutex_;
    std::vector<std::vector<std::uint32_t>> chunks_;
    std::vector<Doc> docs_;
    std::vector<std::uint64_t> table_;  // (band key << 32) | (doc index + 1); 0: empty; linear probing
    std::size_t used_ = 0;
    std::uint64_t joined_ = 0;
};

/// The group a quote joins in an index (dixit-indexer add): its rarest words find the quotes most like it
/// (Xapian's BM25 over db: a reader of the committed state, since searching a WritableDatabase with
/// changes pending in a transaction made a later failed commit abort inside Xapian), their texts are verified
/// on shingles, and the best variant's group is returned; 0 when none is a variant. is_dead(docid): a
/// superseded or deleted version, skipped.
std::uint64_t find_variant_group(const Xapian::Database& db, Tokenizer& tokenizer, const std::vector<Token>& tokens,
                                 const std::vector<std::uint32_t>& shingles,
                                 const std::function<bool(Xapian::docid)>& is_dead);

}  // namespace dixit
