// Reading dump files: plain, gzip, bzip2 or zstd (detected by magic bytes), file or stdin, line by line.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace dixit {

/// An input file that cannot be opened or decoded (names the file and why).
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A byte stream with transparent decompression. "-" is standard input.
class InputStream {
public:
    virtual ~InputStream() = default;
    /// Opens path, sniffing the first bytes for gzip (1f 8b), bzip2 ("BZh") and zstd (28 b5 2f fd).
    static std::unique_ptr<InputStream> open(const std::string& path);
    /// Reads up to n decoded bytes; returns 0 at the end; throws InputError on corrupt data.
    virtual std::size_t read(char* buffer, std::size_t n) = 0;
    /// Bytes consumed from the underlying file so far (compressed bytes), for progress.
    virtual std::uint64_t raw_bytes_read() const = 0;
    /// Size of the underlying file when it is a regular file (for progress ETA).
    virtual std::optional<std::uint64_t> raw_size() const = 0;
    /// The path given to open() ("-" for stdin).
    virtual const std::string& path() const = 0;
};

/// Drops the first `consumed` bytes of buffer (resetting it to 0) and appends the next chunk of in;
/// false at the end of input. The reading loop that LineReader and CsvReader share.
bool refill_window(InputStream& in, std::string& buffer, std::size_t& consumed, bool& eof);

/// One line of input: its 1-based number, its bytes without the line end, and whether it was cut.
struct Line {
    std::string text;            ///< the line (at most max_line_bytes when too_long)
    std::uint64_t number = 0;    ///< 1-based line number in the decoded stream
    std::uint64_t length = 0;    ///< full length in bytes, even when too_long
    bool too_long = false;       ///< longer than max_line_bytes: text holds only its start
};

/// Splits a stream into lines ("\n" or "\r\n") without ever holding more than max_line_bytes of one line.
class LineReader {
public:
    LineReader(InputStream& in, std::size_t max_line_bytes);
    /// Reads the next line; false at the end of input.
    bool next(Line& line);

private:
    bool fill();

    InputStream& in_;
    std::size_t max_line_bytes_;
    std::string buffer_;
    std::size_t pos_ = 0;
    std::uint64_t line_number_ = 0;
    bool eof_ = false;
};

}  // namespace dixit
