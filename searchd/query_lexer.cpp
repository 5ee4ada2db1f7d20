// The lexer of the query language: where words, phrases, field filters and operators begin and end in q.
#include "query_lexer.h"

#include "api_error.h"

#include <fields.h>
#include <text.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

namespace dixit {
namespace {

// The code point at byte i; next, when given, is set to the byte after it.
UChar32 cp_at(std::string_view q, std::size_t i, std::size_t* next = nullptr) {
    const UChar32 c = next_code_point(q, i);
    if (next) *next = i;
    return c;
}

bool is_space(UChar32 c) { return c < 0x20 || c == 0x7F || u_isUWhiteSpace(c); }

// Quote marks that open or close a phrase: journalists paste text with typographic quotes
// (“…”, „…“, «…», 「…」) as often as they type ASCII ones; any of them closes any other.
bool is_quote_mark(UChar32 c) {
    switch (c) {
        case '"': case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0xAB: case 0xBB:
        case 0xFF02: case 0x300C: case 0x300D:
            return true;
        default:
            return false;
    }
}

bool is_delimiter(UChar32 c) { return is_space(c) || c == '(' || c == ')' || is_quote_mark(c); }

// End of the run of non-delimiters from i.
std::size_t run_end(std::string_view q, std::size_t i) {
    while (i < q.size()) {
        std::size_t next;
        if (is_delimiter(cp_at(q, i, &next))) break;
        i = next;
    }
    return i;
}

// The number after NEAR/ or ~ (digits only, at most max_near_distance), or nullopt.
std::optional<unsigned> parse_distance(std::string_view digits) {
    if (digits.empty() || digits.size() > 4) return std::nullopt;
    unsigned n = 0;
    for (char ch : digits) {
        if (ch < '0' || ch > '9') return std::nullopt;
        n = n * 10 + static_cast<unsigned>(ch - '0');
    }
    if (n > max_near_distance) return std::nullopt;
    return n;
}

// A quoted run starting at the quote mark at i: its content and where the lexer goes on. An unclosed
// quote runs to the end of q (lenient: the intent, a phrase, is clear).
struct Quoted {
    std::size_t content_begin, content_end, after;
};

Quoted read_quoted(std::string_view q, std::size_t i) {
    std::size_t begin;
    cp_at(q, i, &begin);
    for (std::size_t j = begin; j < q.size();) {
        std::size_t next;
        if (is_quote_mark(cp_at(q, j, &next))) return {begin, j, next};
        j = next;
    }
    return {begin, q.size(), q.size()};
}

}  // namespace

bool is_query_field(std::string_view name) {
    if (name == said_field) return true;
    const FieldSpec* f = find_field(name);
    return f && has_use(*f, use::query);
}

std::size_t char_position(std::string_view q, std::size_t byte_offset) {
    return 1 + utf8_length(q.substr(0, std::min(byte_offset, q.size())));
}

void throw_bad_query(std::string_view q, std::size_t byte_offset, const std::string& message) {
    std::size_t position = char_position(q, byte_offset);
    throw ApiError(ErrorCode::BadQuery, message + " (at character " + std::to_string(position) + ")", position);
}

std::vector<Lexeme> lex_query(std::string_view q) {
    std::vector<Lexeme> out;
    bool after_minus = false;  // "-OR" excludes the word "or": no operator right after a '-'
    auto emit = [&](Lexeme l) {
        out.push_back(l);
        after_minus = false;
    };
    for (std::size_t i = 0; i < q.size();) {
        std::size_t next;
        UChar32 c = cp_at(q, i, &next);
        if (is_space(c)) {
            i = next;
            after_minus = false;
        } else if (c == '(' || c == ')') {
            emit({c == '(' ? LexemeKind::Open : LexemeKind::Close, i, q.substr(i, 1)});
            i = next;
        } else if (is_quote_mark(c)) {
            Quoted quoted = read_quoted(q, i);
            Lexeme l{LexemeKind::Phrase, i, q.substr(quoted.content_begin, quoted.content_end - quoted.content_begin),
                     quoted.content_begin};
            i = quoted.after;
            if (i < q.size() && q[i] == '~') {  // "phrase"~N
                std::size_t end = run_end(q, i + 1);
                l.number = parse_distance(q.substr(i + 1, end - i - 1));
                if (!l.number)
                    throw_bad_query(q, end > i + 1 ? i + 1 : i,
                                    "after a \"phrase\"~ write how many other words may come between its words, "
                                    "from 0 to " + std::to_string(max_near_distance) + ", e.g. \"north korean troops\"~3");
                i = end;
            }
            emit(l);
        } else if (c == '-') {
            // Exclusion when something follows; a lone '-' (or "- ") is ignored.
            if (next < q.size() && !is_space(cp_at(q, next)) && q[next] != ')') {
                out.push_back({LexemeKind::Minus, i, q.substr(i, 1)});
                after_minus = true;
            }
            i = next;
        } else {
            std::size_t end = run_end(q, i);
            std::string_view run = q.substr(i, end - i);
            std::size_t colon = run.find(':');
            if (!after_minus && (run == "OR" || run == "AND")) {
                emit({run == "OR" ? LexemeKind::Or : LexemeKind::And, i, run});
            } else if (!after_minus && (run == "NEAR" || run.substr(0, 5) == "NEAR/")) {
                Lexeme l{LexemeKind::Near, i, run};
                if (run.size() > 4) {
                    l.number = parse_distance(run.substr(5));
                    if (!l.number)
                        throw_bad_query(q, run.size() > 5 ? i + 5 : i,
                                        "after NEAR/ write how many other words may come between the two words, "
                                        "from 0 to " + std::to_string(max_near_distance) + ", e.g. putin NEAR/5 troops");
                }
                emit(l);
            } else if (colon != std::string_view::npos && is_query_field(run.substr(0, colon))) {
                Lexeme l{LexemeKind::Field, i, run.substr(colon + 1), i + colon + 1, run.substr(0, colon)};
                const bool quoted_value = l.text.empty() && end < q.size() && is_quote_mark(cp_at(q, end));
                if (quoted_value) {  // tag:"north korean troops"
                    Quoted quoted = read_quoted(q, end);
                    l.text = q.substr(quoted.content_begin, quoted.content_end - quoted.content_begin);
                    l.text_begin = quoted.content_begin;
                    end = quoted.after;
                }
                if (l.text.empty() && quoted_value) {
                    std::string name(l.field);
                    throw_bad_query(q, i, name + ": needs a value between the quotes, e.g. " + name +
                                              (name == said_field ? ":2024-03" : ":\"north korean troops\""));
                }
                if (l.text.empty()) {
                    // "Putin said: we will..." pasted from an article: a field name with nothing after
                    // the colon is the word itself, not a filter.
                    emit({LexemeKind::Word, i, run.substr(0, colon), i});
                    i = end;
                    continue;
                }
                emit(l);
            } else {
                // word* is a prefix search; a '*' alone means nothing and is dropped.
                std::size_t stars = run.size() - std::min(run.size(), run.find_last_not_of('*') + 1);
                Lexeme l{LexemeKind::Word, i, run.substr(0, run.size() - stars), i};
                l.prefix = stars > 0;
                if (!l.text.empty()) emit(l);
                else after_minus = false;
            }
            i = end;
        }
    }
    return out;
}

}  // namespace dixit
