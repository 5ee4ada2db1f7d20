// The one ICU tokenizer: word segmentation of the original UTF-8 text, then per-token folding.
#include "tokenizer.h"

#include "codec.h"
#include "text.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

namespace dixit {
namespace {

// Word, number and letter statuses; CJK dictionary words and kana runs come with kana/ideo statuses.
bool is_number_status(int32_t s) { return s >= UBRK_WORD_NUMBER && s < UBRK_WORD_NUMBER_LIMIT; }
bool is_letter_status(int32_t s) { return s >= UBRK_WORD_LETTER && s < UBRK_WORD_LETTER_LIMIT; }
bool is_cjk_status(int32_t s) { return s >= UBRK_WORD_KANA && s < UBRK_WORD_IDEO_LIMIT; }

// French/Italian elided articles and particles: "l'homme" is two words, "l" and "homme".
constexpr std::array<std::string_view, 21> elision_prefixes = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "quelqu",
    "dell", "dall", "nell", "sull", "all", "un", "gl"};

bool is_elision_prefix(std::string_view folded) {
    return std::find(elision_prefixes.begin(), elision_prefixes.end(), folded) != elision_prefixes.end();
}

// Apostrophe look-alikes that mean an apostrophe inside a word; all become ASCII '.
bool is_apostrophe(UChar32 c) {
    return c == 0x27 || c == 0x2019 || c == 0x02BC || c == 0xFF07 || c == 0x60 || c == 0xB4;
}

// Hyphens that join the parts of one word (a minus, dash or space does not).
std::size_t hyphen_length(std::string_view gap) {
    if (gap == "-") return 1;
    if (gap == "\u2010" || gap == "\u2011") return 3;
    return 0;
}

// Letter, number or mark: what a word is made of (used where there is no segmentation).
bool is_word_char(UChar32 c) {
    return c >= 0 && (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK)) != 0;
}

UChar32 prev_cp(std::string_view s, std::size_t i) {
    UChar32 c;
    auto pos = static_cast<int32_t>(i);
    U8_PREV(s.data(), 0, pos, c);
    return c;
}

// ASCII letters and digits: a word made only of them folds by lower-casing alone.
bool is_plain_ascii(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}


// Kana and unified ideographs that NFKC case folding leaves as they are: the CJK fast path.
bool folds_to_itself_cjk(UChar32 c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) ||
           c == 0x30FC || (c >= 0x3400 && c <= 0x4DBF);
}

// What stays with the character before it in a CJK run: marks (ﾞ too) and what folding erases (ZWJ).
bool extends_character(UChar32 c) {
    return (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0 || u_hasBinaryProperty(c, UCHAR_GRAPHEME_EXTEND) ||
           u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

// Scripts whose combining marks are accents or vowel points that searchers do not type.
bool drops_marks(UScriptCode script) {
    return script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_ARABIC ||
           script == USCRIPT_HEBREW;
}

// "10,000" and "1,234,567.89" lose their group commas; "1,2,3" and "3,5" keep theirs.
void drop_group_commas(std::string& term) {
    if (term.find(',') == std::string::npos) return;
    std::size_t end = term.find('.');
    if (end == std::string::npos) end = term.size();
    std::size_t first = term.find(',');
    if (first == 0 || first > 3 || (end - first) % 4 != 0) return;
    for (std::size_t i = 0; i < end; ++i) {
        bool comma_here = i >= first && (i - first) % 4 == 0;
        if (comma_here ? term[i] != ',' : (term[i] < '0' || term[i] > '9')) return;
    }
    for (std::size_t i = end; i < term.size(); ++i)
        if (term[i] == ',') return;
    std::erase(term, ',');
}

// "u.s.a" -> "usa", "e.g" -> "eg": dots between single letters only ("example.com" stays).
void drop_acronym_dots(std::string& term) {
    if (term.find('.') == std::string::npos) return;
    std::size_t i = 0, letters = 0;
    while (i < term.size()) {
        if (term[i] == '.') return;  // an empty part
        next_code_point(term, i);
        ++letters;
        if (i < term.size()) {
            if (term[i] != '.') return;  // a part longer than one letter
            ++i;
            if (i == term.size()) return;
        }
    }
    if (letters > 1) std::erase(term, '.');
}

}  // namespace

std::string cap_term(std::string term, std::size_t max_bytes) {
    if (term.size() <= max_bytes) return term;
    const std::uint64_t hash = fnv1a(term);  // fixed: a capped term must be the same in every build
    static constexpr char hex[] = "0123456789abcdef";
    std::string suffix = "~";
    for (int shift = 60; shift >= 0; shift -= 4) suffix += hex[(hash >> shift) & 0xF];
    if (max_bytes <= suffix.size()) return suffix.substr(0, max_bytes);
    std::size_t cut = max_bytes - suffix.size();
    while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
    term.resize(cut);
    return term + suffix;
}

struct Tokenizer::Impl {
    struct Segment {
        std::uint32_t begin;
        std::uint32_t end;
        std::int32_t status;
    };

    std::unique_ptr<icu::BreakIterator> words;
    UText* utext = nullptr;
    const icu::Normalizer2* nfkc_casefold = nullptr;
    const icu::Normalizer2* nfd = nullptr;
    const icu::Normalizer2* nfc = nullptr;
    // Reused between tokens so that folding a token does not allocate once they have grown.
    icu::UnicodeString source, folded, decomposed, stripped, composed;
    std::string term, scratch;
    std::vector<Segment> segments;

    Impl() {
        UErrorCode status = U_ZERO_ERROR;
        words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
        nfd = icu::Normalizer2::getNFDInstance(status);
        nfc = icu::Normalizer2::getNFCInstance(status);
        if (U_FAILURE(status) || !words)
            throw std::runtime_error(std::string("ICU initialisation failed: ") + u_errorName(status));
    }
    ~Impl() {
        if (utext) utext_close(utext);
    }

    void fold_chars(std::string_view in, std::string& out);
    void fold_unicode(std::string_view in, std::string& out);
    void apply_apostrophes(std::string& s, bool elision);
    void collect_segments(std::string_view text);
    std::size_t emit_word(std::string_view text, Segment seg, std::uint32_t& pos, std::vector<Token>& out);
    void emit_cjk(std::string_view text, Segment seg, std::uint32_t& pos, std::vector<Token>& out);
    void fold_token(std::string_view span, std::int32_t status);
};

// Character-level folding shared by tokens and fold(): apostrophes, NFKC case fold, diacritics.
void Tokenizer::Impl::fold_chars(std::string_view in, std::string& out) {
    out.clear();
    if (is_ascii(in)) {  // the common case: nothing for ICU to do but lower-casing
        out.reserve(in.size());
        for (char ch : in) {
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
            else if (ch == '`') ch = '\'';
            out += ch;
        }
        return;
    }
    fold_unicode(in, out);
}

void Tokenizer::Impl::fold_unicode(std::string_view in, std::string& out) {
    source.remove();
    for (std::size_t i = 0; i < in.size();) {
        UChar32 c = next_code_point(in, i);
        if (c < 0) c = 0x20;  // an ill-formed byte separates like a space
        else if (is_apostrophe(c)) c = 0x27;
        source.append(c);
    }
    UErrorCode status = U_ZERO_ERROR;
    nfkc_casefold->normalize(source, folded, status);
    if (U_FAILURE(status)) return;

    // Only decompose when something may change: a decomposable letter, a mark, ı, tatweel, a non-ASCII digit.
    bool needs_pass = false;
    for (int32_t i = 0; i < folded.length() && !needs_pass;) {
        UChar32 c = folded.char32At(i);
        i += U16_LENGTH(c);
        if (c < 0x80) continue;
        needs_pass = c == 0x131 || c == 0x640 || !nfd->isInert(c) ||
                     (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_ND_MASK)) != 0;
    }
    const icu::UnicodeString* result = &folded;
    if (needs_pass) {
        nfd->normalize(folded, decomposed, status);
        stripped.remove();
        UScriptCode base_script = USCRIPT_COMMON;
        UChar32 base = 0;
        bool base_is_letter = false;  // or number
        for (int32_t i = 0; i < decomposed.length();) {
            UChar32 c = decomposed.char32At(i);
            i += U16_LENGTH(c);
            int8_t type = u_charType(c);
            if (type == U_NON_SPACING_MARK) {
                // A mark on no letter (on an apostrophe, a dot, nothing) is noise, and would land on a letter
                // once the apostrophe or dot goes.
                if (drops_marks(base_script) || !base_is_letter) continue;
                if (base == 0x435 && c == 0x308) continue;  // ё -> е; й, ї and the rest stay letters
            } else if (type == U_ENCLOSING_MARK) {
                continue;  // keycaps and circles around a character
            } else if (c == 0x640) {
                base_script = USCRIPT_ARABIC;  // tatweel only stretches a word; its harakat go too
                base_is_letter = true;
                continue;
            } else {
                if (c == 0x131) c = 'i';  // dotless ı, so that Istanbul, İstanbul and ıstanbul meet
                else if (type == U_DECIMAL_DIGIT_NUMBER && c >= 0x80) c = '0' + u_charDigitValue(c);
                UErrorCode script_status = U_ZERO_ERROR;
                base = c;
                base_is_letter = (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
                base_script = uscript_getScript(c, &script_status);
            }
            stripped.append(c);
        }
        nfc->normalize(stripped, composed, status);
        if (U_FAILURE(status)) return;
        result = &composed;
    }
    icu::StringByteSink<std::string> sink(&out);
    result->toUTF8(sink);
}

// Possessive 's and a trailing ' go, other apostrophes inside a word go; with elision, "l'" + word splits.
void Tokenizer::Impl::apply_apostrophes(std::string& s, bool elision) {
    if (s.find('\'') == std::string::npos) return;
    scratch.clear();
    std::size_t word_start = 0;  // in scratch
    for (std::size_t i = 0; i < s.size();) {
        std::size_t at = i;
        UChar32 c = next_code_point(s, i);
        if (c != '\'') {
            if (!is_word_char(c)) word_start = scratch.size() + (i - at);
            scratch.append(s, at, i - at);
            continue;
        }
        bool word_before = at > 0 && is_word_char(prev_cp(s, at));
        std::size_t j = i;
        UChar32 next = i < s.size() ? next_code_point(s, j) : -1;
        bool word_after = is_word_char(next);
        if (word_before && next == 's') {
            std::size_t k = j;
            if (j == s.size() || !is_word_char(next_code_point(s, k))) {  // possessive 's
                i = j;
                continue;
            }
        }
        if (elision && word_before && word_after &&
            is_elision_prefix(std::string_view(scratch).substr(word_start))) {
            scratch += ' ';
            word_start = scratch.size();
        }
    }
    s.swap(scratch);
}

void Tokenizer::Impl::fold_token(std::string_view span, std::int32_t status) {
    bool ascii = is_ascii(span);
    fold_chars(span, term);
    if (!ascii) std::erase(term, ' ');  // compatibility decompositions such as ´ bring spaces
    apply_apostrophes(term, false);
    if (is_number_status(status)) drop_group_commas(term);
    else if (is_letter_status(status)) drop_acronym_dots(term);
}

void Tokenizer::Impl::collect_segments(std::string_view text) {
    segments.clear();
    UErrorCode status = U_ZERO_ERROR;
    utext = utext_openUTF8(utext, text.data(), static_cast<int64_t>(text.size()), &status);
    words->setText(utext, status);
    if (U_FAILURE(status)) return;
    int32_t grave_gap_end = -1;  // end of a ` or ´ that ICU split a word at: "don`t" is one word here
    int32_t begin = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE; begin = end, end = words->next()) {
        int32_t rule = words->getRuleStatus();
        if (rule < UBRK_WORD_NONE_LIMIT) {
            std::string_view gap = text.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
            bool after_word = !segments.empty() && segments.back().end == static_cast<std::uint32_t>(begin) &&
                              is_letter_status(segments.back().status);
            grave_gap_end = after_word && (gap == "`" || gap == "\xC2\xB4") ? end : -1;
            continue;
        }
        if (grave_gap_end == begin && is_letter_status(rule)) {
            segments.back().end = static_cast<std::uint32_t>(end);
        } else {
            segments.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), rule});
        }
        grave_gap_end = -1;
    }
}

// Emits the tokens of one letter/number segment; returns the index in out of its first main token.
std::size_t Tokenizer::Impl::emit_word(std::string_view text, Segment seg, std::uint32_t& pos,
                                       std::vector<Token>& out) {
    // ICU 72 counts @ as a letter ("@me" is a word, so is a lone "@"): handles are searched without it.
    while (seg.begin < seg.end && text[seg.begin] == '@') ++seg.begin;
    while (seg.end > seg.begin && text[seg.end - 1] == '@') --seg.end;
    std::size_t main = out.size();
    if (seg.begin == seg.end) return main;
    std::string_view whole = text.substr(seg.begin, seg.end - seg.begin);
    if (std::all_of(whole.begin(), whole.end(), is_plain_ascii)) {  // most words: only lower-casing to do
        out.push_back({std::string(whole), pos++, seg.begin, seg.end, TokenKind::Word});
        for (char& ch : out.back().term)
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        if (out.back().term.size() > max_term_bytes) out.back().term = cap_term(std::move(out.back().term));
        return main;
    }
    if (is_letter_status(seg.status)) {
        // Elision: a known prefix before the first apostrophe is a word of its own, unless what follows is a
        // lone "s" (then it is a possessive: "all's" -> "all").
        for (;;) {
            std::string_view span = text.substr(seg.begin, seg.end - seg.begin);
            std::size_t i = 0, apostrophe = 0;
            UChar32 c = 0;
            while (i < span.size() && i <= 24) {
                apostrophe = i;
                if (is_plain_ascii(span[i])) {  // skip the common bytes without decoding
                    ++i;
                    continue;
                }
                c = next_code_point(span, i);
                if (c < 0 || is_apostrophe(c)) break;
            }
            if (c < 0 || !is_apostrophe(c) || apostrophe == 0 || i >= span.size()) break;
            std::string_view rest = span.substr(i);
            if (rest == "s" || rest == "S") break;
            fold_chars(span.substr(0, apostrophe), term);
            if (!is_elision_prefix(term)) break;
            out.push_back({term, pos++, seg.begin, seg.begin + static_cast<std::uint32_t>(apostrophe), TokenKind::Word});
            seg.begin += static_cast<std::uint32_t>(i);
            main = out.size();
        }
    }
    fold_token(text.substr(seg.begin, seg.end - seg.begin), seg.status);
    if (term.size() > max_term_bytes) term = cap_term(std::move(term));
    if (!term.empty()) out.push_back({term, pos++, seg.begin, seg.end, TokenKind::Word});
    return main;
}

// A CJK run: one Ideograph token per character, plus the dictionary word when it has 2+ characters.
void Tokenizer::Impl::emit_cjk(std::string_view text, Segment seg, std::uint32_t& pos, std::vector<Token>& out) {
    std::string_view span = text.substr(seg.begin, seg.end - seg.begin);
    std::size_t first = out.size();
    std::string word;
    for (std::size_t i = 0; i < span.size();) {
        std::size_t start = i;
        UChar32 c = next_code_point(span, i);
        // A character with its combining marks (halfwidth ｶﾞ is one character after folding).
        for (std::size_t j = i; j < span.size();) {
            UChar32 mark = next_code_point(span, j);
            if (mark < 0 || !extends_character(mark)) break;
            i = j;
        }
        if (i - start == static_cast<std::size_t>(U8_LENGTH(c)) && folds_to_itself_cjk(c)) {
            term.assign(span.substr(start, i - start));
        } else {
            fold_chars(span.substr(start, i - start), term);
            std::erase(term, ' ');
        }
        if (term.empty()) continue;
        word += term;
        out.push_back({cap_term(term), pos++, seg.begin + static_cast<std::uint32_t>(start),
                       seg.begin + static_cast<std::uint32_t>(i), TokenKind::Ideograph});
    }
    if (out.size() - first >= 2)
        out.push_back({cap_term(std::move(word)), out[first].position, seg.begin, seg.end, TokenKind::CjkWord});
}

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;

std::uint32_t Tokenizer::tokenize(std::string_view text, std::vector<Token>& out, std::uint32_t first_position) {
    if (text.size() > static_cast<std::size_t>(INT32_MAX)) text = text.substr(0, INT32_MAX);  // ICU's offsets
    auto& m = *impl_;
    m.collect_segments(text);
    std::uint32_t pos = first_position;
    const auto& segs = m.segments;
    for (std::size_t s = 0; s < segs.size();) {
        if (is_cjk_status(segs[s].status)) {
            m.emit_cjk(text, segs[s], pos, out);
            ++s;
            continue;
        }
        // A run of word segments joined by single hyphens: each part, then the parts joined.
        std::size_t run_end = s + 1;
        while (run_end < segs.size() && !is_cjk_status(segs[run_end].status) &&
               hyphen_length(text.substr(segs[run_end - 1].end, segs[run_end].begin - segs[run_end - 1].end)) > 0)
            ++run_end;
        if (run_end == s + 1) {
            m.emit_word(text, segs[s++], pos, out);
            continue;
        }
        std::string joined;
        std::size_t parts = 0;
        std::size_t joined_first = 0;
        for (std::size_t k = s; k < run_end; ++k) {
            std::size_t main = m.emit_word(text, segs[k], pos, out);
            if (main == out.size()) continue;
            if (parts++ == 0) joined_first = main;
            for (std::size_t t = main; t < out.size(); ++t) joined += out[t].term;
        }
        if (parts >= 2) {
            const Token& head = out[joined_first];
            out.push_back({cap_term(std::move(joined)), head.position, head.begin, out.back().end, TokenKind::Joined});
        }
        s = run_end;
    }
    return pos;
}

std::string Tokenizer::fold(std::string_view text) {
    std::string out;
    impl_->fold_chars(text, out);
    impl_->apply_apostrophes(out, true);
    return out;
}

std::string Tokenizer::fold_keyword(std::string_view value) {
    std::string folded = fold(value);
    std::string out;
    out.reserve(folded.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < folded.size();) {
        std::size_t at = i;
        UChar32 c = next_code_point(folded, i);
        if (!is_word_char(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out.append(folded, at, i - at);
    }
    return cap_term(std::move(out));
}

}  // namespace dixit
