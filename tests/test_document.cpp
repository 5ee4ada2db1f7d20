// DocumentBuilder: every field of a quote lands in the terms, slots and data the field table promises.
#include <catch2/catch.hpp>

#include <common_grams.h>
#include <date_keys.h>
#include <document.h>
#include <facets.h>
#include <fields.h>
#include <token_sequence.h>

#include "temp_dir.h"

#include <set>

using namespace dixit;
using dixit::test::TempDir;
using nlohmann::json;

namespace {

Quote sample_quote() {
    return quote_from_json(json::parse(R"({
        "id": "ipse:sybiha-europe",
        "text": "We call on Europe to realise that North Korean troops are now waging an aggressive war in Europe.",
        "author": {"name": "Andrii Sybiha", "role": "Minister for Foreign Affairs of Ukraine", "id": "Q2850953"},
        "said_on": "2024-11",
        "published_at": "2024-11-05T09:00:00Z",
        "tags": ["North Korean troops", "Russia-Ukraine war"],
        "entities": ["Kim Jong-un", "European Union"],
        "countries": ["ua", "KP", "RU"],
        "context": {"id": "north-korean-troops-in-russia", "title": "North Korean troops deployed to Russia"},
        "language": "en",
        "source": {"name": "ipsedixit.news", "url": "https://ipsedixit.news/"},
        "meta": {"note": "stored, not indexed"}
    })"));
}

std::set<std::string> terms_of(const Xapian::Document& doc) {
    std::set<std::string> out;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) out.insert(*it);
    return out;
}

}  // namespace

TEST_CASE("a document carries every field as the field table says", "[document]") {
    DocumentBuilder builder;
    Quote q = sample_quote();
    Xapian::Document doc = builder.build(q, 1);
    auto terms = terms_of(doc);

    const char* expected_terms[] = {
        "Qipse:sybiha-europe",                   // unique id
        "Knorth korean troops", "Krussia ukraine war",  // tags, folded
        "XEkim jong un", "XEeuropean union",     // entities
        "XCua", "XCkp", "XCru",                  // countries
        "Aandrii sybiha", "XAq2850953",          // author, author id
        "XKnorth korean troops in russia",       // context id
        "Len",                                   // language
        "Y2024", "XM2024 11",                    // said_on year and month
        "europe", "north", "korean", "troops", "are", "an",  // exact words, stopwords included
        "XBare now", "XBan aggressive",          // common grams
    };
    for (const char* t : expected_terms) {
        INFO(t);
        CHECK(terms.count(t) == 1);
    }
    for (const auto& t : terms) CHECK(t[0] != 'Z');  // stems go to the stem table, not into documents
    // The stem table entries of the words whose stem differs ("war" is its own stem: none).
    std::set<std::string> stems;
    for (const SynonymEntry& e : builder.take_new_synonyms()) stems.insert(e.key + " " + e.value);
    CHECK(stems.count("Zen:troop troops") == 1);
    CHECK(stems.count("Zen:aggress aggressive") == 1);
    CHECK(stems.count("Zen:europ europe") == 1);
    for (const auto& e : stems) CHECK(e.find(" war") == std::string::npos);
    CHECK(builder.take_new_synonyms().empty());  // taken
    builder.build(q, 2);
    CHECK(builder.take_new_synonyms().empty());  // words already met are not sent again
    CHECK(terms.count("NATO") == 0);
    for (const auto& t : terms) CHECK(t.find("stored") == std::string::npos);  // meta is not indexed

    // No positional index: the word order is in slot::tokens (checks assume the quote has every word).
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) CHECK(it.positionlist_count() == 0);
    TokenSequence seq = decode_token_sequence(doc.get_value(slot::tokens));
    auto phrase = [&](std::vector<std::string> words) { return has_phrase(seq, words); };
    CHECK(phrase({"north", "korean", "troops"}));
    CHECK(phrase({"we", "call", "on", "europe"}));
    CHECK(phrase({"war", "in", "europe"}));
    CHECK_FALSE(phrase({"korean", "north"}));
    CHECK_FALSE(phrase({"north", "troops"}));
    CHECK(has_near(seq, {"troops", "north"}, 3));
    CHECK_FALSE(has_near(seq, {"troops", "north"}, 2));
    CHECK(has_near(seq, {"europe", "europe"}, 100));  // twice in the text
    CHECK_FALSE(has_near(seq, {"call", "call"}, 100));  // once only

    CHECK(doc.get_value(slot::said_on) == "2024-11");
    CHECK(doc.get_value(slot::said_start) == "20241101");
    CHECK(doc.get_value(slot::said_end) == "20241130");
    CHECK(Xapian::sortable_unserialise(doc.get_value(slot::published_at)) == 1730797200.0);
    CHECK(doc.get_value(field("author").first_slot) == "Andrii Sybiha\tQ2850953");  // name and speaker id
    CHECK(doc.get_value(field("tag").first_slot) == "North Korean troops");
    CHECK(doc.get_value(field("tag").first_slot + 1) == "Russia-Ukraine war");
    CHECK(doc.get_value(field("tag").first_slot + 2).empty());
    CHECK(doc.get_value(field("country").first_slot + 2) == "RU");
    CHECK(doc.get_value(field("context").first_slot) == "north-korean-troops-in-russia\tNorth Korean troops deployed to Russia");
    CHECK(doc.get_value(field("lang").first_slot) == "en");
    CHECK(doc.get_value(field("year").first_slot) == "2024");
    CHECK(doc.get_value(field("month").first_slot) == "2024-11");

    // The stored data is the normalised record and round-trips exactly.
    CHECK(quote_from_document(doc) == q);
}

TEST_CASE("filter terms fold values like the indexer", "[document]") {
    DocumentBuilder builder;
    struct Case {
        const char* field;
        const char* value;
        const char* term;
    };
    const Case cases[] = {
        {"tag", "North Korean troops", "Knorth korean troops"},
        {"tag", "  north KOREAN   troops ", "Knorth korean troops"},
        {"author", "Volodymyr Zelenskiy", "Avolodymyr zelenskiy"},
        {"entity", "Türkiye", "XEturkiye"},
        {"country", "ua", "XCua"},
        {"context", "riyadh-2025", "XKriyadh 2025"},
        {"lang", "pt-BR", "Lpt br"},
        {"year", "2025", "Y2025"},
        {"id", "Quote:1", "QQuote:1"},
    };
    for (const auto& c : cases) {
        INFO(c.field << " " << c.value);
        CHECK(builder.filter_term(c.field, c.value) == c.term);
    }
    CHECK_THROWS_AS(builder.filter_term("colour", "red"), std::out_of_range);
}

TEST_CASE("undated, unstemmed and minimal quotes build too", "[document]") {
    DocumentBuilder builder;
    Quote q = quote_from_json(json::parse(R"({"id": "c1", "text": "Ahoj, jak se máš?", "author": {"name": "Karel"},
                                              "language": "cs", "published_at": "2020-01-01T00:00:00Z"})"));
    Xapian::Document doc = builder.build(q, 1);
    CHECK(doc.get_value(slot::said_on).empty());
    auto terms = terms_of(doc);
    CHECK(terms.count("mas") == 1);  // diacritics folded
    for (const auto& t : terms) CHECK(t[0] != 'Z');  // Czech has no Snowball stemmer in Xapian 1.4
    CHECK(stemmer_language("cs").empty());
    CHECK(stemmer_language("en-GB") == "en");
    CHECK(stemmer_language("ru") == "ru");
    CHECK(stemmer_language("").empty());
}

TEST_CASE("stemmed query words expand through the index's stem table", "[document]") {
    Xapian::Stem english("en");
    CHECK(stemmed_query_terms("troops", english, "en", nullptr) == std::vector<std::string>{"troop"});
    CHECK(stemmed_query_terms("war", english, "en", nullptr) == std::vector<std::string>{"war"});
    CHECK(stemmed_query_terms("2025", english, "en", nullptr).empty());
    CHECK(stemmed_query_terms("troops", Xapian::Stem(), "", nullptr).empty());

    // In an index: "troop" finds the document that says "troops" (stem table) and the one that says "troop".
    TempDir dir;
    Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
    DocumentBuilder builder;
    int n = 0;
    for (const char* text : {"the troops moved", "one troop stayed", "nothing here"}) {
        json j = {{"id", "s" + std::to_string(++n)}, {"text", text}, {"author", {{"name", "A"}}}, {"language", "en"},
                  {"published_at", "2020-01-01T00:00:00Z"}};
        db.add_document(builder.build(quote_from_json(j), n));
        add_synonyms(db, builder.take_new_synonyms());
    }
    db.commit();
    auto terms = stemmed_query_terms("troop", english, "en", &db);
    CHECK(std::set<std::string>(terms.begin(), terms.end()) == std::set<std::string>{"troop", "troops"});
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end()));
    CHECK(enquire.get_mset(0, 10).get_matches_estimated() == 2);
}

TEST_CASE("common grams: pairs with a common word, and the grams of a phrase", "[document]") {
    Tokenizer tokenizer;
    auto tokens_of = [&](const char* text) {
        std::vector<Token> tokens;
        tokenizer.tokenize(text, tokens);
        return tokens;
    };
    struct Case {
        const char* text;
        std::vector<std::string> grams;
    };
    const Case cases[] = {
        {"Do you know?", {"XBdo you", "XByou know"}},
        {"North Korean troops", {}},
        {"the war, in Europe", {"XBthe war", "XBin europe"}},  // "war in" ends with the common word: none
        {"to be or not to be", {"XBto be", "XBbe or", "XBor not", "XBnot to", "XBto be"}},
        // "un" is on the list (French); the joined extra "jongun" does not break the pairs
        {"Kim Jong-un and the army", {"XBun and", "XBand the", "XBthe army"}},
        {"君子固穷 and", {}},  // ideographs never pair
        {"Это не так", {"XBэто не", "XBне так"}},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        CHECK(common_grams(tokens_of(c.text)) == c.grams);
    }
    CHECK(common_grams(tokens_of("of the war")) == std::vector<std::string>{"XBof the", "XBthe war"});
    CHECK(common_grams(tokens_of("it is not")) == std::vector<std::string>{"XBit is", "XBis not"});
    CHECK(common_grams(tokens_of("north korean troops")).empty());
    CHECK(common_grams(tokens_of("troops of north korea")) == std::vector<std::string>{"XBof north"});
    CHECK(common_grams(tokens_of("do you")) == std::vector<std::string>{"XBdo you"});
}

TEST_CASE("date keys: each codec reads back what it wrote", "[document][date_keys]") {
    for (const std::int64_t seconds : {std::int64_t{0}, std::int64_t{1'700'000'000}, std::int64_t{-86'400}, std::int64_t{253'402'300'799}}) {
        INFO(seconds);
        CHECK(published_from_value(published_value(seconds)) == seconds);
    }
    CHECK(published_from_value("") == std::nullopt);
    Quote dated;
    dated.said_on = PartialDate::parse("2024-03");
    dated.published_at = 1'700'000'000;
    const Quote undated;
    for (const DateOrder order : {DateOrder::Oldest, DateOrder::Newest}) {
        for (const Quote* q : {static_cast<const Quote*>(&dated), &undated}) {
            const std::string key = sort_key(*q, order, 42);
            CHECK(is_sort_key(key));
            CHECK(sort_key_sequence(key) == 42);
            CHECK(pack_sort_key(key) != 0);
        }
    }
    for (const std::string& bad : {std::string(), std::string("0"), std::string(16, '0'), std::string("2") + std::string(16, '\0')})
        CHECK_FALSE(is_sort_key(bad));
}
