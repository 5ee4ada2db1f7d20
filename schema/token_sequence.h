// The word order of a quote, kept in a value slot instead of Xapian's positional index. Each position
// holds a short code of its term: a hash with a seed chosen per document so that no two of the text's
// terms share a code. A phrase or NEAR check runs only on documents that hold every one of its terms
// (the AND it filters), so equal codes there mean equal terms: exact, without reading the term list.
#pragma once

#include "tokenizer.h"

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// Encodes the word order of a text's tokens for slot::tokens: main tokens (words, ideographs) one
/// position each; joined forms of hyphenated words ("jongun") as extras at the first part's position.
/// Dictionary words of CJK runs are not placed (phrases are made of ideographs), but no other term of
/// the text shares a code with them either.
std::string encode_token_sequence(const std::vector<Token>& tokens);

/// A decoded sequence.
struct TokenSequence {
    unsigned width = 1;                                           ///< bytes per code
    std::uint32_t seed = 0;                                       ///< the document's hash seed
    std::vector<std::uint32_t> at;                                ///< code at each position (0: none)
    std::vector<std::pair<std::uint32_t, std::uint32_t>> extras;  ///< (position, code), sorted

    /// The code of a term in this document (meaningful for the text's own terms).
    std::uint32_t code(std::string_view term) const;
    /// True when the term with this code is at position p (as a main token or an extra).
    bool has(std::uint32_t p, std::uint32_t code) const;
};

/// Decodes a slot::tokens value; throws Xapian::SerialisationError on malformed bytes.
TokenSequence decode_token_sequence(std::string_view value);
/// The same into seq, reusing its buffers (a check per candidate document allocates nothing).
void decode_token_sequence(std::string_view value, TokenSequence& seq);

/// True when terms stand at consecutive positions (an exact phrase). The document must hold every term.
bool has_phrase(const TokenSequence& seq, const std::vector<std::string>& terms);

/// True when every term stands at a distinct position within a window of `window` positions, in any
/// order (Xapian's OP_NEAR: the last position minus the first is less than window). The document must
/// hold every term.
bool has_near(const TokenSequence& seq, const std::vector<std::string>& terms, std::uint32_t window);

}  // namespace dixit
