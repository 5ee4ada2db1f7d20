// GET /quotes/{id}/variants: the other reports of the same words, oldest first, with what differs.
#pragma once

#include "handlers.h"
#include "searcher.h"

#include <string_view>

namespace dixit {

/// Members of a variant group examined at most (the oldest first); group_size still counts them all.
inline constexpr unsigned max_listed_variants = 500;

/// GET /quotes/{id}/variants: the live quotes of the quote's variant group (schema/shingles.h) other than
/// itself, oldest first, in /search's hit shape with `similarity` (the 5-word-shingle Jaccard to the
/// quote) and the words `added` and `removed` going from the quote to the variant; only those sharing
/// Jaccard ≥ variant_min_jaccard with the quote itself (a group is chained: A~B~C need not make A~C).
/// 404 for an unknown id.
HttpResponse quote_variants(std::string_view id, Searcher& searcher);

}  // namespace dixit
