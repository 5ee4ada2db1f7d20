// Partial dates and RFC 3339 timestamps: strict parsing, sort keys and Unix time.
#include "dates.h"

#include <cstdio>

namespace dixit {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Reads exactly n digits at s[pos]; advances pos.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (int i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    pos += n;
    return true;
}

bool fail(std::string* why, const char* message) {
    if (why) *why = message;
    return false;
}

std::string pad(int value, int width) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*d", width, value);
    return buf;
}

}  // namespace

int days_in_month(int year, int month) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

std::optional<PartialDate> PartialDate::parse(std::string_view s, std::string* why) {
    PartialDate d;
    std::size_t pos = 0;
    if (!read_digits(s, pos, 4, d.year) || d.year < 1) {
        fail(why, "expected a date YYYY, YYYY-MM or YYYY-MM-DD with a four-digit year from 0001");
        return std::nullopt;
    }
    if (pos < s.size()) {
        if (s[pos++] != '-' || !read_digits(s, pos, 2, d.month) || d.month < 1 || d.month > 12) {
            fail(why, "expected a month 01-12 after the year (YYYY-MM)");
            return std::nullopt;
        }
    }
    if (pos < s.size()) {
        if (s[pos++] != '-' || !read_digits(s, pos, 2, d.day) || d.day < 1 ||
            d.day > days_in_month(d.year, d.month)) {
            fail(why, "expected a valid day of the month after YYYY-MM (YYYY-MM-DD)");
            return std::nullopt;
        }
    }
    if (pos != s.size()) {
        fail(why, "unexpected characters after the date (a time belongs in published_at)");
        return std::nullopt;
    }
    return d;
}

std::string PartialDate::iso() const {
    std::string out = pad(year, 4);
    if (month) out += "-" + pad(month, 2);
    if (day) out += "-" + pad(day, 2);
    return out;
}

std::string PartialDate::first_day_key() const {
    return pad(year, 4) + pad(month ? month : 1, 2) + pad(day ? day : 1, 2);
}

std::string PartialDate::last_day_key() const {
    int m = month ? month : 12;
    return pad(year, 4) + pad(m, 2) + pad(day ? day : days_in_month(year, m), 2);
}

std::string_view PartialDate::precision_name() const {
    switch (precision()) {
        case DatePrecision::Year: return "year";
        case DatePrecision::Month: return "month";
        case DatePrecision::Day: break;
    }
    return "day";
}

std::int64_t civil_to_unix(int y, int m, int d, int hh, int mm, int ss) {
    // Howard Hinnant's days_from_civil.
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + static_cast<std::int64_t>(doe) - 719468;
    return days * 86400 + hh * 3600 + mm * 60 + ss;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s, std::string* why) {
    std::size_t pos = 0;
    int y, mo, d, h, mi, sec;
    auto bad = [&](const char* message) -> std::optional<std::int64_t> {
        fail(why, message);
        return std::nullopt;
    };
    if (!read_digits(s, pos, 4, y) || y < 1 || pos >= s.size() || s[pos++] != '-' ||
        !read_digits(s, pos, 2, mo) || mo < 1 || mo > 12 || pos >= s.size() || s[pos++] != '-' ||
        !read_digits(s, pos, 2, d) || d < 1 || d > days_in_month(y, mo))
        return bad("expected an RFC 3339 timestamp such as 2025-02-18T10:00:00Z (bad date part)");
    if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' '))
        return bad("expected 'T' and a time after the date, e.g. 2025-02-18T10:00:00Z");
    ++pos;
    if (!read_digits(s, pos, 2, h) || h > 23 || pos >= s.size() || s[pos++] != ':' ||
        !read_digits(s, pos, 2, mi) || mi > 59 || pos >= s.size() || s[pos++] != ':' ||
        !read_digits(s, pos, 2, sec) || sec > 60)
        return bad("expected a time HH:MM:SS after 'T'");
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return bad("expected digits after the decimal point of the seconds");
    }
    if (sec == 60) sec = 59;  // a leap second is kept within its minute
    std::int64_t offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int sign = s[pos++] == '-' ? -1 : 1;
        int oh, om;
        if (!read_digits(s, pos, 2, oh) || oh > 23 || pos >= s.size() || s[pos++] != ':' ||
            !read_digits(s, pos, 2, om) || om > 59)
            return bad("expected a UTC offset +HH:MM or -HH:MM");
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return bad("expected a time zone: 'Z' or an offset such as +02:00");
    }
    if (pos != s.size()) return bad("unexpected characters after the time zone");
    std::int64_t t = civil_to_unix(y, mo, d, h, mi, sec) - offset;
    // The offset may move the instant out of the years 0001-9999 that every date here is kept within.
    if (t < civil_to_unix(1, 1, 1) || t > civil_to_unix(9999, 12, 31, 23, 59, 59))
        return bad("the timestamp falls outside the years 0001-9999 in UTC");
    return t;
}

std::string format_rfc3339(std::int64_t t) {
    std::int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    // Howard Hinnant's civil_from_days.
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m, d,
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    return buf;
}

}  // namespace dixit
