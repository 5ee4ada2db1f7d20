// Exact facet counts: one match spy per field that reads the field's value slots and counts each value once.
#pragma once

#include "fields.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace dixit {

/// One facet value and the number of matching documents that have it.
struct FacetCount {
    std::string value;
    Xapian::doccount count;
    bool operator==(const FacetCount&) const = default;
};

/// Counts one field's values over the documents a match checks. Multi-valued fields fill their slots
/// from the first one, so a document's values end at its first empty slot: one spy reads a document's
/// values in turn and stops there (Xapian's ValueCountMatchSpy, one per slot, read every slot of every
/// document and counted into a std::map: 3-4x slower on broad matches, docs/benchmarks.md).
/// Counts are exact only when the match checks every document (check_at_least = doc count).
class FacetCounter {
public:
    FacetCounter(const Xapian::Database& db, const FieldSpec& field);
    /// Adds this counter's spy to an Enquire (before get_mset); the counter must outlive that get_mset.
    void attach(Xapian::Enquire& enquire);
    /// Values by count (descending), then value (ascending); at most limit (0 = all).
    std::vector<FacetCount> counts(std::size_t limit = 0) const;
    /// Number of distinct values seen.
    std::size_t distinct() const;

private:
    /// The spy: reads the field's slots of each matching document until the first empty one.
    class Spy : public Xapian::MatchSpy {
    public:
        explicit Spy(std::vector<Xapian::valueno> slots) : slots_(std::move(slots)) {}
        void operator()(const Xapian::Document& doc, double weight) override;
        std::unordered_map<std::string, Xapian::doccount> counts;

    private:
        std::vector<Xapian::valueno> slots_;
    };
    std::unique_ptr<Spy> spy_;
};

}  // namespace dixit
