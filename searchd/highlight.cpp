// Highlighter: re-tokenizes a hit's text with the shared tokenizer and marks the tokens the query matched,
// using the same rules as the index (exact terms, the quote language's stems, positions for phrases).
#include "highlight.h"

#include <document.h>
#include <text.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <unordered_map>
#include <vector>

namespace dixit {
namespace {

constexpr std::string_view ellipsis = "\u2026";
constexpr std::string_view replacement_char = "\uFFFD";

// Stem cache bound per language: a few hits a request share most words; cleared wholesale when full.
constexpr std::size_t max_cached_stems = 50000;

// Terms that start with a digit are neither stemmed by the indexer nor by the query (stemmed_query_terms).

/// A byte range [begin, end) of the original text.
struct Span {
    std::uint32_t begin;
    std::uint32_t end;
};

/// One match of a query part. item numbers the parts (words, then prefixes, then phrases): snippets are
/// ranked by how many distinct parts they show, not by how many matches.
struct Match {
    Span span;
    std::uint32_t item;
    bool phrase;
};

// Escapes text. Ill-formed UTF-8 becomes U+FFFD: the JSON writer downstream
// rejects invalid UTF-8, and the tokenizer already treats those bytes as separators.
void append_escaped(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        auto ch = static_cast<unsigned char>(text[i]);
        if (ch < 0x80) {
            switch (ch) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += "&quot;"; break;
                case '\'': out += "&#39;"; break;
                default: out += static_cast<char>(ch);
            }
            ++i;
            continue;
        }
        const std::size_t start = i;
        if (next_code_point(text, i) < 0) out += replacement_char;
        else out.append(text.substr(start, i - start));
    }
}

// True when the bytes between two marks are only white space: such marks become one ("North Korean").
bool is_white_gap(std::string_view gap) {
    for (std::size_t i = 0; i < gap.size();) {
        const UChar32 c = next_code_point(gap, i);
        if (c < 0 || !u_isUWhiteSpace(c)) return false;
    }
    return true;
}

// Sorts spans and merges those that overlap, or touch, or (when across_white) are apart by white space only.
void merge_spans(std::string_view text, std::vector<Span>& spans, bool across_white) {
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    std::size_t kept = 0;
    for (const Span& s : spans) {
        if (kept > 0) {
            Span& last = spans[kept - 1];
            bool joins = across_white ? (s.begin <= last.end || is_white_gap(text.substr(last.end, s.begin - last.end)))
                                      : s.begin < last.end;
            if (joins) {
                last.end = std::max(last.end, s.end);
                continue;
            }
        }
        spans[kept++] = s;
    }
    spans.resize(kept);
}

// Escaped text[from, to) with the marks inside it wrapped in <mark>; marks never straddle from or to.
void render(std::string& out, std::string_view text, std::uint32_t from, std::uint32_t to, const std::vector<Span>& marks) {
    std::uint32_t at = from;
    for (const Span& m : marks) {
        if (m.begin < from || m.end > to) continue;
        append_escaped(out, text.substr(at, m.begin - at));
        out += "<mark>";
        append_escaped(out, text.substr(m.begin, m.end - m.begin));
        out += "</mark>";
        at = m.end;
    }
    append_escaped(out, text.substr(at, to - at));
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    append_escaped(out, text);
    return out;
}

struct Highlighter::Impl {
    /// The Snowball stemmer of one quote language (none when Xapian has none), with its answers cached.
    struct Stemmer : LanguageStemmer {
        using LanguageStemmer::LanguageStemmer;
        std::unordered_map<std::string, std::string> cache;

        bool is_none() const { return stem.is_none(); }
        const std::string& operator()(const std::string& term) {
            auto it = cache.find(term);
            if (it != cache.end()) return it->second;
            if (cache.size() >= max_cached_stems) cache.clear();
            return cache.emplace(term, stem(term)).first->second;
        }
    };

    PerLanguage<Stemmer> stemmers;
    // Per-call buffers, kept so that a worker's highlighting stops allocating once they have grown.
    std::vector<Token> tokens;
    std::vector<std::uint32_t> position_start;  // tokens at position p: by_position[position_start[p] ..[p+1])
    std::vector<std::uint32_t> by_position;
    std::vector<std::uint32_t> fill;  // where the next token of each position goes in by_position
    std::vector<std::string> word_stems;  // "" where a word matches exactly only
    std::vector<Match> matches;
    std::vector<Span> marks;
    std::vector<Span> units;               // what a snippet is never cut inside: words, hyphenated words, marks
    std::vector<std::uint32_t> cp_before;  // code points before each byte offset
    std::vector<std::uint32_t> seen;       // per item: the last window that counted it

    void index_positions(std::uint32_t position_count);
    void find_matches(const HighlightSpec& spec, Stemmer& stemmer);
    void find_phrase(const std::vector<std::string>& phrase, std::uint32_t item);
    std::string snippet(std::string_view text, const SnippetOptions& options);
    Span best_cover(std::size_t window_chars);
};

// Counting sort of token indices by position: phrases look tokens up by position, and extra tokens
// (Joined, CjkWord) are emitted after what they cover, so the vector is not in position order.
void Highlighter::Impl::index_positions(std::uint32_t position_count) {
    position_start.assign(position_count + 1, 0);
    for (const Token& t : tokens) ++position_start[t.position + 1];
    for (std::uint32_t p = 0; p < position_count; ++p) position_start[p + 1] += position_start[p];
    by_position.resize(tokens.size());
    fill.assign(position_start.begin(), position_start.end() - 1);
    for (std::uint32_t i = 0; i < tokens.size(); ++i) by_position[fill[tokens[i].position]++] = i;
}

void Highlighter::Impl::find_matches(const HighlightSpec& spec, Stemmer& stemmer) {
    matches.clear();
    const auto word_count = static_cast<std::uint32_t>(spec.words.size());
    const auto prefix_count = static_cast<std::uint32_t>(spec.prefixes.size());

    // A word matches the terms its query matches: itself, and unless verbatim "Z"+stem (tokens whose stem
    // is the same) and the stem as an exact term (see stemmed_query_terms in schema/document.h).
    bool any_stemmed = false;
    word_stems.assign(spec.words.size(), std::string());
    if (!spec.verbatim && !stemmer.is_none()) {
        for (std::size_t w = 0; w < spec.words.size(); ++w) {
            const std::string& word = spec.words[w];
            if (!is_stemmed_word(word)) continue;
            word_stems[w] = stemmer(word);
            any_stemmed = any_stemmed || !word_stems[w].empty();
        }
    }

    for (const Token& t : tokens) {
        const std::string* token_stem = nullptr;  // stemmed lazily: most tokens match no word
        bool stemmable = any_stemmed && t.kind == TokenKind::Word && is_stemmed_word(t.term);
        for (std::uint32_t w = 0; w < word_count; ++w) {
            const std::string& word = spec.words[w];
            if (word.empty()) continue;
            bool hit = t.term == word;
            const std::string& word_stem = word_stems[w];
            if (!hit && !word_stem.empty()) {
                hit = t.term == word_stem;
                if (!hit && stemmable) {
                    if (!token_stem) token_stem = &stemmer(t.term);
                    hit = *token_stem == word_stem;
                }
            }
            if (hit) matches.push_back({{t.begin, t.end}, w, false});
        }
        for (std::uint32_t p = 0; p < prefix_count; ++p) {
            const std::string& prefix = spec.prefixes[p];
            if (!prefix.empty() && t.term.starts_with(prefix)) matches.push_back({{t.begin, t.end}, word_count + p, false});
        }
    }
    for (std::uint32_t k = 0; k < spec.phrases.size(); ++k) find_phrase(spec.phrases[k], word_count + prefix_count + k);
    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.span.begin < b.span.begin; });
}

// A phrase matches as Xapian's OP_PHRASE does: its i-th term at position p+i, whatever kind of token
// holds it there. The match covers everything from its first token to its last, punctuation included.
void Highlighter::Impl::find_phrase(const std::vector<std::string>& phrase, std::uint32_t item) {
    if (phrase.empty()) return;
    const auto n = static_cast<std::uint32_t>(phrase.size());
    const auto position_count = static_cast<std::uint32_t>(position_start.size() - 1);
    if (n > position_count) return;
    for (std::uint32_t p = 0; p + n <= position_count; ++p) {
        Span span{std::numeric_limits<std::uint32_t>::max(), 0};
        bool whole = true;
        for (std::uint32_t i = 0; i < n && whole; ++i) {
            whole = false;
            for (std::uint32_t k = position_start[p + i]; k < position_start[p + i + 1]; ++k) {
                const Token& t = tokens[by_position[k]];
                if (t.term != phrase[i]) continue;
                span.begin = std::min(span.begin, t.begin);
                span.end = std::max(span.end, t.end);
                whole = true;
                break;
            }
        }
        if (whole) matches.push_back({span, item, true});
    }
}

Highlighter::Highlighter(Tokenizer& tokenizer) : tokenizer_(tokenizer), impl_(std::make_unique<Impl>()) {}
Highlighter::~Highlighter() = default;

Highlight Highlighter::highlight(std::string_view text, std::string_view language, const HighlightSpec& spec,
                                 const SnippetOptions& options) {
    auto& m = *impl_;
    if (text.size() > std::numeric_limits<std::int32_t>::max()) text = text.substr(0, std::numeric_limits<std::int32_t>::max());
    m.tokens.clear();
    std::uint32_t position_count = tokenizer_.tokenize(text, m.tokens);
    m.index_positions(position_count);
    m.find_matches(spec, m.stemmers.get(language));  // the stemmer the indexer chose for this quote

    m.marks.clear();
    for (const Match& match : m.matches) m.marks.push_back(match.span);
    merge_spans(text, m.marks, true);

    Highlight out;
    out.html.reserve(text.size() + m.marks.size() * 13 + 16);
    render(out.html, text, 0, static_cast<std::uint32_t>(text.size()), m.marks);
    out.snippet = m.snippet(text, options);
    return out;
}

// The cover of the best window of window_chars code points: the span from its first to its last match.
// Windows start at a match (a best window can always be slid right until it does); a window that holds
// more distinct phrases wins, then more distinct items, then more matches, then the earliest.
Span Highlighter::Impl::best_cover(std::size_t window_chars) {
    std::uint32_t max_item = 0;
    for (const Match& match : matches) max_item = std::max(max_item, match.item);
    seen.assign(max_item + 1, std::numeric_limits<std::uint32_t>::max());
    struct Score {
        std::size_t phrases = 0, distinct = 0, count = 0;
        auto operator<=>(const Score&) const = default;
    };
    Score best;
    Span cover{0, 0};
    for (std::uint32_t i = 0; i < matches.size(); ++i) {
        std::uint64_t limit = std::uint64_t{cp_before[matches[i].span.begin]} + window_chars;
        Score score;
        Span here = matches[i].span;
        for (std::uint32_t j = i; j < matches.size() && cp_before[matches[j].span.begin] < limit; ++j) {
            const Match& match = matches[j];
            if (j != i && cp_before[match.span.end] > limit) continue;
            ++score.count;
            here.end = std::max(here.end, match.span.end);
            if (seen[match.item] == i) continue;
            seen[match.item] = i;
            ++score.distinct;
            if (match.phrase) ++score.phrases;
        }
        if (i == 0 || score > best) {
            best = score;
            cover = here;
        }
    }
    return cover;
}

std::string Highlighter::Impl::snippet(std::string_view text, const SnippetOptions& options) {
    const auto n = static_cast<std::uint32_t>(text.size());
    cp_before.resize(std::size_t{n} + 1);
    std::uint32_t count = 0;
    for (std::uint32_t b = 0; b < n; ++b) {
        cp_before[b] = count;
        if ((static_cast<unsigned char>(text[b]) & 0xC0) != 0x80) ++count;  // a lead byte starts a character
    }
    cp_before[n] = count;
    if (count < options.min_text_chars) return {};

    const std::size_t width = options.snippet_chars;
    auto byte_at = [&](std::size_t cp) {  // the first byte of code point cp
        return static_cast<std::uint32_t>(std::lower_bound(cp_before.begin(), cp_before.end(), cp) - cp_before.begin());
    };

    // The window: centred on the best cover, kept inside the text; the start of the text without matches.
    Span cover{n, 0};
    std::size_t window_begin = 0;
    if (!matches.empty()) {
        cover = best_cover(width);
        std::size_t cover_chars = cp_before[cover.end] - cp_before[cover.begin];
        std::size_t pad = cover_chars < width ? (width - cover_chars) / 2 : 0;
        window_begin = cp_before[cover.begin] - std::min<std::size_t>(pad, cp_before[cover.begin]);
        if (count > width) window_begin = std::min(window_begin, count - width);
        else window_begin = 0;
    }
    std::uint32_t ws = byte_at(window_begin);
    std::uint32_t we = byte_at(std::min<std::size_t>(window_begin + width, count));

    // Cut points: between units only, never inside a word, a hyphenated word or a mark.
    units.clear();
    for (const Token& t : tokens)
        if (t.kind != TokenKind::CjkWord) units.push_back({t.begin, t.end});
    units.insert(units.end(), marks.begin(), marks.end());
    merge_spans(text, units, false);

    std::uint32_t start = 0, end = n;
    if (units.empty()) {
        end = we;  // no words at all: cut at a character boundary
    } else {
        // Start at the first unit inside the window, or at the unit holding the cover's start if earlier;
        // end at the last unit inside it, or at the unit holding the cover's end if later.
        std::size_t first = 0;
        while (first + 1 < units.size() && units[first].begin < ws && units[first].end <= cover.begin) ++first;
        std::size_t last = first;
        for (std::size_t u = first; u < units.size(); ++u) {
            if (units[u].end <= we || units[u].begin < cover.end) last = u;
            else break;
        }
        start = first == 0 ? 0 : units[first].begin;
        end = last + 1 == units.size() ? n : units[last].end;
    }

    std::string out;
    out.reserve(std::size_t{end - start} + marks.size() * 13 + 8);
    if (start > 0) out += ellipsis;
    render(out, text, start, end, marks);
    if (end < n) out += ellipsis;
    return out;
}

}  // namespace dixit
