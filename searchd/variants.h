// GET /quotes/{id}/variants: the other reports of the same words, oldest first, with what differs.
#pragma once

#include "deadline.h"
#include "handlers.h"
#include "searcher.h"

#include <string_view>
#include <vector>

namespace dixit {

/// Members of a variant group examined at most (the oldest first); group_size still counts them all.
inline constexpr unsigned max_listed_variants = 500;

/// The live quotes of some variant groups, oldest first.
struct GroupMembers {
    std::vector<Xapian::docid> docs;  ///< at most the max asked for
    Xapian::doccount total = 0;       ///< all of them
};

/// The live quotes of the variant groups of seeds (live docids; a seed in no group stands for itself),
/// each once, oldest first: from the columns when held, else by a range over slot::variant's values.
GroupMembers group_members(Searcher& searcher, const std::vector<Xapian::docid>& seeds, Xapian::doccount max,
                           const Deadline& deadline);

/// GET /quotes/{id}/variants: the live quotes of the quote's variant group (schema/shingles.h) other than
/// itself, oldest first, in /search's hit shape with `similarity` (the 5-word-shingle Jaccard to the
/// quote) and the words `added` and `removed` going from the quote to the variant; only those sharing
/// Jaccard ≥ variant_min_jaccard with the quote itself (a group is chained: A~B~C need not make A~C).
/// 404 for an unknown id.
HttpResponse quote_variants(std::string_view id, Searcher& searcher);

}  // namespace dixit
