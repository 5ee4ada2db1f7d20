// The API's keys (access_keys.h).
#include "access_keys.h"

#include <text.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <sys/stat.h>

namespace dixit {

std::string load_key_file(const std::string& path, std::string_view option) {
    const std::string where = "--" + std::string(option) + " " + path;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw std::invalid_argument(where + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw std::invalid_argument(where + ": not a regular file");
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        throw std::invalid_argument(where + ": the key file must be readable by its owner only (chmod 600 " + path + ")");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument(where + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    const std::string key(trim(text.str()));
    if (key.empty()) throw std::invalid_argument(where + ": the file holds no key");
    if (key.find_first_of(" \t\r\n") != std::string::npos)
        throw std::invalid_argument(where + ": a key is one line without spaces");
    return key;
}

bool bearer_matches(std::string_view authorization, std::string_view key) {
    constexpr std::string_view scheme = "bearer ";
    if (key.empty() || authorization.size() < scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if ((authorization[i] | 0x20) != scheme[i]) return false;  // ' ' | 0x20 is ' '
    const std::string_view given = trim(authorization.substr(scheme.size()));
    // Every byte of the key is compared whatever the others gave, and the lengths are folded in last.
    unsigned char diff = 0;
    for (std::size_t i = 0; i < key.size(); ++i)
        diff |= static_cast<unsigned char>((i < given.size() ? given[i] : 0) ^ key[i]);
    return diff == 0 && given.size() == key.size();
}

}  // namespace dixit
