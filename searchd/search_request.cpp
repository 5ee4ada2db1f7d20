// Parsing and validating /search parameters (query string or JSON body) into a SearchRequest.
#include "search.h"

#include "api_error.h"

#include <fields.h>
#include <text.h>

#include <algorithm>
#include <charconv>
#include <array>

namespace dixit {
namespace {

[[noreturn]] void bad(const std::string& name, const std::string& why) {
    throw ApiError(ErrorCode::BadParameter, "parameter '" + name + "': " + why);
}

// A number from 0 to 1 (a share, a probability); what says what it is, in the error.
double parse_fraction(const std::string& name, const std::string& value, const std::string& what) {
    double v = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || !(v >= 0 && v <= 1))
        bad(name, "expected a number from 0 to 1" + what + ", got '" + value + "'");
    return v;
}

unsigned parse_unsigned(const std::string& name, const std::string& text, unsigned min, unsigned max) {
    const auto value = parse_whole<unsigned>(text);
    if (!value) bad(name, "expected a whole number, got '" + text + "'");
    if (*value < min || *value > max)
        bad(name, std::to_string(*value) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return *value;
}

bool parse_bool(const std::string& name, const std::string& text) {
    if (text == "true" || text == "1" || text == "yes" || text.empty()) return true;
    if (text == "false" || text == "0" || text == "no") return false;
    bad(name, "expected true or false, got '" + text + "'");
}

PartialDate parse_date(const std::string& name, const std::string& text) {
    std::string why;
    auto date = PartialDate::parse(text, &why);
    if (!date) bad(name, "'" + text + "' is not a date YYYY, YYYY-MM or YYYY-MM-DD (" + why + ")");
    return *date;
}

SortOrder parse_sort(const std::string& text) {
    if (auto order = sort_order_named(text)) return *order;
    bad("sort", "expected " + sort_order_names() + ", got '" + text + "'");
}

// A filter value as the index stores it (filter_value()), or a 400 that says why.
std::string normalise_filter(const FieldSpec& f, const std::string& value) {
    const std::string name(f.name);
    if (value.empty()) bad(name, "empty value");
    if (auto normal = filter_value(f, value)) return *normal;
    if (f.name == "country") bad(name, "'" + value + "' is not an ISO 3166-1 alpha-2 code or a country name");
    if (f.name == "lang") bad(name, "'" + value + "' is not a BCP 47 language tag");
    bad(name, "'" + value + "' is not a valid value");
}

// The field of a URL filter parameter (tag=..., country=...), or nullptr.
const FieldSpec* url_filter(const std::string& name) {
    const FieldSpec* f = find_field(name);
    return f && has_use(*f, use::url_filter) ? f : nullptr;
}

void add_facets(SearchRequest& r, const std::string& list) {
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = std::min(list.find(',', start), list.size());
        std::string name = list.substr(start, comma - start);
        start = comma + 1;
        if (name.empty()) continue;
        const FieldSpec* f = find_field(name);
        if (!f || !is_facet(*f)) bad("facets", "unknown facet '" + name + "' (" + facet_names() + ")");
        if (std::find(r.facets.begin(), r.facets.end(), name) == r.facets.end()) r.facets.push_back(name);
    }
}

}  // namespace

std::optional<std::int64_t> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t unit = 1;
    switch (text.back()) {
        case 's': unit = 1; text.remove_suffix(1); break;
        case 'm': unit = 60; text.remove_suffix(1); break;
        case 'h': unit = 3600; text.remove_suffix(1); break;
        case 'd': unit = 86400; text.remove_suffix(1); break;
        default: break;
    }
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 0 || n > 100LL * 365 * 86400 / unit)
        return std::nullopt;
    return n * unit;
}

void check_remembered_text(const std::string& name, const std::string& value, const SearchLimits& limits) {
    if (!is_valid_utf8(value)) bad(name, "the text is not valid UTF-8");
    const std::size_t length = utf8_length(value);
    if (length == 0 || trim(value).empty())
        bad(name, "empty text: give the words of the quote you remember (at most " +
                      std::to_string(limits.query.max_query_chars) + " characters)");
    if (length > limits.query.max_query_chars)
        bad(name, "the text is " + std::to_string(length) + " characters long, max " +
                      std::to_string(limits.query.max_query_chars));
}

SearchRequest search_request_from_params(const std::vector<std::pair<std::string, std::string>>& params,
                                         const SearchLimits& limits, std::int64_t now) {
    SearchRequest r;
    r.per_page = limits.default_per_page;
    bool have_like = false, have_min_share = false;
    unsigned filter_values = 0;
    for (const auto& [name, value] : params) {
        if (name == "q") {
            r.q = value;
        } else if (name == "like") {
            check_remembered_text(name, value, limits);
            r.like = value;
            have_like = true;
        } else if (name == "min_share") {
            r.min_share = parse_fraction(name, value, "");
            have_min_share = true;
        } else if (const FieldSpec* f = url_filter(name)) {
            if (++filter_values > limits.max_filter_values)
                bad(name, "more than " + std::to_string(limits.max_filter_values) + " filter values");
            const std::string& field = name;  // clang 14 cannot capture a structured binding in a lambda
            auto it = std::find_if(r.filters.begin(), r.filters.end(), [&](const FieldFilter& given) { return given.field == field; });
            if (it == r.filters.end()) it = r.filters.insert(r.filters.end(), FieldFilter{name, {}});
            it->values.push_back(normalise_filter(*f, value));
        } else if (name == "min_confidence") {
            r.min_confidence = parse_fraction(name, value, " (the attribution's probability)");
        } else if (name == "from") {
            r.from = parse_date(name, value);
        } else if (name == "to") {
            r.to = parse_date(name, value);
        } else if (name == "published_since") {
            auto seconds = parse_duration(value);
            if (!seconds) bad(name, "expected a duration such as 24h, 90m, 7d or 3600s, got '" + value + "'");
            r.published_since = now - *seconds;
        } else if (name == "sort") {
            r.sort = parse_sort(value);
        } else if (name == "page") {
            r.page = parse_unsigned(name, value, 1, limits.max_page_depth);
        } else if (name == "per_page") {
            r.per_page = parse_unsigned(name, value, 1, limits.max_per_page);
        } else if (name == "cursor") {
            r.cursor = value;
        } else if (name == "facets") {
            add_facets(r, value);
        } else if (name == "facet_size") {
            r.facet_size = parse_unsigned(name, value, 1, limits.max_facet_size);
        } else if (name == "histogram") {
            if (value != "year" && value != "month" && !value.empty())
                bad(name, "expected year or month, got '" + value + "'");
            r.histogram = value;
        } else if (name == "verbatim") {
            r.verbatim = parse_bool(name, value);
        } else if (name == "exact_total") {
            r.exact_total = parse_bool(name, value);
        } else if (name == "collapse") {
            if (value != "variants" && !value.empty()) bad(name, "expected variants, got '" + value + "'");
            r.collapse_variants = value == "variants";
        } else {
            bad(name, "unknown parameter");
        }
    }
    if (have_like && !r.q.empty())
        bad("like", "like finds quotes like a text and q searches with the query language: give one of them");
    if (have_min_share && !have_like) bad("min_share", "only with like");
    if (r.from && r.to && r.from->first_day_key() > r.to->last_day_key())
        bad("from", "from " + r.from->iso() + " is after to " + r.to->iso());
    if (static_cast<std::uint64_t>(r.page) * r.per_page > limits.max_page_depth)
        bad("page", "page " + std::to_string(r.page) + " of " + std::to_string(r.per_page) + " goes deeper than " +
                        std::to_string(limits.max_page_depth) + " results; use sort=newest or oldest with cursor");
    if (!r.cursor.empty() && r.page != 1) bad("cursor", "cursor and page cannot be combined");
    if (!r.cursor.empty() && r.collapse_variants)
        bad("cursor", "collapse=variants pages with page: past a cursor a group would come again with another member");
    return r;
}

SearchRequest search_request_from_json(const nlohmann::json& body, const SearchLimits& limits, std::int64_t now) {
    if (!body.is_object()) throw ApiError(ErrorCode::BadJson, "the request body must be a JSON object");
    std::vector<std::pair<std::string, std::string>> params;
    auto scalar = [](const std::string& key, const nlohmann::json& v) -> std::string {
        if (v.is_string()) return v.get<std::string>();
        if (v.is_number() || v.is_boolean()) return v.dump();
        throw ApiError(ErrorCode::BadJson, "field '" + key + "': expected a string, a number or a boolean");
    };
    for (const auto& [key, value] : body.items()) {
        if (value.is_null()) continue;
        if (value.is_array()) {
            for (const auto& item : value) params.emplace_back(key, scalar(key, item));
        } else {
            params.emplace_back(key, scalar(key, value));
        }
    }
    return search_request_from_params(params, limits, now);
}

}  // namespace dixit
