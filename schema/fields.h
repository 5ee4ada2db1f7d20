// The index layout: one declarative table of filter fields (term prefix, facet value slots) and the fixed slots.
#pragma once

#include <xapian.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace dixit {

/// Value slots that are not facets of a filter field.
namespace slot {
inline constexpr Xapian::valueno said_on = 0;       ///< said_on ISO at its precision: sort key ("2025" < "2025-02" < "2025-02-18")
inline constexpr Xapian::valueno published_at = 1;  ///< sortable_serialise(Unix seconds)
inline constexpr Xapian::valueno said_start = 7;    ///< first day of said_on's period, "YYYYMMDD" (range filters)
inline constexpr Xapian::valueno said_end = 8;      ///< last day of said_on's period, "YYYYMMDD"
inline constexpr Xapian::valueno oldest_key = 9;    ///< unique ascending key: dated quotes by said_on, then undated (sort_key())
inline constexpr Xapian::valueno newest_key = 10;   ///< unique key sorted descending: dated quotes newest first, then undated
inline constexpr Xapian::valueno tokens = 11;       ///< the text's word order (schema/token_sequence.h): phrases, NEAR
/// The quote's variant group (variant_key() in schema/shingles.h): the same 8 bytes on every near-duplicate of a group
/// (Enquire::set_collapse_key); absent for texts of fewer than shingle_words words, which have no variants.
inline constexpr Xapian::valueno variant = 12;
/// attribution.confidence as sortable_serialise (0..1): min_confidence; absent when the record has none.
inline constexpr Xapian::valueno confidence = 13;
}  // namespace slot

/// Term prefixes that are not filter fields.
namespace prefix {
inline constexpr std::string_view stem = "Z";  ///< stem table keys (synonym table): "Z" + language + ":" + stem
inline constexpr std::string_view speaker_ids = "XAN";    ///< synonym table: "XAN" + folded name -> folded author ids
inline constexpr std::string_view speaker_names = "XAI";  ///< synonym table: "XAI" + folded author id -> folded names
}  // namespace prefix

/// Where a field is used besides the index: each list of fields in the query language, the API and the
/// page is derived from these flags (query_lexer.cpp, search_request.cpp, /fields and the page's fields.js).
namespace use {
inline constexpr unsigned query = 1;       ///< field:value in the query language (q=tag:ukraine)
inline constexpr unsigned url_filter = 2;  ///< a /search parameter that filters (tag=ukraine), and a chip on the page
}  // namespace use

/// A field that can be filtered on with boolean terms and, if it has slots, counted as a facet.
struct FieldSpec {
    std::string_view name;        ///< name in the query language and the API ("tag", "country")
    std::string_view prefix;      ///< boolean term prefix (Omega conventions: K tag, A author, Q id)
    Xapian::valueno first_slot;   ///< first facet slot, or Xapian::BAD_VALUENO when not a facet
    unsigned slot_count;          ///< 1 for single-valued; RecordLimits::max_values for multi-valued
    bool multi_valued;            ///< one value slot per value: first_slot, first_slot+1, ...
    unsigned uses;                ///< use:: flags
    std::string_view label;       ///< the page's name of the field ("Language")
    std::string_view index_page;  ///< the page's path listing every value ("tags" for /tags, each at /tag/{value}); or empty
};

/// Every filter field. Multi-valued facets give each value of a document its own slot so that the
/// value-slot counters (searchd/columns.h, schema/facets.h), summed over the slots, count exactly.
inline constexpr std::array<FieldSpec, 11> fields = {{
    {"id", "Q", Xapian::BAD_VALUENO, 0, false, 0, "Id", ""},
    {"tag", "K", 100, 32, true, use::query | use::url_filter, "Tag", "tags"},
    {"author", "A", 2, 1, false, use::query | use::url_filter, "Author", "authors"},
    {"author_id", "XA", Xapian::BAD_VALUENO, 0, false, use::url_filter, "Author id", ""},
    {"country", "XC", 200, 32, true, use::query | use::url_filter, "Country", "countries"},
    {"entity", "XE", 300, 32, true, use::query | use::url_filter, "Entity", "entities"},
    {"context", "XK", 3, 1, false, use::query | use::url_filter, "Context", "contexts"},  ///< term: context id; slot: "id\ttitle"
    {"lang", "L", 4, 1, false, use::query | use::url_filter, "Language", ""},  ///< terms: full tag and primary subtag; slot: full tag
    {"year", "Y", 5, 1, false, 0, "Year", ""},                  ///< year of said_on
    {"month", "XM", 6, 1, false, 0, "Month", ""},               ///< "YYYY-MM" of said_on when known to the month
    {"confidence", "XP", 14, 1, false, use::url_filter, "Confidence", ""},  ///< attribution.confidence's bucket (confidence_bucket(): "0.9-1", ...)
}};

/// The query language's date field (said:2024-01..2024-06): a range over slot::said_start/said_end, not terms.
inline constexpr std::string_view said_field = "said";

/// The field named name; throws std::out_of_range for an unknown name.
const FieldSpec& field(std::string_view name);

/// The field named name, or nullptr.
const FieldSpec* find_field(std::string_view name);

/// True when a facet is counted over value slots (has a first_slot).
inline constexpr bool is_facet(const FieldSpec& f) { return f.first_slot != Xapian::BAD_VALUENO; }

/// True when the field has every flag of uses (use::query, use::url_filter).
inline constexpr bool has_use(const FieldSpec& f, unsigned uses) { return (f.uses & uses) == uses; }

/// The names of the fields for which keep(field) holds, comma separated ("tag, author, ..."), for messages.
template <class Keep>
std::string field_names(Keep keep) {
    std::string out;
    for (const auto& f : fields) {
        if (!keep(f)) continue;
        if (!out.empty()) out += ", ";
        out += f.name;
    }
    return out;
}

/// The names of the facet fields, comma separated ("tag, author, ..."), for messages.
inline std::string facet_names() { return field_names(is_facet); }

/// True for a field whose values are listed on a page of their own (FieldSpec::index_page) and by /facets/{field}.
inline constexpr bool is_browsable(const FieldSpec& f) { return !f.index_page.empty(); }

/// A filter value as the index stores it (countries as ISO codes from a code or an English name, in
/// upper case; languages as canonical BCP 47 tags; others as given), or nullopt when the field's value is
/// malformed. The one normalisation of the API's filters and the query language's field:value.
std::optional<std::string> filter_value(const FieldSpec& f, std::string_view value);

/// The fields as JSON for the API and the page: [{"name", "label", "facet", "query", "filter", "index_page"}].
std::string fields_json();

/// The unique id term of a quote: "Q" + id, for an id of at most RecordLimits::max_id_bytes.
std::string id_term(std::string_view id);

}  // namespace dixit
