// Per-document columns held in memory (as Lucene's doc values): each facet field's values as ordinals and
// each document's place in the two date orders, so that counting facets and sorting by date over many
// matches is an array walk instead of a value-slot read per document (docs/benchmarks.md).
#pragma once

#include "store_reader.h"
#include "word_order.h"

#include <fields.h>

#include <xapian.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace dixit {

/// One facet field: every document's values (in slot order) as ordinals of their keys (facet_key(): the
/// folded form the filter matches, so "health-care" and "Health care" are one value), in compressed-row
/// form: ords[start[d] .. start[d + 1]) are document d's, each key once.
struct FacetColumn {
    std::vector<std::string> values;                         ///< key ordinal → the key's most frequent stored spelling
    std::unordered_map<std::string, std::uint32_t> ordinal;  ///< stored value (every spelling) → key ordinal
    std::unordered_map<std::string, std::uint32_t> by_key;   ///< key → key ordinal
    std::vector<std::uint32_t> start;                        ///< docid → first index in ords (size last docid + 2)
    std::vector<std::uint32_t> ords;

    /// The value a key is shown as, or "" when no document has it.
    std::string shown(const std::string& key) const {
        auto it = by_key.find(key);
        return it == by_key.end() ? std::string() : values[it->second];
    }
};

/// Variant groups (slot::variant, schema/shingles.h): each document's group as a dense ordinal and each
/// group's members, so that collapse=variants and /quotes/{id}/variants never scan the slot.
struct VariantColumn {
    std::vector<std::uint64_t> keys;     ///< ordinal → group (variant_group()), ascending
    std::vector<std::uint32_t> of;       ///< docid → ordinal + 1; 0 for a document in no group
    std::vector<std::uint32_t> start;    ///< ordinal → first index in members (size keys.size() + 1)
    std::vector<Xapian::docid> members;  ///< each group's documents, ascending (dead versions too)

    /// The group of d as ordinal + 1, 0 when none.
    std::uint32_t group(Xapian::docid d) const { return d < of.size() ? of[d] : 0; }
    /// The documents of group ordinal g (group(d) - 1).
    std::pair<const Xapian::docid*, const Xapian::docid*> of_group(std::uint32_t g) const {
        return {members.data() + start[g], members.data() + start[g + 1]};
    }
};


/// The columns of one index state (generation and revision); immutable once built, shared by workers.
struct Columns {
    std::string uuid;
    Xapian::rev revision = 0;
    Xapian::docid last = 0;  ///< highest docid covered
    std::unordered_map<std::string, FacetColumn> facets;  ///< by field name (every field with slots)
    std::vector<std::uint64_t> oldest;      ///< docid → pack_sort_key(oldest_key), ascending order
    std::vector<std::uint64_t> newest;      ///< docid → pack_sort_key(newest_key), descending order
    std::vector<std::uint32_t> said_start;  ///< docid → first day of said_on as YYYYMMDD, 0 when undated
    std::vector<std::uint32_t> said_end;    ///< docid → last day, UINT32_MAX when undated
    std::vector<std::int64_t> published;    ///< docid → published_at, INT64_MIN when absent
    std::vector<std::uint64_t> sequence;    ///< docid → ingest sequence number (sort_key()): breaks ties of the packed keys
    std::vector<double> confidence;         ///< docid → attribution confidence, NaN when none (slot::confidence)
    std::shared_ptr<const WordOrder> words; ///< every document's word order (phrase and NEAR checks)
    VariantColumn variants;

    const FacetColumn& facet(std::string_view field) const;
};

/// Reads every column of db's current state from its value streams (about 1 s for 1M quotes). A writer
/// that commits meanwhile does not make it fail: a stream cut off by DatabaseModifiedError is read again
/// after db.reopen(), and the documents changed since the build began are then re-read from the change
/// log (patch_columns), so the columns describe one state, db's latest.
std::shared_ptr<const Columns> build_columns(Xapian::Database& db);

/// A copy of base brought to db's current state by re-reading the documents the change log names
/// (schema/changes.h); nullptr when the log does not cover base's revision.
std::shared_ptr<const Columns> patch_columns(const Columns& base, const Xapian::Database& db);

/// The columns of the last few index states, shared by all workers, made off the request path by a
/// builder thread of their own. Thread-safe.
class ColumnStore {
public:
    /// dir: the index directory the builder opens (following generation switches); with enabled false
    /// no thread starts and get(db, false) always answers nullptr.
    ColumnStore(std::string dir, bool enabled);
    ~ColumnStore();
    ColumnStore(const ColumnStore&) = delete;
    ColumnStore& operator=(const ColumnStore&) = delete;

    /// Columns for db's current state. wait false (requests): those held for that state, else nullptr
    /// at once, the builder being asked to catch up (the caller answers through Xapian's matcher).
    /// wait true: built on the caller's thread when not held, however long (tests, tools).
    std::shared_ptr<const Columns> get(const Xapian::Database& db, bool wait);

    /// The columns held for db's current state, or nullptr: no waiting, no asking.
    std::shared_ptr<const Columns> held_for(const Xapian::Database& db) { return held(db.get_uuid(), db.get_revision()); }

    /// A worker saw a new index state: the builder starts on it before any request misses it.
    void notice();

    /// Whether columns of the generation uuid (any of its revisions) are held, waiting until then at
    /// most for the builder to publish some: a worker switches to a new generation once its columns
    /// are held, so that no request meets a 1M-document generation without them.
    bool await_generation(const std::string& uuid, std::chrono::steady_clock::time_point until);

private:
    static constexpr std::chrono::milliseconds patch_wait{250};  // a request waits this long for a patch
    static constexpr std::size_t kept = 3;  // workers a commit or two behind still find theirs
    std::shared_ptr<const Columns> held(const std::string& uuid, Xapian::rev revision);
    std::shared_ptr<const Columns> make(Xapian::Database& db);  // patched from a held state, or built
    void publish(std::shared_ptr<const Columns> made);

    std::string dir_;
    std::mutex mutex_;        ///< guards held_, wanted_, stop_
    std::mutex build_mutex_;  ///< one builder at a time
    std::condition_variable wake_;       ///< the builder: a state is wanted, or stop
    std::condition_variable published_;  ///< requests: new columns are held
    bool wanted_ = true;      ///< a state without columns was asked for (true: build at start)
    bool stop_ = false;
    std::vector<std::shared_ptr<const Columns>> held_;
    StoreReader builder_;  ///< last: starts after the members above, stops before them
};

}  // namespace dixit
