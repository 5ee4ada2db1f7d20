// Shared helpers for the tests: a fresh temporary directory per test and file writing.
#pragma once

#include "temp_dir.h"

#include <input_stream.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <cstdlib>

namespace dixit::test {

/// Writes bytes to a file, replacing it.
inline void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// An in-memory stream that hands out at most `chunk` bytes a read, to hit every buffer boundary.
class MemoryStream : public InputStream {
public:
    MemoryStream(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
    std::size_t read(char* buffer, std::size_t n) override {
        const std::size_t k = std::min({n, chunk_, data_.size() - pos_});
        std::memcpy(buffer, data_.data() + pos_, k);
        pos_ += k;
        return k;
    }
    std::uint64_t raw_bytes_read() const override { return pos_; }
    std::optional<std::uint64_t> raw_size() const override { return data_.size(); }
    const std::string& path() const override { return path_; }

private:
    std::string data_;
    std::size_t chunk_;
    std::size_t pos_ = 0;
    std::string path_ = "memory";
};

/// The whole content of a file.
inline std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The repository's data directory (data/), holding real quotes under data/real/.
inline std::string data_dir() { return DIXIT_DATA_DIR; }

}  // namespace dixit::test
