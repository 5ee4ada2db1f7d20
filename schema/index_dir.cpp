// IndexDir and IndexLock: the on-disk layout that lets readers switch generations atomically.
#include "index_dir.h"

#include "layout.h"

#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace dixit {
namespace {

// A name new_path(entry::generation) writes: "gen-" and the digits of a stamp. Anything else in the stub ("..", ".",
// a path) would make callers open, or clean up around, something that is not a generation of this index.
bool is_generation_name(const std::string& name) {
    const std::string prefix = std::string(entry::generation) + "-";
    return name.size() > prefix.size() && name.starts_with(prefix) &&
           std::all_of(name.begin() + prefix.size(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Flushes a file or directory to disk; throws naming it when that fails, since a switch to a generation
// that is not on disk could lose the index in a crash. Some file systems cannot fsync a directory (EINVAL):
// that much is skipped, as PostgreSQL's fsync_fname does.
void fsync_path(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + " to flush it to disk: " + std::strerror(errno));
    const int status = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    const bool directory = (flags & O_DIRECTORY) != 0;
    if (status != 0 && !(directory && error == EINVAL))
        throw std::runtime_error("cannot flush " + path + " to disk (fsync): " + std::strerror(error));
}

}  // namespace

std::string stub_path(const std::string& dir) { return dir + "/" + std::string(entry::stub); }

IndexLock::IndexLock(const std::string& dir, std::chrono::milliseconds wait) {
    fs::create_directories(dir);
    std::string path = dir + "/" + std::string(entry::lock);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open lock file " + path + ": " + std::strerror(errno));
    auto deadline = std::chrono::steady_clock::now() + wait;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= deadline) {
            ::close(fd_);
            fd_ = -1;
            throw IndexLockedError("index " + dir + " is locked by another indexer (add, delete or rebuild);"
                                   " try again when it has finished, or pass --wait SECONDS");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

IndexLock::~IndexLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

IndexDir::IndexDir(std::string dir) : dir_(std::move(dir)) {
    while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

std::string IndexDir::live_generation() const {
    std::string path = stub_path(dir_);
    std::error_code ec;
    if (!fs::exists(path, ec) && !ec) return {};  // no index yet
    // A stub that exists but cannot be read is an error, never "no index": callers would create or
    // clean up generations and could delete the live one.
    std::ifstream stub(path);
    std::string backend, name, rest;
    if (!stub || !(stub >> backend >> name))
        throw std::runtime_error("cannot read the index stub " + path + " (expected \"auto gen-<stamp>\")");
    if (backend != "auto" || !is_generation_name(name) || stub >> rest)
        throw std::runtime_error("the index stub " + path + " does not name a generation of this index (expected "
                                 "\"auto gen-<stamp>\", the stamp in digits); restore it or rebuild into a new directory");
    return dir_ + "/" + name;
}

void IndexDir::sync_generation(const std::string& generation) {
    for (const auto& entry : fs::directory_iterator(generation))
        if (entry.is_regular_file()) fsync_path(entry.path().string(), O_RDONLY);
    fsync_path(generation, O_RDONLY | O_DIRECTORY);
    fsync_path(dir_, O_RDONLY | O_DIRECTORY);
}

std::string IndexDir::new_path(std::string_view kind) const {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    for (int attempt = 0;; ++attempt) {
        std::string path = dir_ + "/" + std::string(kind) + "-" + std::to_string(micros + attempt);
        if (!fs::exists(path)) return path;
    }
}

std::string IndexDir::live_generation_or_create() {
    std::string live = live_generation();
    if (!live.empty()) return live;
    fs::create_directories(dir_);
    if (fs::exists(dir_ + "/iamglass") || fs::exists(dir_ + "/iamchert"))
        throw std::runtime_error(dir_ + " is a plain Xapian database, not a Dixit index directory; "
                                 "rebuild into a new directory");
    std::string generation = new_path(entry::generation);
    Xapian::WritableDatabase db(generation, Xapian::DB_CREATE | layout_db_flags);
    mark_layout(db);
    db.commit();
    switch_to(generation);
    return generation;
}

std::string IndexDir::switch_to(const std::string& generation) {
    std::string previous = live_generation();
    std::string name = fs::path(generation).filename().string();
    std::string tmp = stub_path(dir_) + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << "auto " << name << "\n";
        out.close();
        if (!out) throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
    }
    fsync_path(tmp, O_RDONLY);
    if (std::rename(tmp.c_str(), stub_path(dir_).c_str()) != 0)
        throw std::runtime_error("cannot switch index " + dir_ + ": " + std::strerror(errno));
    fsync_path(dir_, O_RDONLY | O_DIRECTORY);
    return previous;
}

void IndexDir::remove_leftovers() const {
    const std::string live = fs::path(live_generation()).filename().string();
    constexpr std::string_view made[] = {entry::generation, entry::rebuild_work, entry::spooled_stdin};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = std::any_of(std::begin(made), std::end(made), [&](std::string_view kind) {
            return name.starts_with(kind) && name.size() > kind.size() && name[kind.size()] == '-';
        });
        if (ours && name != live) fs::remove_all(entry.path(), ec);  // names compared: "DIR//" must not matter
    }
}

std::uintmax_t IndexDir::size_on_disk(const std::string& generation) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(generation, ec))
        if (entry.is_regular_file(ec)) total += entry.file_size(ec);
    return total;
}

}  // namespace dixit
