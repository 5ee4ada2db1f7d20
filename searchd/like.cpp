// like=TEXT, first half: the text's words and their weights, the matching documents, and the query leaf.
#include "like.h"

#include <document.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace dixit {
namespace {

bool is_main(const Token& t) { return t.kind == TokenKind::Word || t.kind == TokenKind::Ideograph; }

void add_form(LikeWord& w, const std::string& term) {
    if (std::find(w.forms.begin(), w.forms.end(), term) == w.forms.end()) w.forms.push_back(term);
}

// BM25's IDF, never negative: a word half the quotes hold still weighs a little.
double idf(Xapian::doccount n, Xapian::doccount f) {
    return std::log(1.0 + (static_cast<double>(n) - f + 0.5) / (static_cast<double>(f) + 0.5));
}

// Zeroes the marks of the touched documents however match_like() ends (the deadline throws).
struct MarkReset {
    std::vector<std::uint64_t>& marks;
    const DocList& touched;
    ~MarkReset() {
        for (Xapian::docid d : touched) marks[d] = 0;
    }
};

double weight_of(const LikeText& text, std::uint64_t held) {
    double w = 0;
    for (; held; held &= held - 1) w += text.words[static_cast<std::size_t>(__builtin_ctzll(held))].weight;
    return w;
}

// The documents of matches, weighing their share.
class LikeSource : public Xapian::PostingSource {
public:
    explicit LikeSource(std::shared_ptr<const LikeMatches> m) : m_(std::move(m)) {
        for (float s : m_->share) max_ = std::max(max_, static_cast<double>(s));
    }
    void init(const Xapian::Database&) override {
        pos_ = npos;
        set_maxweight(max_);
    }
    Xapian::doccount get_termfreq_min() const override { return size(); }
    Xapian::doccount get_termfreq_est() const override { return size(); }
    Xapian::doccount get_termfreq_max() const override { return size(); }
    void next(double) override { pos_ = pos_ == npos ? 0 : pos_ + 1; }
    void skip_to(Xapian::docid did, double) override {
        const std::size_t from = pos_ == npos ? 0 : pos_;
        const auto& docs = m_->docs;
        if (from < docs.size() && docs[from] >= did) {
            pos_ = from;
            return;
        }
        pos_ = static_cast<std::size_t>(std::lower_bound(docs.begin() + static_cast<std::ptrdiff_t>(from), docs.end(), did) -
                                        docs.begin());
    }
    bool at_end() const override { return pos_ != npos && pos_ >= m_->docs.size(); }
    Xapian::docid get_docid() const override { return m_->docs[pos_]; }
    double get_weight() const override { return m_->share[pos_]; }
    LikeSource* clone() const override { return new LikeSource(m_); }
    std::string name() const override { return "dixit::LikeSource"; }
    std::string get_description() const override { return "LIKE (" + std::to_string(size()) + " matches)"; }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    Xapian::doccount size() const { return static_cast<Xapian::doccount>(m_->docs.size()); }
    std::shared_ptr<const LikeMatches> m_;
    std::size_t pos_ = npos;
    double max_ = 0;
};

}  // namespace

LikeText prepare_like(std::string_view text, const LikeContext& c) {
    std::vector<std::pair<std::string, Xapian::Stem>> stemmers;
    if (!c.verbatim)
        for (const auto& name : c.stem_languages)
            if (!name.empty()) stemmers.emplace_back(name, Xapian::Stem(name));
    const Xapian::doccount n = std::max<Xapian::doccount>(c.db.get_doccount(), 1);
    auto add_stems = [&](LikeWord& w, const std::string& term) {
        add_form(w, term);
        for (const auto& [name, stem] : stemmers)
            for (const auto& t : stemmed_query_terms(term, stem, name, &c.db)) add_form(w, t);
    };

    std::vector<Token> tokens;
    c.tokenizer.tokenize(text, tokens);
    LikeText out;
    std::vector<LikeWord> all;
    std::unordered_map<std::string, int> index;
    std::vector<int> sequence;
    for (const Token& t : tokens) {
        if (!is_main(t)) continue;  // joined forms and CJK dictionary words: the parts stand for them
        auto [it, added] = index.emplace(t.term, static_cast<int>(all.size()));
        sequence.push_back(it->second);
        if (!added) continue;
        LikeWord w;
        w.term = t.term;
        if (t.kind == TokenKind::Word) {
            add_stems(w, t.term);
            out.highlight.words.push_back(t.term);
            if (c.vocabulary)
                if (auto fixed = correction(t.term, *c.vocabulary, c.db, c.stem_languages)) {
                    add_stems(w, *fixed);
                    out.highlight.words.push_back(*fixed);
                }
        } else {
            add_form(w, t.term);
            out.highlight.phrases.push_back({t.term});
        }
        std::vector<std::string> held;
        std::uint64_t frequency = 0;
        for (auto& f : w.forms) {
            const Xapian::doccount tf = c.db.get_termfreq(f);
            if (tf == 0) continue;
            frequency += tf;
            held.push_back(std::move(f));
        }
        w.forms = std::move(held);
        w.frequency = static_cast<Xapian::doccount>(std::min<std::uint64_t>(frequency, n));
        w.weight = idf(n, w.frequency);
        all.push_back(std::move(w));
    }

    // Keep the words some quote holds, at most max_words of them, the weightiest.
    std::vector<int> order;
    for (int i = 0; i < static_cast<int>(all.size()); ++i)
        if (all[static_cast<std::size_t>(i)].frequency > 0) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return all[static_cast<std::size_t>(a)].weight > all[static_cast<std::size_t>(b)].weight;
    });
    if (order.size() > LikeText::max_words) order.resize(LikeText::max_words);
    std::sort(order.begin(), order.end());  // text order
    std::vector<int> renumber(all.size(), -1);
    for (int i : order) {
        renumber[static_cast<std::size_t>(i)] = static_cast<int>(out.words.size());
        out.total_weight += all[static_cast<std::size_t>(i)].weight;
        out.words.push_back(std::move(all[static_cast<std::size_t>(i)]));
    }
    for (int i : sequence) out.sequence.push_back(renumber[static_cast<std::size_t>(i)]);
    return out;
}

LikeMatches match_like(const Xapian::Database& db, const LikeText& text, double min_share, const Tombstones& dead,
                       const Deadline& deadline) {
    LikeMatches out;
    const std::size_t n = text.words.size();
    if (n == 0) return out;
    const double threshold = std::clamp(min_share, 0.0, 1.0) * text.total_weight * (1 - 1e-9);

    // The common words, lightest first, while together they weigh less than the threshold: a document
    // holding none of the others cannot match, so only the others' posting lists are read in full.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return text.words[a].weight < text.words[b].weight; });
    std::size_t split = 0;
    double common_weight = 0;
    while (split + 1 < n && common_weight + text.words[order[split]].weight < threshold)
        common_weight += text.words[order[split++]].weight;

    thread_local std::vector<std::uint64_t> marks;
    const Xapian::docid last = db.get_lastdocid();
    if (marks.size() < static_cast<std::size_t>(last) + 1) marks.resize(static_cast<std::size_t>(last) + 1, 0);
    DocList touched;
    MarkReset reset{marks, touched};
    std::size_t steps = 0;
    for (std::size_t k = split; k < n; ++k) {
        const std::uint64_t bit = std::uint64_t{1} << order[k];
        for (const auto& form : text.words[order[k]].forms)
            for (auto it = db.postlist_begin(form), end = db.postlist_end(form); it != end; ++it) {
                deadline.check_at(++steps);
                const Xapian::docid d = *it;
                if (d > last) break;
                if (!marks[d]) touched.push_back(d);
                marks[d] |= bit;
            }
    }
    deadline.check();
    std::sort(touched.begin(), touched.end());
    DocList candidates;
    for (Xapian::docid d : touched)
        if (!dead.contains(d) && weight_of(text, marks[d]) + common_weight >= threshold) candidates.push_back(d);

    // The common words of the candidates: a skip through a long posting list for few candidates, a walk
    // of it for many.
    for (std::size_t k = 0; k < split && !candidates.empty(); ++k) {
        const std::uint64_t bit = std::uint64_t{1} << order[k];
        for (const auto& form : text.words[order[k]].forms) {
            auto it = db.postlist_begin(form);
            const auto end = db.postlist_end(form);
            if (candidates.size() * 8 < db.get_termfreq(form)) {
                for (Xapian::docid d : candidates) {
                    deadline.check_at(++steps);
                    it.skip_to(d);
                    if (it == end) break;
                    if (*it == d) marks[d] |= bit;
                }
            } else {
                auto c = candidates.begin();
                for (; it != end && c != candidates.end(); ++it) {
                    deadline.check_at(++steps);
                    while (c != candidates.end() && *c < *it) ++c;
                    if (c != candidates.end() && *c == *it) marks[*c] |= bit;
                }
            }
        }
    }
    deadline.check();
    for (Xapian::docid d : candidates) {
        const double w = weight_of(text, marks[d]);
        if (w < threshold) continue;
        out.docs.push_back(d);
        out.share.push_back(static_cast<float>(std::min(1.0, w / text.total_weight)));
    }
    return out;
}

Xapian::Query like_query(std::shared_ptr<const LikeMatches> matches) {
    return Xapian::Query((new LikeSource(std::move(matches)))->release());
}

}  // namespace dixit
