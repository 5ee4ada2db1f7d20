// Index statistics for operators: documents, revision, size and per-facet value counts, as JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace dixit {

/// Statistics of the index at dir, opened as readers open it (through the stub); top values per facet.
/// Throws Xapian::DatabaseOpeningError when dir holds no index.
nlohmann::json index_stats(const std::string& dir, std::size_t top_values = 10);

}  // namespace dixit
