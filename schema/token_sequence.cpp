// Encoding and matching of a document's word order (see token_sequence.h).
#include "token_sequence.h"

#include "codec.h"

#include <algorithm>

namespace dixit {
namespace {

// Layout: byte w (bytes per code: 1 to 4), varint seed, varint n, n codes of w bytes (0: no term), varint
// m, then m pairs (varint position delta, code of w bytes) in position order.
std::uint32_t get_varint(std::string_view in, std::size_t& i) {
    std::uint32_t v = 0;
    if (!read_varint(in, i, v)) throw Xapian::SerialisationError("token sequence: truncated or overlong number");
    return v;
}

void put_code(std::string& out, std::uint32_t v, unsigned width) {
    for (unsigned b = 0; b < width; ++b) out += static_cast<char>((v >> (8 * b)) & 0xff);
}

std::uint32_t get_code(std::string_view in, std::size_t& i, unsigned width) {
    if (i + width > in.size()) throw Xapian::SerialisationError("token sequence: truncated code");
    std::uint32_t v = 0;
    for (unsigned b = 0; b < width; ++b) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i++])) << (8 * b);
    return v;
}

// A fixed hash (stored codes must not depend on the build): fnv1a() (codec.h), then splitmix64's finaliser with
// the seed mixed in. Codes run from 1 to 2^(8w) - 1; 0 marks a position without a term.
std::uint32_t code_of(std::uint64_t term_hash, std::uint32_t seed, unsigned width) {
    std::uint64_t x = mix64(term_hash + (static_cast<std::uint64_t>(seed) + 1) * 0x9e3779b97f4a7c15ULL);
    std::uint64_t range = (std::uint64_t{1} << (8 * width)) - 1;
    return static_cast<std::uint32_t>(1 + x % range);
}

constexpr unsigned max_width = 4;
constexpr std::uint32_t seeds_per_width = 64;

}  // namespace

std::string encode_token_sequence(const std::vector<Token>& tokens) {
    // Each token's term hashed once; distinct terms told apart by their 64-bit hashes (two terms of one
    // text with the same 64-bit hash would share codes: about one text in 10^16).
    std::vector<std::uint64_t> token_hashes;
    token_hashes.reserve(tokens.size());
    for (const Token& t : tokens) token_hashes.push_back(fnv1a(t.term));
    std::vector<std::uint64_t> hashes = token_hashes;
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    // A width at which a random seed is likely to give every distinct term its own code (one byte for up
    // to 24 terms: a try in three succeeds), then the first such seed; the next width if 64 seeds fail.
    unsigned width = hashes.size() <= 24 ? 1 : hashes.size() <= 2000 ? 2 : hashes.size() <= 200000 ? 3 : 4;
    std::uint32_t seed = 0;
    std::vector<std::uint32_t> codes(hashes.size());
    auto distinct = [&](std::uint32_t s, unsigned w) {
        for (std::size_t i = 0; i < hashes.size(); ++i) codes[i] = code_of(hashes[i], s, w);
        std::sort(codes.begin(), codes.end());
        return std::adjacent_find(codes.begin(), codes.end()) == codes.end();
    };
    for (;;) {
        std::uint32_t limit = width == max_width ? 0xffffffffu : seeds_per_width;
        for (seed = 0; seed < limit && !distinct(seed, width); ++seed) {
        }
        if (seed < limit) break;
        ++width;
    }
    std::vector<std::uint32_t> at;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> extras;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        std::uint32_t c = code_of(token_hashes[i], seed, width);
        if (is_main(t)) {
            if (at.size() <= t.position) at.resize(t.position + 1, 0);
            at[t.position] = c;
        } else if (t.kind == TokenKind::Joined) {
            extras.emplace_back(t.position, c);
        }
    }
    std::sort(extras.begin(), extras.end());
    std::string out(1, static_cast<char>(width));
    append_varint(out, seed);
    append_varint(out, static_cast<std::uint32_t>(at.size()));
    for (std::uint32_t v : at) put_code(out, v, width);
    append_varint(out, static_cast<std::uint32_t>(extras.size()));
    std::uint32_t last = 0;
    for (const auto& [position, c] : extras) {
        append_varint(out, position - last);
        last = position;
        put_code(out, c, width);
    }
    return out;
}

void decode_token_sequence(std::string_view value, TokenSequence& seq) {
    seq.width = 1;
    seq.seed = 0;
    seq.at.clear();
    seq.extras.clear();
    if (value.empty()) return;
    seq.width = static_cast<unsigned char>(value[0]);
    if (seq.width < 1 || seq.width > max_width) throw Xapian::SerialisationError("token sequence: bad width");
    std::size_t i = 1;
    seq.seed = get_varint(value, i);
    std::uint32_t n = get_varint(value, i);
    if (n > value.size()) throw Xapian::SerialisationError("token sequence: bad length");
    seq.at.reserve(n);
    for (std::uint32_t p = 0; p < n; ++p) seq.at.push_back(get_code(value, i, seq.width));
    std::uint32_t m = get_varint(value, i), position = 0;
    if (m > value.size()) throw Xapian::SerialisationError("token sequence: bad length");
    for (std::uint32_t k = 0; k < m; ++k) {
        std::uint32_t delta = get_varint(value, i);
        if (delta >= n - position) throw Xapian::SerialisationError("token sequence: extra past the end");
        position += delta;  // extras stand at a main token's position: below n, in order
        seq.extras.emplace_back(position, get_code(value, i, seq.width));
    }
    if (i != value.size()) throw Xapian::SerialisationError("token sequence: trailing bytes");
}

TokenSequence decode_token_sequence(std::string_view value) {
    TokenSequence seq;
    decode_token_sequence(value, seq);
    return seq;
}

std::uint32_t TokenSequence::code(std::string_view term) const { return code_of(fnv1a(term), seed, width); }

bool TokenSequence::has(std::uint32_t p, std::uint32_t c) const {
    if (p < at.size() && at[p] == c) return true;
    if (extras.empty()) return false;
    return std::binary_search(extras.begin(), extras.end(), std::make_pair(p, c));
}

bool has_phrase(const TokenSequence& seq, const std::vector<std::string>& terms) {
    if (terms.empty()) return true;
    std::uint32_t small[16];  // no allocation per document for phrases of up to 16 terms
    std::vector<std::uint32_t> large;
    std::uint32_t* codes = small;
    if (terms.size() > 16) {
        large.resize(terms.size());
        codes = large.data();
    }
    for (std::size_t k = 0; k < terms.size(); ++k) codes[k] = seq.code(terms[k]);
    const std::size_t count = terms.size();
    std::uint32_t positions = static_cast<std::uint32_t>(seq.at.size());
    if (!seq.extras.empty()) positions = std::max(positions, seq.extras.back().first + 1);
    for (std::uint32_t p = 0; p + count <= positions; ++p) {
        std::size_t k = 0;
        while (k < count && seq.has(p + static_cast<std::uint32_t>(k), codes[k])) ++k;
        if (k == count) return true;
    }
    return false;
}

bool has_near(const TokenSequence& seq, const std::vector<std::string>& terms, std::uint32_t window) {
    if (terms.empty()) return true;
    // No two positions are less than 0 apart (and the window below would shrink past its last hit).
    if (window == 0) return false;
    // How many times each distinct code is needed, then the occurrences of all of them in position order:
    // a sliding window over them that holds every needed occurrence, spanning fewer than window positions.
    std::vector<std::pair<std::uint32_t, unsigned>> need;  // code, count
    for (const auto& t : terms) {
        std::uint32_t c = seq.code(t);
        auto it = std::find_if(need.begin(), need.end(), [&](const auto& n) { return n.first == c; });
        if (it == need.end()) need.emplace_back(c, 1);
        else ++it->second;
    }
    std::vector<std::pair<std::uint32_t, std::size_t>> hits;  // position, which need
    auto note = [&](std::uint32_t p, std::uint32_t c) {
        for (std::size_t k = 0; k < need.size(); ++k)
            if (need[k].first == c) hits.emplace_back(p, k);
    };
    for (std::uint32_t p = 0; p < seq.at.size(); ++p)
        if (seq.at[p]) note(p, seq.at[p]);
    for (const auto& [p, c] : seq.extras) note(p, c);
    std::sort(hits.begin(), hits.end());
    std::vector<unsigned> have(need.size(), 0);
    std::size_t missing = need.size(), first = 0;
    for (std::size_t last = 0; last < hits.size(); ++last) {
        if (++have[hits[last].second] == need[hits[last].second].second) --missing;
        while (hits[last].first - hits[first].first >= window) {
            if (have[hits[first].second]-- == need[hits[first].second].second) ++missing;
            ++first;
        }
        if (missing == 0) return true;
    }
    return false;
}

}  // namespace dixit
