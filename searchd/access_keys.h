// The API's keys: read from files only their owner can read, and checked against a request's
// `Authorization: Bearer KEY` in constant time.
#pragma once

#include <string>
#include <string_view>

namespace dixit {

/// The key held in the file at path (one line; a trailing newline is not part of it). Throws
/// std::invalid_argument naming option and path when the file cannot be read, is readable or writable by
/// its group or others (chmod 600), or holds no key.
std::string load_key_file(const std::string& path, std::string_view option);

/// True when an Authorization header value is "Bearer KEY" for this key (the scheme in any case). The time
/// taken depends on the key's length only, never on how much of the key the request got right.
bool bearer_matches(std::string_view authorization, std::string_view key);

}  // namespace dixit
