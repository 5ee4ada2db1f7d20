// The connections the open-files limit leaves room for, after the descriptors kept for the index.
#include <catch2/catch.hpp>

#include <open_files.h>

#include <sys/resource.h>

using namespace dixit;

TEST_CASE("open files: connections are capped so that the index can still be opened", "[open-files]") {
    struct Case {
        std::size_t configured;
        std::uint64_t open_files;
        unsigned workers;
        std::size_t expected;
    };
    const std::size_t kept3 = reserved_descriptors(3) + 64;
    const std::vector<Case> cases = {
        {1024, 1 << 20, 3, 1024},                   // plenty: as configured
        {1024, 1024, 3, 1024 - kept3},              // the usual soft limit: lowered (880 with 3 workers)
        {100, 1024, 3, 100},                        // below the room anyway
        {1024, kept3 + 1, 3, 1},                    // one left
        {1024, 50, 3, 1},                           // nothing left: still 1, the server must answer something
        {1024, RLIM_INFINITY, 3, 1024},             // no limit
        {1024, 1024, 9, 1024 - reserved_descriptors(9) - 64},  // more workers keep more
    };
    for (const auto& c : cases) {
        INFO(c.configured << " connections, " << c.open_files << " open files, " << c.workers << " workers");
        CHECK(connection_limit(c.configured, c.open_files, c.workers, 64) == c.expected);
    }
    CHECK(1024 - kept3 == 880);
}

TEST_CASE("open files: the soft limit is raised to the hard limit", "[open-files]") {
    rlimit before{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &before) == 0);
    if (before.rlim_max != RLIM_INFINITY && before.rlim_max > 512) {
        rlimit lowered = before;
        lowered.rlim_cur = 512;
        REQUIRE(setrlimit(RLIMIT_NOFILE, &lowered) == 0);
        const OpenFilesLimit limit = raise_open_files_limit();
        CHECK(limit.before == 512);
        CHECK(limit.now == before.rlim_max);
        rlimit after{};
        REQUIRE(getrlimit(RLIMIT_NOFILE, &after) == 0);
        CHECK(after.rlim_cur == before.rlim_max);
    }
    setrlimit(RLIMIT_NOFILE, &before);
}
