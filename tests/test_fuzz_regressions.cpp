// The fuzz regression corpus: every input a fuzz target crashed on (tests/fuzz-regressions/<target>/),
// replayed through the same entry point (fuzz/targets.h), which must now return without an exception
// other than the ones its code documents for bad input (those the entry point catches itself).
#include <catch2/catch.hpp>

#include <targets.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

TEST_CASE("every fuzz regression input replays without a crash", "[fuzz]") {
    const fs::path root = DIXIT_FUZZ_REGRESSIONS_DIR;
    REQUIRE(fs::is_directory(root));
    std::size_t replayed = 0;
    for (const auto& dir : fs::directory_iterator(root)) {
        if (!dir.is_directory()) continue;
        const std::string name = dir.path().filename().string();
        const dixit::fuzz::Target target = dixit::fuzz::target_by_name(name);
        INFO("directory " << dir.path() << " names no fuzz target (fuzz/targets.h)");
        REQUIRE(target != nullptr);
        for (const auto& file : fs::directory_iterator(dir.path())) {
            if (!file.is_regular_file() || file.path().filename() == "README.md") continue;
            std::ifstream in(file.path(), std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            const std::string data = bytes.str();
            INFO(name << ": " << file.path().filename().string());
            REQUIRE_NOTHROW(target(data));
            ++replayed;
        }
    }
    CHECK(replayed > 0);
}

TEST_CASE("the fuzz targets accept ordinary inputs", "[fuzz]") {
    // One well-formed input per target, so that a target that throws on everything is noticed here too.
    const std::pair<const char*, std::string> cases[] = {
        {"query_parser", std::string("\x06") + "\"north korean troops\" OR tag:border -war said:2024"},
        {"quote", R"({"id":"x","text":"Hello there.","author":{"name":"Ann"},"said_on":"2024-11"})"},
        {"formats", std::string("\x01") + R"({"id":"x","text":"Hello.","author":{"name":"Ann"}})" + "\n"},
        {"input_stream", "one\ntwo\r\nthree"},
        {"record", std::string("\x01\x01x\x01y", 5)},
        {"token_sequence", std::string("\x01\x00\x00\x00", 4)},
        {"cursor", "\x01TjBhYmNkZWZnaGk"},
        {"http_target", "/search?q=troops&tag=North+Korean+troops&sort=newest&per_page=5"},
        {"handle", "/search?q=%22north+korean+troops%22&facets=tag,country&histogram=year"},
    };
    for (const auto& [name, data] : cases) {
        INFO(name);
        const dixit::fuzz::Target target = dixit::fuzz::target_by_name(name);
        REQUIRE(target != nullptr);
        REQUIRE_NOTHROW(target(data));
    }
    CHECK(dixit::fuzz::target_by_name("no_such_target") == nullptr);
}
