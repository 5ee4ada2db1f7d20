// The query language: a recursive-descent parser over query_lexer's lexemes, building Xapian::Query objects
// from the shared tokenizer's terms (never Xapian::QueryParser, which would split words differently).
//
// Grammar, loosest binding first (Google style: OR binds tighter than the implicit AND):
//   sequence  := item*                          items ANDed; filters applied with OP_FILTER, exclusions with OP_AND_NOT
//   item      := '-' near_chain | or_chain
//   or_chain  := near_chain (OR near_chain)*
//   near_chain:= primary (NEAR[/N] primary)*     single words only
//   primary   := word | word* | "phrase"[~N] | field:value | '(' sequence ')'
// '-' excludes a whole NEAR chain (`-a NEAR b`); upper-case AND is accepted and means the implicit AND.
// The only recursion is a group inside a group ('(', '-(', 'tag:(' all open one), so counting open groups
// against max_query_depth bounds the parser's stack and the depth of the query it builds.
// Leniency: a missing ')' closes at the end, a stray ')' is dropped, an unclosed quote runs to the end,
// OR/NEAR/AND with nothing on one side are dropped, an OR next to an exclusion is dropped (`a OR -b` is
// `a -b`: "either a or not b" is never what a journalist means), a lone '-' or '*' is dropped, and
// name:value with an unknown or capitalised name ("Note:", "foo:bar") is text.
#include "query_parser.h"

#include "api_error.h"
#include "query_lexer.h"

#include "position_filter.h"

#include <common_grams.h>
#include <document.h>
#include <fields.h>
#include <locales.h>
#include <speakers.h>
#include <text.h>

#include <unicode/utf8.h>

#include <algorithm>

namespace dixit {
namespace {
// Xapian::Query::MatchAll is a shared static whose reference count is not atomic: copying it from
// several worker threads races (found by ThreadSanitizer). An empty term matches all documents too.
Xapian::Query match_all() { return Xapian::Query(std::string()); }

/// What a part of q parsed to.
struct Node {
    std::optional<Xapian::Query> query;  ///< nullopt: nothing (an empty phrase, "!!!", "()")
    bool has_text = false;               ///< has a positive word, phrase or prefix; otherwise boolean (no weight)
    HighlightSpec highlight;             ///< what to mark if this node is not excluded
    std::optional<std::string> word;     ///< the exact term when the node is one plain word (a NEAR operand)
    std::size_t begin = 0;               ///< byte offset in q, for errors
};

Xapian::Query scale_to_zero(const Xapian::Query& q) { return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0.0); }

template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
    to.insert(to.end(), from.begin(), from.end());
}

void merge(HighlightSpec& to, const HighlightSpec& from) {
    append(to.words, from.words);
    append(to.prefixes, from.prefixes);
    append(to.phrases, from.phrases);
}

template <class T>
void dedupe(std::vector<T>& v) {
    std::vector<T> out;
    for (auto& x : v)
        if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(std::move(x));
    v.swap(out);
}

class Parser {
public:
    Parser(Tokenizer& tokenizer, const QueryOptions& options, std::string_view q)
        : tokenizer_(tokenizer), options_(options), q_(q), lexemes_(lex_query(q)) {
        if (!options.verbatim)
            for (const auto& language : options.stem_languages)
                if (!language.empty()) stemmers_.emplace_back(language, Xapian::Stem(language));
    }

    ParsedQuery parse() {
        Node node = sequence(0);
        if (terms_ > options_.limits.max_terms)
            throw_bad_query(q_, first_over_limit_, "too many terms (" + std::to_string(terms_) + ", max " +
                                                       std::to_string(options_.limits.max_terms) + ")");
        ParsedQuery out;
        out.query = node.query.value_or(match_all());
        out.has_text = node.has_text;
        out.highlight = std::move(node.highlight);
        dedupe(out.highlight.words);
        dedupe(out.highlight.prefixes);
        dedupe(out.highlight.phrases);
        out.highlight.verbatim = options_.verbatim;
        return out;
    }

private:
    bool at(LexemeKind kind) const { return pos_ < lexemes_.size() && lexemes_[pos_].kind == kind; }
    bool at_primary() const {
        return at(LexemeKind::Word) || at(LexemeKind::Phrase) || at(LexemeKind::Field) || at(LexemeKind::Open);
    }

    // Words, phrase words, prefixes and filters all count; the error points at the first term over the limit.
    void count_terms(std::size_t n, std::size_t begin) {
        terms_ += n;
        if (terms_ > options_.limits.max_terms && first_over_limit_ == std::string::npos) first_over_limit_ = begin;
    }

    Node sequence(int depth);
    Node or_chain();
    Node near_chain();
    Node primary();
    Node word(const Lexeme& l);
    Node prefix(const Lexeme& l);
    Node phrase(const Lexeme& l);
    Node field(const Lexeme& l);
    Node said(const Lexeme& l);
    Xapian::Query word_query(const std::string& term) const;
    Xapian::Query exact_phrase(const std::vector<Token>& tokens) const;
    Xapian::Query positional(std::vector<std::string> terms, PositionFilter::Kind kind, Xapian::termcount window,
                             const std::vector<std::string>& grams = {}) const;
    std::vector<Token> main_tokens(std::string_view text, std::vector<Token>* extras = nullptr);

    Tokenizer& tokenizer_;
    const QueryOptions& options_;
    std::string_view q_;
    std::vector<Lexeme> lexemes_;
    std::size_t pos_ = 0;
    std::vector<std::pair<std::string, Xapian::Stem>> stemmers_;  // stemmer name, stemmer
    std::size_t terms_ = 0;
    std::size_t first_over_limit_ = std::string::npos;
    mutable std::shared_ptr<const WordOrder> words_;  // asked of options_.word_order at the first check
    mutable bool words_asked_ = false;
    std::size_t depth_ = 0;  // groups open around the current lexeme
};

Node Parser::sequence(int depth) {
    std::vector<Xapian::Query> text, filters, exclusions;
    Node out;
    out.begin = pos_ < lexemes_.size() ? lexemes_[pos_].begin : q_.size();
    while (pos_ < lexemes_.size()) {
        const Lexeme& l = lexemes_[pos_];
        if (l.kind == LexemeKind::Close) {
            ++pos_;
            if (depth > 0) break;  // a stray ')' at the top is dropped
            continue;
        }
        if (l.kind == LexemeKind::Minus) {
            ++pos_;
            // Only a '-' stuck to what follows excludes it ("-* putin" does not exclude putin).
            if (!at_primary() || lexemes_[pos_].begin != l.begin + 1) continue;
            Node excluded = near_chain();
            if (excluded.query) exclusions.push_back(*excluded.query);  // its highlight is dropped
            continue;
        }
        if (!at_primary()) {  // OR, AND, NEAR with nothing before them
            ++pos_;
            continue;
        }
        Node item = or_chain();
        if (!item.query) continue;
        (item.has_text ? text : filters).push_back(*item.query);
        out.has_text |= item.has_text;
        merge(out.highlight, item.highlight);
    }

    // Text carries the weight; filters only restrict (OP_FILTER adds no weight); exclusions only remove.
    std::optional<Xapian::Query> q;
    if (!text.empty()) {
        q = text.size() == 1 ? text[0] : Xapian::Query(Xapian::Query::OP_AND, text.begin(), text.end());
        if (!filters.empty()) {
            filters.insert(filters.begin(), *q);
            q = Xapian::Query(Xapian::Query::OP_FILTER, filters.begin(), filters.end());
        }
    } else if (!filters.empty()) {
        q = filters.size() == 1 ? filters[0] : Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
        if (depth == 0) q = scale_to_zero(*q);  // the whole query is boolean: no weight (a term's would be BM25's)
    }
    if (!exclusions.empty()) {
        exclusions.insert(exclusions.begin(), q.value_or(match_all()));
        q = Xapian::Query(Xapian::Query::OP_AND_NOT, exclusions.begin(), exclusions.end());
    }
    out.query = q;
    return out;
}

Node Parser::or_chain() {
    std::vector<Node> operands{near_chain()};
    while (at(LexemeKind::Or)) {
        while (at(LexemeKind::Or) || at(LexemeKind::And) || at(LexemeKind::Near)) ++pos_;  // "a OR OR b"
        if (!at_primary()) break;  // OR at the end, before ')' or before an exclusion: dropped
        operands.push_back(near_chain());
    }
    std::erase_if(operands, [](const Node& n) { return !n.query; });
    if (operands.size() <= 1) return operands.empty() ? Node{} : operands[0];

    Node out;
    out.begin = operands[0].begin;
    for (const Node& n : operands) out.has_text |= n.has_text;
    std::vector<Xapian::Query> qs;
    for (const Node& n : operands) {
        // A filter ORed with text must not add weight; ORed with filters only, the result is boolean anyway.
        qs.push_back(out.has_text && !n.has_text ? scale_to_zero(*n.query) : *n.query);
        merge(out.highlight, n.highlight);
    }
    out.query = Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
    return out;
}

// NEAR: the words within a window of (number of words + N) positions, in any order (Xapian's OP_NEAR).
// A chain "a NEAR/2 b NEAR/5 c" is one OP_NEAR of all its words with the largest N; bare NEAR is NEAR/10.
Node Parser::near_chain() {
    std::vector<Node> operands{primary()};
    unsigned distance = 0;
    while (at(LexemeKind::Near)) {
        unsigned n = lexemes_[pos_].number.value_or(10);
        while (at(LexemeKind::Near)) ++pos_;  // "a NEAR NEAR b": the first one counts
        if (!at_primary()) break;             // NEAR at the end or before ')': dropped
        distance = std::max(distance, n);
        operands.push_back(primary());
    }
    std::erase_if(operands, [](const Node& n) { return !n.query; });
    if (operands.size() <= 1) return operands.empty() ? Node{} : operands[0];

    Node out;
    out.begin = operands[0].begin;
    out.has_text = true;
    std::vector<std::string> words;
    for (const Node& n : operands) {
        // Error rather than flatten a phrase: "kim jong" NEAR x would silently lose the phrase's word order.
        if (!n.word)
            throw_bad_query(q_, n.begin, "NEAR joins single words; to find a phrase's words near each other "
                                         "write \"...\"~N, e.g. \"north korean troops\"~5");
        words.push_back(*n.word);
        out.highlight.words.push_back(*n.word);
    }
    auto window = static_cast<Xapian::termcount>(words.size() + distance);
    out.query = positional(std::move(words), PositionFilter::Kind::Near, window);
    return out;
}

Node Parser::primary() {
    const Lexeme& l = lexemes_[pos_++];
    switch (l.kind) {
        case LexemeKind::Word: return l.prefix ? prefix(l) : word(l);
        case LexemeKind::Phrase: return phrase(l);
        case LexemeKind::Field: return field(l);
        case LexemeKind::Open: {
            const std::size_t max = options_.limits.max_query_depth;
            if (depth_ == max)
                throw_bad_query(q_, l.begin, "groups in parentheses nested more than " + std::to_string(max) + " deep");
            ++depth_;
            Node group = sequence(1);  // consumes the ')' if there is one; none closes at the end
            --depth_;
            group.begin = l.begin;
            return group;
        }
        default: return {};
    }
}

// The Word and Ideograph tokens of text: what phrases are made of. Joined and CjkWord extras share a
// position with them and would break a phrase's position arithmetic; they go to *extras.
std::vector<Token> Parser::main_tokens(std::string_view text, std::vector<Token>* extras) {
    std::vector<Token> all, main;
    tokenizer_.tokenize(text, all);
    for (Token& t : all) {
        if (is_main(t)) main.push_back(std::move(t));
        else if (extras) extras->push_back(std::move(t));
    }
    return main;
}

// A plain word matches its exact form or, unless verbatim, its stem in any of the stem languages.
Xapian::Query Parser::word_query(const std::string& term) const {
    std::vector<std::string> terms{term};
    for (const auto& [name, stem] : stemmers_) append(terms, stemmed_query_terms(term, stem, name, options_.stem_table));
    dedupe(terms);
    if (terms.size() == 1) return Xapian::Query(term);
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

Node Parser::word(const Lexeme& l) {
    std::vector<Token> extras;
    std::vector<Token> tokens = main_tokens(l.text, &extras);
    Node out;
    out.begin = l.begin;
    if (tokens.empty()) return out;  // punctuation only
    count_terms(tokens.size(), l.begin);
    out.has_text = true;
    if (tokens.size() == 1) {
        out.word = tokens[0].term;
        if (tokens[0].kind == TokenKind::Word) {
            out.query = word_query(tokens[0].term);
            out.highlight.words.push_back(tokens[0].term);
        } else {  // one ideograph: exact (no stems for CJK)
            out.query = Xapian::Query(tokens[0].term);
            out.highlight.phrases.push_back({tokens[0].term});
        }
        return out;
    }
    // Several words in one run ("north-korean", "U.S.-led", a CJK run): the indexer put them at consecutive
    // positions, so they are a phrase; a hyphenated run was also indexed joined ("jongun"), which matches too.
    std::vector<std::string> terms;
    for (const Token& t : tokens) terms.push_back(t.term);
    Xapian::Query phrase = exact_phrase(tokens);
    auto joined = std::find_if(extras.begin(), extras.end(), [&](const Token& t) {
        return t.kind == TokenKind::Joined && t.begin == tokens.front().begin && t.end == tokens.back().end;
    });
    out.query = joined == extras.end() ? phrase : Xapian::Query(Xapian::Query::OP_OR, phrase, Xapian::Query(joined->term));
    out.highlight.phrases.push_back(std::move(terms));
    return out;
}

Node Parser::prefix(const Lexeme& l) {
    std::vector<Token> tokens = main_tokens(l.text);
    Node out;
    out.begin = l.begin;
    if (tokens.empty()) return out;
    std::string shown = std::string(l.text) + "*";
    if (tokens.size() > 1 || tokens[0].kind != TokenKind::Word)
        throw_bad_query(q_, l.begin, shown + ": a * prefix search works on one word, e.g. negotiat*");
    const std::string& term = tokens[0].term;
    if (utf8_length(term) < options_.limits.min_prefix_chars)
        throw_bad_query(q_, l.begin, shown + ": a prefix search needs at least " +
                                         std::to_string(options_.limits.min_prefix_chars) + " letters before the *");
    count_terms(1, l.begin);
    out.has_text = true;
    out.query = Xapian::Query(Xapian::Query::OP_WILDCARD, term, options_.limits.max_wildcard_expansion,
                              Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    out.highlight.prefixes.push_back(term);
    return out;
}

// "exact phrase": exact terms (no stems, stopwords count) at consecutive positions.
// "phrase"~N: the same terms within a window of (number of terms + N) positions, in any order (OP_NEAR).
Node Parser::phrase(const Lexeme& l) {
    std::vector<Token> tokens = main_tokens(l.text);
    Node out;
    out.begin = l.begin;
    if (tokens.empty()) return out;  // "" is ignored
    count_terms(tokens.size(), l.text_begin);
    out.has_text = true;
    std::vector<std::string> terms;
    for (const Token& t : tokens) terms.push_back(t.term);
    if (terms.size() == 1) {
        out.query = Xapian::Query(terms[0]);
        out.word = terms[0];
        out.highlight.phrases.push_back(std::move(terms));
    } else if (l.number) {
        out.query = positional(terms, PositionFilter::Kind::Near, static_cast<Xapian::termcount>(terms.size() + *l.number));
        append(out.highlight.words, terms);  // in any order: marked as words, not as a phrase
    } else {
        out.query = exact_phrase(tokens);
        out.highlight.phrases.push_back(std::move(terms));
    }
    return out;
}

// Words at consecutive positions: the AND of the words with the phrase's common grams, when the index has
// them, and the word-order check (positional()). A two-word phrase with a gram needs no check: the gram
// is the adjacency.
Xapian::Query Parser::exact_phrase(const std::vector<Token>& tokens) const {
    std::vector<std::string> terms;
    for (const Token& t : tokens) terms.push_back(t.term);
    if (terms.size() == 1) return Xapian::Query(terms[0]);
    std::vector<std::string> grams;
    if (options_.common_grams) grams = common_grams(tokens);
    if (terms.size() == 2 && grams.size() == 1)  // the words weigh, the gram says they are adjacent
        return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
                             Xapian::Query(grams[0]));
    dedupe(grams);
    return positional(terms, PositionFilter::Kind::Phrase, 0, grams);
}

// The AND of the words (they weigh) filtered by the grams and by a check of the word order: Xapian runs
// the check only on the documents that hold every word and gram (see position_filter.h).
Xapian::Query Parser::positional(std::vector<std::string> terms, PositionFilter::Kind kind, Xapian::termcount window,
                                 const std::vector<std::string>& grams) const {
    std::vector<Xapian::Query> filters;
    for (const auto& g : grams) filters.emplace_back(g);
    if (!words_asked_ && options_.word_order) words_ = options_.word_order();
    words_asked_ = true;
    filters.emplace_back((new PositionFilter(terms, kind, window, words_))->release());
    Xapian::Query words(Xapian::Query::OP_AND, terms.begin(), terms.end());
    return Xapian::Query(Xapian::Query::OP_FILTER, words, Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

// field:value: one boolean term (or a date range), never weighted, never highlighted.
Node Parser::field(const Lexeme& l) {
    if (l.field == said_field) return said(l);
    const FieldSpec& f = dixit::field(l.field);
    const std::string shown = std::string(l.field) + ":" + std::string(l.text);
    const auto normal = filter_value(f, l.text);
    if (!normal && f.name == "lang")
        throw_bad_query(q_, l.text_begin, shown + ": not a language tag; write e.g. lang:en or lang:pt-BR");
    if (!normal && f.name == "country")
        throw_bad_query(q_, l.text_begin, shown + ": unknown country; write its ISO code (country:UA) or its "
                                                  "English name (country:ukraine, country:\"north korea\")");
    if (!normal) throw_bad_query(q_, l.text_begin, shown + ": not a valid value");
    const std::string& value = *normal;
    std::string term = filter_term(tokenizer_, f, value);
    if (term.size() == f.prefix.size())
        throw_bad_query(q_, l.text_begin, shown + ": the value has no letters or digits");
    count_terms(1, l.begin);
    Node out;
    out.begin = l.begin;
    out.query = field_filter(tokenizer_, options_.stem_table, l.field, value);
    return out;
}

// said:FROM..TO, said:FROM.., said:..TO, said:DATE: the quote's said_on period lies within the range
// (said:2024 finds 2024-03-05, 2024-03 and 2024, not 2023-12..2024-01 periods; there are none of those).
Node Parser::said(const Lexeme& l) {
    std::string_view value = l.text;
    std::size_t dots = value.find("..");
    std::string_view from_text = dots == std::string_view::npos ? value : value.substr(0, dots);
    std::string_view to_text = dots == std::string_view::npos ? value : value.substr(dots + 2);
    std::size_t to_begin = dots == std::string_view::npos ? l.text_begin : l.text_begin + dots + 2;
    if (from_text.empty() && to_text.empty())
        throw_bad_query(q_, l.text_begin, "said:..: give at least one date, e.g. said:2024-01..2024-06 or said:..2025");
    auto parse_date = [&](std::string_view text, std::size_t begin) -> std::optional<PartialDate> {
        if (text.empty()) return std::nullopt;
        std::string why;
        auto d = PartialDate::parse(text, &why);
        if (!d)
            throw_bad_query(q_, begin, "said:" + std::string(value) + ": '" + std::string(text) + "' is not a date (" +
                                           why + "); write YYYY, YYYY-MM or YYYY-MM-DD, e.g. said:2024-01..2024-06");
        return d;
    };
    auto from = parse_date(from_text, l.text_begin);
    auto to = parse_date(to_text, to_begin);
    if (from && to && from->first_day_key() > to->last_day_key())
        throw_bad_query(q_, l.text_begin, "said:" + std::string(value) + ": the range ends before it starts");
    count_terms(1, l.begin);
    std::vector<Xapian::Query> bounds;
    if (from) bounds.emplace_back(Xapian::Query::OP_VALUE_GE, slot::said_start, from->first_day_key());
    if (to) bounds.emplace_back(Xapian::Query::OP_VALUE_LE, slot::said_end, to->last_day_key());
    Node out;
    out.begin = l.begin;
    out.query = bounds.size() == 1 ? bounds[0] : Xapian::Query(Xapian::Query::OP_AND, bounds.begin(), bounds.end());
    return out;
}

}  // namespace

QueryParser::QueryParser(Tokenizer& tokenizer) : tokenizer_(tokenizer) {}

ParsedQuery QueryParser::parse(std::string_view q, const QueryOptions& options) const {
    if (!is_valid_utf8(q)) {
        std::size_t bad = first_invalid_utf8(q);  // is_valid_utf8 is the judge; this only says where
        throw_bad_query(q, bad == std::string_view::npos ? 0 : bad, "the query is not valid UTF-8 text");
    }
    std::size_t length = utf8_length(q);
    if (length > options.limits.max_query_chars)
        throw ApiError(ErrorCode::BadQuery,
                       "the query is " + std::to_string(length) + " characters long, max " +
                           std::to_string(options.limits.max_query_chars),
                       options.limits.max_query_chars + 1);
    return Parser(tokenizer_, options, q).parse();
}

}  // namespace dixit
