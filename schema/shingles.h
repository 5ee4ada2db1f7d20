// Near-duplicate quotes: word shingles of a text, their Jaccard overlap, MinHash band keys and a word diff.
// The indexer groups variants with them (indexer/variants.h); searchd measures and shows the differences.
#pragma once

#include "tokenizer.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dixit {

/// Words a shingle spans. A text of fewer words has no shingles and is nobody's variant: short sayings
/// ("Thank you very much") are said by everyone, and grouping them would only cost precision.
inline constexpr unsigned shingle_words = 5;
/// Shingles kept of a long text: the smallest hashes (a bottom-k sample, which two texts sample alike).
inline constexpr std::size_t max_shingles = 512;

/// MinHash banding: bands × rows hashes. Two texts share a band with probability 1 - (1 - J^rows)^bands.
/// One row a band: texts that share no shingle never meet (but for 32-bit key collisions), and a fragment
/// held whole by a longer report, whose Jaccard is low, is still found: 0.9997 at Jaccard 0.4, 0.97 at
/// 0.2. Two rows a band missed such fragments (0.86 at Jaccard 0.34). Every candidate is verified exactly.
inline constexpr unsigned minhash_bands = 16;
inline constexpr unsigned minhash_rows = 1;

/// The join rule: two texts are variants when their shingles overlap with Jaccard ≥ 0.5, or when one holds
/// most of the other (containment ≥ 0.8, a fragment of a longer report) and they still share Jaccard ≥ 0.2.
inline constexpr double variant_jaccard = 0.5;
inline constexpr double variant_containment = 0.8;
inline constexpr double variant_min_jaccard = 0.2;

/// The main tokens of a text, one per position (words, ideographs), in order: what shingles and diffs use.
std::vector<const Token*> main_tokens(const std::vector<Token>& tokens);

/// Hashes of the text's 5-word shingles, sorted and unique, at most max_shingles; empty below 5 words.
std::vector<std::uint32_t> shingles(const std::vector<Token>& tokens);

/// |a ∩ b| of two sorted unique sets.
std::size_t intersection_size(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

/// Jaccard overlap |a ∩ b| / |a ∪ b| of two sorted unique sets (0 when both are empty).
double jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

/// How two shingle sets overlap.
struct Overlap {
    double jaccard = 0;      ///< |a ∩ b| / |a ∪ b|
    double containment = 0;  ///< |a ∩ b| / min(|a|, |b|): how much of the shorter the longer holds
    /// The join rule above.
    bool variants() const {
        return jaccard >= variant_jaccard || (containment >= variant_containment && jaccard >= variant_min_jaccard);
    }
};
Overlap overlap(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

/// The MinHash band keys of a shingle set (band number mixed in); meaningless for an empty set.
std::array<std::uint32_t, minhash_bands> band_keys(const std::vector<std::uint32_t>& shingles);

/// The value of slot::variant: the group's first quote's ingest sequence number, 8 bytes big-endian (sequence
/// numbers are unique in an index, so the key names one group; it is only a label, never looked up).
std::string variant_key(std::uint64_t group);
/// The group of a slot::variant value; 0 when the value is not one (a quote without variants).
std::uint64_t variant_group(std::string_view key);

/// Words one text has and the other lacks, in their original spelling and order.
struct WordDiff {
    std::vector<std::string> added;    ///< in `to`, not in `from`
    std::vector<std::string> removed;  ///< in `from`, not in `to`
    std::vector<std::pair<std::uint32_t, std::uint32_t>> added_spans;  ///< byte ranges of `added` in to_text
};

/// The word-level difference from one text to another (longest common subsequence of their main tokens'
/// terms). Texts longer than max_diff_words are compared on their first max_diff_words words.
inline constexpr std::size_t max_diff_words = 1000;
WordDiff word_diff(std::string_view from_text, const std::vector<Token>& from, std::string_view to_text,
                   const std::vector<Token>& to);

}  // namespace dixit
