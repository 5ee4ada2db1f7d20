// The route table and the field table as the API and the page see them: matching, methods, lanes, /fields.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <fields.h>
#include <routes.h>
#include <static_files.h>

#include <set>

using namespace dixit;
using namespace dixit::test;
using nlohmann::json;

TEST_CASE("a path finds its route and what the pattern's {name} stands for", "[routes]") {
    struct Case { std::string path, pattern, capture; };
    const std::vector<Case> cases = {
        {"/search", "/search", ""},
        {"/search.atom", "/search.atom", ""},
        {"/fields", "/fields", ""},
        {"/quotes/q1", "/quotes/{id}", "q1"},
        {"/quotes/a/b", "/quotes/{id}", "a/b"},
        {"/quotes/q1/variants", "/quotes/{id}/variants", "q1"},
        {"/quotes/a/variants/variants", "/quotes/{id}/variants", "a/variants"},
        {"/facets/tag", "/facets/{field}", "tag"},
        {"/quotes/", "", ""},  // an empty {id} is no route
        {"/quotes//variants", "/quotes/{id}", "/variants"},
        {"/searchx", "", ""},
        {"/", "", ""},
    };
    for (const auto& c : cases) {
        INFO(c.path);
        std::string_view capture = "unset";
        const Route* r = find_route(c.path, &capture);
        if (c.pattern.empty()) {
            CHECK(r == nullptr);
            continue;
        }
        REQUIRE(r != nullptr);
        CHECK(r->pattern == c.pattern);
        CHECK(capture == c.capture);
    }
}

TEST_CASE("the route table: one row a pattern and access, the pattern the metrics label of its paths", "[routes]") {
    std::set<std::pair<std::string_view, std::string_view>> rows;
    for (const Route& r : routes()) {
        INFO(r.pattern << " " << r.methods);
        CHECK(rows.insert({r.pattern, r.methods}).second);
        CHECK(r.handler != nullptr);
        CHECK((r.methods == "GET" || r.methods == "GET, POST" || r.methods == "DELETE"));
        // Reads never change the index; what does needs the write key.
        CHECK((r.access == Access::Write) == (r.methods == "DELETE"));
        // A pattern matches its own spelling with {name} filled in, and route_of names it.
        std::string path(r.pattern);
        if (auto open = path.find('{'); open != std::string::npos) path.replace(open, path.find('}') - open + 1, "x");
        CHECK(route_of(path) == r.pattern);
    }
    CHECK(route_of("/") == "/");
    CHECK(route_of("/static/app.js") == "/static");
    CHECK(route_of("/tag/ukraine") == "page");
    CHECK(route_of("/nowhere") == "other");
}

TEST_CASE("methods and parameters are checked from the table", "[routes]") {
    SearchFixture f(R"({"id":"q1","text":"Peace talks must include Ukraine.","author":{"name":"A"},"language":"en"})" "\n");
    struct Case { std::string method, target; unsigned status; std::string mention; };
    const std::vector<Case> cases = {
        {"GET", "/fields", 200, "\"name\":\"tag\""},
        {"HEAD", "/health", 200, "ok"},
        {"POST", "/fields", 405, "(GET)"},
        {"PUT", "/search", 405, "(GET, POST)"},
        {"GET", "/quotes/q1?x=1", 400, "/quotes/{id} takes no parameters"},
        {"GET", "/quotes/q1/variants?x=1", 400, "/quotes/{id}/variants takes no parameters"},
        {"GET", "/quotes/q1", 200, "Peace talks"},
    };
    for (const auto& c : cases) {
        HttpResponse r = handle({c.method, c.target, "", ""}, *f.searcher);
        INFO(c.method << " " << c.target << " -> " << r.status << " " << r.body);
        CHECK(r.status == c.status);
        CHECK(r.body.find(c.mention) != std::string::npos);
    }
}

TEST_CASE("/fields and the page's fields.js are the field table", "[routes][fields]") {
    SearchFixture f(R"({"id":"q1","text":"hello world","author":{"name":"A"}})" "\n");
    const json list = f.get_json("/fields");
    REQUIRE(list.size() == fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const FieldSpec& spec = fields[i];
        INFO(spec.name);
        CHECK(list[i]["name"] == spec.name);
        CHECK(list[i]["label"] == spec.label);
        CHECK(list[i]["facet"] == is_facet(spec));
        CHECK(list[i]["query"] == has_use(spec, use::query));
        CHECK(list[i]["filter"] == has_use(spec, use::url_filter));
        CHECK(list[i]["index_page"] == spec.index_page);
        // Every URL filter is a /search parameter; every facet can be asked for.
        if (has_use(spec, use::url_filter))
            CHECK(f.get("/search?" + std::string(spec.name) + "=x").body.find("unknown parameter") == std::string::npos);
        else
            CHECK(f.get("/search?" + std::string(spec.name) + "=x").body.find("unknown parameter") != std::string::npos);
        if (is_facet(spec)) CHECK(f.get("/search?facets=" + std::string(spec.name)).status == 200);
        // Index pages and value pages are the page's own paths.
        if (!spec.index_page.empty()) {
            CHECK(is_page_path("/" + std::string(spec.index_page)));
            CHECK(is_page_path("/" + std::string(spec.name) + "/x"));
            CHECK_FALSE(is_page_path("/" + std::string(spec.name) + "/"));
        }
    }
    const HttpResponse module = f.get("/static/fields.js");
    REQUIRE(module.status == 200);
    CHECK(module.content_type.find("javascript") != std::string::npos);
    CHECK(module.body.find("export const FIELDS = " + fields_json() + ";") != std::string::npos);
    std::string etag;
    for (const auto& [name, value] : module.headers)
        if (name == "ETag") etag = value;
    REQUIRE(etag.size() > 2);
    HttpRequest again{"GET", "/static/fields.js", "", ""};
    again.if_none_match = etag;
    CHECK(handle(again, *f.searcher).status == 304);
}

TEST_CASE("an unknown facet is refused with the list of facets from the table", "[routes][fields]") {
    SearchFixture f(R"({"id":"q1","text":"hello world","author":{"name":"A"}})" "\n");
    const HttpResponse r = f.get("/search?facets=colour");
    REQUIRE(r.status == 400);
    CHECK(r.body.find("(" + facet_names() + ")") != std::string::npos);
    CHECK(facet_names().find("confidence") != std::string::npos);
}
