// Partial dates and RFC 3339 timestamps: parsing, precision, sort keys, period bounds.
#include <catch2/catch.hpp>

#include <dates.h>

using namespace dixit;

TEST_CASE("partial dates parse at their precision", "[dates]") {
    struct Case {
        const char* input;
        bool ok;
        const char* iso;
        const char* first;
        const char* last;
        const char* precision;
    };
    const Case cases[] = {
        {"2025-02-18", true, "2025-02-18", "20250218", "20250218", "day"},
        {"2025-02", true, "2025-02", "20250201", "20250228", "month"},
        {"2024-02", true, "2024-02", "20240201", "20240229", "month"},
        {"2025", true, "2025", "20250101", "20251231", "year"},
        {"0001", true, "0001", "00010101", "00011231", "year"},
        {"1900-02-29", false, "", "", "", ""},
        {"2000-02-29", true, "2000-02-29", "20000229", "20000229", "day"},
        {"2025-13", false, "", "", "", ""},
        {"2025-00-10", false, "", "", "", ""},
        {"2025-02-30", false, "", "", "", ""},
        {"25-02-18", false, "", "", "", ""},
        {"2025/02/18", false, "", "", "", ""},
        {"2025-02-18T10:00:00Z", false, "", "", "", ""},
        {"0000", false, "", "", "", ""},
        {"", false, "", "", "", ""},
        {"2025-2-1", false, "", "", "", ""},
    };
    for (const auto& c : cases) {
        INFO(c.input);
        std::string why;
        auto d = PartialDate::parse(c.input, &why);
        REQUIRE(d.has_value() == c.ok);
        if (!c.ok) {
            CHECK_FALSE(why.empty());
            continue;
        }
        CHECK(d->iso() == c.iso);
        CHECK(d->first_day_key() == c.first);
        CHECK(d->last_day_key() == c.last);
        CHECK(d->precision_name() == c.precision);
    }
}

TEST_CASE("a period sorts before the dates inside it", "[dates]") {
    // The said_on slot holds iso(): "2025" < "2025-01-01" < "2025-02" < "2025-02-18" < "2025-03".
    const char* ordered[] = {"2024-12-31", "2025", "2025-01-01", "2025-02", "2025-02-18", "2025-03", "2026"};
    for (std::size_t i = 1; i < std::size(ordered); ++i) {
        auto a = PartialDate::parse(ordered[i - 1]), b = PartialDate::parse(ordered[i]);
        CHECK(a->iso() < b->iso());
    }
}

TEST_CASE("RFC 3339 timestamps become UTC Unix seconds", "[dates]") {
    struct Case {
        const char* input;
        bool ok;
        std::int64_t unix_seconds;
    };
    const Case cases[] = {
        {"1970-01-01T00:00:00Z", true, 0},
        {"2025-02-18T10:00:00Z", true, 1739872800},
        {"2025-02-18T12:00:00+02:00", true, 1739872800},
        {"2025-02-18T05:30:00-04:30", true, 1739872800},
        {"2025-02-18t10:00:00.123456z", true, 1739872800},
        {"2025-02-18 10:00:00Z", true, 1739872800},
        {"2016-12-31T23:59:60Z", true, 1483228799},
        {"2025-02-18T10:00:00", false, 0},
        {"2025-02-18", false, 0},
        {"2025-02-18T24:00:00Z", false, 0},
        {"2025-02-30T10:00:00Z", false, 0},
        {"2025-02-18T10:00:00+2:00", false, 0},
        {"2025-02-18T10:00:00Zjunk", false, 0},
    };
    for (const auto& c : cases) {
        INFO(c.input);
        std::string why;
        auto t = parse_rfc3339(c.input, &why);
        REQUIRE(t.has_value() == c.ok);
        if (c.ok) CHECK(*t == c.unix_seconds);
        else CHECK_FALSE(why.empty());
    }
    CHECK(format_rfc3339(1739872800) == "2025-02-18T10:00:00Z");
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
    CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
    CHECK(*parse_rfc3339(format_rfc3339(4102444799)) == 4102444799);
}
