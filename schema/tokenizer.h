// The one ICU tokenizer: the indexer and the query parser both turn text into terms through it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// What a token stands for; the query side uses it to build phrases from the right terms.
enum class TokenKind : std::uint8_t {
    Word,       ///< a word or number, folded; the term phrases are built from
    Ideograph,  ///< one Han/Kana character of a CJK run, at its own position (phrases of CJK text)
    CjkWord,    ///< a dictionary word of a CJK run, an extra term at its first character's position
    Joined,     ///< parts of a hyphenated word joined ("jongun"), an extra term at the first part's position
};

/// One term of a text, with where it stands (for phrases) and where it came from (for highlighting).
struct Token {
    std::string term;         ///< folded term, at most max_term_bytes
    std::uint32_t position;   ///< word position; extra terms share the position of what they cover
    std::uint32_t begin;      ///< byte offset of the token's first byte in the original text
    std::uint32_t end;        ///< byte offset one past its last byte
    TokenKind kind;

    bool operator==(const Token&) const = default;
};

/// True for a token at a position of its own (a word, an ideograph): what phrases, shingles and word order
/// are made of. CjkWord and Joined tokens are extras at a position another token holds.
inline bool is_main(const Token& t) { return t.kind == TokenKind::Word || t.kind == TokenKind::Ideograph; }

/// Longest term the tokenizer emits; longer ones are cut and suffixed with a hash (Xapian's limit is 245).
inline constexpr std::size_t max_term_bytes = 120;

/// ICU word segmentation + folding. Not thread-safe: one instance per thread (creation is expensive).
class Tokenizer {
public:
    Tokenizer();
    ~Tokenizer();
    Tokenizer(const Tokenizer&) = delete;
    Tokenizer& operator=(const Tokenizer&) = delete;

    /// Appends the tokens of UTF-8 text to out, positions from first_position; returns the next free position.
    /// Invalid UTF-8 never throws: bad bytes act as separators.
    std::uint32_t tokenize(std::string_view text, std::vector<Token>& out, std::uint32_t first_position = 0);

    /// Folds text the way terms are folded (NFKC case fold, diacritics, apostrophes), without segmenting.
    std::string fold(std::string_view text);

    /// Folds a keyword value (tag, author, entity...) into its filter key: fold() with runs of
    /// white space and punctuation reduced to one space and trimmed; capped like a term.
    std::string fold_keyword(std::string_view value);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Cuts a term longer than max_bytes at a code point boundary and appends "~" and a hash of the whole.
std::string cap_term(std::string term, std::size_t max_bytes = max_term_bytes);

}  // namespace dixit
