// GET /provenance?text=|id=: who said it first, and who else it was attributed to.
#pragma once

#include "handlers.h"
#include "searcher.h"

namespace dixit {

/// Quotes of the groups examined at most (the oldest first); `quotes` still counts them all.
inline constexpr unsigned max_provenance_quotes = 1000;

/// Of like='s first provenance_candidates hits, those of at least this similarity (the share of the text's
/// words they hold in order) and within provenance_margin of the best are taken for the text, and so are
/// those the text is a variant of (the join rule, schema/shingles.h); their variant groups with them.
inline constexpr double provenance_min_similarity = 0.5;
inline constexpr double provenance_margin = 0.2;
inline constexpr unsigned provenance_candidates = 10;

/// GET /provenance with exactly one of
/// - id=ID: the quote and its variant group;
/// - text=TEXT: a remembered text, found as like= finds it, and the variant groups of the hits taken.
/// Answers `first` (the earliest attestation, as a hit), `speakers` ({name, id, count, first_said,
/// first_id}, earliest first), `attributions` (how many speakers) and `disputed` (more than one),
/// `timeline` (quotes by month of said_on, else of publication), `quotes` and `matched` (the quotes the
/// text was taken for). 404 for an unknown id; 400 for an empty or over-long text.
HttpResponse provenance(const Params& params, Searcher& searcher);

}  // namespace dixit
