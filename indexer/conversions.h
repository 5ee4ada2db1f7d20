// The conversions of the other input shapes (flat, Quotebank) to the Dixit record, one JSON object each.
#pragma once

#include <nlohmann/json.hpp>

namespace dixit {

/// Quotebank quotation-centric object -> Dixit record (documented mapping; throws std::invalid_argument naming the field).
nlohmann::json quotebank_to_dixit(const nlohmann::json& quotebank);
/// Flat interchange object -> Dixit record (throws std::invalid_argument naming the field).
nlohmann::json flat_to_dixit(const nlohmann::json& flat);

}  // namespace dixit
