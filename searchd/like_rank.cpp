// like=TEXT, second half: how much of the text a document holds in order, for the similarity of a hit
// and the second ranking of the first matches.
#include "like.h"

#include <fields.h>
#include <token_sequence.h>

#include <algorithm>
#include <numeric>

namespace dixit {
namespace {

// The ranking's parts (docs/benchmarks.md, "like="): the share of the text's weight decides most; then
// the words in the text's order, pairs of them side by side or close, and BM25 (which prefers the
// quotes where the words are a larger part).
constexpr double share_part = 0.45, similarity_part = 0.3, pairs_part = 0.15, bm25_part = 0.1;
constexpr double k1 = 1.2, b = 0.75;  // BM25's usual constants (Xapian's BM25Weight defaults)
constexpr std::uint32_t close_by = 3;  // a pair at most this many positions apart counts half
constexpr std::size_t max_positions = 4096;  // of a document's matched positions, for the order checks

// One word form a document holds.
struct Held {
    std::uint32_t word;
    std::uint32_t form;
    Xapian::termcount wdf;
};

// Longest common subsequence of the text's words (-1: none) and the document's matched positions
// (bit i: words[i] stands there).
std::size_t common_subsequence(const std::vector<int>& text, const std::vector<std::uint64_t>& doc) {
    if (text.empty() || doc.empty()) return 0;
    std::vector<std::uint32_t> row(doc.size() + 1, 0);
    for (int w : text) {
        if (w < 0) continue;
        const std::uint64_t bit = std::uint64_t{1} << w;
        std::uint32_t diagonal = 0;  // row[j - 1] of the previous text word
        for (std::size_t j = 1; j <= doc.size(); ++j) {
            const std::uint32_t up = row[j];
            row[j] = (doc[j - 1] & bit) ? diagonal + 1 : std::max(row[j], row[j - 1]);
            diagonal = up;
        }
    }
    return row.back();
}

// Credit for each pair of the text's consecutive words: 1 when the document has them side by side in
// that order, 1/2 when the second follows within close_by positions.
double pair_credit(const std::vector<int>& text, const std::vector<std::uint64_t>& at) {
    double credit = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] < 0 || text[i + 1] < 0) continue;
        const std::uint64_t first = std::uint64_t{1} << text[i], second = std::uint64_t{1} << text[i + 1];
        double best = 0;
        for (std::size_t p = 0; p < at.size() && best < 1; ++p) {
            if (!(at[p] & first)) continue;
            for (std::size_t q = p + 1; q < at.size() && q <= p + close_by; ++q)
                if (at[q] & second) {
                    best = std::max(best, q == p + 1 ? 1.0 : 0.5);
                    break;
                }
        }
        credit += best;
    }
    return credit;
}

}  // namespace

std::vector<LikeScore> score_like(const Xapian::Database& db, const LikeText& text, const std::vector<Xapian::docid>& docs,
                                  const std::shared_ptr<const WordOrder>& words, const Deadline& deadline) {
    std::vector<LikeScore> out(docs.size());
    if (docs.empty()) return out;
    // Which forms each document holds, from the posting lists (the index keeps no term lists).
    std::vector<std::size_t> by_docid(docs.size());
    std::iota(by_docid.begin(), by_docid.end(), 0);
    std::sort(by_docid.begin(), by_docid.end(), [&](std::size_t a, std::size_t b) { return docs[a] < docs[b]; });
    std::vector<std::vector<Held>> held(docs.size());
    for (std::uint32_t w = 0; w < text.words.size(); ++w) {
        for (std::uint32_t f = 0; f < text.words[w].forms.size(); ++f) {
            auto it = db.postlist_begin(text.words[w].forms[f]);
            const auto end = db.postlist_end(text.words[w].forms[f]);
            for (std::size_t k : by_docid) {
                it.skip_to(docs[k]);
                if (it == end) break;
                if (*it == docs[k]) held[k].push_back({w, f, it.get_wdf()});
            }
        }
        deadline.check();
    }

    const bool in_memory = words && words->describes(db);
    const double average_length = std::max(1.0, db.get_avlength());
    const double text_words = static_cast<double>(text.sequence.size());
    TokenSequence seq;
    std::string stored;
    std::vector<std::uint64_t> at, matched;
    std::vector<double> best_wdf(text.words.size());
    for (std::size_t k = 0; k < docs.size(); ++k) {
        deadline.check();
        const Xapian::docid did = docs[k];
        LikeScore& s = out[k];
        s.did = did;
        if (held[k].empty()) continue;

        const std::string_view value = word_order_of(in_memory ? words.get() : nullptr, db, did, stored);
        try {
            decode_token_sequence(value, seq);
        } catch (const Xapian::SerialisationError&) {
            seq.at.clear();  // a damaged slot: ranked on its words alone
            seq.extras.clear();
        }
        at.assign(seq.at.size(), 0);
        std::fill(best_wdf.begin(), best_wdf.end(), 0.0);
        std::uint64_t held_words = 0;
        for (const Held& h : held[k]) {
            const std::uint64_t bit = std::uint64_t{1} << h.word;
            held_words |= bit;
            best_wdf[h.word] = std::max(best_wdf[h.word], static_cast<double>(h.wdf));
            const std::uint32_t code = seq.code(text.words[h.word].forms[h.form]);
            for (std::size_t p = 0; p < seq.at.size(); ++p)
                if (seq.at[p] == code) at[p] |= bit;
            for (const auto& [p, c] : seq.extras)
                if (c == code && p < at.size()) at[p] |= bit;
        }
        matched.clear();
        for (std::uint64_t m : at)
            if (m && matched.size() < max_positions) matched.push_back(m);

        const double length_norm = k1 * (1 - b + b * db.get_doclength(did) / average_length);
        double share = 0, bm25 = 0;
        for (std::uint64_t m = held_words; m; m &= m - 1) {
            const auto w = static_cast<std::size_t>(__builtin_ctzll(m));
            share += text.words[w].weight;
            const double wdf = std::max(1.0, best_wdf[w]);
            bm25 += text.words[w].weight * wdf / (length_norm + wdf);
        }
        share /= text.total_weight;
        bm25 /= text.total_weight;  // each word's part is below its weight: 0..1
        s.similarity = text_words > 0 ? static_cast<double>(common_subsequence(text.sequence, matched)) / text_words : 0;
        const double pairs = text_words > 1 ? pair_credit(text.sequence, at) / (text_words - 1) : s.similarity;
        s.score = share_part * share + similarity_part * s.similarity + pairs_part * pairs + bm25_part * bm25;
    }
    return out;
}

}  // namespace dixit
