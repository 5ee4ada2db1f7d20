// The stored record (schema/record.h): every quote comes back exactly, and bytes that are not a record
// are refused with RecordError, never read past their end.
#include <catch2/catch.hpp>

#include <record.h>

#include <random>

using namespace dixit;
using nlohmann::json;

namespace {

Quote parsed(const char* record) { return quote_from_json(json::parse(record)); }

}  // namespace

TEST_CASE("a stored record gives back the quote it was made from", "[record]") {
    const char* records[] = {
        R"({"id":"a","text":"x","author":{"name":"N"}})",
        R"({"id":"q-1","text":"We will not give up.","author":{"name":"Andrii Sybiha","role":"Minister","id":"Q123"},
            "said_on":"2024-11-05","published_at":"2024-11-05T09:00:00Z","tags":["North Korean troops","Russia-Ukraine war"],
            "entities":["North Korea"],"countries":["ua","RU"],"context":{"id":"ctx","title":"Talks"},"language":"en-gb",
            "source":{"url":"https://example.org/a","name":"Example"},"meta":{"n":1,"list":[1,"two",null,3.5],"deep":{"x":true}}})",
        R"({"id":"é漢字","text":"Слава Україні! 北朝鮮","author":{"name":"Zoë Ünal"},"said_on":"1999","published_at":"1960-01-01T00:00:00Z"})",
        R"({"id":"b","text":"t","author":{"name":"N"},"said_on":"2025-02","context":{"id":"c"},"source":{"name":"only a name"},"meta":{}})",
        R"({"id":"c","text":"t","author":{"name":"Bernie Sanders"},"attribution":{"confidence":0.6514,"others":[{"name":"Joe Biden","confidence":0.2},{"name":"X","confidence":0}]},"meta":{"k":1}})",
        R"({"id":"d","text":"t","author":{"name":"Unattributed"},"attribution":{"others":[{"name":"Prince Jackson","confidence":0.3}]}})",
        R"({"id":"e","text":"t","author":{"name":"N"},"attribution":{}})",
    };
    for (const char* r : records) {
        INFO(r);
        Quote q = parsed(r);
        CHECK(decode_record(encode_record(q)) == q);
    }
}

TEST_CASE("bytes that are not a stored record are refused", "[record]") {
    const std::string good = encode_record(parsed(
        R"({"id":"q","text":"text","author":{"name":"N","role":"R"},"said_on":"2024-11","published_at":"2024-11-05T09:00:00Z",
            "tags":["a","b"],"context":{"id":"c","title":"T"},"source":{"url":"u"},"meta":{"k":"v"}})"));
    // Every strict prefix is truncated; a byte more is trailing.
    for (std::size_t n = 0; n < good.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        CHECK_THROWS_AS(decode_record(std::string_view(good).substr(0, n)), RecordError);
    }
    CHECK_THROWS_AS(decode_record(good + "x"), RecordError);
    CHECK_THROWS_AS(decode_record("{\"id\":\"json\"}"), RecordError);  // layout 1's JSON data
    // Random damage: either a record or RecordError, nothing else (ASan would see a read past the end).
    std::mt19937 rng(5);
    unsigned refused = 0, read = 0;
    for (int trial = 0; trial < 3000; ++trial) {
        std::string bad = good;
        for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
        try {
            (void)decode_record(bad);
            ++read;
        } catch (const RecordError&) {
            ++refused;
        }
    }
    CHECK(refused > 0);
    CHECK(read > 0);
}
