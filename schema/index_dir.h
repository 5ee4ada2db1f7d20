// The index directory: a Xapian stub file naming the live generation, generations beside it, a writer lock.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

namespace dixit {

/// Another indexer holds the lock on the index directory.
class IndexLockedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An exclusive lock (flock on DIR/.dixit-lock) held by every writer: add, delete and rebuild.
class IndexLock {
public:
    /// Takes the lock, waiting up to wait; throws IndexLockedError ("index is locked by another indexer").
    IndexLock(const std::string& dir, std::chrono::milliseconds wait);
    ~IndexLock();
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

private:
    int fd_ = -1;
};

/// Layout of DIR:
///   DIR/XAPIANDB          stub file: "auto gen-<stamp>" — what every reader opens (Xapian::Database(DIR))
///   DIR/gen-<stamp>/      the live generation (a glass database), written in place by add and delete
///   DIR/.rebuild-<stamp>/ a rebuild in progress (shards), removed when it ends or fails
/// A rebuild writes a new generation and replaces the stub with rename(): a reader sees the old or
/// the new generation, never a mix.
class IndexDir {
public:
    explicit IndexDir(std::string dir);

    /// The directory given.
    const std::string& path() const { return dir_; }
    /// Path of the live generation, or "" when the directory holds no index yet (no stub);
    /// throws std::runtime_error when a stub exists but cannot be read or names no "gen-<digits>".
    std::string live_generation() const;
    /// Path of the live generation, creating an empty index (and the stub) when there is none.
    std::string live_generation_or_create();
    /// A fresh, not yet existing path for a new generation or work directory: DIR/<kind>-<stamp>.
    std::string new_path(const std::string& kind) const;
    /// Atomically points the stub at generation (a path inside DIR); returns the previous generation.
    std::string switch_to(const std::string& generation);
    /// Flushes a generation's files and directory entries to disk (before it is switched in).
    void sync_generation(const std::string& generation);
    /// Removes what a killed or failed writer left behind: generations other than the live one, rebuild
    /// work directories, spooled standard input. Only under the writer lock (IndexLock), which rebuild,
    /// add and searchd's start take first. Throws, deleting nothing, when the stub cannot be read.
    void remove_leftovers() const;
    /// Total size in bytes of the files of a generation.
    static std::uintmax_t size_on_disk(const std::string& generation);

private:
    std::string dir_;
};

}  // namespace dixit
