// Raising RLIMIT_NOFILE, and the connection limit that keeps descriptors for the index.
#include "open_files.h"

#include <algorithm>

#include <sys/resource.h>

namespace dixit {
namespace {

// A glass database opens up to 6 tables; 16 covers them twice (old and new generation) with room.
constexpr std::size_t per_worker = 16;
// stdio, the listener, epoll, the io_context's wake-up, timers, signals, files the server opens briefly.
constexpr std::size_t base = 32;

}  // namespace

OpenFilesLimit raise_open_files_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
    OpenFilesLimit result{limit.rlim_cur, limit.rlim_cur};
    if (limit.rlim_cur == RLIM_INFINITY) return result;
    // An unlimited hard limit cannot be the soft one on Linux (nr_open caps it): take 2^20, its default.
    const rlim_t target = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
    if (target <= limit.rlim_cur) return result;
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) result.now = target;
    return result;
}

std::size_t reserved_descriptors(unsigned workers) { return base + per_worker * workers; }

std::size_t connection_limit(std::size_t configured, std::uint64_t open_files, unsigned workers,
                             std::size_t headroom) {
    const std::uint64_t kept = reserved_descriptors(workers) + headroom;
    if (open_files == RLIM_INFINITY) return configured;
    const std::uint64_t room = open_files > kept ? open_files - kept : 1;
    return static_cast<std::size_t>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(configured, room)));
}

}  // namespace dixit
