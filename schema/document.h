// Turns a validated quote into the Xapian document the field table describes, and back.
#pragma once

#include "fields.h"
#include "quote.h"
#include "tokenizer.h"

#include <xapian.h>

#include <map>
#include <unordered_map>
#include <string>
#include <vector>

namespace dixit {

/// Builds Xapian documents: positional exact terms, stem terms, filter terms, facet and date slots,
/// and the normalised record as document data. Not thread-safe (owns a Tokenizer): one per thread.
class DocumentBuilder {
public:
    DocumentBuilder();

    /// The document for a quote; published_at must be set (the indexer fills in the default).
    Xapian::Document build(const Quote& quote);

    /// The tokenizer this builder uses (for tests and the query side's fold of keywords).
    Tokenizer& tokenizer() { return tokenizer_; }

    /// The filter term of a field value ("tag", "North Korean troops" -> "Knorth korean troops").
    std::string filter_term(std::string_view field_name, std::string_view value);

private:
    /// A Snowball stemmer with a cache of its answers (stemming every token is the builder's hot spot).
    struct Stemmer {
        Xapian::Stem stem;
        std::unordered_map<std::string, std::string> cache;
        const std::string& operator()(const std::string& term);
    };
    Stemmer& stemmer_for(const std::string& language);
    void add_keyword(Xapian::Document& doc, const FieldSpec& f, const std::string& value, unsigned index,
                     const std::string& slot_value);

    Tokenizer tokenizer_;
    std::vector<Token> tokens_;
    std::map<std::string, Stemmer> stemmers_;
};

/// Which date order a sort key is for.
enum class DateOrder { Oldest, Newest };

/// The unique date sort key of a quote (value slots oldest_key / newest_key). Sorting by it ascending
/// (Oldest) or descending (Newest) puts dated quotes first in said_on order, a period before the dates
/// inside it ("2025" < "2025-03" < "2025-03-01" ascending), and undated quotes after them in both orders;
/// ties go by published_at, then id. Being unique, the key is also the paging cursor.
std::string sort_key(const Quote& quote, DateOrder order);

/// Writes the date values of a quote (said_on, its period, published_at, the sort keys) into doc.
void add_date_values(Xapian::Document& doc, const Quote& quote);

/// The filter term of a field value, folded with the given tokenizer (same as DocumentBuilder::filter_term).
std::string filter_term(Tokenizer& tokenizer, std::string_view field_name, std::string_view value);

/// The quote stored in a document's data (the normalised record JSON).
Quote quote_from_document(const Xapian::Document& doc);

/// Xapian stemmer name for a BCP 47 tag's primary language, or "" when Xapian has none.
std::string stemmer_language(std::string_view bcp47);

/// The terms a stemmed query word matches: "Z"+stem and the stem itself as an exact term
/// (documents get a Z term only where the stem differs from the word).
std::vector<std::string> stemmed_query_terms(std::string_view folded_word, const Xapian::Stem& stemmer);

}  // namespace dixit
