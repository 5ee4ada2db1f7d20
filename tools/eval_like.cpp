// dixit-eval-like: how well like= finds a half-remembered quote, on any index.
//
// Draws seeded quotes of at least --min-words words from the index itself, misremembers each the ways
// people do (a fragment, a dropped word, two words swapped, a typo, another inflection, a wrong word, and
// two of those at once), searches like= with each text through search(), and counts how often the
// original is the first hit and among the first three. Prints a table (with latencies in this process);
// --require R exits 1 when the share in the first three, over every text, is below R. Usage:
//   dixit-eval-like --db DIR [--quotes N] [--seed S] [--min-words W] [--require R] [--min-share X] [--show K]
#include <document.h>
#include <quote.h>
#include <search.h>
#include <searcher.h>
#include <tokenizer.h>

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace dixit;

namespace {

struct Original {
    std::string id, text, language;
};

std::vector<Token> words_of(Tokenizer& tokenizer, const std::string& text) {
    std::vector<Token> all, out;
    tokenizer.tokenize(text, all);
    for (auto& t : all)
        if (t.kind == TokenKind::Word || t.kind == TokenKind::Ideograph) out.push_back(std::move(t));
    return out;
}

std::u32string decode(const std::string& s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out += cp;
        i += static_cast<std::size_t>(n);
    }
    return out;
}

std::string encode(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
        if (c < 0x80) out += static_cast<char>(c);
        else if (c < 0x800) { out += static_cast<char>(0xC0 | (c >> 6)); out += static_cast<char>(0x80 | (c & 0x3F)); }
        else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12)); out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18)); out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)); out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// Misremembering, on the original text's bytes (the words as the tokenizer finds them).
class Misremember {
public:
    Misremember(Tokenizer& tokenizer, const Xapian::Database& db, std::mt19937_64& rng, const std::vector<std::string>& pool)
        : tokenizer_(tokenizer), db_(db), rng_(rng), pool_(pool) {}

    static constexpr const char* kinds[] = {"fragment", "dropped word", "swapped words", "typo", "inflection", "wrong word"};

    std::string apply(int kind, const std::string& text, const std::string& language) {
        auto w = words_of(tokenizer_, text);
        if (w.size() < 4) return text;
        const std::size_t n = w.size();
        auto pick = [&](std::size_t lo, std::size_t hi) { return std::uniform_int_distribution<std::size_t>(lo, hi)(rng_); };
        auto replace = [&](std::size_t i, const std::string& by) {
            return text.substr(0, w[i].begin) + by + text.substr(w[i].end);
        };
        switch (kind) {
            case 0: {  // a fragment: 40-70% of the words, at least 6, in a run
                std::size_t len = std::max<std::size_t>(6, n * pick(40, 70) / 100);
                len = std::min(len, n);
                std::size_t start = pick(0, n - len);
                return text.substr(w[start].begin, w[start + len - 1].end - w[start].begin);
            }
            case 1: return replace(pick(0, n - 1), "");
            case 2: {
                std::size_t i = pick(0, n - 2);
                return text.substr(0, w[i].begin) + text.substr(w[i + 1].begin, w[i + 1].end - w[i + 1].begin) +
                       text.substr(w[i].end, w[i + 1].begin - w[i].end) + text.substr(w[i].begin, w[i].end - w[i].begin) +
                       text.substr(w[i + 1].end);
            }
            case 3: {  // one edit in a word of 5 or more characters
                std::vector<std::size_t> long_words;
                for (std::size_t i = 0; i < n; ++i)
                    if (w[i].kind == TokenKind::Word && decode(text.substr(w[i].begin, w[i].end - w[i].begin)).size() >= 5)
                        long_words.push_back(i);
                if (long_words.empty()) return replace(pick(0, n - 1), "");
                std::size_t i = long_words[pick(0, long_words.size() - 1)];
                std::u32string cps = decode(text.substr(w[i].begin, w[i].end - w[i].begin));
                std::size_t at = pick(1, cps.size() - 2);
                switch (pick(0, 3)) {
                    case 0: std::swap(cps[at], cps[at + 1]); break;
                    case 1: cps.erase(at, 1); break;
                    case 2: cps.insert(at, 1, cps[at]); break;
                    default: cps[at] = cps[pick(0, cps.size() - 1)] == cps[at] ? cps[(at + 2) % cps.size()] : cps[pick(0, cps.size() - 1)];
                }
                return replace(i, encode(cps));
            }
            case 4: {  // another word of the same stem, when the index has one
                const std::string stemmer_name = stemmer_language(language);
                std::vector<std::pair<std::size_t, std::string>> options;
                if (!stemmer_name.empty()) {
                    Xapian::Stem stem(stemmer_name);
                    for (std::size_t i = 0; i < n; ++i) {
                        if (w[i].kind != TokenKind::Word) continue;
                        for (const auto& form : stemmed_query_terms(w[i].term, stem, stemmer_name, &db_))
                            if (form != w[i].term && db_.get_termfreq(form) > 0) options.emplace_back(i, form);
                    }
                }
                if (options.empty()) {  // no stemmer or no other form: a suffix
                    std::size_t i = pick(0, n - 1);
                    return replace(i, text.substr(w[i].begin, w[i].end - w[i].begin) + "s");
                }
                const auto& [i, form] = options[pick(0, options.size() - 1)];
                return replace(i, form);
            }
            default: return replace(pick(0, n - 1), pool_[pick(0, pool_.size() - 1)]);
        }
    }

private:
    Tokenizer& tokenizer_;
    const Xapian::Database& db_;
    std::mt19937_64& rng_;
    const std::vector<std::string>& pool_;
};

struct Row {
    unsigned queries = 0, top1 = 0, top3 = 0;
    std::vector<double> ms;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_dir;
    unsigned quotes = 300, seed = 1, min_words = 14, show = 0;
    double require = -1, min_share = -1;
    for (int i = 1; i < argc; ++i) {
        auto arg = [&](const char* name) { return std::strcmp(argv[i], name) == 0 && i + 1 < argc; };
        if (arg("--db")) db_dir = argv[++i];
        else if (arg("--quotes")) quotes = static_cast<unsigned>(std::stoul(argv[++i]));
        else if (arg("--seed")) seed = static_cast<unsigned>(std::stoul(argv[++i]));
        else if (arg("--min-words")) min_words = static_cast<unsigned>(std::stoul(argv[++i]));
        else if (arg("--require")) require = std::stod(argv[++i]);
        else if (arg("--min-share")) min_share = std::stod(argv[++i]);
        else if (arg("--show")) show = static_cast<unsigned>(std::stoul(argv[++i]));
        else {
            std::cerr << "usage: dixit-eval-like --db DIR [--quotes N] [--seed S] [--min-words W] [--require R] "
                         "[--min-share X] [--show K]\n";
            return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (db_dir.empty()) {
        std::cerr << "dixit-eval-like: --db DIR is required\n";
        return 2;
    }
    try {
        Settings settings;
        settings.db = db_dir;
        settings.cache_bytes = 0;
        SearchService service(settings);
        Searcher searcher(service);
        Xapian::Database& db = searcher.db();
        service.vocabulary().get(db, true);
        searcher.columns(true);

        // The quotes of at least min_words words, and a pool of words for wrong ones.
        Tokenizer tokenizer;
        std::vector<Original> originals;
        std::vector<std::string> pool;
        // Random documents until there are enough (every document of a small index).
        std::mt19937_64 rng(seed);
        const Xapian::docid last = db.get_lastdocid();
        std::vector<Xapian::docid> docids;
        if (last <= 20u * quotes) {
            for (Xapian::docid d = 1; d <= last; ++d) docids.push_back(d);
            std::shuffle(docids.begin(), docids.end(), rng);
        }
        for (std::size_t k = 0; originals.size() < quotes && k < std::max<std::size_t>(docids.size(), 50u * quotes); ++k) {
            const Xapian::docid d = docids.empty() ? static_cast<Xapian::docid>(rng() % last + 1) : k < docids.size() ? docids[k] : 0;
            if (d == 0) break;
            if (searcher.tombstones().contains(d)) continue;
            Xapian::Document doc;
            try {
                doc = db.get_document(d);
            } catch (const Xapian::DocNotFoundError&) {
                continue;
            }
            Quote q = quote_from_document(doc);
            auto w = words_of(tokenizer, q.text);
            if (w.size() >= min_words &&
                std::none_of(originals.begin(), originals.end(), [&](const Original& o) { return o.id == q.id; }))
                originals.push_back({q.id, q.text, q.language});
            for (std::size_t i = 0; i < w.size() && pool.size() < 50000; i += 3)
                pool.push_back(q.text.substr(w[i].begin, w[i].end - w[i].begin));
        }
        if (originals.empty() || pool.empty()) {
            std::cerr << "dixit-eval-like: no quote of " << min_words << " words or more in " << db_dir << "\n";
            return 1;
        }

        Misremember misremember(searcher.tokenizer(), db, rng, pool);
        std::map<std::string, Row> rows;
        Row all;
        std::vector<std::string> order(std::begin(Misremember::kinds), std::end(Misremember::kinds));
        order.push_back("two at once");
        unsigned shown = 0;
        for (const Original& o : originals) {
            for (int kind = 0; kind <= 6; ++kind) {
                std::string text;
                if (kind < 6) {
                    text = misremember.apply(kind, o.text, o.language);
                } else {
                    int a = static_cast<int>(rng() % 5) + 1, b = static_cast<int>(rng() % 5) + 1;  // no fragment twice
                    text = misremember.apply(b, misremember.apply(a, o.text, o.language), o.language);
                }
                SearchRequest r;
                r.like = text;
                r.sort = SortOrder::Relevance;
                r.per_page = 3;
                if (min_share >= 0) r.min_share = min_share;
                auto t0 = std::chrono::steady_clock::now();
                SearchResponse resp = search(r, searcher);
                double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
                std::size_t rank = 0;
                for (std::size_t i = 0; i < resp.hits.size(); ++i)
                    if (resp.hits[i].quote.id == o.id) { rank = i + 1; break; }
                for (Row* row : {&rows[order[static_cast<std::size_t>(kind)]], &all}) {
                    ++row->queries;
                    row->top1 += rank == 1;
                    row->top3 += rank >= 1;
                    row->ms.push_back(ms);
                }
                if (rank == 0 && shown < show) {
                    ++shown;
                    std::cout << "MISS [" << order[static_cast<std::size_t>(kind)] << "] " << o.id << "\n  original: " << o.text
                              << "\n  text:     " << text << "\n  got:      "
                              << (resp.hits.empty() ? std::string("(nothing)") : resp.hits[0].quote.text) << "\n";
                }
            }
        }
        std::printf("like= on %s: %zu quotes of %u+ words, seed %u\n\n", db_dir.c_str(), originals.size(), min_words, seed);
        std::printf("| misremembered | texts | first | in first 3 | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
        auto print = [](const std::string& name, const Row& row) {
            std::printf("| %s | %u | %.1f%% | %.1f%% | %.2f | %.2f |\n", name.c_str(), row.queries, 100.0 * row.top1 / row.queries,
                        100.0 * row.top3 / row.queries, percentile(row.ms, 0.5), percentile(row.ms, 0.99));
        };
        for (const auto& name : order) print(name, rows[name]);
        print("all", all);
        const double top3 = static_cast<double>(all.top3) / all.queries;
        if (require >= 0 && top3 < require) {
            std::fprintf(stderr, "dixit-eval-like: %.1f%% in the first 3, below the required %.1f%%\n", 100 * top3, 100 * require);
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "dixit-eval-like: " << e.what() << "\n";
        return 1;
    }
}
