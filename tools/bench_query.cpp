// dixit-bench-query: in-process search latency per query class (p50/p99) over an index, through handle().
//
// Draws a seeded query set from the index itself (random documents: their rare words, word pairs, 3-word
// runs, tags and common words), warms the cache of the OS with one untimed pass, then times each query
// through the same handler the server runs (parsing, search, facets, highlighting, JSON), with the
// response cache off, plus the home page with the cache on; then collapse=variants, /quotes/{id}/variants
// and /provenance. Prints a table; --emit writes the queries
// as request targets, one per line, for dixit-bench-http. Usage:
//   dixit-bench-query --db DIR [--per-class N] [--seed S] [--emit FILE]
#include <codec.h>
#include <columns.h>
#include <document.h>
#include <fields.h>
#include <handlers.h>
#include <searcher.h>
#include <tokenizer.h>

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace dixit;

namespace {

struct QueryClass {
    std::string name;
    double goal_p99_ms;  ///< the issue's goal (0 = none)
    std::vector<std::string> targets;
};

// Query set drawn from random documents of the index.
std::vector<QueryClass> make_query_set(Xapian::Database& db, unsigned per_class, unsigned seed) {
    std::mt19937_64 rng(seed);
    Tokenizer tokenizer;
    const Xapian::doccount docs = db.get_doccount();
    const Xapian::docid last = db.get_lastdocid();
    std::vector<QueryClass> classes = {{"rare word", 0, {}},          {"two-word AND", 0, {}},
                                       {"3-word phrase", 30, {}},     {"phrase + tag filter", 30, {}},
                                       {"common word, newest first", 30, {}}, {"tag page (tag, newest)", 30, {}},
                                       {"broad + tag/author/country facets", 100, {}},
                                       {"misspelt word (did you mean)", 0, {}},
                                       {"match-all + facets (no cache)", 0, {}}};
    auto full = [&] {
        return std::all_of(classes.begin(), classes.end() - 1,
                           [&](const QueryClass& c) { return c.targets.size() >= per_class; });
    };
    std::vector<Token> tokens;
    for (unsigned attempt = 0; attempt < per_class * 200 && !full(); ++attempt) {
        Xapian::docid id = 1 + static_cast<Xapian::docid>(rng() % last);
        Xapian::Document doc;
        try { doc = db.get_document(id); } catch (const Xapian::DocNotFoundError&) { continue; }
        Quote q = quote_from_document(doc);
        tokens.clear();
        tokenizer.tokenize(q.text, tokens);
        std::vector<std::string> words;
        for (const auto& t : tokens)
            if (t.kind == TokenKind::Word && t.term.size() > 2) words.push_back(t.term);
        if (words.size() < 4) continue;
        auto add = [&](std::size_t c, const std::string& target) {
            if (classes[c].targets.size() < per_class) classes[c].targets.push_back(target);
        };
        for (const auto& w : words) {
            Xapian::doccount tf = db.get_termfreq(w);
            if (tf > 0 && tf <= 50) { add(0, "/search?q=" + percent_encode(w)); break; }
        }
        std::string a = words[rng() % words.size()], b = words[rng() % words.size()];
        if (a != b) add(1, "/search?q=" + percent_encode(a + " " + b));
        // Three consecutive Word tokens (stopwords included): a phrase copied from the text.
        for (std::size_t i = 0; i + 2 < tokens.size(); ++i) {
            if (tokens[i].kind != TokenKind::Word || tokens[i + 1].kind != TokenKind::Word ||
                tokens[i + 2].kind != TokenKind::Word || tokens[i + 2].position != tokens[i].position + 2)
                continue;
            std::string phrase = "\"" + tokens[i].term + " " + tokens[i + 1].term + " " + tokens[i + 2].term + "\"";
            add(2, "/search?q=" + percent_encode(phrase));
            if (!q.tags.empty()) add(3, "/search?q=" + percent_encode(phrase) + "&tag=" + percent_encode(q.tags[0]));
            break;
        }
        for (const auto& w : words) {
            if (db.get_termfreq(w) * 100 >= docs) {  // in at least 1% of the quotes
                add(4, "/search?q=" + percent_encode(w) + "&sort=newest");
                add(6, "/search?q=" + percent_encode(w) + "&facets=tag,author,country");
                break;
            }
        }
        if (!q.tags.empty()) add(5, "/search?tag=" + percent_encode(q.tags[rng() % q.tags.size()]) + "&sort=newest");
        // A word of 6 or more ASCII letters with two neighbours swapped, that no quote holds.
        for (const auto& w : words) {
            if (w.size() < 6 || !std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isalpha(c); })) continue;
            std::string typo = w;
            const std::size_t at = 1 + rng() % (w.size() - 3);
            std::swap(typo[at], typo[at + 1]);
            if (typo != w && db.get_termfreq(typo) == 0) add(7, "/search?q=" + percent_encode(typo));
            break;
        }
    }
    for (unsigned i = 0; i < std::min(per_class, 20u); ++i)
        classes[8].targets.push_back("/search?facets=tag,author,country");
    return classes;
}

// collapse=variants on the common-word classes, and the variant routes on quotes that have variants
// (a random member of a random group of two or more, from the columns) and on random quotes.
std::vector<QueryClass> variant_classes(Searcher& searcher, const std::vector<QueryClass>& base, unsigned per_class,
                                        unsigned seed) {
    std::vector<QueryClass> out = {{"collapse=variants, common word, newest", 50, {}},
                                   {"collapse=variants, broad + facets", 100, {}},
                                   {"collapse=variants, match-all", 50, {}},
                                   {"/quotes/{id}/variants (grouped quotes)", 50, {}},
                                   {"/quotes/{id}/variants (any quote)", 50, {}},
                                   {"/provenance?id= (grouped quotes)", 50, {}},
                                   {"/provenance?text= (a variant's text)", 50, {}}};
    for (const auto& t : base[4].targets) out[0].targets.push_back(t + "&collapse=variants");
    for (const auto& t : base[6].targets) out[1].targets.push_back(t + "&collapse=variants");
    for (unsigned i = 0; i < std::min(per_class, 20u); ++i) out[2].targets.push_back("/search?collapse=variants");
    std::mt19937_64 rng(seed);
    Xapian::Database& db = searcher.db();
    const auto columns = searcher.columns(true);
    const VariantColumn& v = columns->variants;
    std::vector<std::uint32_t> groups;
    for (std::uint32_t g = 0; g < v.keys.size(); ++g)
        if (v.start[g + 1] - v.start[g] >= 2) groups.push_back(g);
    std::shuffle(groups.begin(), groups.end(), rng);
    for (std::uint32_t g : groups) {
        if (out[3].targets.size() >= per_class) break;
        auto [begin, end] = v.of_group(g);
        const Quote q = quote_from_document(db.get_document(begin[rng() % static_cast<std::size_t>(end - begin)]));
        out[3].targets.push_back("/quotes/" + percent_encode(q.id) + "/variants");
        out[5].targets.push_back("/provenance?id=" + percent_encode(q.id));
        if (q.text.size() <= 1000) out[6].targets.push_back("/provenance?text=" + percent_encode(q.text));
    }
    for (unsigned attempt = 0; out[4].targets.size() < per_class && attempt < per_class * 10; ++attempt) {
        try {
            const Quote q = quote_from_document(db.get_document(1 + static_cast<Xapian::docid>(rng() % db.get_lastdocid())));
            out[4].targets.push_back("/quotes/" + percent_encode(q.id) + "/variants");
        } catch (const Xapian::DocNotFoundError&) {
        }
    }
    return out;
}

struct Stats {
    double p50 = 0, p99 = 0, max = 0, mean_total = 0;
    unsigned errors = 0;
};

Stats run_class(const std::vector<std::string>& targets, Searcher& searcher) {
    std::vector<double> ms;
    double totals = 0;
    Stats s;
    for (const auto& t : targets) {
        auto start = std::chrono::steady_clock::now();
        HttpResponse r = handle({"GET", t, "", ""}, searcher);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (r.status != 200) {
            ++s.errors;
            continue;
        }
        auto pos = r.body.find("\"total\":");
        if (pos != std::string::npos) totals += std::strtod(r.body.c_str() + pos + 8, nullptr);
    }
    if (ms.empty()) return s;
    std::sort(ms.begin(), ms.end());
    s.p50 = ms[ms.size() / 2];
    s.p99 = ms[std::min(ms.size() - 1, static_cast<std::size_t>(ms.size() * 0.99))];
    s.max = ms.back();
    s.mean_total = totals / ms.size();
    return s;
}

// One row; with a comparison run (Xapian's matcher only, --compare), its p50/p99 and the p99 ratio too.
void print_row(const std::string& name, std::size_t n, const Stats& s, double goal, const Stats* xapian = nullptr) {
    char goal_text[32] = "";
    if (goal > 0) std::snprintf(goal_text, sizeof goal_text, "<= %.0f %s", goal, s.p99 <= goal ? "met" : "MISSED");
    std::printf("| %-38s | %5zu | %8.2f | %8.2f | %8.2f | %10.0f | %6u | %-12s |", name.c_str(), n, s.p50, s.p99,
                s.max, s.mean_total, s.errors, goal_text);
    if (xapian)
        std::printf(" %8.2f | %8.2f | %6.1fx |", xapian->p50, xapian->p99, s.p99 > 0 ? xapian->p99 / s.p99 : 0.0);
    std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_dir, emit;
    unsigned per_class = 500, seed = 42;
    bool compare = false;
    long max_search_ms = -1;  // -1: searchd's default
    long exact_total_up_to = -1;
    bool suggestions = true;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) { std::cerr << a << " needs a value\n"; std::exit(2); }
            return argv[++i];
        };
        if (a == "--db") db_dir = value();
        else if (a == "--per-class") per_class = static_cast<unsigned>(std::stoul(value()));
        else if (a == "--seed") seed = static_cast<unsigned>(std::stoul(value()));
        else if (a == "--emit") emit = value();
        else if (a == "--compare") compare = true;
        else if (a == "--max-search-ms") max_search_ms = std::stol(value());
        else if (a == "--exact-total-up-to") exact_total_up_to = std::stol(value());
        else if (a == "--suggestions") suggestions = value() != "0";
        else if (a == "--help" || a == "-h") {
            std::cout << "usage: dixit-bench-query --db DIR [--per-class N] [--seed S] [--emit FILE] [--compare] [--max-search-ms MS]\n"
                         "                         [--exact-total-up-to N] [--suggestions 0|1]\n"
                         "Times each query class in process (p50/p99 ms) and optionally writes the targets.\n"
                         "--compare also times every class with the columns off (Xapian's matcher only).\n"
                         "--max-search-ms sets the time budget of a search as searchd's option does (0: none);\n"
                         "--exact-total-up-to and --suggestions too (A/B of their cost).\n";
            return 0;
        } else { std::cerr << "unknown argument " << a << "\n"; return 2; }
    }
    if (db_dir.empty()) { std::cerr << "--db is required\n"; return 2; }
    try {
        Settings uncached;
        uncached.db = db_dir;
        uncached.cache_bytes = 0;
        if (max_search_ms >= 0) uncached.search.max_search = std::chrono::milliseconds(max_search_ms);
        if (exact_total_up_to >= 0) uncached.search.exact_total_up_to = static_cast<unsigned>(exact_total_up_to);
        uncached.suggestions = suggestions;
        SearchService service(uncached);
        Searcher searcher(service);
        auto build_start = std::chrono::steady_clock::now();
        searcher.columns(true);
        const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
        build_start = std::chrono::steady_clock::now();
        std::size_t words = 0;
        if (suggestions) words = service.vocabulary().get(searcher.db(), true)->size();
        const double vocabulary_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
        Settings plain = uncached;
        plain.columns = false;
        SearchService plain_service(plain);
        Searcher plain_searcher(plain_service);
        auto classes = make_query_set(searcher.db(), per_class, seed);
        for (auto& c : variant_classes(searcher, classes, per_class, seed)) classes.push_back(std::move(c));
        if (!emit.empty()) {
            std::ofstream out(emit);
            for (const auto& c : classes) for (const auto& t : c.targets) out << t << '\n';
        }
        std::printf("index: %s, %u documents; %u queries per class (seed %u); times in ms, in process\n",
                    db_dir.c_str(), searcher.db().get_doccount(), per_class, seed);
        std::printf("columns built in %.2f s; vocabulary (suggestions) of %zu words read in %.2f s\n\n", build_s, words, vocabulary_s);
        std::printf("| %-38s | %5s | %8s | %8s | %8s | %10s | %6s | %-12s |", "query class", "n", "p50", "p99", "max",
                    "mean total", "errors", "goal p99");
        if (compare) std::printf(" %8s | %8s | %7s |", "xapian50", "xapian99", "ratio");
        std::printf("\n|%s|%s|%s|%s|%s|%s|%s|%s|", std::string(40, '-').c_str(), std::string(7, '-').c_str(),
                    std::string(10, '-').c_str(), std::string(10, '-').c_str(), std::string(10, '-').c_str(),
                    std::string(12, '-').c_str(), std::string(8, '-').c_str(), std::string(14, '-').c_str());
        if (compare) std::printf("%s|%s|%s|", std::string(10, '-').c_str(), std::string(10, '-').c_str(), std::string(9, '-').c_str());
        std::printf("\n");
        for (const auto& c : classes) {
            run_class(c.targets, searcher);  // warm-up: the OS page cache, not the response cache (off)
            Stats with_columns = run_class(c.targets, searcher);
            Stats xapian;
            if (compare) xapian = run_class(c.targets, plain_searcher);
            print_row(c.name, c.targets.size(), with_columns, c.goal_p99_ms, compare ? &xapian : nullptr);
        }
        // The home page as served: the response cache keyed by index revision.
        Settings cached = uncached;
        cached.cache_bytes = Settings{}.cache_bytes;
        SearchService cached_service(cached);
        Searcher cached_searcher(cached_service);
        std::vector<std::string> home(per_class, "/search?facets=tag,author,country");
        cached_searcher.columns(true);
        run_class({home[0]}, cached_searcher);  // the first request after each index change fills the cache
        print_row("match-all + facets (home page, cached)", home.size(), run_class(home, cached_searcher), 5);
    } catch (const std::exception& e) {
        std::cerr << "dixit-bench-query: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
