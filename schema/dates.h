// Dates of the quote record: partial ISO 8601 dates (said_on) and RFC 3339 timestamps (published_at).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dixit {

/// How much of a partial date is known.
enum class DatePrecision { Year, Month, Day };

/// A calendar date known to the year, the month or the day ("2025", "2025-02", "2025-02-18").
struct PartialDate {
    int year = 0;   ///< 1..9999
    int month = 0;  ///< 1..12, or 0 when only the year is known
    int day = 0;    ///< 1..31, or 0 when only the year or month is known

    /// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD"; on failure returns nullopt and says why in *why.
    static std::optional<PartialDate> parse(std::string_view text, std::string* why = nullptr);
    /// The precision this date was given with.
    DatePrecision precision() const { return day ? DatePrecision::Day : month ? DatePrecision::Month : DatePrecision::Year; }
    /// The ISO form at its own precision; also the sort key (a period sorts before the dates inside it).
    std::string iso() const;
    /// First day of the period as "YYYYMMDD" (value slot said_start).
    std::string first_day_key() const;
    /// Last day of the period as "YYYYMMDD" (value slot said_end).
    std::string last_day_key() const;
    /// "2025", "precision" as text for the API: "year" | "month" | "day".
    std::string_view precision_name() const;

    bool operator==(const PartialDate&) const = default;
};

/// Days in a month of the proleptic Gregorian calendar.
int days_in_month(int year, int month);

/// Parses an RFC 3339 timestamp ("2025-02-18T10:00:00Z", "...+02:00", fractions allowed) to Unix seconds.
std::optional<std::int64_t> parse_rfc3339(std::string_view text, std::string* why = nullptr);

/// Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_rfc3339(std::int64_t unix_seconds);

/// Unix seconds of a civil UTC date-time (no range checks).
std::int64_t civil_to_unix(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

}  // namespace dixit
