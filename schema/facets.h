// Exact facet counts by folded key: one match spy per field that reads the field's value slots and counts
// each key once per document, shown in its most frequent spelling.
#pragma once

#include "fields.h"
#include "tokenizer.h"

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace dixit {

/// The key a stored facet value is counted under: the folded form its filter term is made of
/// (filter_term()), so that "health-care" and "Health care" are one value whose count is its filter's total.
/// A context's stored "id\ttitle" is keyed by its id.
std::string facet_key(Tokenizer& tokenizer, const FieldSpec& field, std::string_view stored);

/// One stored spelling of a facet key and the number of quotes it was counted in.
struct Spelling {
    const std::string* stored;
    Xapian::doccount count;
};

/// How a key is shown, given its spellings: the most frequent (ties: the smaller). For a speaker (an author
/// with an id, stored "name\tid"), its most frequent name whether or not those quotes carry the id, with
/// the id as its most frequent id-carrying spelling writes it.
std::string shown_spelling(const FieldSpec& field, const std::vector<Spelling>& spellings);

/// One facet value and the number of matching documents that have it.
struct FacetCount {
    std::string value;
    Xapian::doccount count;
    bool operator==(const FacetCount&) const = default;
};

/// The keys of stored values, remembered per field so that a spy folds each distinct value once per
/// worker rather than once per search: facet_key(), and for authors without an id, the speaker their name
/// is known as in the index of the last use() (resolve_author_key()). Not thread-safe: one per thread.
class FacetKeys {
public:
    explicit FacetKeys(Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
    /// The index state the next keys are for (it must outlive those calls); without it, no author resolves.
    void use(const Xapian::Database& db);
    /// The key of a stored value of field; valid until the next call.
    const std::string& key(const FieldSpec& field, const std::string& stored);

private:
    static constexpr std::size_t max_remembered = 1u << 20;  // values of all fields; then it starts afresh
    Tokenizer& tokenizer_;
    std::unordered_map<std::string, std::unordered_map<std::string, std::string>> by_field_;
    std::size_t size_ = 0;
    const Xapian::Database* db_ = nullptr;  ///< resolves id-less authors, when it has speakers
    std::string state_;                     ///< db's uuid and revision at use()
    std::unordered_map<std::string, std::string> resolved_;  ///< author key → speaker key, for state_
};

/// Counts one field's values by key (facet_key()) over the documents a match checks. Multi-valued fields
/// fill their slots from the first one, so a document's values end at its first empty slot: one spy reads a
/// document's values in turn and stops there (Xapian's ValueCountMatchSpy, one per slot, read every slot of
/// every document and counted into a std::map, slower on broad matches).
/// Counts are exact only when the match checks every document (check_at_least = doc count).
class FacetCounter {
public:
    /// keys folds the values; it must outlive the counter.
    FacetCounter(const Xapian::Database& db, const FieldSpec& field, FacetKeys& keys);
    /// Adds this counter's spy to an Enquire (before get_mset); the counter must outlive that get_mset.
    void attach(Xapian::Enquire& enquire);
    /// Keys by count (descending), then shown value (ascending); at most limit (0 = all). Each key is shown
    /// as shown(key) when that is not empty, else in its most frequent spelling among the counted documents.
    std::vector<FacetCount> counts(std::size_t limit = 0,
                                   const std::function<std::string(const std::string& key)>& shown = {}) const;
    /// Number of distinct keys seen.
    std::size_t distinct() const;

private:
    /// The spy: reads the field's slots of each matching document until the first empty one.
    class Spy : public Xapian::MatchSpy {
    public:
        Spy(std::vector<Xapian::valueno> slots, const FieldSpec& field, FacetKeys& keys)
            : slots_(std::move(slots)), field_(field), keys_(keys) {}
        void operator()(const Xapian::Document& doc, double weight) override;
        void clear();

        std::unordered_map<std::string, Xapian::doccount> counts;  ///< key → documents
        struct StoredValue {
            Xapian::doccount* count;  ///< its key's entry in counts (stable: map nodes do not move)
            const std::string* key;
            Xapian::doccount seen = 0;  ///< documents with this spelling
        };
        std::unordered_map<std::string, StoredValue> spellings;  ///< stored value → its key and count

    private:
        std::vector<Xapian::valueno> slots_;
        const FieldSpec& field_;
        FacetKeys& keys_;
        std::vector<const Xapian::doccount*> seen_;  ///< keys of the current document
    };
    const FieldSpec* field_;
    std::unique_ptr<Spy> spy_;
};

}  // namespace dixit
