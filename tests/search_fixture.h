// A small hand-made archive indexed into a temporary directory, and a Searcher over it (search tests).
#pragma once

#include "test_support.h"

#include <handlers.h>
#include <rebuild.h>
#include <searcher.h>
#include <text.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

namespace dixit::test {

/// Seconds since the epoch now (published_at of "recent" records is relative to it).
inline std::int64_t now_seconds() { return unix_now(); }

/// Rebuild options for tests: quiet, no grace period.
inline RebuildOptions quiet_rebuild() {
    RebuildOptions r;
    r.write.ingest.quiet = true;
    r.write.ingest.threads = 1;
    r.grace = std::chrono::milliseconds(0);
    return r;
}

/// An index built from JSONL records and a searcher (one worker) over it.
struct SearchFixture {
    TempDir tmp;
    std::string db = tmp / "index";
    std::unique_ptr<SearchService> service;
    std::unique_ptr<Searcher> searcher;

    explicit SearchFixture(const std::string& jsonl, Settings settings = {}) {
        rebuild_index(db, {tmp.write("in.jsonl", jsonl)}, quiet_rebuild());
        settings.db = db;
        settings.reopen_interval = std::chrono::milliseconds(0);
        service = std::make_unique<SearchService>(settings);
        searcher = std::make_unique<Searcher>(*service);
        // Searches answered before the vocabulary is read carry no suggestion and are not cached.
        if (settings.suggestions) service->vocabulary().get(searcher->db(), true);
    }

    /// The response to a GET of target.
    HttpResponse get(const std::string& target) { return handle({"GET", target, "", ""}, *searcher); }

    /// The JSON body of a GET that must succeed.
    nlohmann::json get_json(const std::string& target) {
        HttpResponse r = get(target);
        INFO(target << " -> " << r.status << " " << r.body);
        REQUIRE(r.status == 200);
        return nlohmann::json::parse(r.body);
    }
};

}  // namespace dixit::test
