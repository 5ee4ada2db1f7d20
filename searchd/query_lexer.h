// Splits q into the lexemes of the query language (words, phrases, field filters, operators, brackets).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// What a lexeme is; the parser gives them meaning (a stray OR is dropped there, not here).
enum class LexemeKind {
    Word,    ///< a run of text up to white space, a bracket or a quote mark ("putin", "jong-un", "troop*")
    Phrase,  ///< "quoted text", maybe with ~N
    Field,   ///< name:value or name:"quoted value" for a field of the query language
    Or,      ///< upper-case OR
    And,     ///< upper-case AND: the implicit operator written out
    Near,    ///< NEAR or NEAR/N
    Minus,   ///< '-' before a word, phrase, field or bracket: exclusion
    Open,    ///< (
    Close,   ///< )
};

/// One lexeme; offsets are bytes into q.
struct Lexeme {
    LexemeKind kind;
    std::size_t begin;                 ///< where the lexeme starts (a field: its name)
    std::string_view text;             ///< Word: the run without trailing '*'; Phrase: inside the quotes; Field: the value
    std::size_t text_begin = 0;        ///< where text starts
    std::string_view field{};          ///< Field: its name ("tag")
    bool prefix = false;               ///< Word: ended with '*' (a prefix search)
    std::optional<unsigned> number{};  ///< Near: N of NEAR/N; Phrase: N of "..."~N
};

/// Largest N accepted in NEAR/N and "..."~N (a wider window is as good as AND and costs more).
inline constexpr unsigned max_near_distance = 1000;

/// The fields that can be written name:value in q (lower-case only, so that "Note:" in pasted text is text).
bool is_query_field(std::string_view name);

/// 1-based character (code point) position of a byte offset in valid UTF-8 q.
std::size_t char_position(std::string_view q, std::size_t byte_offset);

/// Throws ApiError(BadQuery) with message at the character of q at byte_offset.
[[noreturn]] void throw_bad_query(std::string_view q, std::size_t byte_offset, const std::string& message);

/// The lexemes of valid UTF-8 q; throws ApiError(BadQuery) for a malformed NEAR/N or ~N and an empty field.
std::vector<Lexeme> lex_query(std::string_view q);

}  // namespace dixit
