// Variants: shingles, overlaps and diffs (tables), groups formed by rebuild and add, /quotes/{id}/variants
// and collapse=variants.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <index_writer.h>
#include <shingles.h>
#include <tokenizer.h>

using dixit::test::SearchFixture;
using nlohmann::json;

namespace {

std::vector<dixit::Token> tokens_of(const std::string& text) {
    static dixit::Tokenizer tokenizer;
    std::vector<dixit::Token> out;
    tokenizer.tokenize(text, out);
    return out;
}

std::vector<std::uint32_t> shingles_of(const std::string& text) { return dixit::shingles(tokens_of(text)); }

std::string record(const std::string& id, const std::string& text, const std::string& author, const std::string& said_on) {
    return json({{"id", id}, {"text", text}, {"author", {{"name", author}}}, {"said_on", said_on}}).dump() + "\n";
}

// Real wording (Quotebank, January-April 2020): one sentence reported twice with small differences and
// attributed to two speakers, a longer report holding it whole, and quotes that are nobody's variant.
const std::string sanders = "We've got thousands of private insurance plans and they all have different rules and "
                            "different procedures for doctors";
const std::string biden = "We have got thousands of private insurance plans and they all have different rules and "
                          "different procedures for doctors";
const std::string longer = "Look, the problem is simple. " + sanders +
                           ", and every one of those plans has its own forms, its own billing and its own people "
                           "to say no.";
const std::string other = "The Senate will take up the bill next week and we expect a vote before the recess";

std::string archive() {
    return record("s1", sanders, "Bernie Sanders", "2020-01-10") + record("b1", biden, "Joe Biden", "2020-02-01") +
           record("l1", longer, "Bernie Sanders", "2020-03-05") + record("o1", other, "Mitch McConnell", "2020-01-20") +
           record("t1", "Thank you very much", "A", "2020-01-02") + record("t2", "Thank you very much", "B", "2020-01-03");
}

std::vector<std::string> ids(const json& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h["id"]);
    return out;
}

}  // namespace

TEST_CASE("shingles: five-word windows, sorted and unique, none below five words") {
    struct Case {
        std::string text;
        std::size_t count;
    };
    const std::vector<Case> cases = {
        {"", 0},
        {"one two three four", 0},
        {"one two three four five", 1},
        {"One, two; THREE four five!", 1},        // punctuation and case do not make words
        {"one two three four five six", 2},
        {"a a a a a a a a", 1},                   // the same window again
        {"我们今天去北京看看", 5},                 // ideographs: one position each
        {"Путин сказал, что Россия готова к переговорам", 3},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto s = shingles_of(c.text);
        CHECK(s.size() == c.count);
        CHECK(std::is_sorted(s.begin(), s.end()));
    }
    CHECK(shingles_of("one two three four five") == shingles_of("ONE two, three: four five."));
    CHECK(shingles_of("one two three four five") != shingles_of("one two three four six"));
}

TEST_CASE("overlap: Jaccard, containment and the join rule") {
    struct Case {
        std::string a, b;
        double jaccard;
        bool variants;
    };
    const std::vector<Case> cases = {
        {sanders, sanders, 1.0, true},
        {sanders, biden, 13.0 / 16.0, true},  // "We've got" (14 windows) / "We have got" (15): 13 shared
        {sanders, other, 0.0, false},
        {sanders, longer, -1, true},  // held whole by the longer report: containment 1
        {"one two three four", "one two three four", 0.0, false},  // no shingles: nobody's variant
    };
    for (const auto& c : cases) {
        INFO(c.a << " | " << c.b);
        const dixit::Overlap o = dixit::overlap(shingles_of(c.a), shingles_of(c.b));
        if (c.jaccard >= 0) CHECK(o.jaccard == Approx(c.jaccard));
        CHECK(o.variants() == c.variants);
    }
    const dixit::Overlap part = dixit::overlap(shingles_of(sanders), shingles_of(longer));
    CHECK(part.containment == Approx(1.0));
    CHECK(part.jaccard < dixit::variant_jaccard);
}

TEST_CASE("band keys: equal sets share every band, unrelated ones none") {
    auto a = dixit::band_keys(shingles_of(sanders)), b = dixit::band_keys(shingles_of(sanders)),
         c = dixit::band_keys(shingles_of(other));
    CHECK(a == b);
    unsigned shared = 0;
    for (unsigned i = 0; i < dixit::minhash_bands; ++i) shared += a[i] == c[i];
    CHECK(shared == 0);
}

TEST_CASE("word_diff: added and removed words in their spelling") {
    struct Case {
        std::string from, to;
        std::vector<std::string> added, removed;
    };
    const std::vector<Case> cases = {
        {"a b c d", "a x c d e", {"x", "e"}, {"b"}},
        {"same words here", "Same words, here!", {}, {}},
        {"We've got thousands", "We have got thousands", {"We", "have"}, {"We've"}},
        {"", "new words", {"new", "words"}, {}},
    };
    for (const auto& c : cases) {
        INFO(c.from << " -> " << c.to);
        const dixit::WordDiff d = dixit::word_diff(c.from, tokens_of(c.from), c.to, tokens_of(c.to));
        CHECK(d.added == c.added);
        CHECK(d.removed == c.removed);
        CHECK(d.added_spans.size() == d.added.size());
    }
}

TEST_CASE("variant keys round-trip; anything else is no group") {
    CHECK(dixit::variant_group(dixit::variant_key(1)) == 1);
    CHECK(dixit::variant_group(dixit::variant_key(0x0102030405060708ULL)) == 0x0102030405060708ULL);
    CHECK(dixit::variant_group("") == 0);
    CHECK(dixit::variant_group("short") == 0);
}

// A fixture over archive() whose searcher reads groups from the columns (built at once), or from the slot.
struct Fixture : SearchFixture {
    explicit Fixture(const std::string& jsonl, bool columns) : SearchFixture(jsonl, settings(columns)) {
        if (columns) REQUIRE(searcher->columns(true) != nullptr);
    }
    static dixit::Settings settings(bool columns) {
        dixit::Settings s;
        s.columns = columns;
        return s;
    }
};

TEST_CASE("/quotes/{id}/variants lists the group oldest first, with similarity and differences") {
    const bool columns = GENERATE(true, false);
    INFO("columns " << columns);
    Fixture f(archive(), columns);
    json v = f.get_json("/quotes/s1/variants");
    CHECK(v["id"] == "s1");
    CHECK(v["group_size"] == 3);
    CHECK(ids(v["variants"]) == std::vector<std::string>{"b1", "l1"});
    CHECK(v["variants"][0]["similarity"].get<double>() == Approx(13.0 / 16.0));
    CHECK(v["variants"][0]["added"] == json::array({"We", "have"}));
    CHECK(v["variants"][0]["removed"] == json::array({"We've"}));
    CHECK(v["variants"][0]["author"]["name"] == "Joe Biden");
    CHECK(v["variants"][0]["highlight"].get<std::string>().find("<mark>have</mark>") != std::string::npos);

    CHECK(f.get_json("/quotes/o1/variants")["variants"].empty());
    CHECK(f.get_json("/quotes/t1/variants")["variants"].empty());  // too short to have variants
    CHECK(f.get("/quotes/nope/variants").status == 404);
    CHECK(f.get("/quotes/s1/variants?x=1").status == 400);
}

TEST_CASE("collapse=variants: one hit a group; total and facets count quotes, groups the hits") {
    const bool columns = GENERATE(true, false);
    INFO("columns " << columns);
    Fixture f(archive(), columns);
    for (std::string sort : {"newest", "oldest", "relevance"}) {
        INFO(sort);
        json r = f.get_json("/search?q=insurance&collapse=variants&facets=author&sort=" + sort);
        CHECK(r["total"] == 3);
        CHECK(r["groups"] == 1);
        REQUIRE(r["hits"].size() == 1);
        CHECK(r["hits"][0]["variants"] == 2);
        CHECK(r["facets"]["author"][0]["count"] == 2);  // Bernie Sanders: quotes, not groups
        if (sort == "oldest") CHECK(r["hits"][0]["id"] == "s1");
        if (sort == "newest") CHECK(r["hits"][0]["id"] == "l1");
    }
    json all = f.get_json("/search?collapse=variants&per_page=10");
    CHECK(all["total"] == 6);
    CHECK(all["groups"] == 4);  // the insurance group, the Senate, and each "Thank you very much"
    CHECK(all["hits"].size() == 4);
    json like = f.get_json("/search?collapse=variants&like=" + std::string("thousands of private insurance plans with different rules"));
    CHECK(like["hits"].size() == 1);
    CHECK(f.get("/search?collapse=groups").status == 400);
    CHECK(f.get("/search?collapse=variants&sort=newest&cursor=abc").status == 400);
}

TEST_CASE("add joins an existing group; a replaced quote is regrouped; --no-variants writes none") {
    SearchFixture f(record("s1", sanders, "Bernie Sanders", "2020-01-10") + record("o1", other, "Mitch McConnell", "2020-01-20"));
    dixit::WriteOptions w;
    w.ingest.quiet = true;
    dixit::add_quotes(f.db, {f.tmp.write("more.jsonl", record("b1", biden, "Joe Biden", "2020-02-01"))}, w);
    CHECK(ids(f.get_json("/quotes/s1/variants")["variants"]) == std::vector<std::string>{"b1"});
    CHECK(ids(f.get_json("/quotes/b1/variants")["variants"]) == std::vector<std::string>{"s1"});

    // s1 now says something else: it leaves the group, b1 stays in it alone.
    dixit::add_quotes(f.db, {f.tmp.write("edit.jsonl", record("s1", "Something else entirely was said here today by him", "Bernie Sanders", "2020-01-10"))}, w);
    CHECK(f.get_json("/quotes/b1/variants")["variants"].empty());
    CHECK(f.get_json("/quotes/s1/variants")["variants"].empty());
    // Joining the old version's group the new one is a variant again.
    dixit::add_quotes(f.db, {f.tmp.write("back.jsonl", record("s2", sanders, "Bernie Sanders", "2020-01-11"))}, w);
    CHECK(ids(f.get_json("/quotes/b1/variants")["variants"]) == std::vector<std::string>{"s2"});

    dixit::WriteOptions none = w;
    none.ingest.variants = false;
    dixit::add_quotes(f.db, {f.tmp.write("none.jsonl", record("b2", biden, "Joe Biden", "2020-02-02"))}, none);
    CHECK(f.get_json("/quotes/b2/variants")["variants"].empty());
}

TEST_CASE("rebuild groups near-duplicates across shards, and compact keeps the groups") {
    SearchFixture f(archive());
    auto options = dixit::test::quiet_rebuild();
    options.write.ingest.threads = 3;
    dixit::rebuild_index(f.db, {f.tmp.write("again.jsonl", archive())}, options);
    CHECK(ids(f.get_json("/quotes/b1/variants")["variants"]) == std::vector<std::string>{"s1", "l1"});
    dixit::compact_index(f.db, options);
    CHECK(ids(f.get_json("/quotes/l1/variants")["variants"]) == std::vector<std::string>{"s1", "b1"});
}

TEST_CASE("/provenance: the earliest attestation and every speaker, from an id or a remembered text") {
    const bool columns = GENERATE(true, false);
    INFO("columns " << columns);
    // Bernie Sanders also as "Bernard Sanders" under the same Wikidata id: one speaker, shown as his usual name.
    const std::string with_ids =
        json({{"id", "s1"}, {"text", sanders}, {"author", {{"name", "Bernie Sanders"}, {"id", "Q359442"}}}, {"said_on", "2020-01-10"}}).dump() + "\n" +
        json({{"id", "s0"}, {"text", sanders + " and hospitals"}, {"author", {{"name", "Bernard Sanders"}, {"id", "Q359442"}}}, {"said_on", "2020-03"}}).dump() + "\n" +
        json({{"id", "s9"}, {"text", sanders}, {"author", {{"name", "Bernie Sanders"}, {"id", "Q359442"}}}, {"said_on", "2021"}}).dump() + "\n";
    Fixture f(archive().substr(archive().find('\n') + 1) + with_ids, columns);

    const std::string remembered = "we got thousands of private insurance plans and they have different rules";
    for (const std::string& target : std::vector<std::string>{"/provenance?id=b1", "/provenance?id=l1", "/provenance?text=" + remembered}) {
        INFO(target);
        json p = f.get_json(target);
        REQUIRE(p["first"].is_object());
        CHECK(p["first"]["id"] == "s1");
        REQUIRE(p["speakers"].size() == 2);
        CHECK(p["speakers"][0]["name"] == "Bernie Sanders");
        CHECK(p["speakers"][0]["id"] == "Q359442");
        CHECK(p["speakers"][0]["count"] == 4);  // s1, s0, s9 and l1 (no id, under a name only Q359442 is known by)
        CHECK(p["speakers"][0]["first_said"] == "2020-01-10");
        CHECK(p["speakers"][1]["name"] == "Joe Biden");
        CHECK(p["speakers"][1]["first_said"] == "2020-02-01");
        CHECK(p["attributions"] == 2);
        CHECK(p["disputed"] == true);
        CHECK(p["quotes"] == 5);
        CHECK(p["timeline"] == json::parse(R"([{"month":"2020-01","count":1},{"month":"2020-02","count":1},{"month":"2020-03","count":2}])"));
        CHECK(p["undated"] == 1);  // s9: only the year (2021: after the others in the oldest order)
    }
    json alone = f.get_json("/provenance?id=o1");
    CHECK(alone["first"]["id"] == "o1");
    CHECK(alone["attributions"] == 1);
    CHECK(alone["disputed"] == false);
    json nothing = f.get_json("/provenance?text=%21%21%21+%3F%3F");
    CHECK(nothing["first"].is_null());
    CHECK(nothing["attributions"] == 0);
    CHECK(nothing["speakers"].empty());

    CHECK(f.get("/provenance?id=nope").status == 404);
    for (const std::string& bad : std::vector<std::string>{"/provenance", "/provenance?text=", "/provenance?text=+++",
                                   "/provenance?id=b1&text=thousands", "/provenance?id=", "/provenance?q=x",
                                   "/provenance?text=" + std::string(1001, 'a')}) {
        INFO(bad);
        dixit::HttpResponse r = f.get(bad);
        CHECK(r.status == 400);
        if (bad.find("text=") != std::string::npos && bad.find("id=") == std::string::npos)
            CHECK(r.body.find("1000") != std::string::npos);  // names the limit
    }
}
