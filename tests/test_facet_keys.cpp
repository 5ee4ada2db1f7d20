// One facet entry per folded key and per speaker, whose count is the total its filter gives; exact totals.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <document.h>
#include <facets.h>
#include <index_writer.h>
#include <speakers.h>

#include <fstream>
#include <map>
#include <sstream>

using dixit::test::SearchFixture;
using nlohmann::json;

namespace dixit {
namespace {

std::string record(const std::string& id, const json& author, const json& tags = json::array()) {
    return json({{"id", id}, {"text", "words of quote " + id}, {"author", author}, {"tags", tags}}).dump() + "\n";
}

// Spellings of one tag key, and speakers under several names, with and without ids, and namesakes.
std::string archive() {
    std::string out;
    for (int i = 0; i < 3; ++i) out += record("bs" + std::to_string(i), {{"name", "Bernie Sanders"}, {"id", "Q359442"}}, {"health-care"});
    out += record("bs3", {{"name", "Bernard Sanders"}, {"id", "Q359442"}}, {"Health care"});
    out += record("bs4", {{"name", "Bernard Sanders"}}, {"health-care", "health care"});  // id-less, and one key twice
    out += record("js1", {{"name", "John Smith"}, {"id", "Q1"}}, {"HEALTH  CARE"});
    out += record("js2", {{"name", "John Smith"}, {"id", "Q2"}});
    out += record("js3", {{"name", "John Smith"}});  // which John Smith: unknown
    out += record("jd1", {{"name", "Jane Doe"}}, {"budget"});
    return out;
}

// The facet entries of a response, as "value|id" -> count.
std::map<std::string, std::uint64_t> entries(const json& values) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& v : values) out[v["value"].get<std::string>() + "|" + v.value("id", "")] = v["count"];
    return out;
}

std::uint64_t total(SearchFixture& f, const std::string& query) {
    return f.get_json("/search?exact_total=true&per_page=1&" + query)["total"];
}

}  // namespace

TEST_CASE("facet keys are the filter's keys; author keys are speakers", "[facets]") {
    Tokenizer t;
    struct Case {
        const char* field;
        const char* stored;
        const char* key;
    };
    const Case cases[] = {
        {"tag", "health-care", "health care"},
        {"tag", "  Health   Care ", "health care"},
        {"tag", "Nord Stream 2", "nord stream 2"},
        {"country", "UA", "ua"},
        {"context", "riyadh-talks\tTalks in Riyadh", "riyadh talks"},
        {"author", "Bernie Sanders", "bernie sanders"},
        {"author", "Bernie Sanders\tQ359442", "#q359442"},
        {"author", "Bernard Sanders\tQ359442", "#q359442"},
        {"author", "Name\t", "name"},
    };
    for (const auto& c : cases) {
        INFO(c.field << " " << c.stored);
        CHECK(facet_key(t, field(c.field), c.stored) == c.key);
    }
    // The key of a stored value is its filter term without the prefix.
    CHECK("K" + facet_key(t, field("tag"), "Health  care") == filter_term(t, "tag", "health-care"));
}

TEST_CASE("one facet entry per folded key, counting what its filter finds", "[facets]") {
    Settings settings;
    settings.columns = GENERATE(true, false);
    INFO("columns " << settings.columns);
    SearchFixture f(archive(), settings);
    if (settings.columns) REQUIRE(f.searcher->columns(true) != nullptr);

    const json body = f.get_json("/search?facets=tag&per_page=1");
    // bs4 holds two spellings of the key: counted once, as its filter term matches it once.
    CHECK(entries(body["facets"]["tag"]) == std::map<std::string, std::uint64_t>{{"health-care|", 6}, {"budget|", 1}});
    for (const char* spelling : {"health-care", "Health%20care", "HEALTH%20%20CARE", "health%20care"})
        CHECK(total(f, std::string("tag=") + spelling) == 6);
    // The facet of a phrase query (Xapian's matcher on either setting) agrees.
    const json phrase = f.get_json("/search?q=%22words%20of%20quote%22&facets=tag&per_page=1");
    CHECK(entries(phrase["facets"]["tag"]) == entries(body["facets"]["tag"]));
    // The list page counts by the same key.
    CHECK(entries(f.get_json("/facets/tag")["values"]) == entries(body["facets"]["tag"]));
}

TEST_CASE("a speaker under several names is one author; any of its names or its id finds all its quotes", "[facets][speakers]") {
    Settings settings;
    settings.columns = GENERATE(true, false);
    INFO("columns " << settings.columns);
    SearchFixture f(archive(), settings);
    if (settings.columns) REQUIRE(f.searcher->columns(true) != nullptr);

    // Bernard Sanders without an id is known under one id only: he joins that speaker. John Smith is two
    // speakers and an unknown third.
    const std::map<std::string, std::uint64_t> expected = {
        {"Bernie Sanders|Q359442", 5}, {"John Smith|Q1", 1}, {"John Smith|Q2", 1}, {"John Smith|", 1}, {"Jane Doe|", 1}};
    const json body = f.get_json("/search?facets=author&per_page=1");
    CHECK(entries(body["facets"]["author"]) == expected);
    CHECK(entries(f.get_json("/search?q=quote&facets=author&per_page=1")["facets"]["author"]) == expected);
    CHECK(entries(f.get_json("/facets/author")["values"]) == expected);

    CHECK(total(f, "author=Bernie%20Sanders") == 5);
    CHECK(total(f, "author=bernard%20sanders") == 5);
    CHECK(total(f, "author_id=Q359442") == 5);
    CHECK(total(f, "author_id=q359442") == 5);
    CHECK(total(f, "q=author:%22Bernard%20Sanders%22") == 5);
    CHECK(total(f, "author_id=Q1") == 1);
    CHECK(total(f, "author=John%20Smith") == 3);  // a namesake's name finds every John Smith
    CHECK(total(f, "author=Jane%20Doe") == 1);
    // The speaker's count is the total of its id's filter.
    CHECK(total(f, "author_id=Q359442&facets=author") == 5);
}

TEST_CASE("a commit that ties a name to a speaker moves the name's earlier quotes to the speaker", "[facets][speakers]") {
    SearchFixture f(record("b1", {{"name", "Bernard Sanders"}}) + record("b2", {{"name", "Bernard Sanders"}}) +
                    record("b3", {{"name", "Bernard Sanders"}}) + record("o1", {{"name", "Other"}}));
    REQUIRE(f.searcher->columns(true) != nullptr);
    CHECK(entries(f.get_json("/search?facets=author&per_page=1")["facets"]["author"]) ==
          std::map<std::string, std::uint64_t>{{"Bernard Sanders|", 3}, {"Other|", 1}});
    WriteOptions write;
    write.ingest.quiet = true;
    add_quotes(f.db, {f.tmp.write("more.jsonl", record("b4", {{"name", "Bernard Sanders"}, {"id", "Q1"}}))}, write);
    f.searcher->refresh(true);
    REQUIRE(f.searcher->columns(true) != nullptr);  // patched from the columns before the commit
    const std::map<std::string, std::uint64_t> expected = {{"Bernard Sanders|Q1", 4}, {"Other|", 1}};
    CHECK(entries(f.get_json("/search?facets=author&per_page=1")["facets"]["author"]) == expected);
    CHECK(entries(f.get_json("/search?q=quote&facets=author&per_page=1")["facets"]["author"]) == expected);
    CHECK(total(f, "author_id=Q1") == 4);

    // A second speaker under the name: its id-less quotes are the name's again (the columns are rebuilt).
    add_quotes(f.db, {f.tmp.write("more2.jsonl", record("b5", {{"name", "Bernard Sanders"}, {"id", "Q2"}}))}, write);
    f.searcher->refresh(true);
    REQUIRE(f.searcher->columns(true) != nullptr);
    CHECK(entries(f.get_json("/search?facets=author&per_page=1")["facets"]["author"]) ==
          std::map<std::string, std::uint64_t>{{"Bernard Sanders|Q1", 1}, {"Bernard Sanders|Q2", 1},
                                               {"Bernard Sanders|", 3}, {"Other|", 1}});
}

TEST_CASE("Quotebank: a speaker quoted under two names counts once, under its most frequent name", "[facets][speakers]") {
    std::ifstream in(dixit::test::data_dir() + "/real/quotebank-sample.json");
    std::stringstream raw;
    raw << in.rdbuf();
    dixit::test::TempDir tmp;
    const std::string db = tmp / "index";
    rebuild_index(db, {tmp.write("quotebank.json", raw.str())}, dixit::test::quiet_rebuild());
    Settings settings;
    settings.db = db;
    settings.reopen_interval = std::chrono::milliseconds(0);
    SearchService service(settings);
    Searcher searcher(service);
    REQUIRE(searcher.columns(true) != nullptr);
    auto get = [&](const std::string& target) {
        HttpResponse r = handle({"GET", target, "", ""}, searcher);
        INFO(target << " " << r.body);
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    };
    // Q76 is quoted as "President Barack Obama" twice and as "Barack Obama" once.
    const auto authors = entries(get("/search?facets=author&facet_size=1000&per_page=1")["facets"]["author"]);
    CHECK(authors.at("President Barack Obama|Q76") == 3);
    CHECK(authors.count("Barack Obama|Q76") == 0);
    CHECK(get("/search?author=Barack%20Obama&exact_total=true")["total"] == 3);
    CHECK(get("/search?author_id=Q76&exact_total=true")["total"] == 3);
    CHECK(entries(get("/facets/author?prefix=obama")["values"]) ==
          std::map<std::string, std::uint64_t>{{"President Barack Obama|Q76", 3}});
    // Every speaker's count is what its filter finds.
    for (const auto& [value, count] : authors) {
        const std::string name = value.substr(0, value.find('|')), id = value.substr(value.find('|') + 1);
        if (id.empty()) continue;
        INFO(value);
        CHECK(get("/search?exact_total=true&author_id=" + id)["total"] == count);
    }
}

TEST_CASE("totals up to exact_total_up_to are exact without facets", "[search]") {
    // 400 quotes; "alpha beta" (AND) matches every third one, "alpha" every other one.
    std::string jsonl;
    for (int i = 0; i < 400; ++i) {
        std::string text = "quote " + std::to_string(i) + (i % 2 ? " alpha" : "") + (i % 3 ? "" : " beta") +
                           (i % 5 ? " gamma" : " delta");
        jsonl += json({{"id", "t" + std::to_string(i)}, {"text", text}, {"author", {{"name", "A"}}}}).dump() + "\n";
    }
    struct Case {
        const char* q;
        std::uint64_t total;
    };
    const Case cases[] = {{"alpha%20beta", 67}, {"alpha", 200}, {"%22alpha%20gamma%22", 106}, {"beta%20OR%20delta", 187},
                          {"alpha%20-gamma", 40}, {"alpha%20beta%20gamma", 54}};
    SearchFixture f(jsonl);
    for (const auto& c : cases) {
        INFO(c.q);
        const json body = f.get_json(std::string("/search?per_page=1&q=") + c.q);
        CHECK(body["total"] == c.total);
        CHECK(body["total_is_estimate"] == false);
    }
    // Without the limit these queries are estimated: the cases do test the counting.
    Settings estimating;
    estimating.search.exact_total_up_to = 0;
    SearchFixture g(jsonl, estimating);
    int estimated = 0;
    for (const auto& c : cases) estimated += g.get_json(std::string("/search?per_page=1&q=") + c.q)["total_is_estimate"].get<bool>();
    CHECK(estimated >= 3);
}

}  // namespace dixit
