// dixit-eval-variants: the recall and precision of an index's variant groups against brute force.
//
// Reads every live quote, cuts it into 5-word shingles (schema/shingles.h), finds every pair that shares a
// shingle through an inverted list, and measures each pair exactly. Recall: of the pairs with Jaccard ≥ 0.5
// (and of those the join rule makes variants), the share in one group, i.e. listed by
// /quotes/{id}/variants and never both on a collapsed page. Precision: of the pairs in one group, the share
// with Jaccard ≥ 0.2 (the listing also drops the rest). Also counts the pairs of different speakers, and
// asks /provenance about each such pair (Jaccard ≥ 0.5), by the first quote's id and by its text: the
// answer must name both speakers and give as `first` a quote no later than either (the earliest attestation).
// Usage: dixit-eval-variants --db DIR [--max-df N] [--provenance N] [--misses]
//   (shingles in more than N quotes are not followed; at most N cross-speaker pairs asked, 0: none)
#include <handlers.h>
#include <searcher.h>

#include <codec.h>
#include <document.h>
#include <fields.h>
#include <shingles.h>
#include <speakers.h>
#include <tokenizer.h>
#include <tombstones.h>

#include <xapian.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dixit;

namespace {

struct Tally {
    std::uint64_t pairs = 0, same_group = 0, cross_speaker = 0, cross_speaker_same = 0;
    void add(bool same, bool cross) {
        ++pairs;
        same_group += same;
        cross_speaker += cross;
        cross_speaker_same += cross && same;
    }
};

// Whether a /provenance answer names both speakers (by id, else by folded name) and has as `first` a
// quote whose oldest-order key is no later than the earlier of the pair's.
bool names_both(const HttpResponse& r, const std::string& a, const std::string& b, const std::string& earliest_key,
                const Xapian::Database& db, Tokenizer& tokenizer) {
    if (r.status != 200) return false;
    const nlohmann::json body = nlohmann::json::parse(r.body);
    bool found_a = false, found_b = false;
    for (const auto& s : body["speakers"]) {
        const std::string key = s.contains("id") ? s["id"].get<std::string>() : tokenizer.fold_keyword(s["name"].get<std::string>());
        found_a |= key == a;
        found_b |= key == b;
    }
    if (!found_a || !found_b || !body["first"].is_object()) return false;
    const Xapian::docid first = newest_docid(db, id_term(body["first"]["id"].get<std::string>()));
    return first && db.get_document(first).get_value(slot::oldest_key) <= earliest_key;
}

double share(std::uint64_t part, std::uint64_t whole) { return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 100.0; }

}  // namespace

int main(int argc, char** argv) {
    std::string dir;
    std::size_t max_df = 1000, max_provenance = 2000;
    bool misses = false;  // print the pairs /provenance missed
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--db") && i + 1 < argc) dir = argv[++i];
        else if (!std::strcmp(argv[i], "--max-df") && i + 1 < argc) max_df = std::stoul(argv[++i]);
        else if (!std::strcmp(argv[i], "--provenance") && i + 1 < argc) max_provenance = std::stoul(argv[++i]);
        else if (!std::strcmp(argv[i], "--misses")) misses = true;
        else {
            std::cerr << "usage: dixit-eval-variants --db DIR [--max-df N] [--provenance N] [--misses]\n";
            return 2;
        }
    }
    if (dir.empty()) {
        std::cerr << "usage: dixit-eval-variants --db DIR [--max-df N]\n";
        return 2;
    }
    Xapian::Database db(dir);
    Tombstones dead;
    dead.load(db);
    Tokenizer tokenizer;
    std::vector<std::vector<std::uint32_t>> sets;
    std::vector<std::uint64_t> groups;
    std::vector<std::string> speakers;
    std::vector<Xapian::docid> docids;
    std::vector<Token> tokens;
    std::uint64_t quotes = 0, grouped = 0;
    for (auto it = db.postlist_begin(std::string()); it != db.postlist_end(std::string()); ++it) {
        if (dead.contains(*it)) continue;
        ++quotes;
        Xapian::Document doc = db.get_document(*it);
        Quote q = quote_from_document(doc);
        tokens.clear();
        tokenizer.tokenize(q.text, tokens);
        auto s = shingles(tokens);
        if (s.empty()) continue;
        sets.push_back(std::move(s));
        groups.push_back(variant_group(doc.get_value(slot::variant)));
        grouped += groups.back() != 0;
        speakers.push_back(q.author.id.empty() ? tokenizer.fold_keyword(q.author.name) : q.author.id);
        docids.push_back(*it);
    }
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> postings;
    for (std::uint32_t i = 0; i < sets.size(); ++i)
        for (std::uint32_t h : sets[i]) postings[h].push_back(i);

    Tally half, joinable, in_group;
    std::uint64_t in_group_close = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cross_pairs;  // of different speakers, Jaccard >= 0.5
    std::vector<std::uint32_t> seen(sets.size(), UINT32_MAX);
    for (std::uint32_t i = 0; i < sets.size(); ++i) {
        for (std::uint32_t h : sets[i]) {
            const auto& list = postings[h];
            if (list.size() > max_df) continue;
            for (std::uint32_t j : list) {
                if (j >= i || seen[j] == i) continue;
                seen[j] = i;
                const Overlap o = overlap(sets[i], sets[j]);
                const bool same = groups[i] && groups[i] == groups[j];
                const bool cross = speakers[i] != speakers[j];
                if (o.jaccard >= variant_jaccard) half.add(same, cross);
                if (o.jaccard >= variant_jaccard && cross && cross_pairs.size() < max_provenance) cross_pairs.emplace_back(i, j);
                if (o.variants()) joinable.add(same, cross);
                if (same) in_group_close += o.jaccard >= variant_min_jaccard;
            }
        }
    }
    // Pairs of one group that share no shingle at all are not met above: count them from the groups.
    std::unordered_map<std::uint64_t, std::uint64_t> sizes;
    for (auto g : groups)
        if (g) ++sizes[g];
    for (const auto& [g, n] : sizes) in_group.pairs += n * (n - 1) / 2;

    std::printf("quotes: %llu live, %zu with shingles (5+ words), %llu with a group key\n\n",
                static_cast<unsigned long long>(quotes), sets.size(), static_cast<unsigned long long>(grouped));
    std::printf("| pairs | count | in one group (recall) | of different speakers | of those in one group |\n|---|---:|---:|---:|---:|\n");
    auto row = [](const char* name, const Tally& t) {
        std::printf("| %s | %llu | %.1f%% | %llu | %.1f%% |\n", name, static_cast<unsigned long long>(t.pairs),
                    share(t.same_group, t.pairs), static_cast<unsigned long long>(t.cross_speaker),
                    share(t.cross_speaker_same, t.cross_speaker));
    };
    row("Jaccard >= 0.5", half);
    row("variants by the join rule", joinable);
    std::printf("\npairs in one group: %llu; sharing Jaccard >= 0.2 (precision before the listing's own filter): %.1f%%\n",
                static_cast<unsigned long long>(in_group.pairs), share(in_group_close, in_group.pairs));

    if (cross_pairs.empty()) return 0;
    Settings settings;
    settings.db = dir;
    settings.cache_bytes = 0;
    SearchService service(settings);
    Searcher searcher(service);
    searcher.columns(true);
    std::uint64_t by_id = 0, by_text = 0, asked_text = 0;
    for (auto [i, j] : cross_pairs) {
        const Xapian::Document a = db.get_document(docids[i]), b = db.get_document(docids[j]);
        const std::string earliest = std::min(a.get_value(slot::oldest_key), b.get_value(slot::oldest_key));
        const Quote q = quote_from_document(a);
        by_id += names_both(handle({"GET", "/provenance?id=" + percent_encode(q.id), "", ""}, searcher), speakers[i], speakers[j],
                            earliest, db, tokenizer);
        if (q.text.size() > 1000) continue;  // over the text limit (characters; bytes here, to be safe)
        ++asked_text;
        const bool ok_text = names_both(handle({"GET", "/provenance?text=" + percent_encode(q.text), "", ""}, searcher), speakers[i],
                              speakers[j], earliest, db, tokenizer);
        by_text += ok_text;
        if (!ok_text && misses) {
            const Quote other = quote_from_document(b);
            std::printf("miss by text: %s (%s) ~ %s (%s)\n  %s\n  %s\n", q.id.c_str(), speakers[i].c_str(), other.id.c_str(),
                        speakers[j].c_str(), q.text.c_str(), other.text.c_str());
        }
    }
    std::printf("\n/provenance on %zu cross-speaker pairs (Jaccard >= 0.5): both speakers and the earliest attestation "
                "named by id %.1f%%, by text %.1f%% (of %llu)\n",
                cross_pairs.size(), share(by_id, cross_pairs.size()), share(by_text, asked_text),
                static_cast<unsigned long long>(asked_text));
    return 0;
}
