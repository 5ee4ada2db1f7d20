// Phrases and NEAR without a positional index: a Xapian posting source that keeps the documents whose
// word order (slot::tokens, schema/token_sequence.h) has the terms in a phrase or within a window.
#pragma once

#include "word_order.h"

#include <token_sequence.h>

#include <xapian.h>

#include <memory>

#include <string>
#include <vector>

namespace dixit {

/// A filter leaf for OP_FILTER beside the AND of its terms: Xapian's AND then asks check() only for the
/// documents that hold every term (its estimate is the whole database, so it is never the AND's driver).
/// Alone it walks the AND of its terms itself. Weighs nothing.
class PositionFilter : public Xapian::PostingSource {
public:
    enum class Kind { Phrase, Near };

    /// terms: exact terms in query order; window: NEAR's window in positions (ignored for a phrase);
    /// words: the word order in memory, used when it describes the database searched.
    PositionFilter(std::vector<std::string> terms, Kind kind, Xapian::termcount window = 0,
                   std::shared_ptr<const WordOrder> words = nullptr);

    void init(const Xapian::Database& db) override;
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return doccount_; }
    Xapian::doccount get_termfreq_max() const override { return max_; }
    void next(double min_wt) override;
    void skip_to(Xapian::docid did, double min_wt) override;
    bool check(Xapian::docid did, double min_wt) override;
    bool at_end() const override { return ended_; }
    Xapian::docid get_docid() const override { return current_; }
    PositionFilter* clone() const override;
    std::string name() const override { return "dixit::PositionFilter"; }
    /// "PHRASE 3 (north korean troops)" or "NEAR 5 (putin troops)": what tests and logs see.
    std::string get_description() const override;

    /// True when document did of db has the terms in order (Phrase) or within the window (Near).
    bool matches(Xapian::docid did);

private:
    void advance_from(Xapian::docid did);

    std::vector<std::string> terms_;
    Kind kind_;
    Xapian::termcount window_;
    std::shared_ptr<const WordOrder> words_;
    bool use_words_ = false;  // words_ describes db_
    TokenSequence seq_;       // decoding buffer, reused
    std::string stored_;      // a slot read from the document when words_ is not used
    Xapian::Database db_;
    std::vector<Xapian::PostingIterator> lists_;
    Xapian::doccount doccount_ = 0, max_ = 0;
    Xapian::docid current_ = 0;
    bool valid_ = false;  // current_ is a match (false after check() said no, and before the start)
    bool ended_ = false;
};

}  // namespace dixit
