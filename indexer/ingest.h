// Reading valid quotes out of input files: format conversion, validation, reject reports, progress.
#pragma once

#include "formats.h"

#include <quote.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace dixit {

/// Options shared by add and rebuild.
struct IngestOptions {
    SourceOptions source;
    std::string rejects_path;   ///< write each rejected record as a JSON line here ("" = don't)
    bool strict = false;        ///< any reject aborts the run before anything is committed
    bool progress = false;      ///< a progress line on stderr (the CLI turns it on for a terminal)
    bool commit_lines = false;  ///< add: after each commit, a JSON line on stderr saying what is now durable
    bool quiet = false;         ///< no per-reject lines on stderr (tests)
    std::int64_t now = 0;       ///< index time: published_at of records without one (0 = clock)
    unsigned threads = 0;       ///< index-building threads (0 = one per core)
    std::size_t batch_size = 5000;  ///< add: commit at least every N records
    double commit_interval = 1.0;   ///< add: and at least every this many seconds (new quotes become searchable)
    bool variants = true;  ///< group near-duplicate quotes (variants.h); false: --no-variants, for benchmarks
};

/// What a run did; printed at the end.
struct IngestSummary {
    std::uint64_t read = 0, added = 0, replaced = 0, rejected = 0;
    std::uint64_t unchanged = 0;  ///< add: records equal to the live version, left as they were
    std::uint64_t dropped = 0;  ///< compact: dead versions (superseded or deleted quotes) not carried over
    double seconds = 0;
    double merge_seconds = 0;  ///< rebuild: part of seconds spent compacting the shards into one generation
    std::uint64_t variants = 0;  ///< quotes written into the variant group of an earlier one (variants.h)
    /// Valid records taken: added, replaced or found unchanged.
    std::uint64_t taken() const { return added + replaced + unchanged; }
    /// One human line: "read 7,707 records: 7,700 added, 0 replaced, 7 rejected in 1.92 s (4,014 records/s)".
    std::string to_text() const;
    /// The same as a JSON object.
    std::string to_json() const;
};

/// A valid record and whether its published_at was filled in with the index time.
struct IngestedQuote {
    Quote quote;
    bool published_defaulted = false;
    std::uint64_t sequence = 0;  ///< its ingest sequence number (sort_key() in schema/date_keys.h)
};

/// Iterates the records of several inputs in order, validating them. Rejected records are reported
/// once each (stderr line "FILE:LINE: FIELD: reason" and the rejects file) and counted, never returned.
class RecordFeed {
public:
    /// first_sequence: the sequence number of the first valid quote; each next one takes the following.
    RecordFeed(std::vector<std::string> files, const IngestOptions& options, IngestSummary& summary,
               std::uint64_t first_sequence = 1);
    ~RecordFeed();
    /// The next valid quote; false when every input is exhausted. Throws InputError for an unreadable file.
    bool next(IngestedQuote& out);
    /// The sequence number the next valid quote would take.
    std::uint64_t next_sequence() const { return next_sequence_; }

private:
    void reject(const SourceRecord& record, const std::string& field, const std::string& reason);
    [[noreturn]] void throw_rejects_error() const;  ///< InputError naming the rejects file and errno
    void show_progress(bool final);

    std::vector<std::string> files_;
    const IngestOptions& options_;
    IngestSummary& summary_;
    std::size_t file_index_ = 0;
    std::unique_ptr<RecordSource> source_;
    std::ofstream rejects_;
    std::int64_t now_;
    std::uint64_t next_sequence_;
    std::uint64_t bytes_done_ = 0;     // raw bytes of inputs already finished
    std::uint64_t bytes_total_ = 0;    // sum of known input sizes (0 when unknown)
    std::chrono::steady_clock::time_point start_, last_progress_;
    SourceRecord record_;
};

}  // namespace dixit
