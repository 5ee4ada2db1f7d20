// PositionFilter: phrase and NEAR checks on a document's stored word order (see position_filter.h).
#include "position_filter.h"

#include <fields.h>
#include <token_sequence.h>

#include <algorithm>

namespace dixit {

PositionFilter::PositionFilter(std::vector<std::string> terms, Kind kind, Xapian::termcount window,
                               std::shared_ptr<const WordOrder> words)
    : terms_(std::move(terms)),
      kind_(kind),
      window_(kind == Kind::Phrase ? static_cast<Xapian::termcount>(terms_.size()) : window),
      words_(std::move(words)) {}

void PositionFilter::init(const Xapian::Database& db) {
    db_ = db;
    use_words_ = words_ && words_->describes(db);
    doccount_ = db.get_doccount();
    max_ = doccount_;
    lists_.clear();
    for (const auto& t : terms_) max_ = std::min(max_, db.get_termfreq(t));
    current_ = 0;
    valid_ = false;
    ended_ = terms_.empty() || max_ == 0;
}

bool PositionFilter::matches(Xapian::docid did) {
    const std::string_view value = word_order_of(use_words_ ? words_.get() : nullptr, db_, did, stored_);
    if (value.empty()) return false;
    decode_token_sequence(value, seq_);
    return kind_ == Kind::Phrase ? has_phrase(seq_, terms_) : has_near(seq_, terms_, window_);
}

// Walks the AND of the terms' posting lists from did on, stopping at the first document that matches.
void PositionFilter::advance_from(Xapian::docid did) {
    valid_ = false;
    if (ended_) return;
    if (lists_.empty())
        for (const auto& t : terms_) lists_.push_back(db_.postlist_begin(t));
    for (;;) {
        bool agreed = true;
        for (auto& it : lists_) {
            it.skip_to(did);
            if (it == Xapian::PostingIterator()) {
                ended_ = true;
                return;
            }
            if (*it > did) {
                did = *it;
                agreed = false;
            }
        }
        if (!agreed) continue;
        if (matches(did)) {
            current_ = did;
            valid_ = true;
            return;
        }
        ++did;
    }
}

void PositionFilter::next(double) { advance_from(current_ + 1); }

void PositionFilter::skip_to(Xapian::docid did, double) {
    if (valid_ && did <= current_) return;
    advance_from(valid_ ? did : std::max(did, current_ + 1));
}

bool PositionFilter::check(Xapian::docid did, double) {
    // Asked about one document that the rest of the AND holds: answer for it alone. "false" means
    // "not here, position unknown": the next next() or skip_to() goes on after did.
    current_ = did;
    valid_ = matches(did);
    return valid_;
}

PositionFilter* PositionFilter::clone() const { return new PositionFilter(terms_, kind_, window_, words_); }

std::string PositionFilter::get_description() const {
    std::string out = kind_ == Kind::Phrase ? "PHRASE " : "NEAR ";
    out += std::to_string(window_) + " (";
    for (std::size_t i = 0; i < terms_.size(); ++i) out += (i ? " " : "") + terms_[i];
    return out + ")";
}

}  // namespace dixit
