// Common grams: a pair of adjacent words that starts with a very common word ("of the", "the war") is also
// indexed as one term without positions, so that a phrase with common words checks its word order only in
// the documents that hold all its grams, not in hundreds of thousands (the idea of Solr's
// CommonGramsFilter, used as a filter). Pairs that end with the common word ("war of") get none: a phrase
// almost always has a gram of the other kind, and searchd checks word order in memory
// (searchd/word_order.h). docs/benchmarks.md compares this rule with grams for every pair with a common
// word (10% more index, phrases' p99 half) and for pairs of two common words only. Part of the index contract: the word list is versioned with the index layout
// (schema/layout.h); changing it means a new layout version.
#pragma once

#include "tokenizer.h"

#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// Term prefix of a gram ("XB" + first + " " + second).
inline constexpr std::string_view common_gram_prefix = "XB";

/// True for a folded word on the list (the most frequent function words of the languages in our data).
bool is_common_word(std::string_view term);

/// The gram term of two adjacent folded words.
std::string common_gram(std::string_view first, std::string_view second);

/// The gram of each pair of Word tokens at adjacent positions whose first is a common word, in text order
/// (extra tokens are skipped). The indexer adds them to a quote; a phrase query filters on those of its
/// words, since a document can hold the phrase only if it holds all of them: "end of the war" gives
/// ["XBof the", "XBthe war"], "north korean troops" none.
std::vector<std::string> common_grams(const std::vector<Token>& tokens);

}  // namespace dixit
