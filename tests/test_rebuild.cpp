// rebuild: readers never see a partial index; failures leave the live index as it was.
#include <catch2/catch.hpp>

#include "test_support.h"

#include <layout.h>
#include <tombstones.h>
#include <document.h>
#include <fields.h>
#include <index_dir.h>
#include <rebuild.h>

#include <atomic>
#include <filesystem>
#include <thread>

using namespace dixit;
using dixit::test::TempDir;
using dixit::test::write_file;
using nlohmann::json;

namespace {

// n records whose every text contains the marker word, so a reader can tell generations apart.
std::string corpus(int n, const std::string& marker, int first = 0) {
    std::string out;
    for (int i = first; i < first + n; ++i) {
        json j = {{"id", "r-" + std::to_string(i)},
                  {"text", "quote number " + std::to_string(i) + " of generation " + marker},
                  {"author", {{"name", "Author " + std::to_string(i % 17)}}},
                  {"tags", {"tag " + std::to_string(i % 5)}},
                  {"published_at", "2024-01-01T00:00:00Z"}};
        out += j.dump() + "\n";
    }
    return out;
}

RebuildOptions options(unsigned threads = 2) {
    RebuildOptions r;
    r.write.ingest.quiet = true;
    r.write.ingest.threads = threads;
    r.write.ingest.now = 1700000000;
    r.grace = std::chrono::milliseconds(300);
    return r;
}

std::size_t entries_named(const std::string& dir, const std::string& start) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        n += e.path().filename().string().rfind(start, 0) == 0;
    return n;
}

}  // namespace

TEST_CASE("a reader in a loop during a rebuild sees the old or the new index, never a mix", "[rebuild]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    write_file(tmp / "old.jsonl", corpus(3000, "alpha"));
    write_file(tmp / "new.jsonl", corpus(4000, "omega", 500));
    REQUIRE(rebuild_index(dir, {tmp / "old.jsonl"}, options()).added == 3000);
    std::string old_generation = IndexDir(dir).live_generation();

    std::atomic<bool> done{false};
    std::atomic<int> saw_old{0}, saw_new{0}, saw_mix{0}, errors{0};
    std::thread reader([&] {
        while (!done) {
            try {
                Xapian::Database db(dir);
                auto count = db.get_doccount();
                auto alpha = db.get_termfreq("alpha"), omega = db.get_termfreq("omega");
                if (count == 3000 && alpha == 3000 && omega == 0) ++saw_old;
                else if (count == 4000 && omega == 4000 && alpha == 0) ++saw_new;
                else ++saw_mix;
            } catch (const Xapian::Error&) {
                ++errors;
            }
        }
    });
    auto summary = rebuild_index(dir, {tmp / "new.jsonl"}, options());
    // Keep reading for a moment on the new index.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    done = true;
    reader.join();

    CHECK(summary.added == 4000);
    CHECK(saw_mix == 0);
    CHECK(errors == 0);
    CHECK(saw_old > 0);
    CHECK(saw_new > 0);
    CHECK_FALSE(std::filesystem::exists(old_generation));  // removed after the grace period
    CHECK(entries_named(dir, "gen-") == 1);
    CHECK(entries_named(dir, ".rebuild-") == 0);
}

TEST_CASE("a failed or strict-rejected rebuild leaves the live index untouched", "[rebuild]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    write_file(tmp / "old.jsonl", corpus(50, "alpha"));
    rebuild_index(dir, {tmp / "old.jsonl"}, options());
    std::string live = IndexDir(dir).live_generation();

    SECTION("an input that cannot be read") {
        write_file(tmp / "new.jsonl", corpus(60, "omega"));
        CHECK_THROWS_AS(rebuild_index(dir, {tmp / "new.jsonl", tmp / "missing.jsonl"}, options()), InputError);
    }
    SECTION("strict with one bad record") {
        write_file(tmp / "new.jsonl", corpus(60, "omega") + "{\"id\": \"x\"}\n");
        auto r = options();
        r.write.ingest.strict = true;
        auto s = rebuild_index(dir, {tmp / "new.jsonl"}, r);
        CHECK(s.rejected == 1);
        CHECK(s.added == 0);
    }
    SECTION("an interrupted rebuild's leftovers are cleaned by the next one") {
        std::filesystem::create_directories(dir + "/.rebuild-123/shard-0");
        std::filesystem::create_directories(dir + "/gen-42");
        write_file(tmp / "new.jsonl", corpus(50, "alpha"));
        rebuild_index(dir, {tmp / "new.jsonl"}, options());
        CHECK_FALSE(std::filesystem::exists(dir + "/.rebuild-123"));
        CHECK_FALSE(std::filesystem::exists(dir + "/gen-42"));
        live = IndexDir(dir).live_generation();
    }
    SECTION("a killed writer's leftovers are cleaned by the next add, never the live generation") {
        std::filesystem::create_directories(dir + "/.rebuild-123/shard-0");
        std::filesystem::create_directories(dir + "/gen-42");
        write_file(dir + "/.stdin-999", "{}\n");
        WriteOptions w;
        w.ingest.quiet = true;
        write_file(tmp / "none.jsonl", "");
        add_quotes(dir, {tmp / "none.jsonl"}, w);
        CHECK_FALSE(std::filesystem::exists(dir + "/.rebuild-123"));
        CHECK_FALSE(std::filesystem::exists(dir + "/gen-42"));
        CHECK_FALSE(std::filesystem::exists(dir + "/.stdin-999"));
        CHECK(std::filesystem::exists(live));
    }
    CHECK(IndexDir(dir).live_generation() == live);
    Xapian::Database db(dir);
    CHECK(db.get_doccount() == 50);
    CHECK(db.get_termfreq("alpha") == 50);
    CHECK(entries_named(dir, ".rebuild-") == 0);
}

TEST_CASE("rebuild keeps one quote per id and the live index's published_at", "[rebuild]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    write_file(tmp / "first.jsonl",
               R"({"id": "k", "text": "kept date", "author": {"name": "A"}, "published_at": "2020-05-05T05:05:05Z"})" "\n");
    rebuild_index(dir, {tmp / "first.jsonl"}, options());

    // Same id three times (last wins), and no published_at: the live one is carried over.
    std::string again;
    for (const char* text : {"one", "two", "three"})
        again += json({{"id", "k"}, {"text", text}, {"author", {{"name", "A"}}}}).dump() + "\n";
    again += json({{"id", "new"}, {"text", "fresh"}, {"author", {{"name", "A"}}}}).dump() + "\n";
    write_file(tmp / "second.jsonl", again);
    auto s = rebuild_index(dir, {tmp / "second.jsonl"}, options());
    CHECK(s.added == 2);
    CHECK(s.replaced == 2);

    Xapian::Database db(dir);
    Tombstones dead;
    dead.load(db);
    CHECK(live_count(db, dead) == 2);
    CHECK(dead.size() == 2);  // "one" and "two": superseded in the shard, buried after the merge
    Quote k = quote_from_document(db.get_document(live_docid(db, "Qk", dead)));
    CHECK(k.text == "three");
    CHECK(*k.published_at == 1588655105);
    Quote fresh = quote_from_document(db.get_document(live_docid(db, "Qnew", dead)));
    CHECK(*fresh.published_at == 1700000000);

    // Into a new directory (no live index): a repeat without published_at keeps its first occurrence's,
    // found in the shard itself, also when many other ids come between the two.
    std::string many = R"({"id": "p", "text": "first", "author": {"name": "A"}, "published_at": "2021-01-01T00:00:00Z"})" "\n";
    for (int i = 0; i < 5000; ++i) many += json({{"id", "m" + std::to_string(i)}, {"text", "filler"}, {"author", {{"name", "A"}}}}).dump() + "\n";
    many += json({{"id", "p"}, {"text", "second"}, {"author", {{"name", "A"}}}}).dump() + "\n";
    write_file(tmp / "third.jsonl", many);
    auto t = rebuild_index(tmp / "idx2", {tmp / "third.jsonl"}, options());
    CHECK(t.added == 5001);
    CHECK(t.replaced == 1);
    Xapian::Database db2(tmp / "idx2");
    Tombstones dead2;
    dead2.load(db2);
    CHECK(dead2.size() == 1);
    Quote p = quote_from_document(db2.get_document(live_docid(db2, "Qp", dead2)));
    CHECK(p.text == "second");
    CHECK(*p.published_at == 1609459200);
}

TEST_CASE("one shard and several shards build the same index", "[rebuild]") {
    TempDir tmp;
    std::vector<std::string> files = {test::data_dir() + "/real/fortunes-multilingual.jsonl",
                                      test::data_dir() + "/real/quotebank-sample.json"};
    rebuild_index(tmp / "one", files, options(1));
    rebuild_index(tmp / "three", files, options(3));
    Xapian::Database one(tmp / "one"), three(tmp / "three");
    CHECK(one.get_doccount() == three.get_doccount());
    for (const char* term : {"the", "und", "что", "Ktag", "Len", "Lru", "Y2020", "XCus"})
        CHECK(one.get_termfreq(term) == three.get_termfreq(term));
    CHECK(one.get_value_freq(slot::said_on) == three.get_value_freq(slot::said_on));
    // Common grams, and the layout mark that searchd checks, survive the merge.
    CHECK(one.get_termfreq("XBof the") > 0);
    CHECK(one.get_termfreq("XBof the") == three.get_termfreq("XBof the"));
    for (auto* db : {&one, &three}) CHECK(db->get_metadata(std::string(layout_key)) == layout_version);
}

TEST_CASE("the stub must name a generation the way the indexer writes it", "[rebuild]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    write_file(tmp / "in.jsonl", corpus(10, "alpha"));
    rebuild_index(dir, {tmp / "in.jsonl"}, options(1));
    const std::string live = IndexDir(dir).live_generation();
    const std::string stub = dir + "/XAPIANDB";

    for (const char* good : {"auto gen-1795542124091453\n", "auto gen-1", "auto  gen-42 \n"}) {
        INFO("stub: " << good);
        write_file(stub, good);
        std::string name = good;
        name = name.substr(name.find("gen-"));
        name = name.substr(0, name.find_first_of(" \n"));
        CHECK(IndexDir(dir).live_generation() == dir + "/" + name);
    }
    for (const char* bad : {"auto .\n", "auto ..\n", "auto gen-\n", "auto gen-12x\n", "auto gen--1\n", "auto /etc\n",
                            "auto gen-1/../..\n", "auto other\n", "glass gen-1\n", "auto gen-1 gen-2\n", "auto\n", ""}) {
        INFO("stub: '" << bad << "'");
        write_file(stub, bad);
        CHECK_THROWS_WITH(IndexDir(dir).live_generation(), Catch::Contains(stub) && Catch::Contains("auto gen-"));
    }

    // With a stub naming "..", a rebuild must stop before it cleans up: every gen-* would look stale.
    write_file(stub, "auto ..\n");
    CHECK_THROWS(rebuild_index(dir, {tmp / "in.jsonl"}, options(1)));
    CHECK(std::filesystem::exists(live));
}

TEST_CASE("a generation that cannot be flushed to disk is an error rather than a silent switch", "[rebuild]") {
    TempDir tmp;
    std::string dir = tmp / "idx";
    std::string generation = dir + "/gen-1";
    std::filesystem::create_directories(generation);
    write_file(generation + "/postlist.glass", "x");
    IndexDir index(dir);
    CHECK_NOTHROW(index.sync_generation(generation));
    // A "regular file" that cannot be fsynced: /proc's files answer EINVAL.
    std::filesystem::create_symlink("/proc/self/status", generation + "/status");
    CHECK_THROWS_WITH(index.sync_generation(generation),
                      Catch::Contains(generation + "/status") && Catch::Contains("fsync"));
}
