// GET /search.atom: every feed is checked as Atom 1.0 by a feed parser (tests/check_atom.py, Debian's
// python3-feedparser) against /search's answer to the same request: entries, escaping of every string.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <codec.h>
#include <feed.h>

#include <cstdlib>
#include <fstream>

using dixit::test::SearchFixture;
using nlohmann::json;

namespace {

std::string record(const std::string& id, const std::string& text, const std::string& author, const json& tags,
                   const std::string& published) {
    return json({{"id", id}, {"text", text}, {"author", {{"name", author}}}, {"tags", tags}, {"published_at", published}})
               .dump() + "\n";
}

}  // namespace

TEST_CASE("/search.atom: any search as a valid Atom 1.0 feed, newest published first, every string escaped") {
    SearchFixture f(
        record("a&b<1>", "Markup <b>is</b> text & stays \"text\" 'here' <![CDATA[ ]]> --> budget", "Mallory <i>M</i> & Co",
               {"Escaping & <tags>"}, "2024-01-02T00:00:00Z") +
        record("q2", "Слава Україні: the budget talks go on 北朝鮮", "Zoë Ünal", {"Budget"}, "2024-03-01T10:00:00Z") +
        record("q3", "Nothing about money, but a tab\there and the winter", "Ann Lee", json::array(), "2023-12-31T23:59:59Z"));
    const std::vector<std::pair<std::string, std::string>> feeds = {  // query string, the feed's title
        {"", "Dixit: the latest quotes"},
        {"q=budget", "Dixit: “budget”"},
        {"tag=Budget", "Dixit: tag: Budget"},
        {"author=" + dixit::percent_encode("Mallory <i>M</i> & Co"), "Dixit: author: Mallory <i>M</i> & Co"},
        {"q=winter&sort=oldest&per_page=5", "Dixit: “winter”"},
    };
    const std::string check = DIXIT_ATOM_CHECK;
    for (const auto& [query, title] : feeds) {
        INFO(query);
        dixit::HttpResponse feed = f.get("/search.atom" + (query.empty() ? "" : "?" + query));
        REQUIRE(feed.status == 200);
        CHECK(feed.content_type == "application/atom+xml; charset=utf-8");
        const bool sorted = query.find("sort=") != std::string::npos;
        json hits = f.get_json("/search?" + query + (sorted ? "" : "&sort=published"))["hits"];
        REQUIRE_FALSE(hits.empty());
        json expected = {{"title", title}, {"entries", json::array()}};
        for (const auto& h : hits) {
            const std::string id = h["id"];
            expected["entries"].push_back({{"id", "urn:dixit:quote:" + dixit::percent_encode(id)},
                                           {"title_prefix", h["author"]["name"].get<std::string>() + ": "},
                                           {"text", h["text"]},
                                           {"author", h["author"]["name"]},
                                           {"tags", h.value("tags", json::array())}});
        }
        const std::string feed_file = f.tmp.write("feed.xml", feed.body);
        const std::string expected_file = f.tmp.write("expected.json", expected.dump());
        const std::string command = "/usr/bin/python3 " + check + " " + feed_file + " " + expected_file;
        INFO(feed.body);
        CHECK(std::system(command.c_str()) == 0);
    }
    CHECK(f.get("/search.atom?per_page=0").status == 400);
    CHECK(f.get("/search.atom?sort=sideways").status == 400);
    CHECK(handle({"POST", "/search.atom", "{}", "application/json"}, *f.searcher).status == 405);
    CHECK(dixit::xml_escape("a\x01<b>&\"'\n") == "a&lt;b&gt;&amp;&quot;&#39;\n");
}
