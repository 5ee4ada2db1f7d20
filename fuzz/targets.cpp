// The fuzz targets by name (for the regression replay and the seed maker).
#include "targets.h"

#include <array>
#include <utility>

namespace dixit::fuzz {

Target target_by_name(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, Target>, 9> targets = {{
        {"query_parser", query_parser}, {"quote", quote},   {"formats", formats},   {"input_stream", input_stream},
        {"record", record},             {"token_sequence", token_sequence}, {"cursor", cursor},
        {"http_target", http_target},   {"handle", handle},
    }};
    for (const auto& [n, t] : targets)
        if (n == name) return t;
    return nullptr;
}

}  // namespace dixit::fuzz
