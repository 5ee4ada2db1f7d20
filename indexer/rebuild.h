// Full rebuild: a new generation built in parallel shards, compacted, then switched in atomically.
#pragma once

#include "index_writer.h"

namespace dixit {

/// Options of a rebuild beyond those of any write.
struct RebuildOptions {
    WriteOptions write;
    bool keep_published = true;  ///< records without published_at keep the one the live index has
    std::chrono::milliseconds grace{2000};  ///< wait before deleting the old generation (readers opening it)
    /// Documents each shard buffers before Xapian flushes them (XAPIAN_FLUSH_THRESHOLD for the shards).
    /// Small batches keep Xapian's in-memory postlist maps small: 3,000 built 1M quotes 22% faster
    /// than Xapian's default of 10,000, with 60% of the peak memory (docs/benchmarks.md).
    unsigned flush_threshold = 3000;
};

/// Builds a complete new index from files beside the live one and switches readers to it with one
/// rename(); the old generation is removed afterwards. On any failure (or with strict and a reject)
/// the live index is untouched and the work directory removed. Throws like add_quotes.
IngestSummary rebuild_index(const std::string& dir, const std::vector<std::string>& files, const RebuildOptions& options);

/// Rewrites the live index without its dead versions (superseded or deleted quotes, tombstones.h), from
/// the records it stores: the same build, merge and atomic switch as a rebuild, no input files. Also
/// turns an index of the older layout this build reads into the current one. summary.dropped counts the
/// dead versions left behind. Throws like rebuild_index.
IngestSummary compact_index(const std::string& dir, const RebuildOptions& options);

}  // namespace dixit
