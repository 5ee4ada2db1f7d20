// Variant groups while indexing (see variants.h).
#include "variants.h"

#include <codec.h>
#include <document.h>
#include <fields.h>

#include <algorithm>
#include <unordered_set>

namespace dixit {

VariantClusters::VariantClusters() : table_(std::size_t{1} << 16, 0) {}

std::vector<std::uint32_t> VariantClusters::shingles_of(const Doc& d) const {
    const auto& chunk = chunks_[d.chunk];
    return {chunk.begin() + d.offset, chunk.begin() + d.offset + d.size};
}

void VariantClusters::grow() {
    std::vector<std::uint64_t> old(table_.size() * 2, 0);
    old.swap(table_);
    const std::size_t mask = table_.size() - 1;
    for (std::uint64_t e : old) {
        if (!e) continue;
        std::size_t i = mix64(e >> 32) & mask;
        while (table_[i]) i = (i + 1) & mask;
        table_[i] = e;
    }
}

std::uint64_t VariantClusters::assign(const std::vector<std::uint32_t>& shingles, std::uint64_t sequence,
                                      const std::function<std::uint64_t()>& elsewhere) {
    if (shingles.empty()) return 0;
    const auto bands = band_keys(shingles);
    std::lock_guard<std::mutex> lock(mutex_);
    if ((used_ + minhash_bands) * 2 > table_.size()) grow();
    const std::size_t mask = table_.size() - 1;
    const auto index = static_cast<std::uint32_t>(docs_.size());

    // Candidates: the quotes sharing a band; each band key keeps at most max_per_key of them.
    std::vector<std::uint32_t> candidates;
    std::array<std::size_t, minhash_bands> free_slot{};
    std::array<bool, minhash_bands> full{};
    for (unsigned b = 0; b < minhash_bands; ++b) {
        const std::uint64_t key = bands[b];
        std::size_t i = mix64(key) & mask;
        unsigned same = 0;
        for (; table_[i]; i = (i + 1) & mask) {
            if (table_[i] >> 32 != key) continue;
            ++same;
            candidates.push_back(static_cast<std::uint32_t>(table_[i] & 0xffffffffu) - 1);
        }
        free_slot[b] = i;
        full[b] = same >= max_per_key;
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    // The best verified variant's group: the highest Jaccard, the earlier quote on a tie.
    std::uint64_t group = sequence;
    double best = -1;
    for (std::uint32_t c : candidates) {
        const Overlap o = overlap(shingles, shingles_of(docs_[c]));
        if (o.variants() && o.jaccard > best) best = o.jaccard, group = docs_[c].group;
    }
    if (best < 0)
        if (std::uint64_t found = elsewhere()) best = 0, group = found;
    if (best >= 0) ++joined_;

    // Store this quote's shingles and bands. Two bands of this quote may probe into the same free slot:
    // each insert finds its own.
    if (chunks_.empty() || chunks_.back().size() + shingles.size() > chunk_size) {
        chunks_.emplace_back();
        chunks_.back().reserve(chunk_size);
    }
    auto& chunk = chunks_.back();
    docs_.push_back({static_cast<std::uint32_t>(chunk.size()), static_cast<std::uint16_t>(chunks_.size() - 1),
                     static_cast<std::uint16_t>(shingles.size()), group});
    chunk.insert(chunk.end(), shingles.begin(), shingles.end());
    for (unsigned b = 0; b < minhash_bands; ++b) {
        if (full[b]) continue;
        std::size_t i = free_slot[b];
        while (table_[i]) i = (i + 1) & mask;
        table_[i] = static_cast<std::uint64_t>(bands[b]) << 32 | (index + 1);
        ++used_;
    }
    return group;
}

std::uint64_t find_variant_group(const Xapian::Database& db, Tokenizer& tokenizer, const std::vector<Token>& tokens,
                                 const std::vector<std::uint32_t>& shingles,
                                 const std::function<bool(Xapian::docid)>& is_dead) {
    if (shingles.empty() || db.get_doccount() == 0) return 0;
    // The quote's rarest words find the quotes that share most of its wording.
    constexpr std::size_t words = 8;
    constexpr Xapian::doccount candidates = 10;
    std::vector<std::pair<Xapian::doccount, std::string>> rare;
    std::unordered_set<std::string> seen;
    for (const Token* t : main_tokens(tokens)) {
        if (!seen.insert(t->term).second) continue;
        if (Xapian::doccount df = db.get_termfreq(t->term)) rare.emplace_back(df, t->term);
    }
    if (rare.empty()) return 0;
    std::sort(rare.begin(), rare.end());
    if (rare.size() > words) rare.resize(words);
    std::vector<Xapian::Query> parts;
    for (const auto& [df, term] : rare) parts.emplace_back(term);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    Xapian::MSet mset = enquire.get_mset(0, candidates);

    std::uint64_t group = 0;
    double best = -1;
    std::vector<Token> theirs;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        if (is_dead(*it)) continue;
        Xapian::Document doc = it.get_document();
        const std::uint64_t their_group = variant_group(doc.get_value(slot::variant));
        if (!their_group) continue;  // no shingles (or written before variant groups): nothing to join
        theirs.clear();
        tokenizer.tokenize(quote_from_document(doc).text, theirs);
        const Overlap o = overlap(shingles, dixit::shingles(theirs));
        if (o.variants() && o.jaccard > best) best = o.jaccard, group = their_group;
    }
    return group;
}

}  // namespace dixit
