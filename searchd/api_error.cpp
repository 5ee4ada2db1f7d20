// The error table: one row per ErrorCode.
#include "api_error.h"

#include <nlohmann/json.hpp>

#include <array>

namespace dixit {
namespace {

constexpr std::array<ErrorInfo, 14> table = {{
    {400, "bad_query"},
    {400, "bad_parameter"},
    {400, "bad_json"},
    {403, "host_not_allowed"},
    {404, "not_found"},
    {405, "method_not_allowed"},
    {408, "timeout"},
    {413, "body_too_large"},
    {414, "uri_too_long"},
    {431, "headers_too_large"},
    {503, "overloaded"},
    {503, "index_unavailable"},
    {503, "search_timeout"},
    {500, "internal"},
}};
static_assert(table.size() == static_cast<std::size_t>(ErrorCode::Internal) + 1, "one row per ErrorCode");

}  // namespace

const ErrorInfo& error_info(ErrorCode code) { return table[static_cast<std::size_t>(code)]; }

ApiError::ApiError(ErrorCode code, const std::string& message, std::optional<std::size_t> position)
    : std::runtime_error(message), code_(code), position_(position) {}

std::string error_body(ErrorCode code, std::string_view message, std::optional<std::size_t> position) {
    nlohmann::json error = {{"code", error_info(code).name}, {"message", message}};
    if (position) error["position"] = *position;
    // Messages may quote user input: replace invalid UTF-8 rather than throw while reporting an error.
    return nlohmann::json{{"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dixit
