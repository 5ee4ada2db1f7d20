// like=TEXT, first half: the text's words and their weights, the matching documents, and the query leaf.
#include "like.h"

#include <document.h>
#include <text.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace dixit {
namespace {

void add_form(LikeWord& w, const std::string& term) {
    if (std::find(w.forms.begin(), w.forms.end(), term) == w.forms.end()) w.forms.push_back(term);
}

// BM25's IDF, never negative: a word half the quotes hold still weighs a little.
double idf(Xapian::doccount n, Xapian::doccount f) {
    return std::log(1.0 + (static_cast<double>(n) - f + 0.5) / (static_cast<double>(f) + 0.5));
}

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
            // Words of 5 characters or more only: a short word no quote holds is more often a word of
            // another form or language ("had" is one edit from German "hat") than a typo.
            if (c.vocabulary && utf8_length(t.term) >= 5)
                if (auto fixed = correction(t.term, *c.vocabulary, c.db, c.stem_languages, true)) {
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

    // The words a match must hold its share of: those at most common_share of the quotes hold, and at
    // least min_required of the text's words (the weightiest), so that one wrong word among a few rare
    // ones still leaves enough to find the quote by.
    std::vector<std::size_t> by_weight(out.words.size());
    std::iota(by_weight.begin(), by_weight.end(), 0);
    std::stable_sort(by_weight.begin(), by_weight.end(), [&](std::size_t a, std::size_t b) { return out.words[a].weight > out.words[b].weight; });
    std::size_t required = 0;
    for (std::size_t i : by_weight) {
        LikeWord& w = out.words[i];
        w.required = required < LikeText::min_required || w.frequency <= LikeText::common_share * n;
        if (!w.required) continue;
        ++required;
        out.required_weight += w.weight;
    }
    return out;
}

LikeMatches match_like(const Xapian::Database& db, const LikeText& text, double min_share, const Tombstones& dead,
                       const Deadline& deadline) {
    LikeMatches out;
    if (text.required_weight <= 0) return out;
    const double threshold = std::clamp(min_share, 0.0, 1.0) * text.required_weight * (1 - 1e-9);

    // The required words' posting lists, read whole (one sequential pass each) with the word's bit, then
    // merged pairwise (sequential passes again: no random access into an array the size of the index).
    using Run = std::vector<std::pair<Xapian::docid, std::uint64_t>>;
    std::vector<Run> runs;
    std::size_t steps = 0;
    for (std::size_t w = 0; w < text.words.size(); ++w) {
        if (!text.words[w].required) continue;
        const std::uint64_t bit = std::uint64_t{1} << w;
        for (const auto& form : text.words[w].forms) {
            Run run;
            run.reserve(db.get_termfreq(form));
            for (auto it = db.postlist_begin(form), end = db.postlist_end(form); it != end; ++it) {
                deadline.check_at(++steps);
                run.emplace_back(*it, bit);
            }
            if (!run.empty()) runs.push_back(std::move(run));
        }
    }
    deadline.check();
    while (runs.size() > 1) {
        std::vector<Run> next;
        for (std::size_t i = 0; i + 1 < runs.size(); i += 2) {
            const Run &a = runs[i], &b = runs[i + 1];
            Run merged;
            merged.reserve(a.size() + b.size());
            std::size_t x = 0, y = 0;
            while (x < a.size() && y < b.size()) {
                if (a[x].first < b[y].first) merged.push_back(a[x++]);
                else if (b[y].first < a[x].first) merged.push_back(b[y++]);
                else {
                    merged.emplace_back(a[x].first, a[x].second | b[y].second);
                    ++x;
                    ++y;
                }
            }
            merged.insert(merged.end(), a.begin() + static_cast<std::ptrdiff_t>(x), a.end());
            merged.insert(merged.end(), b.begin() + static_cast<std::ptrdiff_t>(y), b.end());
            next.push_back(std::move(merged));
        }
        if (runs.size() % 2) next.push_back(std::move(runs.back()));
        runs.swap(next);
        deadline.check();
    }
    if (!runs.empty())
        for (const auto& [d, held] : runs.front()) {
            if (dead.contains(d)) continue;
            const double w = weight_of(text, held);
            if (w < threshold) continue;
            out.docs.push_back(d);
            out.share.push_back(static_cast<float>(std::min(1.0, w / text.required_weight)));
        }
    deadline.check();
    return out;
}

Xapian::Query like_query(std::shared_ptr<const LikeMatches> matches) {
    return Xapian::Query((new LikeSource(std::move(matches)))->release());
}

}  // namespace dixit
