// /search at handler level: filters, disjunctive facets, date orders with partial dates, cursors, highlights.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <index_dir.h>
#include <layout.h>

#include <map>
#include <set>

using namespace dixit;
using dixit::test::SearchFixture;
using nlohmann::json;

namespace {

// Eight quotes: partial dates, one undated, multi-valued countries and tags, two languages.
const char* archive = R"({"id":"q1","text":"North Korean troops are fighting in Kursk.","author":{"name":"Volodymyr Zelenskiy","role":"President of Ukraine"},"said_on":"2024-11-05","published_at":"2024-11-05T10:00:00Z","tags":["North Korean troops"],"countries":["UA","KP","RU"],"language":"en"}
{"id":"q2","text":"The troop deployment is a dangerous escalation.","author":{"name":"Antony Blinken"},"said_on":"2024-11","published_at":"2024-11-06T10:00:00Z","tags":["North Korean troops","Escalation"],"countries":["US","KP"],"language":"en"}
{"id":"q3","text":"We will not be intimidated.","author":{"name":"Volodymyr Zelenskiy"},"said_on":"2024","published_at":"2024-12-01T10:00:00Z","tags":["Escalation"],"countries":["UA"],"language":"en"}
{"id":"q4","text":"Peace talks must include Ukraine.","author":{"name":"Emmanuel Macron"},"said_on":"2025-02-18","published_at":"2025-02-18T12:00:00Z","tags":["Peace negotiations"],"countries":["FR","UA"],"language":"en","context":{"id":"riyadh-2025","title":"US–Russia talks in Riyadh"}}
{"id":"q5","text":"Les négociations de paix doivent inclure l'Ukraine.","author":{"name":"Emmanuel Macron"},"said_on":"2025-02","published_at":"2025-02-19T12:00:00Z","tags":["Peace negotiations"],"countries":["FR"],"language":"fr","context":{"id":"riyadh-2025","title":"US–Russia talks in Riyadh"}}
{"id":"q6","text":"Ending the war could unlock the door to peace.","author":{"name":"Marco Rubio"},"said_on":"2025-02-18","published_at":"2025-02-18T20:00:00Z","tags":["Peace negotiations","US-Russia talks"],"countries":["US","RU","UA"],"language":"en","context":{"id":"riyadh-2025","title":"US–Russia talks in Riyadh"}}
{"id":"q7","text":"An undated remark about peace and troops.","author":{"name":"Anonymous"},"published_at":"2023-01-01T00:00:00Z","tags":["Misc"],"language":"en"}
{"id":"q8","text":"Troops will stay.","author":{"name":"Marco Rubio"},"said_on":"2025","published_at":"2025-03-01T00:00:00Z","tags":["US-Russia talks"],"countries":["US"],"language":"en"}
)";

std::vector<std::string> ids(const json& body) {
    std::vector<std::string> out;
    for (const auto& h : body["hits"]) out.push_back(h["id"]);
    return out;
}

std::map<std::string, std::uint64_t> facet(const json& body, const std::string& name) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& v : body["facets"][name]) out[v["value"]] = v["count"];
    return out;
}

// Counts computed directly from the records: what a facet must say.
std::map<std::string, std::uint64_t> count_values(const std::string& field,
                                                  const std::function<bool(const json&)>& keep) {
    std::map<std::string, std::uint64_t> out;
    std::istringstream in(archive);
    for (std::string line; std::getline(in, line);) {
        json r = json::parse(line);
        if (!keep(r)) continue;
        if (field == "author") ++out[r["author"]["name"]];
        else if (r.contains(field)) for (const auto& v : r[field]) ++out[v];
    }
    return out;
}

bool has(const json& r, const std::string& field, const std::string& value) {
    if (!r.contains(field)) return false;
    for (const auto& v : r[field]) if (v == value) return true;
    return false;
}

}  // namespace

TEST_CASE("filters: values of one field are ORed, fields are ANDed", "[search]") {
    SearchFixture f(archive);
    struct Case { std::string target; std::set<std::string> expected; };
    const std::vector<Case> cases = {
        {"/search?tag=North+Korean+troops", {"q1", "q2"}},
        {"/search?tag=north%20korean%20TROOPS", {"q1", "q2"}},  // folded like the index
        {"/search?country=FR&country=KP", {"q1", "q2", "q4", "q5"}},
        {"/search?country=ua&tag=Escalation", {"q3"}},
        {"/search?country=Ukraine&author=Emmanuel+Macron", {"q4"}},  // a country name is accepted
        {"/search?lang=fr", {"q5"}},
        {"/search?context=riyadh-2025&author=Marco+Rubio", {"q6"}},
        {"/search?from=2025-02&to=2025-02", {"q4", "q5", "q6"}},
        {"/search?from=2024-11-01&to=2024-11-30", {"q1", "q2"}},  // "2024" is not within November
        {"/search?to=2024", {"q1", "q2", "q3"}},
        {"/search?q=troops", {"q1", "q2", "q7", "q8"}},           // stemmed: troop, troops
        {"/search?q=troops&verbatim=true", {"q1", "q7", "q8"}},  // exact: not "troop"
        {"/search?q=peace+-tag:Misc", {"q4", "q6"}},
        {"/search?q=paix&lang=fr", {"q5"}},
    };
    for (const auto& c : cases) {
        json body = f.get_json(c.target);
        auto got = ids(body);
        INFO(c.target);
        CHECK(std::set<std::string>(got.begin(), got.end()) == c.expected);
        CHECK(body["total"] == c.expected.size());
        CHECK(body["total_is_estimate"] == false);
    }
}

TEST_CASE("facet counts are exact and disjunctive", "[search]") {
    SearchFixture f(archive);
    // Nothing selected: counts over every quote.
    json all = f.get_json("/search?facets=country,tag,author&facet_size=100");
    auto everything = [](const json&) { return true; };
    CHECK(facet(all, "country") == count_values("countries", everything));
    CHECK(facet(all, "tag") == count_values("tags", everything));
    CHECK(facet(all, "author") == count_values("author", everything));

    // UA ticked: the country facet still counts every country (its own filter left out),
    // the other facets count quotes from UA only.
    json ua = f.get_json("/search?country=UA&facets=country,tag&facet_size=100");
    CHECK(ua["total"] == 4);
    CHECK(facet(ua, "country") == count_values("countries", everything));
    CHECK(facet(ua, "tag") == count_values("tags", [](const json& r) { return has(r, "countries", "UA"); }));

    // UA and FR ticked, plus a tag: country counts apply the tag but not the countries.
    json two = f.get_json("/search?country=UA&country=FR&tag=Peace+negotiations&facets=country,tag&facet_size=100");
    CHECK(two["total"] == 3);
    CHECK(facet(two, "country") == count_values("countries", [](const json& r) { return has(r, "tags", "Peace negotiations"); }));
    CHECK(facet(two, "tag") == count_values("tags", [](const json& r) {
              return has(r, "countries", "UA") || has(r, "countries", "FR");
          }));
    // Labels: country names, context titles.
    json ctx = f.get_json("/search?facets=context,country&facet_size=1");
    CHECK(ctx["facets"]["context"][0] == json({{"value", "riyadh-2025"}, {"label", "US–Russia talks in Riyadh"}, {"count", 3}}));
    CHECK(ctx["facets"]["country"][0]["label"] == "Ukraine");
}

TEST_CASE("date orders honour precision, and undated quotes come last in both", "[search]") {
    SearchFixture f(archive);
    // oldest: "2024" (a year) before "2024-11" before "2024-11-05"; ties on the day by published_at.
    CHECK(ids(f.get_json("/search?sort=oldest&per_page=100")) ==
          std::vector<std::string>{"q3", "q2", "q1", "q8", "q5", "q4", "q6", "q7"});
    CHECK(ids(f.get_json("/search?per_page=100")) ==  // no words: newest is the default
          std::vector<std::string>{"q6", "q4", "q5", "q8", "q1", "q2", "q3", "q7"});
    CHECK(f.get_json("/search?q=peace")["sort"] == "relevance");
    CHECK(f.get_json("/search")["sort"] == "newest");
    json histogram = f.get_json("/search?histogram=year&per_page=1")["histogram"];
    CHECK(histogram == json::parse(R"([{"value":"2024","count":3},{"value":"2025","count":4}])"));
}

TEST_CASE("cursors page through a date order without gaps or repeats", "[search]") {
    SearchFixture f(archive);
    for (std::string sort : {"newest", "oldest"}) {
        auto all = ids(f.get_json("/search?per_page=100&sort=" + sort));
        std::vector<std::string> paged;
        std::string cursor;
        for (int page = 0; page < 10; ++page) {
            json body = f.get_json("/search?per_page=3&sort=" + sort + (cursor.empty() ? "" : "&cursor=" + cursor));
            CHECK(body["total"] == 8);  // the total of the whole query, not of what is left
            for (auto& id : ids(body)) paged.push_back(id);
            if (body["next_cursor"].is_null()) break;
            cursor = body["next_cursor"];
        }
        CHECK(paged == all);
        // A cursor belongs to its order: the other order refuses it instead of serving a wrong page.
        std::string other = sort == "newest" ? "oldest" : "newest";
        auto first = f.get_json("/search?per_page=3&sort=" + sort);
        HttpResponse wrong = f.get("/search?per_page=3&sort=" + other + "&cursor=" + first["next_cursor"].get<std::string>());
        CHECK(wrong.status == 400);
        CHECK(wrong.body.find("this cursor pages sort=" + sort) != std::string::npos);
    }
    // page/per_page give the same pages
    CHECK(ids(f.get_json("/search?per_page=3&page=2")) ==
          std::vector<std::string>{"q8", "q1", "q2"});
}

TEST_CASE("hits carry a highlight of what matched, HTML-escaped", "[search]") {
    SearchFixture f(archive + std::string(R"({"id":"h1","text":"<script>alert('troops')</script> stay","author":{"name":"X"},"language":"en"})") + "\n");
    json body = f.get_json("/search?q=%22peace+talks%22");
    REQUIRE(body["hits"].size() == 1);
    CHECK(body["hits"][0]["highlight"] == "<mark>Peace talks</mark> must include Ukraine.");
    json html = f.get_json("/search?q=alert");
    REQUIRE(html["hits"].size() == 1);
    CHECK(html["hits"][0]["highlight"].get<std::string>().find("&lt;script&gt;") == 0);
    CHECK(html["hits"][0]["text"] == "<script>alert('troops')</script> stay");  // the record itself is untouched
    CHECK(body["hits"][0]["author"]["name"] == "Emmanuel Macron");
    CHECK(body["hits"][0]["said_on_precision"] == "day");
}

TEST_CASE("POST /search takes the same fields as JSON", "[search]") {
    SearchFixture f(archive);
    HttpResponse r = handle({"POST", "/search", R"({"q":"troops","country":["US","UA"],"facets":["tag"],"per_page":2})",
                             "application/json"}, *f.searcher);
    REQUIRE(r.status == 200);
    json body = json::parse(r.body);
    CHECK(body["total"] == 3);
    CHECK(body["hits"].size() == 2);
    CHECK(body["facets"]["tag"].size() > 0);
}

TEST_CASE("every error answers JSON from the error table", "[search]") {
    SearchFixture f(archive);
    struct Case { std::string method, target, body; unsigned status; std::string code, mention; };
    const std::vector<Case> cases = {
        {"GET", "/nowhere", "", 404, "not_found", "/nowhere"},
        {"GET", "/quotes/nope", "", 404, "not_found", "nope"},
        {"DELETE", "/search", "", 405, "method_not_allowed", "DELETE"},
        {"POST", "/latest", "", 405, "method_not_allowed", "POST"},
        {"GET", "/search?per_page=101", "", 400, "bad_parameter", "per_page"},
        {"GET", "/search?page=0", "", 400, "bad_parameter", "page"},
        {"GET", "/search?page=600&per_page=20", "", 400, "bad_parameter", "cursor"},
        {"GET", "/search?sort=random", "", 400, "bad_parameter", "sort"},
        {"GET", "/search?from=2025-13", "", 400, "bad_parameter", "from"},
        {"GET", "/search?from=2025&to=2024", "", 400, "bad_parameter", "after"},
        {"GET", "/search?country=Atlantis", "", 400, "bad_parameter", "country"},
        {"GET", "/search?lang=12", "", 400, "bad_parameter", "lang"},
        {"GET", "/search?facets=colour", "", 400, "bad_parameter", "colour"},
        {"GET", "/search?tga=x", "", 400, "bad_parameter", "tga"},
        {"GET", "/search?cursor=!!", "", 400, "bad_parameter", "cursor"},
        {"GET", "/search?q=peace&sort=relevance&cursor=MDIwMjQAAAAAAAAAAHE", "", 400, "bad_parameter", "cursor"},
        {"GET", "/search?published_since=yesterday", "", 400, "bad_parameter", "published_since"},
        {"GET", "/search?q=%ZZ", "", 400, "bad_parameter", "percent"},
        {"GET", "/search?q=%FF", "", 400, "bad_parameter", "UTF-8"},
        {"GET", "/search?q=tag:%22%22", "", 400, "bad_query", "needs a value"},
        {"POST", "/search", "{not json", 400, "bad_json", "byte"},
        {"POST", "/search", "[1,2]", 400, "bad_json", "object"},
        {"POST", "/search", R"({"q":"peace","per_page":1e999})", 400, "bad_json", "out of range"},
        {"POST", "/search", R"({"q":{"a":1}})", 400, "bad_json", "'q'"},
        {"GET", "/facets/colour", "", 404, "not_found", "colour"},
        {"GET", "/facets/tag?size=0", "", 400, "bad_parameter", "size"},
        {"GET", "/latest?hours=0", "", 400, "bad_parameter", "hours"},
    };
    for (const auto& c : cases) {
        HttpResponse r = handle({c.method, c.target, c.body, "application/json"}, *f.searcher);
        INFO(c.method << " " << c.target << " -> " << r.status << " " << r.body);
        CHECK(r.status == c.status);
        CHECK(r.content_type == "application/json");
        json body = json::parse(r.body);
        CHECK(body["error"]["code"] == c.code);
        CHECK(body["error"]["message"].get<std::string>().find(c.mention) != std::string::npos);
    }
}

TEST_CASE("an index of an older layout is refused with a message that says to rebuild", "[search][index]") {
    struct Old {
        const char* layout_mark;  // what the metadata says
        const char* grams_mark;
        const char* named;        // how the message names it
    };
    // Layout 1: the common-grams mark of that layout, no layout mark. Layout 2: its mark.
    const Old old = GENERATE(Old{"", "v1", "layout 1"}, Old{"2", "", "layout 2"});
    INFO(old.named);
    SearchFixture f(R"({"id": "a", "text": "hello world", "author": {"name": "A"}})" "\n");
    {
        IndexDir index(f.db);
        Xapian::WritableDatabase w(index.live_generation(), Xapian::DB_OPEN | layout_db_flags);
        w.set_metadata(std::string(layout_key), old.layout_mark);
        w.set_metadata("dixit:common-grams", old.grams_mark);
        w.commit();
    }
    Settings settings;
    settings.db = f.db;
    SearchService service(settings);
    CHECK_THROWS_WITH(Searcher(service), Catch::Contains(old.named) && Catch::Contains("dixit-indexer rebuild"));
    std::string more = f.tmp.write("more.jsonl", R"({"id": "b", "text": "more", "author": {"name": "B"}})" "\n");
    CHECK_THROWS_AS(add_quotes(f.db, {more}, dixit::test::quiet_rebuild().write), LayoutError);
    CHECK_THROWS_AS(delete_quotes(f.db, {"a"}, dixit::test::quiet_rebuild().write), LayoutError);
    // A rebuild is the way out.
    rebuild_index(f.db, {more}, dixit::test::quiet_rebuild());
    CHECK_NOTHROW(Searcher(service));
}

TEST_CASE("min_confidence and the confidence facet: only quotes with an attribution confidence", "[search]") {
    const bool columns = GENERATE(true, false);
    INFO("columns " << columns);
    auto rec = [](const std::string& id, const std::string& attribution) {
        json r = {{"id", id}, {"text", "We will talk about the budget " + id}, {"author", {{"name", "A"}}}};
        if (!attribution.empty()) r["attribution"] = json::parse(attribution);
        return r.dump() + "\n";
    };
    Settings settings;
    settings.columns = columns;
    SearchFixture f(rec("sure", R"({"confidence": 0.95})") + rec("likely", R"({"confidence": 0.62, "others": [{"name": "B", "confidence": 0.3}]})") +
                        rec("edge", R"({"confidence": 0.5})") + rec("candidates", R"({"others": [{"name": "B", "confidence": 0.4}]})") +
                        rec("plain", ""),
                    settings);
    if (columns) REQUIRE(f.searcher->columns(true) != nullptr);
    auto ids = [&](const std::string& target) {
        std::set<std::string> out;
        const json body = f.get_json(target);
        INFO(body.dump());
        for (const auto& h : body["hits"]) out.insert(h["id"]);
        return out;
    };
    CHECK(ids("/search?min_confidence=0.6&sort=newest") == std::set<std::string>{"sure", "likely"});
    CHECK(ids("/search?q=budget&min_confidence=0.5&facets=tag") == std::set<std::string>{"sure", "likely", "edge"});
    CHECK(ids("/search?min_confidence=0&sort=oldest") == std::set<std::string>{"sure", "likely", "edge"});  // none: never
    CHECK(ids("/search?confidence=0.5-0.75&sort=newest") == std::set<std::string>{"likely", "edge"});
    json facets = f.get_json("/search?facets=confidence");
    CHECK(facets["facets"]["confidence"] == json::parse(R"([{"value":"0.5-0.75","count":2},{"value":"0.9-1","count":1}])"));
    CHECK(facets["total"] == 5);
    json hit = f.get_json("/search?q=budget+likely")["hits"][0];
    CHECK(hit["attribution"] == json::parse(R"({"confidence": 0.62, "others": [{"name": "B", "confidence": 0.3}]})"));
    HttpResponse post = handle({"POST", "/search", R"({"min_confidence": 0.9})", ""}, *f.searcher);
    REQUIRE(post.status == 200);
    CHECK(json::parse(post.body)["total"] == 1);
    for (const char* bad : {"/search?min_confidence=1.5", "/search?min_confidence=-0.1", "/search?min_confidence=high",
                            "/search?min_confidence="}) {
        INFO(bad);
        HttpResponse r = f.get(bad);
        CHECK(r.status == 400);
        CHECK(r.body.find("0 to 1") != std::string::npos);
    }
}
