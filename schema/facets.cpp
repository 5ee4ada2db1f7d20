// FacetCounter: a MatchSpy over a field's value slots, counting into a hash map.
#include "facets.h"

#include <algorithm>

namespace dixit {

FacetCounter::FacetCounter(const Xapian::Database& db, const FieldSpec& field) {
    std::vector<Xapian::valueno> slots;
    if (is_facet(field)) {
        for (unsigned i = 0; i < field.slot_count; ++i) {
            Xapian::valueno s = field.first_slot + i;
            // Values fill slots from the first one, so the first slot no document uses ends the field's slots.
            if (i > 0 && db.get_value_freq(s) == 0) break;
            slots.push_back(s);
        }
    }
    spy_ = std::make_unique<Spy>(std::move(slots));
}

void FacetCounter::Spy::operator()(const Xapian::Document& doc, double) {
    for (Xapian::valueno s : slots_) {
        std::string value = doc.get_value(s);
        if (value.empty()) break;  // a document's values end at its first empty slot
        ++counts[value];
    }
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
    if (!spy_->counts.empty()) spy_->counts.clear();
    enquire.add_matchspy(spy_.get());
}

std::vector<FacetCount> FacetCounter::counts(std::size_t limit) const {
    std::vector<FacetCount> out;
    out.reserve(spy_->counts.size());
    for (const auto& [value, count] : spy_->counts) out.push_back({value, count});
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

std::size_t FacetCounter::distinct() const { return spy_->counts.size(); }

}  // namespace dixit
