// The change log a writer leaves in the index's metadata: which documents each commit touched, so that a
// reader's per-document columns (searchd/columns.h) can follow a commit without reading the whole index.
#pragma once

#include <xapian.h>

#include <optional>
#include <vector>

namespace dixit {

/// How many revisions of change log the writer keeps; a reader further behind rebuilds its columns.
inline constexpr Xapian::rev change_log_revisions = 256;

/// Records before db.commit() the documents added or replaced since the last commit (deletions need no
/// entry: a deleted document never matches again, and its docid is never reused). Writes the entry of
/// the revision this commit creates (get_revision() + 1: each commit adds one) and drops entries older
/// than change_log_revisions. Call it for every commit that changes anything, with an empty list when
/// only deletions happened, so that a missing entry always means "unknown".
void record_changes(Xapian::WritableDatabase& db, std::vector<Xapian::docid>& touched);

/// The documents touched by the commits after revision from up to and including revision to, sorted and
/// without repeats; nullopt when an entry is missing (too old, or written by a writer without a log).
std::optional<std::vector<Xapian::docid>> read_changes(const Xapian::Database& db, Xapian::rev from, Xapian::rev to);

}  // namespace dixit
