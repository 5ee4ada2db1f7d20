// like=TEXT: the quotes that hold most of a half-remembered text. The text's distinct words, each with its
// inflections (the stem table) and its correction when misspelt (spelling.h), weigh their IDF; a quote
// matches when it holds at least min_share of the weight of the text's rarer words (the common ones only
// rank, as in Lucene's CommonTermsQuery). Matches are ranked by that share, and the first
// ones again by how much of the text they hold in order (the word order in memory: longest common
// subsequence, adjacent pairs, pairs close by) and by BM25 (ARCHITECTURE.md, "like=").
#pragma once

#include "deadline.h"
#include "docset.h"
#include "query_parser.h"
#include "spelling.h"
#include "word_order.h"

#include <tokenizer.h>
#include <tombstones.h>

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// One distinct word of the text.
struct LikeWord {
    std::string term;                ///< folded, as the text has it
    std::vector<std::string> forms;  ///< index terms it matches (itself, words of its stem, its correction), each held by a quote
    Xapian::doccount frequency = 0;  ///< quotes holding a form (the forms' sum, at most the database's)
    double weight = 0;               ///< IDF
    bool required = false;           ///< a match must hold its share of the required words' weight
};

/// A text prepared for matching.
struct LikeText {
    /// At most this many distinct words take part: the ones of highest weight (Elasticsearch's
    /// more_like_this keeps 25; a remembered sentence rarely has more than 64 distinct words).
    static constexpr std::size_t max_words = 64;
    /// Words more than this share of the quotes hold only rank the matches: a match holds its share of
    /// the rarer ones (Lucene's CommonTermsQuery). At least min_required words are required.
    static constexpr double common_share = 0.01;
    static constexpr std::size_t min_required = 4;
    std::vector<LikeWord> words;     ///< those some quote holds
    std::vector<int> sequence;       ///< the text's words in order: index into words, or -1 (held by none, or not kept)
    double total_weight = 0;
    double required_weight = 0;      ///< of the required words
    HighlightSpec highlight;         ///< the text's words and corrections
};

/// What prepare_like() needs of the worker.
struct LikeContext {
    Tokenizer& tokenizer;
    const Xapian::Database& db;
    const std::vector<std::string>& stem_languages;  ///< Xapian stemmer names
    const Vocabulary* vocabulary = nullptr;          ///< corrections of misspelt words (none while it is read)
    bool verbatim = false;                           ///< no inflections
};

/// Tokenizes and weighs text (the one tokenizer: every script; CJK as ideographs).
LikeText prepare_like(std::string_view text, const LikeContext& context);

/// The matches: ascending docids with their share of the text's weight (0..1), live documents only.
struct LikeMatches {
    DocList docs;
    std::vector<float> share;
};

/// Every live document holding at least min_share of the required words' weight (share: the share it
/// holds). Reads only their posting lists. Throws ApiError(SearchTimeout) past the deadline.
LikeMatches match_like(const Xapian::Database& db, const LikeText& text, double min_share, const Tombstones& dead,
                       const Deadline& deadline);

/// A query leaf matching the documents of matches, weighing their share: filters, facets, sorts and
/// Xapian's matcher then work as with q. matches must outlive the query's use.
Xapian::Query like_query(std::shared_ptr<const LikeMatches> matches);

/// How one document compares with the text.
struct LikeScore {
    Xapian::docid did = 0;
    double similarity = 0;  ///< longest run of the text's words in the document's order / the text's words (0..1)
    double score = 0;       ///< the rank: share, similarity, pairs in order and close by, BM25
};

/// Scores documents (a page, or the first matches for the second ranking) against the text, in the order
/// given: which words they hold from the posting lists of the forms, their word order from words when it
/// describes db, else from the slot.
std::vector<LikeScore> score_like(const Xapian::Database& db, const LikeText& text, const std::vector<Xapian::docid>& docs,
                                  const std::shared_ptr<const WordOrder>& words, const Deadline& deadline);

}  // namespace dixit
