// The small text kit (schema/text.h) and the one normalisation of filter values (fields.h filter_value).
#include <catch2/catch.hpp>

#include <fields.h>
#include <text.h>

using namespace dixit;

TEST_CASE("parse_whole reads digits only and never wraps", "[text]") {
    struct Case { std::string_view text; std::optional<unsigned> value; };
    const std::vector<Case> cases = {
        {"0", 0u}, {"42", 42u}, {"007", 7u}, {"4294967295", 4294967295u},
        {"4294967296", std::nullopt}, {"-1", std::nullopt}, {"+1", std::nullopt}, {"", std::nullopt},
        {" 1", std::nullopt}, {"1 ", std::nullopt}, {"1e3", std::nullopt}, {"0x10", std::nullopt},
    };
    for (const auto& c : cases) {
        INFO("'" << c.text << "'");
        CHECK(parse_whole<unsigned>(c.text) == c.value);
    }
    CHECK(parse_whole<std::uint64_t>("18446744073709551615") == std::uint64_t{18446744073709551615u});
    CHECK(parse_whole<std::uint64_t>("18446744073709551616") == std::nullopt);
}

TEST_CASE("trim removes ASCII white space at both ends only", "[text]") {
    struct Case { std::string_view in, out; };
    const std::vector<Case> cases = {
        {"", ""}, {"  ", ""}, {" a ", "a"}, {"\t\n\v\f\ra b\r\n", "a b"}, {"a\u00a0", "a\u00a0"},
    };
    for (const auto& c : cases) CHECK(trim(c.in) == c.out);
}

TEST_CASE("UTF-8: validity, where it breaks, code points and length", "[text]") {
    struct Case { std::string bytes; std::size_t first_invalid; std::size_t length; };
    const std::size_t ok = std::string_view::npos;
    const std::vector<Case> cases = {
        {"", ok, 0},
        {"abc", ok, 3},
        {"Zürich 北京 😀", ok, 11},
        {"ab\xff", 2, 0},
        {"a\xc0\xaf", 1, 0},          // overlong '/'
        {"\xed\xa0\x80", 0, 0},       // a UTF-16 surrogate
        {"\xf4\x90\x80\x80", 0, 0},   // past U+10FFFF
        {"ok\xe2\x82", 2, 0},          // cut short
    };
    for (const auto& c : cases) {
        INFO(c.bytes);
        CHECK(first_invalid_utf8(c.bytes) == c.first_invalid);
        CHECK(is_valid_utf8(c.bytes) == (c.first_invalid == ok));
        if (c.first_invalid == ok) {
            CHECK(utf8_length(c.bytes) == c.length);
            CHECK(code_points(c.bytes).size() == c.length);
        } else {
            CHECK(code_points(c.bytes).empty());
        }
    }
    std::size_t i = 1;
    CHECK(next_code_point("aü", i) == 0xFC);
    CHECK(i == 3);
}

TEST_CASE("filter values are normalised once for the API and the query language", "[text][fields]") {
    struct Case { std::string_view field, value; std::optional<std::string> stored; };
    const std::vector<Case> cases = {
        {"country", "ua", "UA"},
        {"country", "UA", "UA"},
        {"country", "north korea", "KP"},
        {"country", "Cote d'Ivoire", "CI"},
        {"country", "Atlantis", std::nullopt},
        {"country", "zz", std::nullopt},
        {"lang", "EN-us", "en-US"},
        {"lang", "pt-br", "pt-BR"},
        {"lang", "12", std::nullopt},
        {"tag", "North Korean troops", "North Korean troops"},
        {"author", "ua", "ua"},
    };
    for (const auto& c : cases) {
        INFO(c.field << "=" << c.value);
        CHECK(filter_value(field(c.field), c.value) == c.stored);
    }
}
