// The open-files limit (RLIMIT_NOFILE) of dixit-searchd and the connections it leaves room for.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dixit {

/// The soft limit of open files before and after raise_open_files_limit().
struct OpenFilesLimit {
    std::uint64_t before = 0;
    std::uint64_t now = 0;
};

/// Raises the soft limit of open files to the hard limit where the system allows it (1,024 is a common
/// soft limit, far below --max-connections' reach); on failure it stays where it was.
OpenFilesLimit raise_open_files_limit();

/// Descriptors kept for everything but connections: the index's tables for each worker (twice, while a
/// new generation opens), the listener, the io_context's and stdio's.
std::size_t reserved_descriptors(unsigned workers);

/// The connections that can be open at once: configured, or fewer so that those connections, the
/// headroom of connections answered 503, and the reserve fit under open_files. At least 1.
std::size_t connection_limit(std::size_t configured, std::uint64_t open_files, unsigned workers,
                             std::size_t headroom);

}  // namespace dixit
