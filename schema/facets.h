// Exact facet counts with Xapian's built-in ValueCountMatchSpy, summed over a field's value slots.
#pragma once

#include "fields.h"

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace dixit {

/// One facet value and the number of matching documents that have it.
struct FacetCount {
    std::string value;
    Xapian::doccount count;
    bool operator==(const FacetCount&) const = default;
};

/// Counts one field's values over the documents a match checks. Multi-valued fields get one spy per
/// slot that any document uses (Database::get_value_freq), so a value counts each document once.
/// Only built-in spies are used, so this works unchanged on remote (xapian-tcpsrv) shards.
/// Counts are exact only when the match checks every document (check_at_least = doc count).
class FacetCounter {
public:
    FacetCounter(const Xapian::Database& db, const FieldSpec& field);
    /// Adds this counter's spies to an Enquire (before get_mset); the counter must outlive that get_mset.
    void attach(Xapian::Enquire& enquire);
    /// Values by count (descending), then value (ascending); at most limit (0 = all).
    std::vector<FacetCount> counts(std::size_t limit = 0) const;
    /// Number of distinct values seen.
    std::size_t distinct() const;

private:
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies_;
    std::vector<Xapian::valueno> slots_;
};

}  // namespace dixit
