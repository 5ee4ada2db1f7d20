// Tombstones (layout 4): a replaced or deleted quote's old version is never matched, counted or shown,
// on the column path and on Xapian's matcher alike; and the index holds no term lists.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <index_dir.h>
#include <index_writer.h>
#include <layout.h>
#include <tombstones.h>

#include <filesystem>
#include <string>

using namespace dixit;
using namespace dixit::test;
using nlohmann::json;

namespace {

std::string record(const std::string& id, const std::string& text, const std::string& author, const std::string& tag) {
    return json({{"id", id}, {"text", text}, {"author", {{"name", author}}}, {"tags", {tag}},
                 {"said_on", "2024-03-0" + std::to_string(1 + id.size() % 9)}, {"language", "en"}})
               .dump() +
           "\n";
}

WriteOptions quiet_write() {
    WriteOptions w;
    w.ingest.quiet = true;
    return w;
}

// A searcher on the same index with the columns off: every answer from Xapian's matcher.
struct XapianPath {
    std::unique_ptr<SearchService> service;
    std::unique_ptr<Searcher> searcher;
    explicit XapianPath(const std::string& db) {
        Settings s;
        s.db = db;
        s.columns = false;
        s.reopen_interval = std::chrono::milliseconds(0);
        service = std::make_unique<SearchService>(s);
        searcher = std::make_unique<Searcher>(*service);
    }
    json get(const std::string& target) {
        HttpResponse r = handle({"GET", target, "", ""}, *searcher);
        INFO(target << " -> " << r.status << " " << r.body);
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    }
};

}  // namespace

TEST_CASE("replaced and deleted quotes are gone from every answer, on both paths", "[tombstones]") {
    std::string base;
    for (int i = 0; i < 40; ++i)
        base += record("q" + std::to_string(i), "archive words number " + std::to_string(i), i % 2 ? "Ann Odd" : "Ben Even",
                       i % 2 ? "odd" : "even");
    SearchFixture f(base);
    // Replace q1 (its old text, author and tag must vanish), delete q2, replace q3 twice in one input,
    // delete q4 and add it again.
    add_quotes(f.db, {f.tmp.write("a.jsonl", record("q1", "rewritten sentence", "Cleo New", "fresh") +
                                                  record("q3", "first rewrite", "Ben Even", "even") +
                                                  record("q3", "second rewrite", "Ben Even", "even"))},
               quiet_write());
    DeleteSummary d = delete_quotes(f.db, {"q2", "q4", "q4", "nope"}, quiet_write());
    CHECK(d.deleted == std::vector<std::string>{"q2", "q4"});
    CHECK(d.not_found == std::vector<std::string>{"q4", "nope"});
    add_quotes(f.db, {f.tmp.write("b.jsonl", record("q4", "back again", "Ben Even", "even"))}, quiet_write());

    f.searcher->refresh(true);
    REQUIRE(f.searcher->columns(true));  // the column path is ready
    XapianPath xapian(f.db);
    CHECK(f.searcher->documents() == 39);
    CHECK(f.searcher->tombstones().size() == 5);  // q1, q2, q3 twice, q4

    struct Case {
        std::string target;
        std::size_t total;
    };
    const Case cases[] = {
        {"/search?per_page=100", 39},
        {"/search?per_page=100&facets=author,tag&exact_total=true", 39},
        {"/search?q=archive&per_page=100&exact_total=true", 36},
        {"/search?q=archive&per_page=100&facets=tag", 36},
        {"/search?q=%22archive+words+number+1%22&per_page=100&sort=newest&exact_total=true", 0},
        {"/search?q=rewritten&exact_total=true", 1},
        {"/search?q=rewrite&exact_total=true", 1},
        {"/search?q=%22second+rewrite%22&exact_total=true", 1},
        {"/search?q=%22first+rewrite%22&exact_total=true", 0},
        {"/search?q=back&exact_total=true&facets=author", 1},
        {"/search?tag=odd&per_page=100&facets=author", 18},
        {"/search?author=Ann+Odd&per_page=100&sort=oldest", 18},
        {"/search?tag=fresh&facets=tag", 1},
    };
    for (const auto& c : cases) {
        INFO(c.target);
        for (json body : {f.get_json(c.target), xapian.get(c.target)}) {
            CHECK(body["total"] == c.total);
            std::set<std::string> ids;
            for (const auto& h : body["hits"]) {
                CHECK(ids.insert(h["id"].get<std::string>()).second);  // one version a quote
                if (h["id"] == "q1") CHECK(h["text"] == "rewritten sentence");
                if (h["id"] == "q3") CHECK(h["text"] == "second rewrite");
            }
            CHECK_FALSE(ids.count("q2"));
            if (body.contains("facets") && body["facets"].contains("author")) {
                for (const auto& v : body["facets"]["author"]) {
                    std::size_t n = v["count"];
                    if (v["value"] == "Ann Odd") CHECK(n == 18);
                }
            }
        }
    }
    // Facets count live versions only: Ann Odd had 20 quotes and lost q1 to Cleo New and q3 to Ben Even;
    // Ben Even lost q2 and has q4 back.
    for (json body : {f.get_json("/search?facets=author,tag&per_page=1"), xapian.get("/search?facets=author,tag&per_page=1")}) {
        CHECK(body["facets"]["author"] == json::parse(R"([{"value":"Ben Even","count":20},{"value":"Ann Odd","count":18},
                                                          {"value":"Cleo New","count":1}])"));
        CHECK(body["facets"]["tag"] == json::parse(R"([{"value":"even","count":20},{"value":"odd","count":18},
                                                       {"value":"fresh","count":1}])"));
    }
    CHECK(f.get_json("/quotes/q1")["text"] == "rewritten sentence");
    CHECK(f.get_json("/quotes/q3")["text"] == "second rewrite");
    CHECK(f.get_json("/quotes/q4")["text"] == "back again");
    CHECK(f.get("/quotes/q2").status == 404);
    CHECK(f.get_json("/health")["documents"] == 39);
    // Type-ahead lists count live postings, and a value left only on dead versions is gone.
    json authors = f.get_json("/facets/author");
    CHECK(authors["values"] == json::parse(R"([{"value":"Ben Even","count":20},{"value":"Ann Odd","count":18},
                                               {"value":"Cleo New","count":1}])"));
    delete_quotes(f.db, {"q1"}, quiet_write());
    f.searcher->refresh(true);
    CHECK(f.get_json("/facets/tag?prefix=fre")["values"].empty());
}

TEST_CASE("tombstones load incrementally to the same set as a full load", "[tombstones]") {
    TempDir tmp;
    const std::string db = tmp / "idx";
    std::string base;
    for (int i = 0; i < 300; ++i) base += record("r" + std::to_string(i), "text " + std::to_string(i), "A", "t");
    rebuild_index(db, {tmp.write("in.jsonl", base)}, quiet_rebuild());
    Xapian::Database reader(db);
    Tombstones incremental;
    incremental.load(reader);
    CHECK(incremental.empty());
    WriteOptions w = quiet_write();
    w.ingest.batch_size = 7;  // many commits: many entries
    for (int round = 0; round < 3; ++round) {
        std::string changes;
        for (int i = round; i < 300; i += 3) changes += record("r" + std::to_string(i), "changed", "B", "u");
        add_quotes(db, {tmp.write("c" + std::to_string(round) + ".jsonl", changes)}, w);
        reader.reopen();
        incremental.load(reader);
        Tombstones full;
        full.load(Xapian::Database(db));
        CHECK(incremental.size() == full.size());
        CHECK(incremental.size() == 100u * (round + 1));
        for (Xapian::docid d = 1; d <= reader.get_lastdocid(); ++d) CHECK(incremental.contains(d) == full.contains(d));
        CHECK(live_count(reader, incremental) == 300);
    }
    // A rebuild is a new generation: a load from it starts again.
    rebuild_index(db, {tmp.write("in2.jsonl", base)}, quiet_rebuild());
    incremental.load(Xapian::Database(db));
    CHECK(incremental.empty());
}

TEST_CASE("the index has no term lists, whether rebuilt or created by add", "[tombstones]") {
    TempDir tmp;
    const std::string rebuilt = tmp / "rebuilt", added = tmp / "added";
    const std::string jsonl = tmp.write("in.jsonl", record("a", "some words", "A", "t") + record("b", "more words", "B", "t"));
    RebuildOptions two = quiet_rebuild();
    two.write.ingest.threads = 2;  // shards merged by compaction
    rebuild_index(rebuilt, {jsonl}, two);
    add_quotes(added, {jsonl}, quiet_write());
    add_quotes(rebuilt, {jsonl}, quiet_write());  // an update in place keeps it so
    for (const auto& dir : {rebuilt, added}) {
        INFO(dir);
        Xapian::Database db(dir);
        CHECK(db.get_metadata(std::string(layout_key)) == layout_version);
        const std::string generation = IndexDir(dir).live_generation();
        CHECK(std::filesystem::exists(generation + "/postlist.glass"));
        CHECK_FALSE(std::filesystem::exists(generation + "/termlist.glass"));
    }
}

TEST_CASE("compact drops the dead versions and changes no answer", "[tombstones]") {
    std::string base;
    // Many quotes of the same moment: date order among them is the sequence, which compact must keep.
    for (int i = 0; i < 120; ++i)
        base += json({{"id", "c" + std::to_string(i)}, {"text", "same moment words " + std::to_string(i % 7)},
                      {"author", {{"name", i % 3 ? "A" : "B"}}}, {"published_at", "2024-01-01T00:00:00Z"}})
                    .dump() +
                "\n";
    SearchFixture f(base);
    std::string changes;
    for (int i = 0; i < 120; i += 4)
        changes += json({{"id", "c" + std::to_string(i)}, {"text", "changed words"}, {"author", {{"name", "C"}}},
                         {"published_at", "2024-01-01T00:00:00Z"}})
                       .dump() +
                   "\n";
    add_quotes(f.db, {f.tmp.write("changes.jsonl", changes)}, quiet_write());
    delete_quotes(f.db, {"c1", "c2", "c3"}, quiet_write());
    const std::vector<std::string> targets = {
        "/search?per_page=100&facets=author",       "/search?per_page=100&sort=oldest&facets=author",
        "/search?q=words&per_page=100&sort=newest", "/search?q=changed&per_page=100&exact_total=true",
        "/search?author=C&per_page=50",
    };
    auto answers = [&] {
        f.searcher->refresh(true);
        std::vector<json> out;
        for (const auto& t : targets) {
            json body = f.get_json(t);
            for (auto& h : body["hits"]) h.erase("score");  // BM25 statistics change once the dead are gone
            body.erase("took_ms");
            out.push_back(body);
        }
        return out;
    };
    const auto before = answers();
    CHECK(f.searcher->tombstones().size() == 33);

    IngestSummary s = compact_index(f.db, quiet_rebuild());
    CHECK(s.added == 117);
    CHECK(s.dropped == 33);
    const auto after = answers();
    CHECK(f.searcher->tombstones().empty());
    CHECK(f.searcher->db().get_doccount() == 117);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        INFO(targets[i]);
        CHECK(after[i] == before[i]);
    }
    // Adding after a compact goes on numbering after the old sequence: the new quote is newest.
    add_quotes(f.db, {f.tmp.write("late.jsonl", json({{"id", "late"}, {"text", "late words"}, {"author", {{"name", "A"}}},
                                                      {"published_at", "2024-01-01T00:00:00Z"}}).dump() + "\n")},
               quiet_write());
    f.searcher->refresh(true);
    CHECK(f.get_json("/search?per_page=1&sort=newest")["hits"][0]["id"] == "late");
}

TEST_CASE("adding a record equal to the live version leaves it alone", "[tombstones]") {
    TempDir tmp;
    const std::string db = tmp / "idx";
    // One record without published_at: the second run's default time differs, and the first one's is kept.
    const std::string jsonl = tmp.write("in.jsonl", record("u1", "same words", "A", "t") + record("u2", "other words", "B", "t") +
                                                        json({{"id", "u3"}, {"text", "no date"}, {"author", {{"name", "C"}}}}).dump() + "\n");
    WriteOptions w = quiet_write();
    w.ingest.now = 1700000000;
    IngestSummary first = add_quotes(db, {jsonl}, w);
    CHECK(first.added == 3);
    w.ingest.now = 1800000000;
    IngestSummary again = add_quotes(db, {jsonl}, w);
    CHECK(again.unchanged == 3);
    CHECK(again.replaced == 0);
    CHECK(again.taken() == 3);
    Xapian::Database index(db);
    Tombstones dead;
    dead.load(index);
    CHECK(dead.empty());
    CHECK(index.get_doccount() == 3);
    // A real change is a new version.
    IngestSummary changed = add_quotes(db, {tmp.write("c.jsonl", record("u1", "new words", "A", "t"))}, w);
    CHECK(changed.replaced == 1);
    index.reopen();
    dead.load(index);
    CHECK(dead.size() == 1);
}
