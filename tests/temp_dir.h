// A fresh temporary directory per test, removed with its contents at the end of the scope (shared by the
// unit tests and the end-to-end tests, which link nothing of the indexer).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace dixit::test {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "dixit-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    const std::string& path() const { return path_; }
    /// A path inside it.
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }
    /// Writes bytes to a file inside it; returns the file's path.
    std::string write(const std::string& name, const std::string& bytes) const {
        std::string file = *this / name;
        std::ofstream(file, std::ios::binary) << bytes;
        return file;
    }

private:
    std::string path_;
};

}  // namespace dixit::test
