// dixit-bench-layout: what each part of the index layout costs Xapian, per document, on one thread.
//
// Builds documents for the first N records of a corpus with the real DocumentBuilder, then adds them
// to fresh databases with parts of the layout left out (positions, stored data, stems, filter terms,
// value slots) and prints a table of microseconds per document. Usage:
//   dixit-bench-layout --corpus FILE [--count N] [--dir DIR]
#include <document.h>
#include <quote.h>

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace dixit;

namespace {

enum Part { positions = 1, data = 2, stems = 4, filters = 8, values = 16, grams = 32, gram_positions = 64, facet_values = 128 };

// A copy of doc with the parts in `drop` left out.
Xapian::Document without(const Xapian::Document& doc, int drop) {
    Xapian::Document out;
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string term = *it;
        bool is_stem = term[0] == 'Z';
        bool is_gram = term.rfind("XB", 0) == 0;
        bool is_filter = !is_stem && !is_gram && term[0] >= 'A' && term[0] <= 'Z';
        if ((is_stem && (drop & stems)) || (is_filter && (drop & filters)) || (is_gram && (drop & grams))) continue;
        if (is_filter) {
            out.add_boolean_term(term);
        } else if (is_gram && (drop & gram_positions)) {
            out.add_term(term, 0);
        } else if (it.positionlist_count() > 0 && !(drop & positions)) {
            for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) out.add_posting(term, *p);
        } else {
            out.add_term(term, it.get_wdf());
        }
    }
    if (!(drop & values))
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
            if (!(drop & facet_values) || v.get_valueno() == 9 || v.get_valueno() == 1) out.add_value(v.get_valueno(), *v);
    if (!(drop & data)) out.set_data(doc.get_data());
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::string corpus, dir = "var/bench-layout";
    std::size_t count = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--corpus")) corpus = argv[i + 1];
        else if (!std::strcmp(argv[i], "--count")) count = std::stoul(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    }
    if (corpus.empty()) {
        std::cerr << "usage: dixit-bench-layout --corpus FILE [--count N] [--dir DIR]\n";
        return 2;
    }
    std::ifstream in(corpus);
    std::vector<Quote> quotes;
    for (std::string line; quotes.size() < count && std::getline(in, line);) {
        quotes.push_back(quote_from_json(nlohmann::json::parse(line)));
        if (!quotes.back().published_at) quotes.back().published_at = 0;
    }
    DocumentBuilder builder;
    auto start = std::chrono::steady_clock::now();
    std::vector<Xapian::Document> docs;
    for (const auto& q : quotes) docs.push_back(builder.build(q, docs.size() + 1));
    double build = seconds_since(start);
    double n = static_cast<double>(docs.size());

    std::printf("%zu documents, one thread, best of 3\n\n| layout | µs per document | bytes per document (uncompacted) |\n|---|---:|---:|\n", docs.size());
    std::printf("| DocumentBuilder::build (tokenize, stem, JSON, Xapian::Document) | %.0f |\n", build / n * 1e6);
    const std::pair<const char*, int> variants[] = {
        {"Xapian add_document: full layout", 0},
        {"  grams without positions", gram_positions},
        {"  without grams", grams},
        {"  without grams, stems", grams | stems},
        {"  without grams, stems, positions", grams | stems | positions},
        {"  without grams, stems, positions, facet slots", grams | stems | positions | facet_values},
        {"  without grams, stems, facet slots", grams | stems | facet_values},
        {"  grams without positions, no stems, no facet slots", gram_positions | stems | facet_values},
        {"  without stored data", data},
        {"  without filter terms", filters},
        {"  without value slots", values},
        {"  positional words only", data | stems | filters | values | grams},
        {"  words only, no positions", data | stems | filters | values | grams | positions},
    };
    for (const auto& [name, drop] : variants) {
        std::vector<Xapian::Document> variant;
        for (const auto& d : docs) variant.push_back(without(d, drop));
        // The best of three runs: this machine is noisy, and the minimum is the least disturbed.
        double best = 1e9;
        for (int run = 0; run < 3; ++run) {
            std::filesystem::remove_all(dir);
            start = std::chrono::steady_clock::now();
            Xapian::WritableDatabase db(dir, Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
            for (const auto& d : variant) db.add_document(d);
            db.commit();
            best = std::min(best, seconds_since(start));
        }
        std::uintmax_t bytes = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir)) bytes += e.file_size();
        std::printf("| %s | %.0f | %.0f |\n", name, best / n * 1e6, bytes / n);
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
