// The index layout: one declarative table of filter fields (term prefix, facet value slots) and the fixed slots.
#pragma once

#include <xapian.h>

#include <array>
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

/// A field that can be filtered on with boolean terms and, if it has slots, counted as a facet.
struct FieldSpec {
    std::string_view name;        ///< name in the query language and the API ("tag", "country")
    std::string_view prefix;      ///< boolean term prefix (Omega conventions: K tag, A author, Q id)
    Xapian::valueno first_slot;   ///< first facet slot, or Xapian::BAD_VALUENO when not a facet
    unsigned slot_count;          ///< 1 for single-valued; RecordLimits::max_values for multi-valued
    bool multi_valued;            ///< one value slot per value: first_slot, first_slot+1, ...
};

/// Every filter field. Multi-valued facets give each value of a document its own slot so that one
/// built-in Xapian::ValueCountMatchSpy per used slot, summed, counts exactly (see ARCHITECTURE.md).
inline constexpr std::array<FieldSpec, 11> fields = {{
    {"id", "Q", Xapian::BAD_VALUENO, 0, false},
    {"tag", "K", 100, 32, true},
    {"author", "A", 2, 1, false},
    {"author_id", "XA", Xapian::BAD_VALUENO, 0, false},
    {"country", "XC", 200, 32, true},
    {"entity", "XE", 300, 32, true},
    {"context", "XK", 3, 1, false},  ///< term: context id; slot: "id\ttitle"
    {"lang", "L", 4, 1, false},      ///< terms: full tag and primary subtag; slot: full tag
    {"year", "Y", 5, 1, false},      ///< year of said_on
    {"month", "XM", 6, 1, false},    ///< "YYYY-MM" of said_on when known to the month
    {"confidence", "XP", 14, 1, false},  ///< attribution.confidence's bucket (confidence_bucket(): "0.9-1", ...)
}};

/// The field named name; throws std::out_of_range for an unknown name.
const FieldSpec& field(std::string_view name);

/// The field named name, or nullptr.
const FieldSpec* find_field(std::string_view name);

/// True when a facet is counted over value slots (has a first_slot).
inline bool is_facet(const FieldSpec& f) { return f.first_slot != Xapian::BAD_VALUENO; }

/// The unique id term of a quote: "Q" + id, for an id of at most RecordLimits::max_id_bytes.
std::string id_term(std::string_view id);

}  // namespace dixit
