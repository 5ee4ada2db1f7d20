// Keys: key files, the Bearer check, and which routes need which key (writes off without a key).
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <access_keys.h>

#include <sys/stat.h>

using namespace dixit;
using namespace dixit::test;
using nlohmann::json;

namespace {

const std::string archive =
    R"({"id":"q1","text":"Peace talks must include Ukraine.","author":{"name":"A"},"language":"en"})" "\n"
    R"({"id":"q2","text":"North Korean troops are in Kursk.","author":{"name":"B"},"language":"en"})" "\n";

HttpResponse send(SearchFixture& f, const std::string& method, const std::string& target, const std::string& auth) {
    HttpRequest request{method, target, "", ""};
    request.authorization = auth;
    return handle(request, *f.searcher);
}

std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return "";
}

}  // namespace

TEST_CASE("a key file is read only when its owner alone can read it and it holds a key", "[access]") {
    TempDir tmp;
    struct Case { std::string bytes; mode_t mode; std::string key, error; };
    const std::vector<Case> cases = {
        {"s3cret\n", 0600, "s3cret", ""},
        {"  s3cret \r\n", 0400, "s3cret", ""},
        {"s3cret\n", 0640, "", "chmod 600"},
        {"s3cret\n", 0604, "", "chmod 600"},
        {"\n", 0600, "", "holds no key"},
        {"", 0600, "", "holds no key"},
        {"two words\n", 0600, "", "one line"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const std::string path = tmp.write("key" + std::to_string(i), c.bytes);
        REQUIRE(::chmod(path.c_str(), c.mode) == 0);
        INFO(c.bytes << " mode " << std::oct << c.mode);
        if (c.error.empty()) {
            CHECK(load_key_file(path, "write-key-file") == c.key);
        } else {
            CHECK_THROWS_WITH(load_key_file(path, "write-key-file"), Catch::Contains(c.error) && Catch::Contains("--write-key-file"));
        }
    }
    CHECK_THROWS_WITH(load_key_file(tmp / "missing", "read-key-file"), Catch::Contains("--read-key-file"));
}

TEST_CASE("Bearer keys match exactly", "[access]") {
    struct Case { std::string header, key; bool match; };
    const std::vector<Case> cases = {
        {"Bearer s3cret", "s3cret", true},
        {"bearer s3cret", "s3cret", true},
        {"BEARER  s3cret ", "s3cret", true},
        {"Bearer s3cre", "s3cret", false},
        {"Bearer s3cretx", "s3cret", false},
        {"Bearer S3CRET", "s3cret", false},
        {"Basic s3cret", "s3cret", false},
        {"s3cret", "s3cret", false},
        {"", "s3cret", false},
        {"Bearer ", "", false},
        {"Bearer x", "", false},
    };
    for (const auto& c : cases) {
        INFO("'" << c.header << "' against '" << c.key << "'");
        CHECK(bearer_matches(c.header, c.key) == c.match);
    }
}

TEST_CASE("writes are refused without a write key, and need it when there is one", "[access]") {
    SearchFixture off(archive);
    HttpResponse r = send(off, "DELETE", "/quotes/q1", "Bearer anything");
    CHECK(r.status == 403);
    CHECK(json::parse(r.body)["error"]["code"] == "writes_disabled");
    CHECK(off.get_json("/search?q=peace")["total"] == 1);

    Settings settings;
    settings.write_key = "w-key";
    SearchFixture on(archive, settings);
    for (const char* auth : {"", "Bearer wrong", "Bearer w-ke"}) {
        INFO(auth);
        r = send(on, "DELETE", "/quotes/q1", auth);
        CHECK(r.status == 401);
        CHECK(json::parse(r.body)["error"]["code"] == "unauthorized");
        CHECK(header(r, "WWW-Authenticate").find("Bearer") == 0);
    }
    CHECK(on.get_json("/search?q=peace")["total"] == 1);
    r = send(on, "DELETE", "/quotes/q1", "Bearer w-key");
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body) == json{{"id", "q1"}, {"deleted", true}});
    // Seen by the next search, with no wait for the reopen interval.
    CHECK(on.get_json("/search?q=peace")["total"] == 0);
    CHECK(on.get("/quotes/q1").status == 404);
    r = send(on, "DELETE", "/quotes/q1", "Bearer w-key");
    CHECK(r.status == 404);
    CHECK(send(on, "PUT", "/quotes/q2", "Bearer w-key").status == 405);
    CHECK(send(on, "DELETE", "/quotes/q2?x=1", "Bearer w-key").status == 400);
    // Reads need no key on a public archive.
    CHECK(on.get("/search?q=troops").status == 200);
}

TEST_CASE("a read key makes the archive private: reads need it or the write key", "[access]") {
    Settings settings;
    settings.read_key = "r-key";
    settings.write_key = "w-key";
    SearchFixture f(archive, settings);
    struct Case { std::string target, auth; unsigned status; };
    const std::vector<Case> cases = {
        {"/search?q=troops", "", 401},
        {"/search?q=troops", "Bearer nope", 401},
        {"/search?q=troops", "Bearer r-key", 200},
        {"/search?q=troops", "Bearer w-key", 200},
        {"/quotes/q2", "", 401},
        {"/quotes/q2", "Bearer r-key", 200},
        {"/facets/tag", "", 401},
        {"/fields", "", 401},
        {"/metrics", "", 401},
        {"/health", "", 200},  // load balancers' probes
        {"/", "", 200},        // the page itself holds no quote
    };
    for (const auto& c : cases) {
        INFO(c.target << " with '" << c.auth << "'");
        CHECK(send(f, "GET", c.target, c.auth).status == c.status);
    }
    // The read key is not a write key.
    CHECK(send(f, "DELETE", "/quotes/q2", "Bearer r-key").status == 401);
}
