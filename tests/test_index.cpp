// add/delete on a real index directory: round trip, upsert, delete, facet counts, rejects and locking.
#include <catch2/catch.hpp>

#include <tombstones.h>

#include "test_support.h"

#include <document.h>
#include <facets.h>
#include <fields.h>
#include <index_dir.h>
#include <index_writer.h>
#include <speakers.h>
#include <stats.h>

#include <map>
#include <set>

using namespace dixit;
using dixit::test::TempDir;
using dixit::test::write_file;
using nlohmann::json;

namespace {

WriteOptions quiet_options(std::int64_t now = 1700000000) {
    WriteOptions w;
    w.ingest.quiet = true;
    w.ingest.now = now;
    w.ingest.batch_size = 100;
    return w;
}

// The live version of a quote, as searchd finds it.
std::optional<Quote> find(const std::string& dir, const std::string& id) {
    Xapian::Database db(dir);
    Tombstones dead;
    dead.load(db);
    Xapian::docid live = live_docid(db, id_term(id), dead);
    if (!live) return std::nullopt;
    return quote_from_document(db.get_document(live));
}

// Live documents of the index.
Xapian::doccount documents(const std::string& dir) {
    Xapian::Database db(dir);
    Tombstones dead;
    dead.load(db);
    return live_count(db, dead);
}

std::string record(const std::string& id, const std::string& text, const std::string& extra = "") {
    json j = {{"id", id}, {"text", text}, {"author", {{"name", "Ann Example"}}}};
    if (!extra.empty()) j.merge_patch(json::parse(extra));
    return j.dump() + "\n";
}

}  // namespace

TEST_CASE("every field of a record survives the index round trip", "[index]") {
    TempDir tmp;
    std::string full = R"({"id": "rt-1", "text": "Ending the war in Ukraine could unlock the door.",
        "author": {"name": "Marco Rubio", "role": "US Secretary of State", "id": "Q324546"},
        "said_on": "2025-02-18", "published_at": "2025-02-18T20:00:00Z",
        "tags": ["US-Russia talks", "Peace negotiations"], "entities": ["Russia"], "countries": ["US", "RU", "UA"],
        "context": {"id": "riyadh-us-russia-talks-2025-02", "title": "US–Russia talks in Riyadh"},
        "language": "en", "source": {"url": "https://ipsedixit.news/", "name": "ipsedixit.news"},
        "meta": {"nested": {"a": [1, 2]}}})";
    write_file(tmp / "in.jsonl", json::parse(full).dump() + "\n");
    auto summary = add_quotes(tmp / "idx", {tmp / "in.jsonl"}, quiet_options());
    CHECK(summary.added == 1);
    auto q = find(tmp / "idx", "rt-1");
    REQUIRE(q);
    CHECK(*q == quote_from_json(json::parse(full)));
}

TEST_CASE("add upserts by id and keeps the first published_at, and delete removes", "[index]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    write_file(tmp / "a.jsonl", record("a", "first version") + record("b", "bee") + record("c", "sea"));
    auto s1 = add_quotes(dir, {tmp / "a.jsonl"}, quiet_options(1000));
    CHECK(s1.added == 3);
    CHECK(s1.replaced == 0);
    CHECK(*find(dir, "a")->published_at == 1000);

    write_file(tmp / "b.jsonl", record("a", "second version") + record("d", "dee", R"({"published_at": "2025-01-01T00:00:00Z"})"));
    auto s2 = add_quotes(dir, {tmp / "b.jsonl"}, quiet_options(2000));
    CHECK(s2.added == 1);
    CHECK(s2.replaced == 1);
    CHECK(documents(dir) == 4);
    CHECK(find(dir, "a")->text == "second version");
    CHECK(*find(dir, "a")->published_at == 1000);  // "when it entered the archive" does not move
    {
        Xapian::Database db(dir);
        Tombstones dead;
        dead.load(db);
        CHECK(Xapian::sortable_unserialise(db.get_document(live_docid(db, "Qa", dead)).get_value(slot::published_at)) == 1000.0);
        // The old version stays on disk, dead (layout 4 has no term lists to remove it with).
        CHECK(dead.size() == 1);
        CHECK(db.get_termfreq("first") == 1);
        CHECK(dead.contains(*db.postlist_begin("first")));
        CHECK(db.get_termfreq("second") == 1);
    }
    CHECK(*find(dir, "d")->published_at == 1735689600);

    auto del = delete_quotes(dir, {"b", "nope", "c"}, quiet_options());
    CHECK(del.deleted == std::vector<std::string>{"b", "c"});
    CHECK(del.not_found == std::vector<std::string>{"nope"});
    CHECK(documents(dir) == 2);
    CHECK_FALSE(find(dir, "b"));
}

TEST_CASE("a file mixing good and malformed lines indexes the good ones and reports each bad one", "[index]") {
    TempDir tmp;
    std::string lines;
    lines += record("good-1", "The meeting was positive, upbeat, constructive.");                  // line 1
    lines += "{\"id\": \"broken\", \"text\": \"unterminated\n";                                      // line 2
    lines += "{\"id\": \"no-text\", \"author\": {\"name\": \"A\"}}\n";                              // line 3
    lines += record("bad-date", "x", R"({"said_on": "2025-02-30"})");                               // line 4
    lines += record("bad-country", "x", R"({"countries": ["UA", "QQ"]})");                           // line 5
    lines += "{\"id\": \"bad-utf8\", \"text\": \"caf\xe9\", \"author\": {\"name\": \"A\"}}\n";     // line 6
    lines += "{\"id\": \"huge\", \"text\": \"" + std::string(10 * 1024 * 1024, 'a') + "\"}\n";      // line 7
    lines += "\n";                                                                                  // line 8: blank, skipped
    lines += record("good-2", "Ending the war in Ukraine could unlock the door.");                  // line 9
    write_file(tmp / "mixed.jsonl", lines);

    WriteOptions w = quiet_options();
    w.ingest.rejects_path = tmp / "rejects.jsonl";
    auto s = add_quotes(tmp / "idx", {tmp / "mixed.jsonl"}, w);
    CHECK(s.read == 8);
    CHECK(s.added == 2);
    CHECK(s.rejected == 6);
    CHECK(find(tmp / "idx", "good-1"));
    CHECK(find(tmp / "idx", "good-2"));

    std::map<int, json> rejects;
    std::ifstream in(tmp / "rejects.jsonl");
    for (std::string line; std::getline(in, line);) {
        json j = json::parse(line);
        CHECK(j["file"] == tmp / "mixed.jsonl");
        rejects[j["line"].get<int>()] = j;
    }
    REQUIRE(rejects.size() == 6);
    CHECK_THAT(rejects[2]["error"].get<std::string>(), Catch::Contains("JSON"));
    CHECK(rejects[3]["field"] == "text");
    CHECK(rejects[4]["field"] == "said_on");
    CHECK(rejects[5]["field"] == "countries[1]");
    CHECK_THAT(rejects[6]["error"].get<std::string>(), Catch::Contains("UTF-8"));
    CHECK_THAT(rejects[7]["error"].get<std::string>(), Catch::Contains("limit"));
    CHECK(rejects[7]["raw"].get<std::string>().size() <= 64 * 1024);
}

TEST_CASE("ids are exact keys up to 239 bytes and a longer id is rejected rather than cut and hashed", "[index]") {
    TempDir tmp;
    std::string prefix;  // 236 bytes of four-byte characters
    for (int i = 0; i < 59; ++i) prefix += "\U0001F600";
    const std::string longest = prefix + "abc";  // 239 bytes, 62 characters
    write_file(tmp / "ids.jsonl", record(longest, "fits") + record(prefix + "abcd", "one byte over") +
                                      record(prefix + "\U0001F600", "four bytes over"));
    WriteOptions w = quiet_options();
    w.ingest.rejects_path = tmp / "rejects.jsonl";
    auto s = add_quotes(tmp / "idx", {tmp / "ids.jsonl"}, w);
    CHECK(s.added == 1);
    CHECK(s.rejected == 2);
    CHECK(id_term(longest) == "Q" + longest);  // the term is the id itself: no two ids share one
    CHECK(Xapian::Database(tmp / "idx").term_exists("Q" + longest));
    CHECK(find(tmp / "idx", longest)->text == "fits");

    std::ifstream in(tmp / "rejects.jsonl");
    int line = 2;
    for (std::string text; std::getline(in, text); ++line) {
        json j = json::parse(text);
        CHECK(j["file"] == tmp / "ids.jsonl");
        CHECK(j["line"] == line);
        CHECK(j["field"] == "id");
        CHECK_THAT(j["error"].get<std::string>(), Catch::Contains("over the 239-byte limit"));
    }
    CHECK(line == 4);
    // Looking up or deleting an id that long finds nothing (and does not trouble Xapian's term limit).
    CHECK_FALSE(find(tmp / "idx", prefix + std::string(300, 'x')));
    auto del = delete_quotes(tmp / "idx", {prefix + std::string(300, 'x')}, quiet_options());
    CHECK(del.not_found.size() == 1);
}

TEST_CASE("a rejects file that cannot be written stops the run and says why", "[index]") {
    TempDir tmp;
    write_file(tmp / "in.jsonl", record("good", "fine") + "{\"id\": \"no-text\", \"author\": {\"name\": \"A\"}}\n");
    WriteOptions w = quiet_options();
    w.ingest.rejects_path = "/dev/full";  // opens, but every write fails: no space left on device
    CHECK_THROWS_WITH(add_quotes(tmp / "idx", {tmp / "in.jsonl"}, w),
                      Catch::Contains("cannot write rejects file /dev/full") && Catch::Contains("No space left"));
    w.ingest.rejects_path = tmp / "no-such-dir/rejects.jsonl";
    CHECK_THROWS_WITH(add_quotes(tmp / "idx", {tmp / "in.jsonl"}, w),
                      Catch::Contains("no-such-dir/rejects.jsonl") && Catch::Contains("No such file or directory"));
}

TEST_CASE("strict add writes nothing when any record is rejected", "[index]") {
    TempDir tmp;
    write_file(tmp / "in.jsonl", record("ok", "fine") + "not json\n");
    WriteOptions w = quiet_options();
    w.ingest.strict = true;
    auto s = add_quotes(tmp / "idx", {tmp / "in.jsonl"}, w);
    CHECK(s.rejected == 1);
    CHECK(s.added == 0);
    CHECK(IndexDir(tmp / "idx").live_generation().empty());  // not even created
}

TEST_CASE("a second writer is told the index is locked", "[index]") {
    TempDir tmp;
    write_file(tmp / "in.jsonl", record("x", "text"));
    IndexLock held(tmp / "idx", std::chrono::milliseconds(0));
    CHECK_THROWS_WITH(add_quotes(tmp / "idx", {tmp / "in.jsonl"}, quiet_options()),
                      Catch::Contains("locked by another indexer"));
    CHECK_THROWS_AS(delete_quotes(tmp / "idx", {"x"}, quiet_options()), IndexLockedError);
}

TEST_CASE("facet counts over the real data equal counts computed from the source records", "[index]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    std::vector<std::string> files = {test::data_dir() + "/real/quotable.jsonl",
                                      test::data_dir() + "/real/fortunes-multilingual.jsonl",
                                      test::data_dir() + "/real/quotebank-sample.json"};
    auto s = add_quotes(dir, files, quiet_options());
    CHECK(s.rejected == 0);

    // Expected counts straight from the files, through the same validation.
    std::map<std::string, std::map<std::string, unsigned>> expected;
    IngestSummary ignored;
    IngestOptions options;
    options.quiet = true;
    RecordFeed feed(files, options, ignored);
    IngestedQuote q;
    std::map<std::string, Quote> by_id;
    while (feed.next(q)) by_id[q.quote.id] = q.quote;  // last one wins, as in the index
    // Counted by key (facet_key()), each key once per quote.
    Tokenizer tokenizer;
    auto key = [&](const char* name, const std::string& v) { return facet_key(tokenizer, field(name), v); };
    for (const auto& [id, quote] : by_id) {
        std::set<std::string> tags, countries;
        for (const auto& t : quote.tags) tags.insert(key("tag", t));
        for (const auto& c : quote.countries) countries.insert(key("country", c));
        for (const auto& t : tags) ++expected["tag"][t];
        for (const auto& c : countries) ++expected["country"][c];
        ++expected["author"][key("author", author_slot_value(quote.author))];  // a speaker with an id: "#" + id
        ++expected["lang"][key("lang", quote.language)];
        if (quote.said_on) ++expected["year"][quote.said_on->iso().substr(0, 4)];
    }

    Xapian::Database db(dir);
    Tombstones dead;
    dead.load(db);
    LiveDecider live(dead);
    CHECK(live_count(db, dead) == by_id.size());
    for (const char* name : {"tag", "country", "author", "lang", "year"}) {
        INFO(name);
        FacetKeys keys(tokenizer);
        FacetCounter counter(db, field(name), keys);
        Xapian::Enquire enquire(db);
        enquire.set_query(Xapian::Query::MatchAll);
        counter.attach(enquire);
        enquire.get_mset(0, 0, db.get_doccount(), nullptr, &live);
        std::map<std::string, unsigned> got;
        for (const auto& c : counter.counts()) got[key(name, c.value)] = c.count;
        CHECK(got == expected[name]);
    }

    json stats = index_stats(dir, 3);
    CHECK(stats["documents"] == by_id.size());
    CHECK(stats["facets"]["lang"]["distinct"] == expected["lang"].size());
    CHECK(stats["size_bytes"].get<std::uint64_t>() > 0);
}
