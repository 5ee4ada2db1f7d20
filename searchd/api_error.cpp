// The error table (DIXIT_API_ERRORS in api_error.h) as status and name, and the JSON error body.
#include "api_error.h"

#include <text.h>

#include <nlohmann/json.hpp>

namespace dixit {
namespace {

constexpr ErrorInfo table[] = {
#define DIXIT_ERROR_ROW(code, status, name) {status, name},
    DIXIT_API_ERRORS(DIXIT_ERROR_ROW)
#undef DIXIT_ERROR_ROW
};

}  // namespace

const ErrorInfo& error_info(ErrorCode code) { return table[static_cast<std::size_t>(code)]; }

ApiError::ApiError(ErrorCode code, const std::string& message, std::optional<std::size_t> position)
    : std::runtime_error(message), code_(code), position_(position) {}

std::string error_body(ErrorCode code, std::string_view message, std::optional<std::size_t> position) {
    nlohmann::json error = {{"code", error_info(code).name}, {"message", message}};
    if (position) error["position"] = *position;
    // Messages may quote user input: replace invalid UTF-8 rather than throw while reporting an error.
    return json_text(nlohmann::json{{"error", error}});
}

}  // namespace dixit
