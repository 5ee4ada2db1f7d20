// Shingles, overlaps, MinHash band keys and word diffs (see shingles.h).
#include "shingles.h"

#include "codec.h"

#include <algorithm>
#include <limits>

namespace dixit {

std::vector<const Token*> main_tokens(const std::vector<Token>& tokens) {
    std::vector<const Token*> out;
    out.reserve(tokens.size());
    for (const Token& t : tokens)
        if (is_main(t)) out.push_back(&t);
    return out;
}

std::vector<std::uint32_t> shingles(const std::vector<Token>& tokens) {
    std::vector<std::uint64_t> words;
    words.reserve(tokens.size());
    for (const Token& t : tokens)
        if (is_main(t)) words.push_back(fnv1a(t.term));
    std::vector<std::uint32_t> out;
    if (words.size() < shingle_words) return out;
    out.reserve(words.size() - shingle_words + 1);
    for (std::size_t i = 0; i + shingle_words <= words.size(); ++i) {
        std::uint64_t h = 0;
        for (unsigned k = 0; k < shingle_words; ++k) h = mix64(h * 0x9e3779b97f4a7c15ULL + words[i + k]);
        out.push_back(static_cast<std::uint32_t>(h >> 32));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (out.size() > max_shingles) out.resize(max_shingles);  // the smallest hashes: a bottom-k sample
    return out;
}

std::size_t intersection_size(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    std::size_t i = 0, j = 0, n = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] < b[j]) ++i;
        else if (b[j] < a[i]) ++j;
        else ++n, ++i, ++j;
    }
    return n;
}

double jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    return overlap(a, b).jaccard;
}

Overlap overlap(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    Overlap o;
    if (a.empty() || b.empty()) return o;
    const double common = static_cast<double>(intersection_size(a, b));
    o.jaccard = common / static_cast<double>(a.size() + b.size() - static_cast<std::size_t>(common));
    o.containment = common / static_cast<double>(std::min(a.size(), b.size()));
    return o;
}

std::array<std::uint32_t, minhash_bands> band_keys(const std::vector<std::uint32_t>& shingles) {
    // One well-mixed 64-bit hash per shingle, then minhash_bands × minhash_rows cheap permutations of it
    // (multiply-add with fixed odd constants, high bits): the minimum of each is one MinHash.
    constexpr unsigned k = minhash_bands * minhash_rows;
    struct Permutations {
        std::array<std::uint64_t, k> mul, add;
        Permutations() {
            for (unsigned i = 0; i < k; ++i) mul[i] = mix64(0x5851f42d4c957f2dULL + i) | 1, add[i] = mix64(0x14057b7ef767814fULL + i);
        }
    };
    static const Permutations p;
    std::array<std::uint64_t, k> mins;
    mins.fill(std::numeric_limits<std::uint64_t>::max());
    for (std::uint32_t s : shingles) {
        const std::uint64_t x = mix64(s);
        for (unsigned i = 0; i < k; ++i) mins[i] = std::min(mins[i], p.mul[i] * x + p.add[i]);
    }
    std::array<std::uint32_t, minhash_bands> keys;
    for (unsigned band = 0; band < minhash_bands; ++band) {
        std::uint64_t h = band + 1;
        for (unsigned r = 0; r < minhash_rows; ++r) h = mix64(h * 0x9e3779b97f4a7c15ULL + mins[band * minhash_rows + r]);
        keys[band] = static_cast<std::uint32_t>(h >> 32);
    }
    return keys;
}

std::string variant_key(std::uint64_t group) {
    std::string key(8, '\0');
    for (int i = 7; i >= 0; --i, group >>= 8) key[static_cast<std::size_t>(i)] = static_cast<char>(group & 0xff);
    return key;
}

std::uint64_t variant_group(std::string_view key) {
    if (key.size() != 8) return 0;
    std::uint64_t group = 0;
    for (unsigned char c : key) group = group << 8 | c;
    return group;
}

WordDiff word_diff(std::string_view from_text, const std::vector<Token>& from, std::string_view to_text,
                   const std::vector<Token>& to) {
    auto a = main_tokens(from), b = main_tokens(to);
    if (a.size() > max_diff_words) a.resize(max_diff_words);
    if (b.size() > max_diff_words) b.resize(max_diff_words);
    const std::size_t n = a.size(), m = b.size();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..] (lengths fit 16 bits at 1,000 words).
    std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            at(i, j) = a[i]->term == b[j]->term ? static_cast<std::uint16_t>(at(i + 1, j + 1) + 1)
                                                 : std::max(at(i + 1, j), at(i, j + 1));
    auto spelling = [](std::string_view text, const Token* t) {
        return t->end <= text.size() && t->begin < t->end ? std::string(text.substr(t->begin, t->end - t->begin)) : t->term;
    };
    WordDiff diff;
    auto add = [&](const Token* t) {
        diff.added.push_back(spelling(to_text, t));
        diff.added_spans.emplace_back(t->begin, t->end);
    };
    std::size_t i = 0, j = 0;
    while (i < n && j < m) {
        if (a[i]->term == b[j]->term) ++i, ++j;
        else if (at(i + 1, j) >= at(i, j + 1)) diff.removed.push_back(spelling(from_text, a[i++]));
        else add(b[j++]);
    }
    for (; i < n; ++i) diff.removed.push_back(spelling(from_text, a[i]));
    for (; j < m; ++j) add(b[j]);
    return diff;
}

}  // namespace dixit
