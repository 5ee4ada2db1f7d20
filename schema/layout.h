// The index layout's version, marked in every database's metadata: what the indexer writes and searchd reads.
#pragma once

#include <xapian.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace dixit {

/// Metadata key of the mark, and the version this build writes. Layout 4: layout 3 without term lists
/// (Xapian::DB_NO_TERMLIST), so documents are superseded by tombstones (tombstones.h), never replaced or
/// deleted. Layout 3: words without
/// positions, their order in slot::tokens (token_sequence.h); common grams (pairs of two common words)
/// as terms without positions (phrase filters); stems in the synonym table (stem_key()), not as terms;
/// the quote as a binary record (record.h). Layout 2 had grams for every pair with a common word and the
/// record as JSON; layout 1 (no mark, `dixit:common-grams=v1`) positions in Xapian, Z stem terms and
/// positional grams.
inline constexpr std::string_view layout_key = "dixit:layout";
inline constexpr std::string_view layout_version = "4";
/// The older layout this build still reads and updates: layout 3 differs only by its term lists, and a
/// writer marks it 4 with its first commit (an older searchd would not know the tombstones).
inline constexpr std::string_view layout_still_read = "3";

/// Flags every writer of this layout adds when it creates or opens a database: no term lists. Xapian 1.4
/// cannot even open a database created without them for writing unless it is told again.
inline constexpr int layout_db_flags = Xapian::DB_NO_TERMLIST;

/// An index written in another layout: it must be rebuilt before this build serves or updates it.
class LayoutError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Marks db as written in this layout (every new database and every rebuild shard).
void mark_layout(Xapian::WritableDatabase& db);

/// Throws LayoutError, with what to run, when db holds documents in another layout (an empty one is fine).
/// what names the index in the message ("the index at var/index").
void check_layout(const Xapian::Database& db, const std::string& what);

}  // namespace dixit
