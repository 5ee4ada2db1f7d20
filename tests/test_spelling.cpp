// "Did you mean": corrections drawn from the index's vocabulary, in several scripts; none for words that exist.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <spelling.h>

using dixit::test::SearchFixture;
using nlohmann::json;

namespace dixit {
namespace {

// Frequent words in English, German, Russian and Greek, a rare misspelling in the data itself, and Chinese.
std::string archive() {
    std::string out;
    int n = 0;
    auto add = [&](const std::string& text, const std::string& lang, int times) {
        for (int i = 0; i < times; ++i)
            out += json({{"id", "s" + std::to_string(n++)}, {"text", text}, {"author", {{"name", "A"}}}, {"language", lang}}).dump() + "\n";
    };
    add("The government will receive the North Korean troops and negotiate", "en", 150);
    add("The goverment said so", "en", 1);  // a typo in the data: one quote against 151
    add("Die Regierung hat entschieden", "de", 20);
    add("Правительство приняло решение", "ru", 20);
    add("Η κυβέρνηση αποφάσισε", "el", 20);
    add("政府决定了", "zh", 20);
    add("thee and thou", "en", 5);
    return out;
}

}  // namespace

TEST_CASE("suggestions correct misspelt words from the index's vocabulary, and only those", "[spelling]") {
    SearchFixture f(archive());
    Xapian::Database& db = f.searcher->db();
    auto vocabulary = f.service->vocabulary().get(db, true);
    REQUIRE(vocabulary != nullptr);
    REQUIRE(vocabulary->size() > 10);
    Tokenizer tokenizer;
    const std::vector<std::string> stems = {"english", "german", "russian"};
    struct Case {
        const char* q;
        const char* suggestion;  // "" = none
    };
    const Case cases[] = {
        {"goverment policy", "government policy"},        // one quote holds the typo, 151 the word
        {"governmnet", "government"},                       // transposition
        {"recieve troops", "receive troops"},
        {"North Korean troopz", "North Korean troops"},     // the rest of q is kept as typed
        {"\"goverment will\" -thou", "\"government will\" -thou"},  // inside a phrase, operators kept
        {"Regirung", "regierung"},
        {"правителство", "правительство"},
        {"κυβερνιση", "κυβερνηση"},
        {"government", ""},                                 // exists
        {"negotiating", ""},                                // its stem exists: it finds "negotiate"
        {"thee", ""},                                       // rare but real: five quotes, not a typo of "the"
        {"tag:goverment", ""},                              // field filters are values, not words
        {"goverm*", ""},                                    // prefixes are left as typed
        {"政俯", ""},                                        // CJK is left alone
        {"xqzvwk", ""},                                     // nothing close
        {"teh", "the"},                                     // three letters: one edit at most
        {"ab", ""},                                         // two: too short to guess
    };
    for (const auto& c : cases) {
        INFO(c.q);
        CHECK(suggest(c.q, *vocabulary, db, tokenizer, stems).q == c.suggestion);
    }
}

TEST_CASE("/search carries the suggestion; the vocabulary closest word is the nearest, then the most frequent", "[spelling]") {
    SearchFixture f(archive());
    REQUIRE(f.service->vocabulary().get(f.searcher->db(), true) != nullptr);
    json body = f.get_json("/search?q=goverment+troopz");
    CHECK(body["suggestion"] == "government troops");
    CHECK(f.get_json("/search?q=government")["suggestion"].is_null());
    CHECK(f.get_json("/search?tag=x")["suggestion"].is_null());  // no words, no suggestion
    // An escaped echo: the suggestion is the q text with words replaced, as JSON text.
    body = f.get_json("/search?q=%3Cb%3Egoverment%3C%2Fb%3E");
    CHECK(body["suggestion"] == "<b>government</b>");

    auto vocabulary = f.service->vocabulary().get(f.searcher->db(), true);
    auto m = vocabulary->closest("trops", 2);
    REQUIRE(m);
    CHECK(m->word == "troops");
    CHECK(m->distance == 1);
    CHECK_FALSE(vocabulary->closest("troops", 1));  // the word itself is no correction of itself
}

TEST_CASE("suggestions can be turned off", "[spelling]") {
    Settings settings;
    settings.suggestions = false;
    SearchFixture f(archive(), settings);
    CHECK(f.get_json("/search?q=goverment")["suggestion"].is_null());
}

}  // namespace dixit
