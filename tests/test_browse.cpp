// Browse endpoints and index changes at handler level: /quotes/{id}, /latest, /contexts/latest, /facets/{field}.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <index_writer.h>
#include <locales.h>

using namespace dixit;
using dixit::test::SearchFixture;
using dixit::test::now_seconds;
using nlohmann::json;

namespace {

std::string recent_record(const std::string& id, std::int64_t published, const std::string& context,
                          const std::string& author = "Volodymyr Zelenskiy") {
    json j = {{"id", id}, {"text", "Quote " + id + " about the front"}, {"author", {{"name", author}}},
              {"published_at", format_rfc3339(published)}, {"tags", {"Front line", "Kursk"}}, {"countries", {"UA"}},
              {"context", {{"id", context}, {"title", "Title of " + context}}}};
    return j.dump() + "\n";
}

std::string recent_archive() {
    std::int64_t now = now_seconds();
    return recent_record("old-1", now - 72 * 3600, "old-context") + recent_record("new-1", now - 3600, "old-context") +
           recent_record("new-2", now - 2 * 3600, "new-context", "Zelensky Olena") +
           recent_record("new-3", now - 600, "new-context") + recent_record("day-2", now - 30 * 3600, "mid-context");
}

}  // namespace

TEST_CASE("/quotes/{id} returns the stored record", "[browse]") {
    SearchFixture f(recent_archive());
    json q = f.get_json("/quotes/new-2");
    CHECK(q["id"] == "new-2");
    CHECK(q["author"]["name"] == "Zelensky Olena");
    CHECK(q["country_names"] == json::array({"Ukraine"}));
    CHECK(f.get("/quotes/absent").status == 404);
}

TEST_CASE("/latest lists the last hours newest published first", "[browse]") {
    SearchFixture f(recent_archive());
    json body = f.get_json("/latest?hours=24");
    std::vector<std::string> got;
    for (auto& h : body["hits"]) got.push_back(h["id"]);
    CHECK(got == std::vector<std::string>{"new-3", "new-1", "new-2"});
    CHECK(body["total"] == 3);
    CHECK(f.get_json("/latest?hours=48")["total"] == 4);
    CHECK(f.get_json("/latest?hours=24&author=Zelensky+Olena")["total"] == 1);
}

TEST_CASE("/contexts/latest lists contexts first seen in the window", "[browse]") {
    SearchFixture f(recent_archive());
    json body = f.get_json("/contexts/latest?hours=24");
    REQUIRE(body["contexts"].size() == 1);  // old-context had a quote 72 h ago; mid-context's is 30 h old
    CHECK(body["contexts"][0]["id"] == "new-context");
    CHECK(body["contexts"][0]["title"] == "Title of new-context");
    CHECK(body["contexts"][0]["quotes"] == 2);
    CHECK(f.get_json("/contexts/latest?hours=48")["contexts"].size() == 2);
}

TEST_CASE("/facets/{field} counts values with folded word-prefix type-ahead", "[browse]") {
    SearchFixture f(recent_archive());
    json authors = f.get_json("/facets/author?prefix=zel");
    REQUIRE(authors["values"].size() == 2);
    CHECK(authors["values"][0] == json({{"value", "Volodymyr Zelenskiy"}, {"count", 4}}));
    CHECK(authors["values"][1] == json({{"value", "Zelensky Olena"}, {"count", 1}}));
    CHECK(f.get_json("/facets/author?prefix=OLE")["values"].size() == 1);
    CHECK(f.get_json("/facets/tag?prefix=kur")["values"][0] == json({{"value", "Kursk"}, {"count", 5}}));
    json countries = f.get_json("/facets/country");
    CHECK(countries["values"][0] == json({{"value", "UA"}, {"label", "Ukraine"}, {"count", 5}}));
    json contexts = f.get_json("/facets/context?size=1");
    CHECK(contexts["matched"] == 3);
    CHECK(contexts["values"].size() == 1);
}

TEST_CASE("added quotes and a rebuilt index are picked up, and cached answers follow the revision", "[browse]") {
    SearchFixture f(recent_archive());
    CHECK(f.get_json("/search?q=zanzibar")["total"] == 0);
    json first = f.get_json("/search?facets=tag"), second = f.get_json("/search?facets=tag");
    first.erase("took_ms");
    second.erase("took_ms");
    CHECK(first == second);

    WriteOptions w;
    w.ingest.quiet = true;
    add_quotes(f.db, {f.tmp.write("more.jsonl", R"({"id":"z1","text":"Zanzibar calling","author":{"name":"A"},"tags":["Kursk"]})" "\n")}, w);
    CHECK(f.get_json("/search?q=zanzibar")["total"] == 1);
    CHECK(f.get_json("/search?facets=tag")["facets"]["tag"][0]["count"] == 6);  // not the cached 5

    rebuild_index(f.db, {f.tmp.write("new.jsonl", R"({"id":"y1","text":"Only this one","author":{"name":"B"}})" "\n")},
                  dixit::test::quiet_rebuild());
    CHECK(f.get_json("/search")["total"] == 1);
    CHECK(f.get_json("/quotes/y1")["id"] == "y1");
    CHECK(f.get("/quotes/z1").status == 404);
}
