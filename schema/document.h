// Turns a validated quote into the Xapian document the field table describes, and back.
#pragma once

#include "fields.h"
#include "quote.h"
#include "tokenizer.h"

#include <xapian.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dixit {

/// One entry of the index's synonym table. Either a word whose stem, in the language of a quote it is in,
/// differs from it (key stem_key(language, stem) -> the folded word), which query words expand through; or
/// a speaker's name tied to its id, both ways (schema/speakers.h), which author filters expand through.
struct SynonymEntry {
    std::string key;
    std::string value;
};

/// True for a folded word that is stemmed, in the index's stem table, by the query and by the highlighter
/// alike: not an empty one, nor one that starts with a digit ("1990s", "5g" match as written).
inline bool is_stemmed_word(std::string_view folded) { return !folded.empty() && !(folded[0] >= '0' && folded[0] <= '9'); }

/// Xapian stemmer name for a BCP 47 tag's primary language, or "" when Xapian has none.
std::string stemmer_language(std::string_view bcp47);

/// The Snowball stemmer of a quote language: stemmer_language()'s choice, the same for the indexer and the
/// highlighter; Xapian's none-stemmer where it has none.
struct LanguageStemmer {
    explicit LanguageStemmer(std::string_view bcp47)
        : name(stemmer_language(bcp47)), stem(name.empty() ? Xapian::Stem() : Xapian::Stem(name)) {}
    std::string name;  ///< stemmer_language(): part of the stem table's keys; "" for none
    Xapian::Stem stem;
};

/// One T per quote language, made from the BCP 47 tag the first time it is asked for (T is constructible
/// from a std::string_view: a LanguageStemmer and what its user keeps beside it).
template <class T>
class PerLanguage {
public:
    /// The language's T.
    T& get(std::string_view bcp47) {
        auto it = by_language_.find(bcp47);
        if (it == by_language_.end()) it = by_language_.emplace(std::string(bcp47), T(bcp47)).first;
        return it->second;
    }

private:
    std::map<std::string, T, std::less<>> by_language_;
};

/// Builds Xapian documents: exact terms with their order in a value slot, common grams, filter terms,
/// facet and date slots, and the normalised record as document data. Not thread-safe (owns a Tokenizer): one per thread.
class DocumentBuilder {
public:
    DocumentBuilder();

    /// The document for a quote; published_at must be set (the indexer fills in the default). sequence:
    /// its ingest sequence number (sort_key()).
    Xapian::Document build(const Quote& quote, std::uint64_t sequence);

    /// The synonym table entries (stems, speakers) this builder met for the first time since the last call
    /// (or since its caches were last emptied): the writer adds them with add_synonyms() beside the documents.
    std::vector<SynonymEntry> take_new_synonyms() { return std::exchange(new_synonyms_, {}); }

    /// The tokens of the text of the last quote built (its shingles are taken from them: shingles.h).
    const std::vector<Token>& tokens() const { return tokens_; }

    /// The tokenizer this builder uses (for tests and the query side's fold of keywords).
    Tokenizer& tokenizer() { return tokenizer_; }

    /// The filter term of a field value ("tag", "North Korean troops" -> "Knorth korean troops").
    std::string filter_term(std::string_view field_name, std::string_view value);

private:
    /// A Snowball stemmer and the words already sent to the stem table (each word is stemmed once).
    struct Stemmer : LanguageStemmer {
        using LanguageStemmer::LanguageStemmer;
        std::unordered_set<std::string> seen;  // bounded; emptied when full
    };
    void note_stem(Stemmer& stemmer, const std::string& word);
    void add_keyword(Xapian::Document& doc, const FieldSpec& f, const std::string& value, unsigned index,
                     const std::string& slot_value);

    Tokenizer tokenizer_;
    std::vector<Token> tokens_;
    PerLanguage<Stemmer> stemmers_;
    std::vector<SynonymEntry> new_synonyms_;
    std::unordered_set<std::string> seen_speakers_;  // "name\tid" already sent; bounded, emptied when full
};

/// The stem table key of a stem in a stemmer's language ("Zen:troop").
std::string stem_key(std::string_view stemmer_name, std::string_view stem);

/// Adds synonym table entries to db (adding one twice changes nothing).
void add_synonyms(Xapian::WritableDatabase& db, const std::vector<SynonymEntry>& entries);


/// Metadata key of the next ingest sequence number an index hands out (absent: 1).
inline constexpr std::string_view next_sequence_key = "dixit:next-sequence";

/// The next ingest sequence number of db.
std::uint64_t next_sequence(const Xapian::Database& db);

/// Records that db's quotes are numbered below next.
void set_next_sequence(Xapian::WritableDatabase& db, std::uint64_t next);

/// Writes the date values of a quote (said_on, its period, published_at, the sort keys) into doc.
void add_date_values(Xapian::Document& doc, const Quote& quote, std::uint64_t sequence);

/// The filter term of a field value, folded with the given tokenizer: the one formula of every filter term
/// the indexer writes and searchd looks up ("Q" + id for ids; prefix + fold_keyword, capped, for the rest).
std::string filter_term(Tokenizer& tokenizer, const FieldSpec& field, std::string_view value);

/// The same for the field named field_name; throws std::out_of_range for an unknown name.
std::string filter_term(Tokenizer& tokenizer, std::string_view field_name, std::string_view value);

/// Stores the normalised quote as the document's data (the binary record of record.h).
void set_quote_data(Xapian::Document& doc, const Quote& quote);

/// The quote stored in a document's data; throws RecordError when the data is not a record.
Quote quote_from_document(const Xapian::Document& doc);

/// The terms a stemmed query word matches in one language besides itself: the stem as a word, and every
/// indexed word of that language with the same stem (db's stem table; none when db is null).
std::vector<std::string> stemmed_query_terms(std::string_view folded_word, const Xapian::Stem& stemmer,
                                             std::string_view stemmer_name, const Xapian::Database* db);

}  // namespace dixit
