// Incremental changes to the live index: upserting quotes from inputs and deleting quotes by id.
#pragma once

#include "ingest.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace dixit {

/// Options of a write to the live index.
struct WriteOptions {
    IngestOptions ingest;
    std::chrono::milliseconds lock_wait{0};  ///< how long to wait for another indexer to finish
    /// add: called on the writer thread the moment it fails (a commit refused by a full disk...), with what
    /// failed. The reading thread may be waiting on an idle standard input and would only notice at its
    /// next record: the CLI reports and exits here. Without it, add_quotes throws when the input ends.
    std::function<void(const std::string& what)> on_writer_failure;
};

/// Upserts every valid record of files into the index at dir (created if needed), committing in
/// batches; records with an existing id replace it. With options.ingest.strict, a first pass validates
/// everything and nothing is written if any record is rejected. Throws IndexLockedError, InputError,
/// Xapian::Error.
IngestSummary add_quotes(const std::string& dir, const std::vector<std::string>& files, const WriteOptions& options);

/// What delete_quotes did.
struct DeleteSummary {
    std::vector<std::string> deleted, not_found;
};

/// Removes the quotes with these ids from the index at dir and commits once.
DeleteSummary delete_quotes(const std::string& dir, const std::vector<std::string>& ids, const WriteOptions& options);

}  // namespace dixit
