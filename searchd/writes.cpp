// The API's writes: DELETE /quotes/{id} through the indexer's own delete, under the writer lock.
#include "routes.h"

#include <index_dir.h>
#include <index_writer.h>

#include <nlohmann/json.hpp>

namespace dixit {
namespace {

// How long a write waits for another writer (dixit-indexer add, delete, rebuild) before a 503 index_busy.
constexpr std::chrono::milliseconds lock_wait{2000};

}  // namespace

HttpResponse delete_quote_route(const RouteCall& call) {
    Searcher& searcher = call.searcher;
    WriteOptions options;
    options.ingest.quiet = true;
    options.lock_wait = lock_wait;
    DeleteSummary summary;
    try {
        summary = delete_quotes(searcher.settings().db, {std::string(call.capture)}, options);
    } catch (const IndexLockedError&) {
        throw ApiError(ErrorCode::IndexBusy, "another writer (dixit-indexer add, delete or rebuild) holds the index; try again");
    }
    if (summary.deleted.empty()) throw ApiError(ErrorCode::NotFound, "no quote with id '" + std::string(call.capture) + "'");
    searcher.service().note_write();
    searcher.refresh(true);
    return json_response({{"id", summary.deleted.front()}, {"deleted", true}});
}

}  // namespace dixit
