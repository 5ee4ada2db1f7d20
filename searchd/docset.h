// The set of documents a query matches, computed from posting lists without weights, and what the
// columns (columns.h) answer over it: exact totals, facet counts and date-ordered pages.
#pragma once

#include "columns.h"
#include "deadline.h"

#include <facets.h>
#include <tombstones.h>

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

namespace dixit {

/// Ascending docids.
using DocList = std::vector<Xapian::docid>;

/// The documents a boolean reading of q matches: terms, match-all, AND, OR, SYNONYM, FILTER, AND_NOT,
/// AND_MAYBE (its left side), SCALE_WEIGHT; never a dead document. nullopt when q has a part that needs
/// positions or values (phrases, NEAR, wildcards, value ranges): the caller then uses Xapian's matcher.
/// Throws ApiError(SearchTimeout) once the deadline has passed.
std::optional<DocList> evaluate(const Xapian::Database& db, const Xapian::Query& q, const Deadline& deadline = {},
                                const Tombstones* dead = nullptr);

/// Date (and confidence) bounds applied through the columns (the same semantics as the value-range queries: a document
/// with no value never passes a bound).
struct DateBounds {
    std::optional<std::uint32_t> said_from;  ///< said_start >= this (YYYYMMDD)
    std::optional<std::uint32_t> said_to;    ///< said_end <= this
    std::optional<std::int64_t> published_since;
    std::optional<double> min_confidence;  ///< attribution confidence at least this
    bool empty() const { return !said_from && !said_to && !published_since && !min_confidence; }
};

/// Keeps the documents within the bounds.
void apply_bounds(DocList& docs, const Columns& columns, const DateBounds& bounds);

/// One field's values over docs, by count (descending) then value; at most limit (0 = all).
std::vector<FacetCount> count_facet(const FacetColumn& column, const DocList& docs, std::size_t limit);

/// collapse=variants in a date order: of docs (ascending), each variant group's first in that order
/// (newest: descending newest_key; otherwise ascending oldest_key), and every document in no group.
DocList group_leaders(const Columns& columns, const DocList& docs, bool newest);

/// How many variant groups docs meet, a document in no group counting as one of its own.
std::size_t count_groups(const Columns& columns, const DocList& docs);

/// The live documents of d's variant group other than d.
Xapian::doccount live_variants(const Columns& columns, Xapian::docid d, const Tombstones& dead);

/// The first n documents of docs in date order (newest: descending newest_key; otherwise ascending
/// oldest_key) that come strictly after the sort key after (empty: from the start). Exact, from the
/// columns alone: packed keys, then sequence numbers, order as the full keys do.
DocList date_page(const Columns& columns, const DocList& docs, bool newest, const std::string& after, std::size_t n);

}  // namespace dixit
