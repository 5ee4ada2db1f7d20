// Tombstones: the documents a newer version or a delete has superseded. Layout 4 writes no term lists
// (Xapian::DB_NO_TERMLIST), so Xapian can neither replace nor delete a document: the writer adds the new
// version and lists the old docid here; every reader subtracts the list from what it matches and counts.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dixit {

/// A set of dead docids, read from an index's metadata (one entry a commit: "dixit:dead:<revision>") and
/// added to by a writer. Loading again from a later revision of the same generation reads only the new
/// entries. Not thread-safe; a reader's copy must be loaded from the Database handle it searches with.
class Tombstones {
public:
    /// Brings the set up to db's revision: every entry when db is another generation than the last
    /// load's, else only entries written since. Throws Xapian::DatabaseCorruptError on a malformed entry.
    void load(const Xapian::Database& db);

    /// Whether did is dead.
    bool contains(Xapian::docid did) const {
        return did < bits_.size() * 64 && (bits_[did >> 6] >> (did & 63) & 1);
    }
    /// How many documents are dead (each counted once).
    Xapian::doccount size() const { return count_; }
    bool empty() const { return count_ == 0; }

    /// Marks did dead; written by the next write_pending(). Marking a dead document again changes nothing.
    void add(Xapian::docid did);
    /// Before db.commit(): writes the documents marked since the last call as the entry of the revision
    /// this commit creates. Nothing is written when none were marked.
    void write_pending(Xapian::WritableDatabase& db);

private:
    bool set(Xapian::docid did);  ///< marks did; false when it was marked already
    std::vector<std::uint64_t> bits_;
    Xapian::doccount count_ = 0;
    std::vector<Xapian::docid> pending_;
    std::string uuid_;      // the generation the set was loaded from
    std::string last_key_;  // the newest entry read
};

/// The newest docid of a term's posting list (0 when there is none): a new version of a quote is always
/// added after the one it supersedes.
Xapian::docid newest_docid(const Xapian::Database& db, const std::string& term);

/// The live document of a quote id term: the newest docid of its posting list (a new version is always
/// added after the one it supersedes), or 0 when there is none or it is dead (the quote was deleted).
Xapian::docid live_docid(const Xapian::Database& db, const std::string& id_term, const Tombstones& dead);

/// Accepts the live documents of a match (for tools: searchd filters with a posting source, deadline.h).
class LiveDecider : public Xapian::MatchDecider {
public:
    explicit LiveDecider(const Tombstones& dead) : dead_(dead) {}
    bool operator()(const Xapian::Document& doc) const override { return !dead_.contains(doc.get_docid()); }

private:
    const Tombstones& dead_;
};

/// Documents that are not dead.
inline Xapian::doccount live_count(const Xapian::Database& db, const Tombstones& dead) {
    const Xapian::doccount all = db.get_doccount();
    return all > dead.size() ? all - dead.size() : 0;
}

}  // namespace dixit
