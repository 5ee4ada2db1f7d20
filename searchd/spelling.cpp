// The vocabulary and its trigram index, the bounded edit distance, and the corrections of q.
#include "spelling.h"

#include "query_lexer.h"
#include "store_reader.h"

#include <document.h>
#include <text.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <numeric>

namespace dixit {
namespace {

bool is_cjk(char32_t c) {
    UErrorCode error = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &error);
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || script == USCRIPT_HANGUL;
}

// A word that corrections are made for and drawn from: a letter in it, no CJK character.
bool correctable(const std::u32string& w) {
    if (w.empty()) return false;
    bool letter = false;
    for (char32_t c : w) {
        if (is_cjk(c)) return false;
        letter = letter || u_isalpha(static_cast<UChar32>(c));
    }
    return letter;
}

// The trigrams of a word padded with two boundary marks (0) at both ends ("^^a", "^ab", ..., "z$$"): two
// more than it has code points, so that words of 5 or 6 with two edits still share one with their correction.
std::vector<std::uint64_t> trigrams(std::u32string_view w) {
    std::vector<std::uint64_t> out;
    const std::size_t n = w.size();
    auto at = [&](std::size_t i) -> std::uint64_t { return i < 2 || i >= n + 2 ? 0 : static_cast<std::uint64_t>(w[i - 2]) & 0x1fffff; };
    for (std::size_t i = 0; i < n + 2; ++i) out.push_back(at(i) << 42 | at(i + 1) << 21 | at(i + 2));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring), or
// bound + 1 once it must exceed bound.
unsigned edit_distance(std::u32string_view a, std::u32string_view b, unsigned bound) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > bound) return bound + 1;
    thread_local std::vector<unsigned> before, previous, current;  // no allocation per candidate
    before.assign(m + 1, 0);
    previous.assign(m + 1, 0);
    current.assign(m + 1, 0);
    std::iota(previous.begin(), previous.end(), 0u);
    unsigned previous_min = 0;
    for (std::size_t i = 1; i <= n; ++i) {
        current[0] = static_cast<unsigned>(i);
        unsigned row_min = current[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
            current[j] = d;
            row_min = std::min(row_min, d);
        }
        // A cell is reached from this row or the one before it (a transposition): past both, no way back.
        if (row_min > bound && previous_min > bound) return bound + 1;
        previous_min = row_min;
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return std::min(previous[m], bound + 1);
}

// A word of q that a correction may replace: where it is in q, and its folded form.
struct QueryWord {
    std::size_t begin, end;
    std::string term;
};

std::vector<QueryWord> query_words(std::string_view q, Tokenizer& tokenizer) {
    std::vector<QueryWord> out;
    std::vector<Lexeme> lexemes;
    try {
        lexemes = lex_query(q);
    } catch (...) {
        return out;  // a malformed q has no suggestion (its error says what is wrong)
    }
    std::vector<Token> tokens;
    for (const Lexeme& l : lexemes) {
        if (!(l.kind == LexemeKind::Word && !l.prefix) && l.kind != LexemeKind::Phrase) continue;
        tokens.clear();
        tokenizer.tokenize(l.text, tokens);
        for (const Token& t : tokens)
            if (t.kind == TokenKind::Word) out.push_back({l.text_begin + t.begin, l.text_begin + t.end, t.term});
    }
    return out;
}

// True when some stemmer of the index's languages takes word to a stem that quotes hold.
bool stem_exists(const std::string& word, const Xapian::Database& db, const std::vector<std::string>& stem_languages) {
    for (const auto& name : stem_languages) {
        Xapian::Stem stemmer(name);
        for (const auto& term : stemmed_query_terms(word, stemmer, name, &db))
            if (term != word && db.get_termfreq(term) > 0) return true;
    }
    return false;
}

}  // namespace

std::shared_ptr<const Vocabulary> Vocabulary::read(const Xapian::Database& db, std::size_t max_words) {
    struct Entry {
        std::string word;
        Xapian::doccount frequency;
    };
    std::vector<Entry> entries;
    // Terms without a prefix: they do not start with an upper-case ASCII letter (prefixes do).
    for (auto it = db.allterms_begin(), end = db.allterms_end(); it != end;) {
        const std::string term = *it;
        if (!term.empty() && term[0] >= 'A' && term[0] <= 'Z') {
            it.skip_to("[");  // past every prefixed term
            continue;
        }
        entries.push_back({term, it.get_termfreq()});
        ++it;
    }
    if (entries.size() > max_words) {  // keep the most frequent
        std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(max_words), entries.end(),
                         [](const Entry& a, const Entry& b) { return a.frequency > b.frequency; });
        entries.resize(max_words);
    }
    auto v = std::make_shared<Vocabulary>();
    v->uuid = db.get_uuid();
    v->revision = db.get_revision();
    v->start_.push_back(0);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
    for (auto& e : entries) {
        const std::u32string w = code_points(e.word);
        if (!correctable(w)) continue;
        const auto id = static_cast<std::uint32_t>(v->utf8_.size());
        v->chars_.insert(v->chars_.end(), w.begin(), w.end());
        v->start_.push_back(static_cast<std::uint32_t>(v->chars_.size()));
        v->utf8_.push_back(std::move(e.word));
        v->frequency_.push_back(e.frequency);
        if (w.size() <= short_word + 1) {
            if (v->short_words_.size() <= w.size()) v->short_words_.resize(w.size() + 1);
            v->short_words_[w.size()].push_back(id);
        }
        for (std::uint64_t t : trigrams(w)) pairs.emplace_back(t, id);
    }
    std::sort(pairs.begin(), pairs.end());
    v->postings_.reserve(pairs.size());
    for (const auto& [t, id] : pairs) {
        if (v->trigrams_.empty() || v->trigrams_.back() != t) {
            v->trigrams_.push_back(t);
            v->posting_start_.push_back(static_cast<std::uint32_t>(v->postings_.size()));
        }
        v->postings_.push_back(id);
    }
    v->posting_start_.push_back(static_cast<std::uint32_t>(v->postings_.size()));
    return v;
}

std::optional<Vocabulary::Match> Vocabulary::closest(std::string_view word, unsigned max_distance,
                                                     Xapian::doccount min_frequency) const {
    const std::u32string w = code_points(word);
    if (!correctable(w) || size() == 0) return std::nullopt;
    const auto grams = trigrams(w);
    // A candidate within max_distance edits shares most trigrams: an edit changes at most four (the
    // short words below are compared whatever they share).
    const std::size_t need = grams.size() > 4 * max_distance ? grams.size() - 4 * max_distance : 1;
    thread_local std::vector<std::uint16_t> shared;
    thread_local std::vector<std::uint32_t> touched;
    if (shared.size() < size()) shared.assign(size(), 0);
    touched.clear();
    if (w.size() <= short_word) {  // every word of a length within max_distance is a candidate
        for (std::size_t n = w.size() > max_distance ? w.size() - max_distance : 1; n <= w.size() + max_distance; ++n)
            if (n < short_words_.size())
                for (std::uint32_t id : short_words_[n]) {
                    touched.push_back(id);
                    shared[id] = static_cast<std::uint16_t>(need);
                }
    }
    for (std::uint64_t g : grams) {
        auto it = std::lower_bound(trigrams_.begin(), trigrams_.end(), g);
        if (it == trigrams_.end() || *it != g) continue;
        const auto t = static_cast<std::size_t>(it - trigrams_.begin());
        for (std::uint32_t i = posting_start_[t]; i < posting_start_[t + 1]; ++i) {
            const std::uint32_t id = postings_[i];
            if (shared[id]++ == 0) touched.push_back(id);
        }
    }
    // The candidates: enough trigrams in common, a length within reach, frequent enough; of many, those with
    // the most trigrams in common (each edit costs the correction at most four of them).
    thread_local std::vector<std::uint32_t> candidates;
    candidates.clear();
    for (std::uint32_t id : touched) {
        const std::size_t length = start_[id + 1] - start_[id];
        const std::size_t gap = length > w.size() ? length - w.size() : w.size() - length;
        if (shared[id] >= need && gap <= max_distance && frequency_[id] >= min_frequency) candidates.push_back(id);
        else shared[id] = 0;
    }
    if (candidates.size() > max_candidates) {
        // A short word's neighbours may share no trigram with it: those it has most in common with matter
        // less than how many quotes hold them ("teh": "the" before "teah").
        const bool short_one = w.size() <= short_word;
        std::nth_element(candidates.begin(), candidates.begin() + max_candidates, candidates.end(),
                         [&](std::uint32_t a, std::uint32_t b) {
                             if (!short_one && shared[a] != shared[b]) return shared[a] > shared[b];
                             return frequency_[a] > frequency_[b];
                         });
        for (std::size_t i = max_candidates; i < candidates.size(); ++i) shared[candidates[i]] = 0;
        candidates.resize(max_candidates);
    }
    std::optional<Match> best;
    for (std::uint32_t id : candidates) {
        shared[id] = 0;
        const unsigned bound = best ? best->distance : max_distance;
        const unsigned d = edit_distance(w, chars(id), bound);
        if (d == 0 || d > bound) continue;
        if (!best || d < best->distance || frequency_[id] > best->frequency ||
            (frequency_[id] == best->frequency && utf8_[id] < best->word))
            best = Match{utf8_[id], d, frequency_[id]};
    }
    return best;
}

VocabularyStore::VocabularyStore(std::string dir, bool enabled, std::chrono::seconds refresh)
    : dir_(std::move(dir)), enabled_(enabled), refresh_(refresh),
      reader_(dir_, {mutex_, wake_, wanted_, stop_}, [this](Xapian::Database& db) { read(db); }, enabled) {}

VocabularyStore::~VocabularyStore() = default;

std::shared_ptr<const Vocabulary> VocabularyStore::get(const Xapian::Database& db, bool wait) {
    std::unique_lock lock(mutex_);
    const bool current = held_ && held_->uuid == db.get_uuid() &&
                         (held_->revision == db.get_revision() || std::chrono::steady_clock::now() - read_at_ < refresh_);
    if (current) return held_;
    if (wait) {
        lock.unlock();
        auto read = Vocabulary::read(db);
        lock.lock();
        held_ = read;
        read_at_ = std::chrono::steady_clock::now();
        return read;
    }
    if (!enabled_) return nullptr;
    wanted_ = true;
    wake_.notify_all();
    return held_;  // meanwhile the one read before (another generation's words are mostly the same)
}

void VocabularyStore::read(Xapian::Database& db) {
    {
        std::lock_guard lock(mutex_);  // asked again while it read: the state it read is current
        if (held_ && held_->uuid == db.get_uuid() && held_->revision == db.get_revision()) return;
    }
    auto read = Vocabulary::read(db);
    std::lock_guard lock(mutex_);
    held_ = std::move(read);
    read_at_ = std::chrono::steady_clock::now();
}

std::optional<std::string> correction(const std::string& term, const Vocabulary& vocabulary, const Xapian::Database& db,
                                      const std::vector<std::string>& stem_languages, bool unknown_only) {
    const std::u32string cps = code_points(term);
    if (cps.size() < 3 || !correctable(cps)) return std::nullopt;
    const Xapian::doccount frequency = db.get_termfreq(term);
    std::optional<Vocabulary::Match> match;
    if (frequency == 0) {
        if (stem_exists(term, db, stem_languages)) return std::nullopt;  // "negotiating" finds "negotiate"
        match = vocabulary.closest(term, cps.size() <= 4 ? 1 : 2);
    } else if (frequency <= 3 && !unknown_only) {
        match = vocabulary.closest(term, 1, 100 * frequency);
    }
    if (!match) return std::nullopt;
    return match->word;
}

Suggestion suggest(std::string_view q, const Vocabulary& vocabulary, const Xapian::Database& db, Tokenizer& tokenizer,
                   const std::vector<std::string>& stem_languages) {
    Suggestion out;
    std::string corrected;
    std::size_t copied = 0;
    for (const QueryWord& w : query_words(q, tokenizer)) {
        auto fixed = correction(w.term, vocabulary, db, stem_languages);
        if (!fixed) continue;
        corrected.append(q.substr(copied, w.begin - copied)).append(*fixed);
        copied = w.end;
    }
    if (copied == 0) return out;
    corrected.append(q.substr(copied));
    out.q = std::move(corrected);
    return out;
}

}  // namespace dixit
