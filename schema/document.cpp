// DocumentBuilder: the one place where a quote becomes terms, values and data (layout in fields.h).
#include "document.h"

#include "date_keys.h"

#include "common_grams.h"
#include "fields.h"
#include "record.h"
#include "speakers.h"
#include "token_sequence.h"

#include <algorithm>

namespace dixit {
namespace {

// Bound of the words a builder remembers per language: a Zipfian vocabulary hits it most of the time;
// emptied wholesale when full (a word met again is then sent to the stem table again: harmless).
constexpr std::size_t max_seen_words = 200000;


}  // namespace

DocumentBuilder::DocumentBuilder() = default;

std::string stemmer_language(std::string_view bcp47) {
    std::string primary(bcp47.substr(0, bcp47.find('-')));
    if (primary.empty()) return {};
    try {
        Xapian::Stem stem(primary);  // accepts ISO 639 codes ("en", "de", "ru") as well as names
        if (stem.is_none()) return {};
        return primary;
    } catch (const Xapian::InvalidArgumentError&) {
        return {};  // Czech, Polish, Chinese...: no Snowball stemmer; exact terms only
    }
}

void DocumentBuilder::note_stem(Stemmer& stemmer, const std::string& word) {
    if (stemmer.seen.count(word)) return;
    if (stemmer.seen.size() >= max_seen_words) stemmer.seen.clear();
    stemmer.seen.insert(word);
    std::string s = stemmer.stem(word);
    if (!s.empty() && s != word) new_synonyms_.push_back({stem_key(stemmer.name, s), word});
}

std::string stem_key(std::string_view stemmer_name, std::string_view stem) {
    std::string key(prefix::stem);
    key.append(stemmer_name).append(":").append(stem);
    return key;
}

void add_synonyms(Xapian::WritableDatabase& db, const std::vector<SynonymEntry>& entries) {
    for (const SynonymEntry& e : entries) db.add_synonym(e.key, e.value);
}

std::string filter_term(Tokenizer& tokenizer, const FieldSpec& f, std::string_view value) {
    if (f.name == "id") return id_term(value);
    return cap_term(std::string(f.prefix) + tokenizer.fold_keyword(value), 240);
}

std::string filter_term(Tokenizer& tokenizer, std::string_view field_name, std::string_view value) {
    return filter_term(tokenizer, field(field_name), value);
}

std::string DocumentBuilder::filter_term(std::string_view field_name, std::string_view value) {
    return dixit::filter_term(tokenizer_, field_name, value);
}

std::uint64_t next_sequence(const Xapian::Database& db) {
    const std::string v = db.get_metadata(std::string(next_sequence_key));
    std::uint64_t out = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return 1;  // not ours: start again (ties then go by docid order)
        out = out * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return std::max<std::uint64_t>(out, 1);
}

void set_next_sequence(Xapian::WritableDatabase& db, std::uint64_t next) {
    db.set_metadata(std::string(next_sequence_key), std::to_string(next));
}

void add_date_values(Xapian::Document& doc, const Quote& q, std::uint64_t sequence) {
    if (q.said_on) {
        const PartialDate& d = *q.said_on;
        doc.add_value(slot::said_on, d.iso());
        doc.add_value(slot::said_start, d.first_day_key());
        doc.add_value(slot::said_end, d.last_day_key());
    }
    if (q.published_at) doc.add_value(slot::published_at, published_value(*q.published_at));
    doc.add_value(slot::oldest_key, sort_key(q, DateOrder::Oldest, sequence));
    doc.add_value(slot::newest_key, sort_key(q, DateOrder::Newest, sequence));
}

void DocumentBuilder::add_keyword(Xapian::Document& doc, const FieldSpec& f, const std::string& value,
                                  unsigned index, const std::string& slot_value) {
    doc.add_boolean_term(dixit::filter_term(tokenizer_, f, value));
    if (is_facet(f) && index < f.slot_count) doc.add_value(f.first_slot + index, slot_value);
}

Xapian::Document DocumentBuilder::build(const Quote& q, std::uint64_t sequence) {
    Xapian::Document doc;
    set_quote_data(doc, q);
    doc.add_boolean_term(id_term(q.id));

    // Text: exact terms (stopwords included) without positions, their order kept in slot::tokens (below);
    // words whose stem differs go to the stem table (once per builder, not per quote); common grams.
    tokens_.clear();
    tokenizer_.tokenize(q.text, tokens_);
    Stemmer& stem = stemmers_.get(q.language);
    for (const Token& t : tokens_) {
        doc.add_term(t.term);
        if (t.kind == TokenKind::Word && !stem.stem.is_none() && is_stemmed_word(t.term)) note_stem(stem, t.term);
    }
    for (const auto& gram : common_grams(tokens_)) doc.add_boolean_term(gram);

    // Filters and facets: a boolean term per value, and the value as shown in its facet slot.
    static const FieldSpec& tag = field("tag");
    static const FieldSpec& entity = field("entity");
    static const FieldSpec& country = field("country");
    static const FieldSpec& author = field("author");
    static const FieldSpec& author_id = field("author_id");
    static const FieldSpec& context = field("context");
    static const FieldSpec& lang = field("lang");
    static const FieldSpec& year = field("year");
    static const FieldSpec& month = field("month");
    for (unsigned i = 0; i < q.tags.size(); ++i) add_keyword(doc, tag, q.tags[i], i, q.tags[i]);
    for (unsigned i = 0; i < q.entities.size(); ++i) add_keyword(doc, entity, q.entities[i], i, q.entities[i]);
    for (unsigned i = 0; i < q.countries.size(); ++i) add_keyword(doc, country, q.countries[i], i, q.countries[i]);
    add_keyword(doc, author, q.author.name, 0, author_slot_value(q.author));
    if (!q.author.id.empty()) {
        std::string pair = author_slot_value(q.author);
        if (!seen_speakers_.count(pair)) {
            if (seen_speakers_.size() >= max_seen_words) seen_speakers_.clear();
            for (auto& e : speaker_entries(tokenizer_, q.author)) new_synonyms_.push_back({std::move(e.key), std::move(e.value)});
            seen_speakers_.insert(std::move(pair));
        }
    }
    if (!q.author.id.empty()) add_keyword(doc, author_id, q.author.id, 0, q.author.id);
    if (q.context) add_keyword(doc, context, q.context->id, 0, q.context->id + "\t" + q.context->title);
    if (!q.language.empty()) {
        add_keyword(doc, lang, q.language, 0, q.language);
        auto dash = q.language.find('-');
        if (dash != std::string::npos) add_keyword(doc, lang, q.language.substr(0, dash), 1, {});
    }

    // Dates: said_on at its precision (sort), its period (range filters), year/month facets;
    // published_at as a sortable number ("last 24 hours", newest first).
    add_date_values(doc, q, sequence);
    if (q.said_on) {
        const PartialDate& d = *q.said_on;
        std::string y = d.iso().substr(0, 4);
        add_keyword(doc, year, y, 0, y);
        if (d.month) {
            std::string ym = d.iso().substr(0, 7);
            add_keyword(doc, month, ym, 0, ym);
        }
    }
    if (q.attribution && q.attribution->confidence) {
        static const FieldSpec& confidence = field("confidence");
        doc.add_value(slot::confidence, Xapian::sortable_serialise(*q.attribution->confidence));
        const std::string bucket = confidence_bucket(*q.attribution->confidence);
        add_keyword(doc, confidence, bucket, 0, bucket);
    }
    doc.add_value(slot::tokens, encode_token_sequence(tokens_));
    return doc;
}

void set_quote_data(Xapian::Document& doc, const Quote& quote) { doc.set_data(encode_record(quote)); }

Quote quote_from_document(const Xapian::Document& doc) {
    return decode_record(doc.get_data());
}

std::vector<std::string> stemmed_query_terms(std::string_view folded_word, const Xapian::Stem& stemmer,
                                             std::string_view stemmer_name, const Xapian::Database* db) {
    std::string word(folded_word);
    if (stemmer.is_none() || !is_stemmed_word(word)) return {};
    std::string s = stemmer(word);
    if (s.empty()) return {};
    std::vector<std::string> out{s};
    if (db) {
        std::string key = stem_key(stemmer_name, s);
        for (auto it = db->synonyms_begin(key); it != db->synonyms_end(key); ++it) out.push_back(*it);
    }
    return out;
}

}  // namespace dixit
