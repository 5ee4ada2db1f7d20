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

/// The normalised record as JSON: what the API returns (documents store it as the binary record of record.h).
nlohmann::json quote_to_json(const Quote& quote);

}  // namespace dixit
