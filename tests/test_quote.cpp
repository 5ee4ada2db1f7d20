// Record validation: good records normalise as documented; bad ones name the field at fault.
#include <catch2/catch.hpp>

#include <quote.h>
#include <locales.h>
#include <text.h>

using namespace dixit;
using nlohmann::json;

namespace {

const char* minimal = R"({"id": "q1", "text": "Hello.", "author": {"name": "Ann"}})";

json with(const char* patch) {
    json j = json::parse(minimal);
    j.merge_patch(json::parse(patch));
    return j;
}

}  // namespace

TEST_CASE("good records are normalised", "[quote]") {
    struct Case {
        const char* patch;
        const char* expected;  // a patch of the normalised JSON that must hold
    };
    const Case cases[] = {
        {R"({})", R"({"id":"q1","text":"Hello.","author":{"name":"Ann"}})"},
        {R"({"id": "  q1  ", "text": "  Hello.\n"})", R"({"id":"q1","text":"Hello."})"},
        {R"({"author": {"name": " Marco   Rubio ", "role": "US Secretary of State", "id": "Q324546"}})",
         R"({"author":{"name":"Marco Rubio","role":"US Secretary of State","id":"Q324546"}})"},
        {R"({"said_on": "2025-02-18"})", R"({"said_on":"2025-02-18"})"},
        {R"({"said_on": "2025"})", R"({"said_on":"2025"})"},
        {R"({"published_at": "2025-02-18T12:00:00+02:00"})", R"({"published_at":"2025-02-18T10:00:00Z"})"},
        {R"({"countries": ["ua", "Ru", "UA"]})", R"({"countries":["UA","RU"]})"},
        {R"({"tags": ["North Korean troops", "north korean  TROOPS", "NATO"]})", R"({"tags":["North Korean troops","NATO"]})"},
        {R"({"entities": ["Kim Jong-un"]})", R"({"entities":["Kim Jong-un"]})"},
        {R"({"context": {"id": "riyadh-2025", "title": "Riyadh talks"}})", R"({"context":{"id":"riyadh-2025","title":"Riyadh talks"}})"},
        {R"({"language": "EN-us"})", R"({"language":"en-US"})"},
        {R"({"language": "zh_hant"})", R"({"language":"zh-Hant"})"},
        {R"({"source": {"url": "https://example.org/a", "name": "Example"}})", R"({"source":{"url":"https://example.org/a","name":"Example"}})"},
        {R"({"meta": {"anything": [1, 2, {"x": null}]}})", R"({"meta":{"anything":[1,2,{"x":null}]}})"},
        {R"({"text": "Türkiye, Kyjiw, 北朝鲜, كيم"})", R"({"text":"Türkiye, Kyjiw, 北朝鲜, كيم"})"},
    };
    for (const auto& c : cases) {
        INFO(c.patch);
        json out = quote_to_json(quote_from_json(with(c.patch)));
        json expected = out;
        expected.merge_patch(json::parse(c.expected));
        CHECK(out == expected);
        // Normalising is idempotent: the stored form parses to the same quote.
        CHECK(quote_from_json(out) == quote_from_json(with(c.patch)));
    }
}

TEST_CASE("null members count as absent", "[quote]") {
    json j = json::parse(minimal);
    for (const char* key : {"said_on", "published_at", "tags", "countries", "context", "language", "source", "meta"}) j[key] = nullptr;
    j["author"]["role"] = nullptr;
    CHECK(quote_to_json(quote_from_json(j)) == quote_to_json(quote_from_json(json::parse(minimal))));
}

TEST_CASE("bad records name the field and the reason", "[quote]") {
    struct Case {
        json record;
        const char* field;
        const char* reason_contains;
    };
    std::string long_text(32 * 1024 + 1, 'a');
    std::string long_id(201, 'x');
    std::string emoji_id;  // 60 characters, 240 bytes: within the characters, over the bytes
    for (int i = 0; i < 60; ++i) emoji_id += "\U0001F600";
    json too_many_tags = json::array();
    for (int i = 0; i < 33; ++i) too_many_tags.push_back("tag " + std::to_string(i));
    const Case cases[] = {
        {json::array(), "(record)", "JSON object"},
        {json::parse(R"({"text": "x", "author": {"name": "A"}})"), "id", "required"},
        {with(R"({"id": ""})"), "id", "empty"},
        {with(R"({"id": 12})"), "id", "string"},
        {with(("{\"id\": \"" + long_id + "\"}").c_str()), "id", "200"},
        {with(("{\"id\": \"" + emoji_id + "\"}").c_str()), "id", "240 bytes, over the 239-byte limit"},
        {json::parse(R"({"id": "a", "author": {"name": "A"}})"), "text", "required"},
        {with(R"({"text": "   "})"), "text", "empty"},
        {with(R"({"text": ["x"]})"), "text", "string"},
        {with(("{\"text\": \"" + long_text + "\"}").c_str()), "text", "32 KiB"},
        {json::parse(R"({"id": "a", "text": "x"})"), "author", "required"},
        {with(R"({"author": "Ann"})"), "author", "object"},
        {json::parse(R"({"id": "a", "text": "x", "author": {"role": "x"}})"), "author.name", "required"},
        {with(R"({"author": {"name": "A", "age": 3}})"), "author.age", "not a field"},
        {with(R"({"said_on": "2025-02-30"})"), "said_on", "day"},
        {with(R"({"said_on": "18/02/2025"})"), "said_on", "YYYY"},
        {with(R"({"published_at": "2025-02-18"})"), "published_at", "time"},
        {with(R"({"countries": ["XX"]})"), "countries[0]", "ISO 3166-1"},
        {with(R"({"countries": ["UA", "Ukraine"]})"), "countries[1]", "ISO 3166-1"},
        {with(R"({"countries": "UA"})"), "countries", "array"},
        {with(R"({"tags": ["ok", ""]})"), "tags[1]", "empty"},
        {with(R"({"tags": ["ok", "!!!"]})"), "tags[1]", "letters"},
        {with(R"({"tags": [1]})"), "tags[0]", "string"},
        {with(("{\"tags\": " + too_many_tags.dump() + "}").c_str()), "tags", "at most 32"},
        {with(R"({"context": {"title": "x"}})"), "context.id", "required"},
        {with(R"({"language": "english!"})"), "language", "BCP 47"},
        {with(R"({"language": "e"})"), "language", "BCP 47"},
        {with(R"({"source": "Reuters"})"), "source", "object"},
        {with(R"({"meta": [1]})"), "meta", "object"},
        {with(R"({"said-on": "2025"})"), "said-on", "not a field"},
        {with(R"({"attribution": 0.6})"), "attribution", "object"},
        {with(R"({"attribution": {"confidence": 1.5}})"), "attribution.confidence", "from 0 to 1"},
        {with(R"({"attribution": {"confidence": "0.6"}})"), "attribution.confidence", "number"},
        {with(R"({"attribution": {"confidence": 0.6, "p": 1}})"), "attribution.p", "not a field"},
        {with(R"({"attribution": {"others": {"name": "X"}}})"), "attribution.others", "array"},
        {with(R"({"attribution": {"others": [{"confidence": 0.2}]}})"), "attribution.others[0].name", "required"},
        {with(R"({"attribution": {"others": [{"name": "X", "confidence": -0.1}]}})"), "attribution.others[0].confidence", "from 0 to 1"},
    };
    for (const auto& c : cases) {
        INFO(c.record.dump().substr(0, 200));
        try {
            quote_from_json(c.record);
            FAIL("accepted a bad record");
        } catch (const ValidationError& e) {
            CHECK(e.field() == c.field);
            CHECK_THAT(e.what(), Catch::Contains(c.reason_contains));
        }
    }
}

TEST_CASE("invalid UTF-8 is found in any string", "[quote]") {
    const std::string bad[] = {"\xff", "a\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"};
    const std::string good[] = {"", "abc", "Türkiye", "北朝鲜", "😀", "\xf4\x8f\xbf\xbf"};
    for (const auto& s : bad) CHECK_FALSE(is_valid_utf8(s));
    for (const auto& s : good) CHECK(is_valid_utf8(s));
    json j = json::parse(minimal);
    j["author"]["name"] = std::string("Ann\xff");
    try {
        quote_from_json(j);
        FAIL("accepted invalid UTF-8");
    } catch (const ValidationError& e) {
        CHECK(e.field() == "author.name");
    }
}

TEST_CASE("country codes and names come from ICU", "[quote]") {
    for (const char* code : {"UA", "RU", "US", "KP", "KR", "CN", "DE", "EE", "XK", "GB"}) CHECK(is_country_code(code));
    for (const char* code : {"XX", "UK", "ua", "USA", "", "EU"}) CHECK_FALSE(is_country_code(code));
    CHECK(country_name("UA") == "Ukraine");
    CHECK(country_name("KP") == "North Korea");
    CHECK(country_name("XK") == "Kosovo");
}

TEST_CASE("meta must be storable: UTF-8 and bounded depth, and names must fold to something", "[quote]") {
    json deep = json::parse(minimal);
    json nested = "leaf";
    for (int i = 0; i < 40; ++i) nested = json::array({nested});
    deep["meta"] = {{"x", nested}};
    CHECK_THROWS_WITH(quote_from_json(deep), Catch::Contains("deeper"));
    json bad_key = json::parse(minimal);
    bad_key["meta"] = {{std::string("k\xff"), 1}};
    CHECK_THROWS_WITH(quote_from_json(bad_key), Catch::Contains("UTF-8"));
    json bad_value = json::parse(minimal);
    bad_value["meta"] = {{"k", {std::string("caf\xe9")}}};
    CHECK_THROWS_WITH(quote_from_json(bad_value), Catch::Contains("UTF-8"));
    json dash = json::parse(minimal);
    dash["author"]["name"] = "—";
    CHECK_THROWS_WITH(quote_from_json(dash), Catch::Contains("letters or digits"));
    // Offsets cannot move a timestamp out of 0001-9999.
    CHECK_FALSE(parse_rfc3339("0001-01-01T00:00:00+01:00"));
    CHECK_FALSE(parse_rfc3339("9999-12-31T23:30:00-01:00"));
    CHECK(parse_rfc3339("0001-01-01T00:00:00Z"));
}
