// The query language (q): our own parser on the shared tokenizer, producing a Xapian::Query.
#pragma once

#include "word_order.h"

#include <tokenizer.h>

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// Limits of one query; exceeding one is a bad_query error that says which.
struct QueryLimits {
    std::size_t max_query_chars = 1000;              ///< characters of q
    std::size_t max_terms = 64;                      ///< words, phrase words, prefixes and field filters together
    std::size_t max_query_depth = 32;                ///< groups inside groups ('(', '-(' and 'tag:(' each open one)
    Xapian::termcount max_wildcard_expansion = 200;  ///< terms a word* expands to (the most frequent are kept)
    std::size_t min_prefix_chars = 2;                ///< shortest word* prefix, in folded characters
};

/// How to turn q into a query.
struct QueryOptions {
    bool verbatim = false;                    ///< no stemming: plain words match exactly as phrases do
    std::vector<std::string> stem_languages;  ///< Xapian stemmer names (stemmer_language()) plain words are stemmed with
    QueryLimits limits;
    bool common_grams = false;                ///< the index has common grams (schema/common_grams.h): phrases use them
    const Xapian::Database* stem_table = nullptr;  ///< the index whose synonym table expands stemmed words and author filters (none: the stem and the term alone)
    /// The index's word order in memory, asked for when the query first needs a phrase or NEAR check
    /// (none, or a state other than the searched one: the checks read the documents' slot instead).
    std::function<std::shared_ptr<const WordOrder>()> word_order;
};

/// What a hit's text should have marked: the positive (not excluded) parts of the query.
struct HighlightSpec {
    std::vector<std::string> words;                 ///< folded plain words (stemmed match unless verbatim)
    std::vector<std::string> prefixes;              ///< folded word* prefixes
    std::vector<std::vector<std::string>> phrases;  ///< folded phrase terms in order (Word or Ideograph terms)
    bool verbatim = false;                          ///< words match exactly, not by stem
};

/// A parsed q.
struct ParsedQuery {
    Xapian::Query query;     ///< MatchAll for an empty q; filters alone weigh 0 (OP_SCALE_WEIGHT), exclusions alone are MatchAll AND_NOT them
    bool has_text = false;   ///< q has a positive word, phrase or prefix (relevance is then the default sort)
    HighlightSpec highlight;
};

/// Parses q (see README "Query language"): words ANDed, "phrases", "phrase"~N, NEAR/N, OR, -exclusion,
/// word* prefixes, field filters (tag: author: country: entity: context: lang: said:), parentheses.
/// Lenient where the intent is clear; otherwise throws ApiError(BadQuery) with the 1-based character position.
/// Not thread-safe (uses the caller's Tokenizer): one per worker thread.
class QueryParser {
public:
    explicit QueryParser(Tokenizer& tokenizer);
    /// Parses q into a query and what to highlight.
    ParsedQuery parse(std::string_view q, const QueryOptions& options) const;

private:
    Tokenizer& tokenizer_;
};

}  // namespace dixit
