// The quote record: Dixit's data contract, parsed from JSON, validated and normalised.
#pragma once

#include "dates.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dixit {

/// Limits of the record, checked by validation (documented in schema/quote.schema.json).
struct RecordLimits {
    static constexpr std::size_t max_id_chars = 200;
    /// "Q" + id is then at most 240 bytes, the cap of every other term (Xapian refuses terms over 245).
    static constexpr std::size_t max_id_bytes = 239;
    static constexpr std::size_t max_text_bytes = 32 * 1024;
    static constexpr std::size_t max_name_chars = 500;    ///< author name/role, tag, entity, context title
    static constexpr std::size_t max_values = 32;         ///< tags, entities, countries each
};

/// Who said it, and in what role at the time.
struct Author {
    std::string name;  ///< required
    std::string role;  ///< optional ("Minister for Foreign Affairs of Ukraine")
    std::string id;    ///< optional external id (Wikidata QID)
    bool operator==(const Author&) const = default;
};

/// The event a quote belongs to.
struct Context {
    std::string id;
    std::string title;
    bool operator==(const Context&) const = default;
};

/// Where the quote was found.
struct Source {
    std::string url;
    std::string name;
    bool operator==(const Source&) const = default;
};

/// How sure the source is that the author said it (Quotebank's speaker probabilities, `probas`).
struct Attribution {
    struct Candidate {
        std::string name;
        double confidence = 0;
        bool operator==(const Candidate&) const = default;
    };
    std::optional<double> confidence;  ///< 0..1: the probability that the author said it; none for an unattributed quote
    std::vector<Candidate> others;     ///< the runner-up speakers, most probable first
    bool operator==(const Attribution&) const = default;
};

/// The confidence facet's bucket of a confidence (0..1): "0.9-1", "0.75-0.9", "0.5-0.75", "0.25-0.5", "0-0.25".
std::string confidence_bucket(double confidence);

/// One quote, normalised: trimmed strings, upper-case countries, canonical language tag, UTC timestamp.
struct Quote {
    std::string id;
    std::string text;
    Author author;
    std::optional<PartialDate> said_on;
    std::optional<std::int64_t> published_at;  ///< Unix seconds, UTC
    std::vector<std::string> tags;
    std::vector<std::string> entities;
    std::vector<std::string> countries;  ///< ISO 3166-1 alpha-2, upper case
    std::optional<Context> context;
    std::string language;  ///< BCP 47, canonical case ("en", "pt-BR", "zh-Hant"); empty if unknown
    std::optional<Source> source;
    std::optional<Attribution> attribution;
    nlohmann::json meta;  ///< object or null; stored, never indexed

    bool operator==(const Quote&) const = default;
};

/// A record that breaks the contract; field() names the offending field ("author.name", "tags[3]").
class ValidationError : public std::runtime_error {
public:
    ValidationError(std::string field, const std::string& message);
    /// The JSON path of the field at fault.
    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// Parses and validates one JSON record; throws ValidationError that names the field.
/// published_at, when absent, stays unset: the indexer fills in the index time.
Quote quote_from_json(const nlohmann::json& record);

/// The normalised record as JSON: what is stored as document data and returned by the API.
nlohmann::json quote_to_json(const Quote& quote);

/// True when the bytes are valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// Number of Unicode code points in valid UTF-8.
std::size_t utf8_length(std::string_view bytes);

/// Canonical BCP 47 tag ("EN-us" -> "en-US"), or nullopt if malformed.
std::optional<std::string> canonical_language_tag(std::string_view tag);

/// True for an assigned ISO 3166-1 alpha-2 code (upper case), as ICU knows them, plus XK (Kosovo).
bool is_country_code(std::string_view code);

/// The English name of a country code ("UA" -> "Ukraine"), or the code itself when unknown.
std::string country_name(std::string_view code);

/// The ISO 3166-1 alpha-2 code of an English country name, ignoring case, accents and punctuation
/// ("ukraine", "North Korea", "Cote d'Ivoire", "UK", "Czech Republic" -> "UA", "KP", "CI", "GB", "CZ"),
/// from ICU's names (long, short and variant); nullopt when unknown or ambiguous ("Congo").
std::optional<std::string> country_code_from_name(std::string_view name);

}  // namespace dixit
