// Fuzz target handle: whole requests through searchd's handle() on an index of data/seed.jsonl.
#include "targets.h"

#include <handlers.h>
#include <rebuild.h>
#include <searcher.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace dixit::fuzz {
namespace {

// The index is rebuilt once per process into a directory of its own, removed at exit.
struct SeedIndex {
    std::filesystem::path dir;
    std::unique_ptr<SearchService> service;
    std::unique_ptr<Searcher> searcher;

    SeedIndex() {
        const char* tmp = std::getenv("TMPDIR");
        dir = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / ("dixit-fuzz-index-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        RebuildOptions options;
        options.write.ingest.quiet = true;
        options.write.ingest.threads = 1;
        options.grace = std::chrono::milliseconds(0);
        rebuild_index(dir.string(), {std::string(DIXIT_DATA_DIR) + "/seed.jsonl"}, options);
        Settings settings;
        settings.db = dir.string();
        settings.cache_bytes = 0;  // every input runs the search itself
        service = std::make_unique<SearchService>(settings);
        searcher = std::make_unique<Searcher>(*service);
    }
    ~SeedIndex() {
        searcher.reset();
        service.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

}  // namespace

void handle(std::string_view data) {
    static SeedIndex index;
    HttpRequest request;
    if (!data.empty() && data[0] == '{') {
        request = {"POST", "/search", std::string(data), "application/json"};
    } else {
        request = {"GET", std::string(data), "", ""};
    }
    const HttpResponse response = dixit::handle(request, *index.searcher);
    // handle() turns bad input into 4xx; a 500 is an exception nobody expected (it logs what).
    if (response.status == 500) throw std::logic_error("handle() answered 500 internal: " + response.body);
    if (response.content_type == "application/json" &&
        nlohmann::json::parse(response.body, nullptr, false).is_discarded())
        throw std::logic_error("handle() answered a JSON response that does not parse");
}

}  // namespace dixit::fuzz
