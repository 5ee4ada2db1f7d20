#include "input_stream.h"

#include <bzlib.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dixit {
namespace {

// Large reads: dumps are gigabytes, and syscalls per line would dominate.
constexpr std::size_t kChunk = 256 * 1024;

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
    throw InputError(path + ": " + reason);
}

// The undecoded bytes of a file or stdin. Bytes read to sniff the format are kept in
// `pending_` and handed out first, because stdin cannot seek back.
class RawFile {
public:
    explicit RawFile(const std::string& path) : path_(path) {
        if (path == "-") {
            fd_ = STDIN_FILENO;
        } else {
            fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd_ < 0) fail(path, std::strerror(errno));
            owned_ = true;
        }
        struct stat st {};
        if (::fstat(fd_, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                close_fd();
                fail(path, "Is a directory");
            }
            if (S_ISREG(st.st_mode)) size_ = static_cast<std::uint64_t>(st.st_size);
        }
    }
    ~RawFile() { close_fd(); }
    RawFile(const RawFile&) = delete;
    RawFile& operator=(const RawFile&) = delete;

    std::size_t read(char* buffer, std::size_t n) {
        if (pending_pos_ < pending_.size()) {
            std::size_t k = std::min(n, pending_.size() - pending_pos_);
            std::memcpy(buffer, pending_.data() + pending_pos_, k);
            pending_pos_ += k;
            return k;
        }
        return read_fd(buffer, n);
    }

    // Reads up to n bytes without consuming them (short only at end of input).
    std::string peek(std::size_t n) {
        while (pending_.size() < n) {
            char buf[16];
            std::size_t got = read_fd(buf, std::min(sizeof buf, n - pending_.size()));
            if (got == 0) break;
            pending_.append(buf, got);
        }
        return pending_.substr(0, n);
    }

    const std::string& path() const { return path_; }
    std::uint64_t consumed() const { return consumed_; }
    std::optional<std::uint64_t> size() const { return size_; }

private:
    std::size_t read_fd(char* buffer, std::size_t n) {
        for (;;) {
            ssize_t got = ::read(fd_, buffer, n);
            if (got >= 0) {
                consumed_ += static_cast<std::uint64_t>(got);
                return static_cast<std::size_t>(got);
            }
            if (errno != EINTR) fail(path_, std::strerror(errno));
        }
    }
    void close_fd() {
        if (owned_ && fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    std::string path_;
    int fd_ = -1;
    bool owned_ = false;
    std::optional<std::uint64_t> size_;
    std::uint64_t consumed_ = 0;
    std::string pending_;
    std::size_t pending_pos_ = 0;
};

class StreamBase : public InputStream {
public:
    explicit StreamBase(std::unique_ptr<RawFile> raw) : raw_(std::move(raw)) {}
    std::uint64_t raw_bytes_read() const override { return raw_->consumed(); }
    std::optional<std::uint64_t> raw_size() const override { return raw_->size(); }
    const std::string& path() const override { return raw_->path(); }

protected:
    std::unique_ptr<RawFile> raw_;
};

class PlainStream : public StreamBase {
public:
    using StreamBase::StreamBase;
    std::size_t read(char* buffer, std::size_t n) override { return raw_->read(buffer, n); }
};

// Compressed input: subclasses decode from in_ (refilled from the file) into the caller's buffer.
class DecodingStream : public StreamBase {
public:
    using StreamBase::StreamBase;

protected:
    // Refills in_ when it is used up; false at the end of the file.
    bool refill() {
        if (in_pos_ < in_len_) return true;
        in_len_ = raw_->read(in_.data(), in_.size());
        in_pos_ = 0;
        return in_len_ > 0;
    }
    std::vector<char> in_ = std::vector<char>(kChunk);
    std::size_t in_pos_ = 0;
    std::size_t in_len_ = 0;
};

// gzip, including several members one after another (as `cat a.gz b.gz` or pigz produce).
class GzipStream : public DecodingStream {
public:
    explicit GzipStream(std::unique_ptr<RawFile> raw) : DecodingStream(std::move(raw)) {
        if (inflateInit2(&z_, 15 + 32) != Z_OK) fail(path(), "cannot initialise zlib");
    }
    ~GzipStream() override { inflateEnd(&z_); }

    std::size_t read(char* buffer, std::size_t n) override {
        if (done_ || n == 0) return 0;
        const uInt cap = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
        for (;;) {
            // At the end of the file a member may still hold output, so inflate once more with no input.
            const bool have = refill();
            if (!have && !in_member_) {
                done_ = true;
                return 0;
            }
            if (!in_member_) {
                inflateReset(&z_);
                in_member_ = true;
            }
            z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
            z_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
            z_.next_out = reinterpret_cast<Bytef*>(buffer);
            z_.avail_out = cap;
            const int rc = inflate(&z_, Z_NO_FLUSH);
            const std::size_t used = (in_len_ - in_pos_) - z_.avail_in;
            in_pos_ += used;
            const std::size_t produced = cap - z_.avail_out;
            if (rc == Z_STREAM_END) {
                in_member_ = false;
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                fail(path(), std::string("corrupt gzip data (") + (z_.msg ? z_.msg : zError(rc)) + ")");
            } else if (produced == 0 && used == 0) {
                if (!have) fail(path(), "truncated gzip data (unexpected end of file)");
                fail(path(), "corrupt gzip data (no progress)");
            }
            if (produced > 0) return produced;
        }
    }

private:
    z_stream z_{};
    bool in_member_ = false;
    bool done_ = false;
};

const char* bz_error_name(int rc) {
    switch (rc) {
        case BZ_DATA_ERROR: return "BZ_DATA_ERROR";
        case BZ_DATA_ERROR_MAGIC: return "BZ_DATA_ERROR_MAGIC";
        case BZ_MEM_ERROR: return "BZ_MEM_ERROR";
        case BZ_PARAM_ERROR: return "BZ_PARAM_ERROR";
        default: return "unknown bzip2 error";
    }
}

// bzip2, including concatenated streams (pbzip2 writes one stream per block).
class Bzip2Stream : public DecodingStream {
public:
    explicit Bzip2Stream(std::unique_ptr<RawFile> raw) : DecodingStream(std::move(raw)) {}
    ~Bzip2Stream() override {
        if (in_stream_) BZ2_bzDecompressEnd(&bz_);
    }

    std::size_t read(char* buffer, std::size_t n) override {
        if (done_ || n == 0) return 0;
        const unsigned cap = static_cast<unsigned>(std::min<std::size_t>(n, 1u << 30));
        for (;;) {
            const bool have = refill();
            if (!have && !in_stream_) {
                done_ = true;
                return 0;
            }
            if (!in_stream_) {
                bz_ = bz_stream{};
                const int rc = BZ2_bzDecompressInit(&bz_, 0, 0);
                if (rc != BZ_OK) fail(path(), std::string("cannot initialise bzip2 (") + bz_error_name(rc) + ")");
                in_stream_ = true;
            }
            bz_.next_in = in_.data() + in_pos_;
            bz_.avail_in = static_cast<unsigned>(in_len_ - in_pos_);
            bz_.next_out = buffer;
            bz_.avail_out = cap;
            const int rc = BZ2_bzDecompress(&bz_);
            const std::size_t used = (in_len_ - in_pos_) - bz_.avail_in;
            in_pos_ += used;
            const std::size_t produced = cap - bz_.avail_out;
            if (rc == BZ_STREAM_END) {
                BZ2_bzDecompressEnd(&bz_);
                in_stream_ = false;
            } else if (rc != BZ_OK) {
                fail(path(), std::string("corrupt bzip2 data (") + bz_error_name(rc) + ")");
            } else if (!have && produced == 0) {
                fail(path(), "truncated bzip2 data (unexpected end of file)");
            }
            if (produced > 0) return produced;
        }
    }

private:
    bz_stream bz_{};
    bool in_stream_ = false;
    bool done_ = false;
};

// zstd; ZSTD_decompressStream itself moves on to the next frame, so several frames just work.
class ZstdStream : public DecodingStream {
public:
    explicit ZstdStream(std::unique_ptr<RawFile> raw) : DecodingStream(std::move(raw)), ctx_(ZSTD_createDStream()) {
        if (!ctx_) fail(path(), "cannot initialise zstd");
    }
    ~ZstdStream() override { ZSTD_freeDStream(ctx_); }

    std::size_t read(char* buffer, std::size_t n) override {
        if (done_ || n == 0) return 0;
        for (;;) {
            const bool have = refill();
            if (!have && frame_ended_) {
                done_ = true;
                return 0;
            }
            ZSTD_outBuffer out{buffer, n, 0};
            ZSTD_inBuffer in{in_.data(), in_len_, in_pos_};
            const std::size_t rc = ZSTD_decompressStream(ctx_, &out, &in);
            in_pos_ = in.pos;
            if (ZSTD_isError(rc)) fail(path(), std::string("corrupt zstd data (") + ZSTD_getErrorName(rc) + ")");
            frame_ended_ = (rc == 0);
            if (!have && out.pos == 0 && !frame_ended_) fail(path(), "truncated zstd data (unexpected end of file)");
            if (out.pos > 0) return out.pos;
        }
    }

private:
    ZSTD_DStream* ctx_;
    bool frame_ended_ = false;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<InputStream> InputStream::open(const std::string& path) {
    auto raw = std::make_unique<RawFile>(path);
    const std::string magic = raw->peek(4);
    auto starts = [&](const char* m, std::size_t len) { return magic.size() >= len && magic.compare(0, len, m, len) == 0; };
    if (starts("\x1f\x8b", 2)) return std::make_unique<GzipStream>(std::move(raw));
    if (starts("BZh", 3) && magic.size() == 4 && magic[3] >= '1' && magic[3] <= '9') return std::make_unique<Bzip2Stream>(std::move(raw));
    if (starts("\x28\xb5\x2f\xfd", 4)) return std::make_unique<ZstdStream>(std::move(raw));
    return std::make_unique<PlainStream>(std::move(raw));
}

LineReader::LineReader(InputStream& in, std::size_t max_line_bytes) : in_(in), max_line_bytes_(max_line_bytes) {}

bool refill_window(InputStream& in, std::string& buffer, std::size_t& consumed, bool& eof) {
    if (eof) return false;
    if (consumed > 0) {
        buffer.erase(0, consumed);
        consumed = 0;
    }
    const std::size_t old = buffer.size();
    buffer.resize(old + kChunk);
    const std::size_t got = in.read(buffer.data() + old, kChunk);
    buffer.resize(old + got);
    if (got == 0) eof = true;
    return got > 0;
}

bool LineReader::fill() { return refill_window(in_, buffer_, pos_, eof_); }

bool LineReader::next(Line& line) {
    std::size_t scanned = 0;  // bytes after pos_ known to hold no '\n'
    for (;;) {
        std::size_t nl = buffer_.find('\n', pos_ + scanned);
        bool at_end = false;
        if (nl == std::string::npos) {
            scanned = buffer_.size() - pos_;
            // One byte of slack: a line of exactly max bytes may still be followed by "\r\n".
            if (scanned <= max_line_bytes_ || scanned - max_line_bytes_ <= 1) {
                if (fill()) continue;
                if (pos_ == buffer_.size()) return false;
                at_end = true;
                nl = buffer_.size();
            }
        }
        line.number = ++line_number_;
        if (nl != std::string::npos) {
            std::size_t len = nl - pos_;
            if (len > 0 && buffer_[nl - 1] == '\r') --len;
            line.length = len;
            line.too_long = len > max_line_bytes_;
            line.text.assign(buffer_, pos_, std::min(len, max_line_bytes_));
            pos_ = at_end ? buffer_.size() : nl + 1;
            return true;
        }
        // Too long: keep its start, then count and drop the rest up to the next '\n'.
        line.text.assign(buffer_, pos_, max_line_bytes_);
        line.too_long = true;
        std::uint64_t length = buffer_.size() - pos_;
        char last = buffer_.back();
        pos_ = buffer_.size();
        for (;;) {
            if (!fill()) break;
            std::size_t end = buffer_.find('\n');
            if (end != std::string::npos) {
                length += end;
                if (end > 0) last = buffer_[end - 1];
                pos_ = end + 1;
                break;
            }
            length += buffer_.size();
            last = buffer_.back();
            pos_ = buffer_.size();
        }
        if (last == '\r') --length;
        line.length = length;
        return true;
    }
}

}  // namespace dixit
