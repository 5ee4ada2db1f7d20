// FacetCounter: per-slot ValueCountMatchSpy objects merged into one list of counts.
#include "facets.h"

#include <algorithm>
#include <unordered_map>

namespace dixit {

FacetCounter::FacetCounter(const Xapian::Database& db, const FieldSpec& field) {
    if (!is_facet(field)) return;
    for (unsigned i = 0; i < field.slot_count; ++i) {
        Xapian::valueno s = field.first_slot + i;
        // Values fill slots from the first one, so the first unused slot ends the field's slots.
        if (i > 0 && db.get_value_freq(s) == 0) break;
        slots_.push_back(s);
        spies_.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(s));
    }
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
    for (auto& spy : spies_) enquire.add_matchspy(spy.get());
}

std::vector<FacetCount> FacetCounter::counts(std::size_t limit) const {
    std::unordered_map<std::string, Xapian::doccount> merged;
    for (const auto& spy : spies_) {
        for (auto it = spy->values_begin(); it != spy->values_end(); ++it) merged[*it] += it.get_termfreq();
    }
    std::vector<FacetCount> out;
    out.reserve(merged.size());
    for (auto& [value, count] : merged) out.push_back({value, count});
    auto by_count = [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    if (limit && limit < out.size()) {
        std::partial_sort(out.begin(), out.begin() + limit, out.end(), by_count);
        out.resize(limit);
    } else {
        std::sort(out.begin(), out.end(), by_count);
    }
    return out;
}

std::size_t FacetCounter::distinct() const {
    std::unordered_map<std::string, bool> seen;
    for (const auto& spy : spies_) {
        for (auto it = spy->values_begin(); it != spy->values_end(); ++it) seen.emplace(*it, true);
    }
    return seen.size();
}

}  // namespace dixit
