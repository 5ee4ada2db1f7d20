// Deadline: the check and its error, and the posting source that ends a Xapian match at the deadline.
#include "deadline.h"

#include "api_error.h"

#include <string>

namespace dixit {
namespace {

// Every live document, in docid order, until the deadline passes: then at_end(). ANDed with a query as a
// filter it changes nothing but which dead documents are left out and where the match stops. It weighs
// nothing.
class LiveSource : public Xapian::PostingSource {
public:
    LiveSource(const Deadline& deadline, const Tombstones& dead) : deadline_(deadline), dead_(dead) {}

    LiveSource* clone() const override { return new LiveSource(deadline_, dead_); }
    void init(const Xapian::Database& db) override {
        last_ = db.get_lastdocid();
        current_ = 0;
        calls_ = 0;
        expired_ = false;
        // A filter that every live document passes: estimates of the match scale by the live share.
        documents_ = live_count(db, dead_);
    }
    Xapian::doccount get_termfreq_min() const override { return documents_; }
    Xapian::doccount get_termfreq_est() const override { return documents_; }
    Xapian::doccount get_termfreq_max() const override { return documents_; }
    void next(double) override {
        ++current_;
        skip_dead();
        tick();
    }
    void skip_to(Xapian::docid did, double) override {
        if (did > current_) current_ = did;
        skip_dead();
        tick();
    }
    bool at_end() const override { return expired_ || current_ > last_; }
    Xapian::docid get_docid() const override { return current_; }
    std::string get_description() const override { return "LiveSource"; }

private:
    void skip_dead() {
        while (current_ <= last_ && dead_.contains(current_)) ++current_;
    }

    void tick() {
        // The clock costs about 20 ns; reading it once in 256 documents keeps the filter nearly free.
        if ((++calls_ & 255) == 0 && deadline_.passed()) expired_ = true;
    }

    Deadline deadline_;
    const Tombstones& dead_;
    Xapian::docid last_ = 0;
    Xapian::docid current_ = 0;
    unsigned calls_ = 0;
    bool expired_ = false;
    Xapian::doccount documents_ = 0;
};

}  // namespace

Deadline::Deadline(std::chrono::milliseconds budget) : budget_(budget) {
    if (budget.count() > 0) at_ = Clock::now() + budget;
}

void Deadline::check() const {
    if (!passed()) return;
    throw ApiError(ErrorCode::SearchTimeout,
                   "the search ran over its time budget of " + std::to_string(budget_.count()) +
                       " ms (--max-search-ms); narrow it: fewer word* prefixes or facets, a filter, or a shorter "
                       "period (from/to, hours)");
}

Xapian::Query within(const Xapian::Query& query, const Deadline& deadline, const Tombstones& dead) {
    if ((!deadline.limited() && dead.empty()) || query.empty()) return query;
    // Xapian owns the source (release()) and clones it for each match.
    return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query((new LiveSource(deadline, dead))->release()));
}

}  // namespace dixit
