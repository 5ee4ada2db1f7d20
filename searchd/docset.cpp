// Boolean evaluation over posting lists, and facet counts and date pages from the columns.
#include "docset.h"

#include <date_keys.h>
#include <document.h>

#include <algorithm>
#include <iterator>
#include <unordered_map>

namespace dixit {
namespace {

using Q = Xapian::Query;

bool supported(const Q& q) {
    switch (q.get_type()) {
        case Q::LEAF_TERM:
        case Q::LEAF_MATCH_ALL:
        case Q::LEAF_MATCH_NOTHING:
            return true;
        case Q::OP_AND:
        case Q::OP_OR:
        case Q::OP_SYNONYM:
        case Q::OP_FILTER:
        case Q::OP_AND_NOT:
        case Q::OP_AND_MAYBE:
        case Q::OP_SCALE_WEIGHT:
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
                if (!supported(q.get_subquery(i))) return false;
            return true;
        default:
            return false;
    }
}

std::string leaf_term(const Q& q) {
    auto it = q.get_terms_begin();
    return it == q.get_terms_end() ? std::string() : *it;
}

// An upper bound of the match size, to evaluate an AND's narrowest part first.
Xapian::doccount estimate(const Xapian::Database& db, const Q& q) {
    switch (q.get_type()) {
        case Q::LEAF_TERM: {
            std::string term = leaf_term(q);
            return term.empty() ? db.get_doccount() : db.get_termfreq(term);
        }
        case Q::LEAF_MATCH_ALL: return db.get_doccount();
        case Q::LEAF_MATCH_NOTHING: return 0;
        case Q::OP_AND:
        case Q::OP_FILTER: {
            Xapian::doccount least = db.get_doccount();
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) least = std::min(least, estimate(db, q.get_subquery(i)));
            return least;
        }
        case Q::OP_AND_NOT:
        case Q::OP_AND_MAYBE:
        case Q::OP_SCALE_WEIGHT:
            return estimate(db, q.get_subquery(0));
        default: {
            Xapian::doccount sum = 0;
            for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) sum += estimate(db, q.get_subquery(i));
            return std::min(sum, db.get_doccount());
        }
    }
}

DocList intersect(const DocList& a, const DocList& b) {
    DocList out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

DocList difference(const DocList& a, const DocList& b) {
    DocList out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

DocList unite(const DocList& a, const DocList& b) {
    DocList out;
    out.reserve(a.size() + b.size());
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

// A term's documents, within the candidates when given: a few candidates skip through a long posting
// list; many are merged with a walk of it.
DocList postings(const Xapian::Database& db, const std::string& term, const DocList* within, const Deadline& deadline) {
    DocList out;
    const Xapian::doccount freq = db.get_termfreq(term);
    std::size_t steps = 0;
    if (within && within->size() * 8 < freq) {
        auto it = db.postlist_begin(term);
        const auto end = db.postlist_end(term);
        for (Xapian::docid d : *within) {
            deadline.check_at(++steps);
            it.skip_to(d);
            if (it == end) break;
            if (*it == d) out.push_back(d);
        }
        return out;
    }
    out.reserve(freq);
    for (auto it = db.postlist_begin(term), end = db.postlist_end(term); it != end; ++it) {
        deadline.check_at(++steps);
        out.push_back(*it);
    }
    return within ? intersect(out, *within) : out;
}

// What a part of the query matches: docs, or (negated) every candidate but docs, where the candidates
// are the within list eval() was given, or every document. docs is a subset of the candidates either
// way. An exclusion (AND_NOT over match-all) stays negated up the tree, and ANDing with it is a set
// difference, so "everything but X" is never a list of the whole index: -(-(-a)) costs what a costs.
struct DocSet {
    DocList docs;
    bool negated = false;
};

DocSet complement(DocSet s) {
    s.negated = !s.negated;
    return s;
}

// a AND b, both over the same candidates.
DocSet both(DocSet a, DocSet b) {
    if (a.negated && b.negated) return {unite(a.docs, b.docs), true};
    if (a.negated) return {difference(b.docs, a.docs)};
    if (b.negated) return {difference(a.docs, b.docs)};
    return {intersect(a.docs, b.docs)};
}

// a OR b, both over the same candidates.
DocSet either(DocSet a, DocSet b) {
    if (!a.negated && !b.negated) return {unite(a.docs, b.docs)};
    return complement(both(complement(std::move(a)), complement(std::move(b))));
}

// The deadline is checked at every node and inside long posting lists: a large OR of frequent words
// is what costs.
DocSet eval(const Xapian::Database& db, const Q& q, const DocList* within, const Deadline& deadline) {
    deadline.check();
    const std::size_t n = q.get_num_subqueries();
    switch (q.get_type()) {
        case Q::LEAF_TERM: {
            std::string term = leaf_term(q);
            if (term.empty()) return {{}, true};  // every document
            return {postings(db, term, within, deadline)};
        }
        case Q::LEAF_MATCH_ALL: return {{}, true};
        case Q::LEAF_MATCH_NOTHING: return {};
        case Q::OP_SCALE_WEIGHT:
        case Q::OP_AND_MAYBE:
            return eval(db, q.get_subquery(0), within, deadline);
        case Q::OP_AND:
        case Q::OP_FILTER: {
            // Narrowest first; each part is evaluated within what the parts before it left, unless that is
            // a complement (exclusions estimate as the whole index, so they come last).
            std::vector<std::pair<Xapian::doccount, Q>> parts;
            for (std::size_t i = 0; i < n; ++i) parts.emplace_back(estimate(db, q.get_subquery(i)), q.get_subquery(i));
            std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            DocSet acc = eval(db, parts[0].second, within, deadline);
            for (std::size_t i = 1; i < parts.size() && (acc.negated || !acc.docs.empty()); ++i) {
                if (acc.negated) {
                    acc = both(std::move(acc), eval(db, parts[i].second, within, deadline));
                    continue;
                }
                DocSet part = eval(db, parts[i].second, &acc.docs, deadline);  // within acc: its docs are some of acc's
                acc = part.negated ? DocSet{difference(acc.docs, part.docs)} : std::move(part);
            }
            return acc;
        }
        case Q::OP_AND_NOT: {
            DocSet acc = eval(db, q.get_subquery(0), within, deadline);
            for (std::size_t i = 1; i < n && (acc.negated || !acc.docs.empty()); ++i) {
                if (acc.negated) {
                    acc = both(std::move(acc), complement(eval(db, q.get_subquery(i), within, deadline)));
                    continue;
                }
                DocSet removed = eval(db, q.get_subquery(i), &acc.docs, deadline);  // within acc, as above
                acc = removed.negated ? DocSet{std::move(removed.docs)} : DocSet{difference(acc.docs, removed.docs)};
            }
            return acc;
        }
        default: {  // OR, SYNONYM
            DocSet acc;
            for (std::size_t i = 0; i < n; ++i) {
                DocSet part = eval(db, q.get_subquery(i), within, deadline);
                acc = i == 0 ? std::move(part) : either(std::move(acc), std::move(part));
            }
            return acc;
        }
    }
}

// Every document but docs (ascending): the one list of the whole index, for an answer that is a complement.
DocList everything_but(const Xapian::Database& db, const DocList& docs, const Deadline& deadline) {
    DocList out;
    out.reserve(db.get_doccount() - std::min<std::size_t>(docs.size(), db.get_doccount()));
    auto skip = docs.begin();
    std::size_t steps = 0;
    for (auto it = db.postlist_begin(std::string()), end = db.postlist_end(std::string()); it != end; ++it) {
        deadline.check_at(++steps);
        while (skip != docs.end() && *skip < *it) ++skip;
        if (skip == docs.end() || *skip != *it) out.push_back(*it);
    }
    return out;
}

}  // namespace

std::optional<DocList> evaluate(const Xapian::Database& db, const Xapian::Query& q, const Deadline& deadline,
                                const Tombstones* dead) {
    if (!supported(q)) return std::nullopt;
    DocSet matched = eval(db, q, nullptr, deadline);
    DocList out = matched.negated ? everything_but(db, matched.docs, deadline) : std::move(matched.docs);
    if (dead && !dead->empty()) std::erase_if(out, [dead](Xapian::docid d) { return dead->contains(d); });
    return out;
}

void apply_bounds(DocList& docs, const Columns& c, const DateBounds& b) {
    if (b.empty()) return;
    std::erase_if(docs, [&](Xapian::docid d) {
        if (d > c.last) return true;
        if (b.said_from && c.said_start[d] < *b.said_from) return true;
        if (b.said_to && c.said_end[d] > *b.said_to) return true;
        if (b.min_confidence && !(c.confidence[d] >= *b.min_confidence)) return true;  // NaN: none, never passes
        return b.published_since && c.published[d] < *b.published_since;
    });
}

std::vector<FacetCount> count_facet(const FacetColumn& column, const DocList& docs, std::size_t limit) {
    std::vector<Xapian::doccount> counts(column.values.size(), 0);
    const std::size_t rows = column.start.size();
    for (Xapian::docid d : docs) {
        if (d + 1 >= rows) continue;
        for (std::uint32_t i = column.start[d], end = column.start[d + 1]; i < end; ++i) ++counts[column.ords[i]];
    }
    std::vector<std::uint32_t> seen;
    for (std::uint32_t o = 0; o < counts.size(); ++o)
        if (counts[o]) seen.push_back(o);
    auto before = [&](std::uint32_t a, std::uint32_t b) {
        return counts[a] != counts[b] ? counts[a] > counts[b] : column.values[a] < column.values[b];
    };
    if (limit && limit < seen.size()) {
        std::partial_sort(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(limit), seen.end(), before);
        seen.resize(limit);
    } else {
        std::sort(seen.begin(), seen.end(), before);
    }
    std::vector<FacetCount> out;
    out.reserve(seen.size());
    for (std::uint32_t o : seen) out.push_back({column.values[o], counts[o]});
    return out;
}

namespace {

// A document's place in a date order: its packed key, then its sequence number (sort_key()): unique, and
// in the order of the full keys, so that no key is read from the index, however many quotes share a moment.
using Rank = std::pair<std::uint64_t, std::uint64_t>;  // ascending = page order

struct Ranker {
    const Columns& c;
    bool newest;
    Rank operator()(Xapian::docid d) const {
        return newest ? Rank{~c.newest[d], ~c.sequence[d]} : Rank{c.oldest[d], c.sequence[d]};
    }
};

}  // namespace

DocList group_leaders(const Columns& c, const DocList& docs, bool newest) {
    const VariantColumn& v = c.variants;
    const Ranker rank{c, newest};
    // The leader so far of each group met: a dense array when docs are many, else a map.
    const bool dense = docs.size() * 8 >= v.keys.size();
    std::vector<Xapian::docid> leader(dense ? v.keys.size() + 1 : 0, 0);
    std::unordered_map<std::uint32_t, Xapian::docid> sparse;
    for (Xapian::docid d : docs) {
        if (d > c.last) continue;
        const std::uint32_t g = v.group(d);
        if (!g) continue;
        Xapian::docid& best = dense ? leader[g] : sparse[g];
        if (!best || rank(d) < rank(best)) best = d;
    }
    DocList out;
    for (Xapian::docid d : docs) {
        if (d > c.last) continue;
        const std::uint32_t g = v.group(d);
        if (!g || (dense ? leader[g] : sparse[g]) == d) out.push_back(d);
    }
    return out;
}

std::size_t count_groups(const Columns& c, const DocList& docs) {
    const VariantColumn& v = c.variants;
    std::vector<bool> seen(v.keys.size() + 1, false);
    std::size_t out = 0;
    for (Xapian::docid d : docs) {
        const std::uint32_t g = v.group(d);
        if (!g) {
            ++out;
        } else if (!seen[g]) {
            seen[g] = true;
            ++out;
        }
    }
    return out;
}

Xapian::doccount live_variants(const Columns& c, Xapian::docid d, const Tombstones& dead) {
    const std::uint32_t g = c.variants.group(d);
    if (!g) return 0;
    Xapian::doccount out = 0;
    for (auto [it, end] = c.variants.of_group(g - 1); it != end; ++it)
        if (*it != d && !dead.contains(*it)) ++out;
    return out;
}

DocList date_page(const Columns& c, const DocList& docs, bool newest, const std::string& after, std::size_t n) {
    if (n == 0) return {};
    const Ranker rank{c, newest};
    const bool has_after = !after.empty();
    Rank after_rank{0, 0};
    if (has_after) {
        const std::uint64_t p = pack_sort_key(after), s = sort_key_sequence(after);
        after_rank = newest ? Rank{~p, ~s} : Rank{p, s};
    }
    // The n smallest ranks past the cursor, in one pass through a max-heap of n.
    using Item = std::pair<Rank, Xapian::docid>;
    std::vector<Item> candidates;
    candidates.reserve(n);
    for (Xapian::docid d : docs) {
        if (d > c.last) continue;
        const Rank r = rank(d);
        if (has_after && !(after_rank < r)) continue;
        if (candidates.size() < n) {
            candidates.emplace_back(r, d);
            std::push_heap(candidates.begin(), candidates.end());
        } else if (Item{r, d} < candidates.front()) {
            std::pop_heap(candidates.begin(), candidates.end());
            candidates.back() = {r, d};
            std::push_heap(candidates.begin(), candidates.end());
        }
    }
    std::sort(candidates.begin(), candidates.end());
    DocList out;
    out.reserve(candidates.size());
    for (const auto& item : candidates) out.push_back(item.second);
    return out;
}

}  // namespace dixit
