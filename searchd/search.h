// GET/POST /search and the browse endpoints built on it: the request, the response, and the search itself.
#pragma once

#include "highlight.h"
#include "searcher.h"

#include <quote.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dixit {

/// Result order. Auto is relevance when q has words and newest otherwise; Published is /latest's order.
enum class SortOrder { Auto, Relevance, Newest, Oldest, Published };

/// One field's selected values (ORed); fields are ANDed.
struct FieldFilter {
    std::string field;  ///< a URL filter field of the field table (use::url_filter)
    std::vector<std::string> values;
};

/// Everything /search accepts, already validated.
struct SearchRequest {
    std::string q;
    std::string like;                       ///< like=: a remembered text (like.h); never with q
    double min_share = 0.5;                 ///< share of the like text's weight (words by rarity) a quote must hold
    std::vector<FieldFilter> filters;
    std::optional<PartialDate> from, to;         ///< said_on period within [from, to]
    std::optional<std::int64_t> published_since;  ///< Unix seconds; quotes published at or after
    std::optional<double> min_confidence;         ///< attribution.confidence at least this (quotes without one never pass)
    SortOrder sort = SortOrder::Auto;
    unsigned page = 1;
    unsigned per_page = 20;
    std::string cursor;                     ///< next_cursor of the previous page (date orders only)
    std::vector<std::string> facets;        ///< fields to count: tag author country entity context lang year
    unsigned facet_size = 10;
    std::string histogram;                  ///< "", "year" or "month"
    bool verbatim = false;
    bool exact_total = false;               ///< count every match even without facets
    bool collapse_variants = false;         ///< collapse=variants: one hit per variant group (slot::variant)
};

/// A facet value with its count; label is the display form (country name, context title) when it differs.
struct FacetValue {
    std::string value;
    std::string label;
    std::uint64_t count = 0;
    std::string id;  ///< author: the speaker's id, when its quotes carry one
};

/// One result.
struct Hit {
    Quote quote;
    Highlight highlight;
    double score = 0;
    std::optional<double> similarity;  ///< like=: the share of the text's words the quote holds in order
    std::optional<std::uint64_t> variants;  ///< collapse=variants: the other quotes of its variant group
    Xapian::docid did = 0;
};

/// The answer to a SearchRequest.
struct SearchResponse {
    std::uint64_t total = 0;
    bool total_is_estimate = false;
    /// collapse=variants: the hits to page through, one a variant group (total still counts quotes).
    std::optional<std::uint64_t> groups;
    SortOrder sort = SortOrder::Relevance;  ///< the order actually used
    std::vector<Hit> hits;
    std::vector<std::pair<std::string, std::vector<FacetValue>>> facets;  ///< in the order requested
    std::vector<FacetValue> histogram;   ///< by period ascending
    std::string next_cursor;             ///< empty on the last page or in relevance order
    std::string suggestion;              ///< "did you mean": q with its misspelt words corrected (spelling.h), or empty
    bool provisional = false;            ///< the vocabulary was still being read: not to be cached
};

/// A remembered text (like=, /provenance's text=): valid UTF-8, some non-blank character, at most the
/// query length limit; else throws ApiError(BadParameter) naming the parameter and the limit.
void check_remembered_text(const std::string& name, const std::string& value, const SearchLimits& limits);

/// Parses the query parameters of GET /search; throws ApiError(BadParameter) naming the parameter.
/// now is the current Unix time (for published_since=24h).
SearchRequest search_request_from_params(const std::vector<std::pair<std::string, std::string>>& params,
                                         const SearchLimits& limits, std::int64_t now);

/// Parses the JSON body of POST /search (same names; lists as arrays); throws ApiError(BadJson/BadParameter).
SearchRequest search_request_from_json(const nlohmann::json& body, const SearchLimits& limits, std::int64_t now);

/// Runs a search on this worker's index.
SearchResponse search(const SearchRequest& request, Searcher& searcher);

/// The response as the API returns it.
nlohmann::json to_json(const SearchResponse& response);

/// The API form of one quote (the stored record plus said_on precision and country names).
nlohmann::json quote_json(const Quote& quote);

/// Wire name of a sort order ("relevance", "newest", ...).
std::string_view sort_name(SortOrder order);

/// The sort order of a wire name, or nullopt.
std::optional<SortOrder> sort_order_named(std::string_view name);

/// The wire names for messages: "relevance, newest, oldest or published".
std::string sort_order_names();

/// Parses "24h", "90m", "7d", "3600s" or plain seconds into seconds; nullopt if malformed.
std::optional<std::int64_t> parse_duration(std::string_view text);

}  // namespace dixit
