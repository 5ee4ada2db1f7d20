// The time budget of a search (--max-search-ms): Xapian's match and the column path stop at the deadline,
// and the answer is 503 search_timeout rather than partial counts.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <dates.h>
#include <deadline.h>
#include <docset.h>

#include <string>

using namespace dixit;
using dixit::test::SearchFixture;
using nlohmann::json;

namespace {

// count quotes of words with many distinct two-letter beginnings, with tags, authors, countries and one of
// 200 contexts, published within the last 700 hours.
std::string wordy_archive(unsigned count) {
    const std::int64_t now = dixit::test::now_seconds();
    std::string out;
    const char* countries[] = {"UA", "RU", "US", "FR", "KP", "DE"};
    for (unsigned i = 0; i < count; ++i) {
        std::string text;
        for (unsigned w = 0; w < 12; ++w) {
            const unsigned n = i * 7 + w * 131;
            text += std::string(w ? " " : "") + static_cast<char>('a' + n % 26) + static_cast<char>('a' + n / 26 % 26) +
                    "x" + std::to_string(n % 97);
        }
        json r = {{"id", "w" + std::to_string(i)},
                  {"text", text},
                  {"author", {{"name", "Author " + std::to_string(i % 50)}}},
                  {"tags", {"T" + std::to_string(i % 40), "U" + std::to_string(i % 7)}},
                  {"countries", {countries[i % 6]}},
                  {"context", {{"id", "ctx" + std::to_string(i % 200)}, {"title", "Context"}}},
                  {"published_at", format_rfc3339(now - static_cast<std::int64_t>(i % 700) * 3600)},
                  {"language", "en"}};
        out += r.dump() + "\n";
    }
    return out;
}

// 60 prefixes ORed (each expands to up to --max-wildcard-expansion terms), with exhaustive facets.
std::string expensive_target() {
    std::string q;
    for (unsigned i = 0; i < 60; ++i) {
        if (i) q += "+OR+";
        q += std::string(1, static_cast<char>('a' + i % 26)) + static_cast<char>('a' + i / 26 % 26) + "*";
    }
    return "/search?q=" + q + "&facets=tag,author,country,lang&facet_size=1000";
}

// An in-memory index of n documents, each holding the term "all".
Xapian::WritableDatabase documents_with_all(int n) {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (int i = 0; i < n; ++i) {
        Xapian::Document doc;
        doc.add_term("all");
        db.add_document(doc);
    }
    return db;
}

const Deadline passed(Deadline::Clock::now() - std::chrono::milliseconds(1), std::chrono::milliseconds(1));

}  // namespace

TEST_CASE("deadline: a Xapian match ends at the deadline, and check() reports it", "[deadline]") {
    Xapian::WritableDatabase db = documents_with_all(3000);
    const Xapian::Query all("all");
    const Tombstones none;
    auto matched = [&](const Deadline& deadline) {
        Xapian::Enquire enquire(db);
        enquire.set_query(within(all, deadline, none));
        return enquire.get_mset(0, 10, db.get_doccount()).get_matches_estimated();
    };
    CHECK(matched(Deadline()) == 3000);
    CHECK(matched(Deadline(std::chrono::hours(1))) == 3000);
    CHECK(matched(passed) < 3000);  // cut short: these counts must never be answered
    CHECK_THROWS_AS(passed.check(), ApiError);
    CHECK_NOTHROW(Deadline(std::chrono::hours(1)).check());
    CHECK_NOTHROW(Deadline(std::chrono::milliseconds(0)).check());  // 0: no limit
}

TEST_CASE("deadline: the column path's evaluation stops at the deadline", "[deadline]") {
    Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
    for (int i = 0; i < 100; ++i) {
        Xapian::Document doc;
        doc.add_term(i % 2 ? "odd" : "even");
        db.add_document(doc);
    }
    const Xapian::Query q(Xapian::Query::OP_OR, Xapian::Query("odd"), Xapian::Query("even"));
    CHECK(evaluate(db, q)->size() == 100);
    try {
        evaluate(db, q, passed);
        FAIL("no search_timeout");
    } catch (const ApiError& e) {
        CHECK(e.code() == ErrorCode::SearchTimeout);
        CHECK(error_info(e.code()).status == 503);
        CHECK(std::string(e.what()).find("--max-search-ms") != std::string::npos);
    }
}

TEST_CASE("deadline: a search over --max-search-ms answers 503 search_timeout, saying how to narrow it",
          "[deadline]") {
    const std::string archive = wordy_archive(4000);
    struct Case {
        std::string name;
        bool columns;
        std::string target;
    };
    const std::vector<Case> cases = {
        {"60 prefixes and facets, Xapian's matcher", false, expensive_target()},
        {"60 prefixes and facets, columns on (prefixes need the matcher)", true, expensive_target()},
        {"the last 744 hours of contexts", false, "/contexts/latest?hours=744"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        Settings tight;
        tight.columns = c.columns;
        tight.search.max_search = std::chrono::milliseconds(1);
        SearchFixture slow(archive, tight);
        if (c.columns) slow.searcher->columns(true);
        HttpResponse r = slow.get(c.target);
        INFO(r.body.substr(0, 300));
        CHECK(r.status == 503);
        json body = json::parse(r.body);
        CHECK(body["error"]["code"] == "search_timeout");
        CHECK(body["error"]["message"].get<std::string>().find("narrow it") != std::string::npos);
    }
    // The same requests within the default budget.
    SearchFixture roomy(archive);
    json body = roomy.get_json(expensive_target());
    CHECK(body["total"] > 0);
    CHECK(body["facets"]["author"].size() > 0);
    CHECK(roomy.get_json("/contexts/latest?hours=744")["contexts"].size() == 50);
}

TEST_CASE("deadline: dead documents never match, with or without a limit", "[deadline]") {
    Xapian::WritableDatabase db = documents_with_all(1000);
    Tombstones dead;
    for (Xapian::docid d : {1u, 2u, 500u, 999u, 1000u}) dead.add(d);
    for (const Deadline& deadline : {Deadline(), Deadline(std::chrono::hours(1))}) {
        Xapian::Enquire enquire(db);
        enquire.set_query(within(Xapian::Query("all"), deadline, dead));
        Xapian::MSet mset = enquire.get_mset(0, 1000, 1000);
        CHECK(mset.size() == 995);
        CHECK(mset.get_matches_estimated() == 995);
        for (auto it = mset.begin(); it != mset.end(); ++it) CHECK_FALSE(dead.contains(*it));
    }
}
