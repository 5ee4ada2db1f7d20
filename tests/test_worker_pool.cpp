// The worker pool's lanes: quick requests (health, cached answers...) are answered while every search worker
// is busy, and requests are sorted into the lanes by what they cost.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <worker_pool.h>

#include <atomic>
#include <future>
#include <thread>

using namespace dixit;
using dixit::test::SearchFixture;

namespace {

const char* two_quotes =
    R"({"id":"a","text":"Troops at the border.","author":{"name":"Ann Lee"},"tags":["Border"],"published_at":"2025-01-01T00:00:00Z"}
{"id":"b","text":"Peace talks resume.","author":{"name":"Bo Chen"},"tags":["Peace"],"published_at":"2025-01-02T00:00:00Z"}
)";

}  // namespace

TEST_CASE("worker pool: /health is answered while every search worker is busy", "[pool]") {
    SearchFixture f(two_quotes);
    WorkerPool pool(*f.service, 2, 16);
    pool.start();
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> busy{0};
    for (int i = 0; i < 3; ++i)  // two running, one waiting behind them
        REQUIRE(pool.try_submit([&busy, released](Searcher&) {
            ++busy;
            released.wait();
        }));
    for (int i = 0; i < 500 && busy < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(busy == 2);

    std::promise<HttpResponse> health;
    auto answered = health.get_future();
    REQUIRE(pool.try_submit([&health](Searcher& s) { health.set_value(handle({"GET", "/health", "", ""}, s)); },
                            Lane::Quick));
    const bool in_time = answered.wait_for(std::chrono::seconds(1)) == std::future_status::ready;
    release.set_value();  // whatever happened, let the searches end so that the pool can stop
    REQUIRE(in_time);
    CHECK(answered.get().status == 200);
    pool.stop();
}

TEST_CASE("worker pool: requests are sorted into lanes by what they cost", "[pool]") {
    SearchFixture f(two_quotes);
    struct Case {
        std::string method, target;
        bool quick;
    };
    // Before any search: nothing is cached.
    const std::vector<Case> cases = {
        {"GET", "/health", true},
        {"GET", "/metrics", true},
        {"GET", "/", true},
        {"GET", "/static/app.js", true},
        {"GET", "/quotes/a", true},
        {"GET", "/no/such/route", true},
        {"GET", "/search?q=%zz", true},  // a malformed target: a 400 at once
        {"GET", "/search?q=troops", false},
        {"GET", "/se%61rch?q=troops", false},  // decoded before it is sorted
        {"POST", "/search", false},
        {"GET", "/latest?hours=744", false},
        {"GET", "/contexts/latest?hours=744", false},
        {"GET", "/facets/author", false},
    };
    for (const auto& c : cases) {
        INFO(c.method << " " << c.target);
        CHECK(is_quick({c.method, c.target, c.method == "POST" ? R"({"q":"troops"})" : "", "application/json"},
                       *f.service) == c.quick);
    }
    // Once answered, the same search is a look-up in the cache: quick; another one is not.
    REQUIRE(f.get("/search?q=troops").status == 200);
    CHECK(is_quick({"GET", "/search?q=troops", "", ""}, *f.service));
    CHECK_FALSE(is_quick({"GET", "/search?q=peace", "", ""}, *f.service));
    REQUIRE(handle({"POST", "/search", R"({"q":"peace"})", "application/json"}, *f.searcher).status == 200);
    CHECK(is_quick({"POST", "/search", R"({"q":"peace"})", "application/json"}, *f.service));
    CHECK_FALSE(is_quick({"POST", "/search", R"({"q":"troops"})", "application/json"}, *f.service));
}
