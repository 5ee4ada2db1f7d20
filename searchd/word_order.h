// Every document's word order (slot::tokens, schema/token_sequence.h) held in memory, so that a phrase or
// NEAR check is an array read instead of a value-slot read per candidate (docs/benchmarks.md: about 2.5 µs
// a check through Xapian, tens of nanoseconds here). Held in chunks shared between index states: a
// commit's patch copies only the chunks of the documents it touched.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// The word order of one index state (database uuid and revision); immutable once made.
class WordOrder {
public:
    static constexpr Xapian::docid chunk_docs = 4096;

    /// Reads slot::tokens of every document of db's current state (one pass over the value stream).
    static std::shared_ptr<const WordOrder> read(const Xapian::Database& db);

    /// A copy brought to db's current state: the documents in touched (ascending docids) re-read, every
    /// other chunk shared with this one.
    std::shared_ptr<const WordOrder> patched(const Xapian::Database& db, const std::vector<Xapian::docid>& touched) const;

    /// True when this is db's current state (same database, same revision): only then are its bytes
    /// the documents' own.
    bool describes(const Xapian::Database& db) const;

    /// Document did's slot::tokens bytes (empty when it has none, is deleted or is past last()).
    std::string_view get(Xapian::docid did) const;

    Xapian::docid last() const { return last_; }
    /// Bytes held (codes and offsets), for /stats and the benchmarks.
    std::size_t bytes() const;

private:
    struct Chunk {
        std::vector<std::uint32_t> start;  ///< chunk_docs + 1 offsets into bytes
        std::string bytes;
    };
    void append_chunk(Chunk&& chunk);

    std::string uuid_;
    Xapian::rev revision_ = 0;
    Xapian::docid last_ = 0;
    std::vector<std::shared_ptr<const Chunk>> chunks_;  ///< chunk k: docids k * chunk_docs .. + chunk_docs - 1
};

/// Document did's slot::tokens bytes: from words when it is non-null (it must describe db) and covers did,
/// else read from the document into stored.
std::string_view word_order_of(const WordOrder* words, const Xapian::Database& db, Xapian::docid did, std::string& stored);

}  // namespace dixit
