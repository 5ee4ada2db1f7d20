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

/// The names in an index directory DIR: its on-disk layout, spelt here only.
namespace entry {
/// DIR/XAPIANDB: the stub file, "auto gen-<stamp>", what every reader opens (Xapian::Database(DIR)).
inline constexpr std::string_view stub = "XAPIANDB";
/// DIR/gen-<stamp>/: a generation (a glass database); the live one is written in place by add and delete.
inline constexpr std::string_view generation = "gen";
/// DIR/.rebuild-<stamp>/: a rebuild in progress (its shards), removed when it ends or fails.
inline constexpr std::string_view rebuild_work = ".rebuild";
/// DIR/.stdin-<pid>: standard input spooled by add (it is read twice).
inline constexpr std::string_view spooled_stdin = ".stdin";
/// DIR/.dixit-lock: the writer lock's file (IndexLock).
inline constexpr std::string_view lock = ".dixit-lock";
}  // namespace entry

/// DIR/XAPIANDB, the stub's path.
std::string stub_path(const std::string& dir);

/// Layout of DIR: the entries above. A rebuild writes a new generation and replaces the stub with
/// rename(): a reader sees the old or the new generation, never a mix.
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
    /// A fresh, not yet existing path for a new generation or work directory: DIR/<kind>-<stamp>
    /// (kind: entry::generation or entry::rebuild_work).
    std::string new_path(std::string_view kind) const;
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
