// Tests of InputStream (plain/gzip/bzip2/zstd, files and stdin) and LineReader.
#include "input_stream.h"

#include <catch2/catch.hpp>

#include "test_support.h"

#include <bzlib.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using dixit::InputError;
using dixit::InputStream;
using dixit::Line;
using dixit::LineReader;

using dixit::test::read_file;
using dixit::test::MemoryStream;
using dixit::test::TempDir;

namespace {

const fs::path kQuotebank = fs::path(DIXIT_DATA_DIR) / "real" / "quotebank-sample.json";


std::string gzip(const std::string& data) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string bzip2(const std::string& data) {
    std::string out(data.size() + data.size() / 100 + 600, '\0');
    auto len = static_cast<unsigned>(out.size());
    REQUIRE(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(data.data()),
                                     static_cast<unsigned>(data.size()), 9, 0, 30) == BZ_OK);
    out.resize(len);
    return out;
}

std::string zstd(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t len = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
    REQUIRE_FALSE(ZSTD_isError(len));
    out.resize(len);
    return out;
}

using Compressor = std::string (*)(const std::string&);

std::string plain(const std::string& data) { return data; }

// Several members/streams/frames, as pigz, pbzip2 and `zstd -T` (or plain `cat`) produce.
template <Compressor compress>
std::string in_pieces(const std::string& data) {
    const std::size_t third = data.size() / 3;
    return compress(data.substr(0, third)) + compress(data.substr(third, third)) + compress(data.substr(2 * third));
}

std::string read_all(InputStream& in, std::size_t chunk) {
    std::string out;
    std::vector<char> buffer(chunk);
    while (std::size_t got = in.read(buffer.data(), buffer.size())) out.append(buffer.data(), got);
    return out;
}

std::vector<Line> read_lines(InputStream& in, std::size_t max) {
    LineReader reader(in, max);
    std::vector<Line> lines;
    Line line;
    while (reader.next(line)) lines.push_back(line);
    return lines;
}


}  // namespace

TEST_CASE("every compression decodes the real Quotebank sample byte for byte", "[input]") {
    const std::string original = read_file(kQuotebank);
    REQUIRE(original.size() > 10000);
    struct Case {
        const char* name;
        Compressor compress;
    };
    const Case cases[] = {
        {"plain.json", plain},
        {"sample.json.gz", gzip},
        {"sample.json.bz2", bzip2},
        {"sample.json.zst", zstd},
        {"members.json.gz", in_pieces<gzip>},
        {"streams.json.bz2", in_pieces<bzip2>},
        {"frames.json.zst", in_pieces<zstd>},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            TempDir dir;
            const std::string compressed = c.compress(original);
            const std::string path = dir.write(c.name, compressed);
            for (std::size_t chunk : {std::size_t{1} << 18, std::size_t{7}}) {
                auto in = InputStream::open(path);
                CHECK(in->path() == path);
                CHECK(read_all(*in, chunk) == original);
                CHECK(in->raw_bytes_read() == compressed.size());
                CHECK(in->raw_size() == std::optional<std::uint64_t>(compressed.size()));
            }
            auto in = InputStream::open(path);
            const auto lines = read_lines(*in, 1 << 20);
            std::ifstream plain_file(kQuotebank);
            std::string expected;
            std::size_t n = 0;
            while (std::getline(plain_file, expected)) {
                REQUIRE(n < lines.size());
                CHECK(lines[n].text == expected);
                CHECK(lines[n].number == n + 1);
                ++n;
            }
            CHECK(lines.size() == 300);
            CHECK(n == lines.size());
        }
    }
}

TEST_CASE("corrupt or truncated compressed data is an InputError naming the file", "[input]") {
    const std::string original = read_file(kQuotebank);
    struct Case {
        const char* name;
        std::string bytes;
        const char* reason;
    };
    auto flip_middle = [](std::string s) {
        for (std::size_t i = s.size() / 2; i < s.size() / 2 + 16; ++i) s[i] = static_cast<char>(s[i] ^ 0x5a);
        return s;
    };
    auto cut = [](std::string s) { return s.substr(0, s.size() / 2); };
    const std::vector<Case> cases = {
        {"flipped.json.gz", flip_middle(gzip(original)), "corrupt gzip data"},
        {"flipped.json.bz2", flip_middle(bzip2(original)), "corrupt bzip2 data (BZ_DATA_ERROR"},
        {"flipped.json.zst", flip_middle(zstd(original)), "corrupt zstd data"},
        {"cut.json.gz", cut(gzip(original)), "truncated gzip data"},
        {"cut.json.bz2", cut(bzip2(original)), "truncated bzip2 data"},
        {"cut.json.zst", cut(zstd(original)), "truncated zstd data"},
        {"magic-only.gz", "\x1f\x8b", "truncated gzip data"},
        {"bad-header.bz2", "BZh9 this is not bzip2", "corrupt bzip2 data"},
        {"trailing-garbage.gz", gzip(original) + "garbage!", "corrupt gzip data"},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            TempDir dir;
            const std::string path = dir.write(c.name, c.bytes);
            try {
                auto in = InputStream::open(path);
                read_all(*in, 1 << 18);
                FAIL("no InputError");
            } catch (const InputError& e) {
                const std::string what = e.what();
                CHECK(what.rfind(path + ": ", 0) == 0);
                CHECK_THAT(what, Catch::Contains(c.reason));
            }
        }
    }
}

TEST_CASE("files that cannot be opened are an InputError naming the file", "[input]") {
    TempDir dir;
    const std::string missing = dir / "x.jsonl";
    CHECK_THROWS_WITH(InputStream::open(missing), missing + ": No such file or directory");
    CHECK_THROWS_WITH(InputStream::open(dir.path()), dir.path() + ": Is a directory");
}

TEST_CASE("an empty file has no bytes and no lines", "[input]") {
    TempDir dir;
    auto in = InputStream::open(dir.write("empty.jsonl", ""));
    CHECK(read_lines(*in, 100).empty());
    CHECK(in->raw_size() == std::optional<std::uint64_t>(0));
}

TEST_CASE("text that merely starts like a magic number is read as plain", "[input]") {
    TempDir dir;
    for (const std::string text : {"BZhello\n", "BZ\n", "\x1f\n", "(\xb5/\n"}) {
        auto in = InputStream::open(dir.write("plain.txt", text));
        CHECK(read_all(*in, 1 << 18) == text);
    }
    MemoryStream in("abc\r\n", 1);
    const auto lines = read_lines(in, std::numeric_limits<std::size_t>::max());
    REQUIRE(lines.size() == 1);
    CHECK_FALSE(lines[0].too_long);
}

TEST_CASE("standard input is read through a pipe and still sniffed", "[input]") {
    const std::string original = read_file(kQuotebank);
    const std::string compressed = bzip2(original);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const int saved_stdin = dup(STDIN_FILENO);
    REQUIRE(dup2(fds[0], STDIN_FILENO) == STDIN_FILENO);
    close(fds[0]);
    std::thread writer([&] {
        std::size_t done = 0;
        while (done < compressed.size()) {
            const ssize_t n = write(fds[1], compressed.data() + done, std::min<std::size_t>(4096, compressed.size() - done));
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        close(fds[1]);
    });
    std::string decoded;
    std::string path;
    std::optional<std::uint64_t> size = 0;
    try {
        auto in = InputStream::open("-");
        path = in->path();
        decoded = read_all(*in, 1 << 18);
        size = in->raw_size();
    } catch (const std::exception& e) {
        decoded = e.what();
        char sink[4096];
        while (read(STDIN_FILENO, sink, sizeof sink) > 0) {
        }
    }
    writer.join();
    dup2(saved_stdin, STDIN_FILENO);
    close(saved_stdin);
    CHECK(path == "-");
    CHECK(decoded == original);
    CHECK_FALSE(size.has_value());
}

TEST_CASE("LineReader splits lines, strips CR and counts from 1", "[input]") {
    struct Expected {
        std::string text;
        std::uint64_t number;
    };
    struct Case {
        const char* name;
        std::string input;
        std::vector<Expected> lines;
    };
    const std::vector<Case> cases = {
        {"empty input", "", {}},
        {"one newline", "\n", {{"", 1}}},
        {"LF", "a\nbb\n", {{"a", 1}, {"bb", 2}}},
        {"CRLF", "a\r\nbb\r\n", {{"a", 1}, {"bb", 2}}},
        {"no final newline", "a\nlast", {{"a", 1}, {"last", 2}}},
        {"no final newline after CR", "a\r\nlast\r", {{"a", 1}, {"last", 2}}},
        {"empty lines kept", "\n\na\n\r\n", {{"", 1}, {"", 2}, {"a", 3}, {"", 4}}},
        {"lone CR inside a line", "a\rb\n", {{"a\rb", 1}}},
        {"UTF-8", "Дія\n诗\n", {{"Дія", 1}, {"诗", 2}}},
    };
    for (const auto& c : cases) {
        for (std::size_t chunk : {1, 2, 5, 1 << 18}) {
            INFO(c.name << ", chunk " << chunk);
            MemoryStream in(c.input, chunk);
            const auto lines = read_lines(in, 100);
            REQUIRE(lines.size() == c.lines.size());
            for (std::size_t i = 0; i < lines.size(); ++i) {
                CHECK(lines[i].text == c.lines[i].text);
                CHECK(lines[i].number == c.lines[i].number);
                CHECK(lines[i].length == c.lines[i].text.size());
                CHECK_FALSE(lines[i].too_long);
            }
        }
    }
}

TEST_CASE("LineReader cuts a line over the limit and goes on with the next", "[input]") {
    const std::size_t max = 1 << 20;
    const std::size_t huge = 10u << 20;
    std::string big(huge, 'x');
    for (std::size_t i = 0; i < big.size(); i += 1000) big[i] = static_cast<char>('a' + i % 26);
    const std::string input = "{\"first\": 1}\r\n" + big + "\r\n{\"after\": 2}\n" + big + "\nend";
    TempDir dir;
    for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"big.jsonl", input},
                                      {"big.jsonl.gz", gzip(input)}, {"big.jsonl.zst", zstd(input)}}) {
        INFO(name);
        auto in = InputStream::open(dir.write(name, bytes));
        const auto lines = read_lines(*in, max);
        REQUIRE(lines.size() == 5);
        CHECK(lines[0].text == "{\"first\": 1}");
        CHECK(lines[0].number == 1);
        for (std::size_t i : {1, 3}) {
            CHECK(lines[i].too_long);
            CHECK(lines[i].length == huge);
            CHECK(lines[i].text == big.substr(0, max));
            CHECK(lines[i].number == i + 1);
        }
        CHECK(lines[2].text == "{\"after\": 2}");
        CHECK(lines[2].number == 3);
        CHECK_FALSE(lines[2].too_long);
        CHECK(lines[4].text == "end");
        CHECK(lines[4].number == 5);
    }
}

TEST_CASE("LineReader limit boundaries", "[input]") {
    struct Case {
        std::string input;
        std::size_t length;
        bool too_long;
    };
    const std::vector<Case> cases = {
        {std::string(8, 'a') + "\n", 8, false},
        {std::string(8, 'a') + "\r\n", 8, false},
        {std::string(8, 'a'), 8, false},
        {std::string(9, 'a') + "\n", 9, true},
        {std::string(9, 'a') + "\r\n", 9, true},
        {std::string(9, 'a'), 9, true},
        {std::string(30, 'a') + "\r", 30, true},
        {std::string(30, 'a') + "\r\n", 30, true},
    };
    for (const auto& c : cases) {
        const bool more = c.input.back() == '\n';
        for (std::size_t chunk : {1, 3, 1 << 18}) {
            INFO(c.input.size() << " bytes, chunk " << chunk);
            MemoryStream in(c.input + (more ? "next\n" : ""), chunk);
            const auto lines = read_lines(in, 8);
            REQUIRE(lines.size() == (more ? 2 : 1));
            CHECK(lines[0].length == c.length);
            CHECK(lines[0].too_long == c.too_long);
            CHECK(lines[0].text == std::string(std::min<std::size_t>(c.length, 8), 'a'));
            if (more) {
                CHECK(lines[1].text == "next");
                CHECK(lines[1].number == 2);
            }
        }
    }
}
