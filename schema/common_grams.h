// Common grams: a pair of adjacent words of which one is very common ("of the", "do you") is also indexed
// as one term, so that a phrase of common words reads short posting lists instead of checking positions
// across hundreds of thousands of documents (the technique of Solr's CommonGramsFilter). Part of the
// index contract: the indexer writes the grams and marks the index; searchd uses them only when the mark
// names this version of the word list (an older index still answers phrases, from words alone).
#pragma once

#include "tokenizer.h"

#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// Metadata key of the mark, and the value naming this version of the list (change both together: an
/// index built with another list must be rebuilt before its phrases use grams).
inline constexpr std::string_view common_grams_key = "dixit:common-grams";
inline constexpr std::string_view common_grams_version = "v1";

/// Term prefix of a gram ("XB" + first + " " + second).
inline constexpr std::string_view common_gram_prefix = "XB";

/// True for a folded word on the list (the most frequent function words of the languages in our data).
bool is_common_word(std::string_view term);

/// The gram term of two adjacent folded words.
std::string common_gram(std::string_view first, std::string_view second);

/// For each pair of Word tokens at adjacent positions with a common word: the gram and the position of
/// the pair's first word (what the indexer adds; tokens in text order).
std::vector<std::pair<std::string, std::uint32_t>> common_grams(const std::vector<Token>& tokens);

/// The terms of an exact phrase for OP_PHRASE (consecutive positions, window = their number) that use
/// grams where a pair has a common word: at each position but the last, the gram of the pair starting
/// there or else the word; the last word only when the pair before it had no gram. "of the war" becomes
/// ["XBof the", "XBthe war"]; "do you" becomes ["XBdo you"]. tokens: main tokens of the phrase.
std::vector<std::string> phrase_terms(const std::vector<Token>& tokens);

}  // namespace dixit
