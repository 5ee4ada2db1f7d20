// Speaker identity: name <-> id entries in the synonym table, author keys, and the author filters.
#include "speakers.h"

#include "document.h"
#include "fields.h"

#include <algorithm>

namespace dixit {
namespace {

std::string name_key(std::string_view folded_name) { return std::string(prefix::speaker_ids) + std::string(folded_name); }
std::string id_key(std::string_view folded_id) { return std::string(prefix::speaker_names) + std::string(folded_id); }

std::vector<std::string> synonyms(const Xapian::Database& db, const std::string& key) {
    std::vector<std::string> out;
    for (auto it = db.synonyms_begin(key); it != db.synonyms_end(key); ++it) out.push_back(*it);
    return out;
}

Xapian::Query any_of(const std::vector<std::string>& terms) {
    if (terms.size() == 1) return Xapian::Query(terms.front());
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

std::string author_slot_value(const Author& author) {
    return author.id.empty() ? author.name : author.name + "\t" + author.id;
}

std::string author_key(Tokenizer& tokenizer, std::string_view stored) {
    // The id follows the last tab (an id holds none: validation); a name may, in principle, hold one.
    const auto tab = stored.rfind('\t');
    if (tab != std::string_view::npos) {
        std::string id = tokenizer.fold_keyword(stored.substr(tab + 1));
        if (!id.empty()) return "#" + id;
        stored = stored.substr(0, tab);
    }
    return tokenizer.fold_keyword(stored);
}

std::vector<SpeakerEntry> speaker_entries(Tokenizer& tokenizer, const Author& author) {
    if (author.id.empty()) return {};
    std::string name = tokenizer.fold_keyword(author.name);
    std::string id = tokenizer.fold_keyword(author.id);
    if (name.empty() || id.empty()) return {};
    return {{name_key(name), id}, {id_key(id), name}};
}

bool has_speakers(const Xapian::Database& db) {
    const std::string start(prefix::speaker_ids);
    auto it = db.synonym_keys_begin(start);
    return it != db.synonym_keys_end(start);
}

std::vector<std::string> speaker_ids(const Xapian::Database& db, std::string_view folded_name) {
    return synonyms(db, name_key(folded_name));
}

std::vector<std::string> speaker_names(const Xapian::Database& db, std::string_view folded_id) {
    return synonyms(db, id_key(folded_id));
}

std::string resolve_author_key(const Xapian::Database& db, std::string key) {
    if (key.empty() || key[0] == '#') return key;
    auto ids = speaker_ids(db, key);
    return ids.size() == 1 ? "#" + ids.front() : key;
}

Xapian::Query field_filter(Tokenizer& tokenizer, const Xapian::Database* db, std::string_view field_name,
                           std::string_view value) {
    std::string term = filter_term(tokenizer, field_name, value);
    if (!db || (field_name != "author" && field_name != "author_id")) return Xapian::Query(term);
    const std::string author(field("author").prefix), author_id(field("author_id").prefix);
    std::vector<std::string> terms{term};
    // A speaker's quotes: those with its id, and the id-less ones under a name only it is known by
    // (the author facet counts those as its own: resolve_author_key()).
    auto add_speaker = [&](const std::string& id) {
        terms.push_back(author_id + id);
        for (const auto& name : speaker_names(*db, id)) {
            auto ids = speaker_ids(*db, name);
            if (ids.size() == 1 && ids.front() == id) terms.push_back(author + name);
        }
    };
    if (field_name == "author") {
        for (const auto& id : speaker_ids(*db, term.substr(author.size()))) add_speaker(id);
    } else {
        add_speaker(term.substr(author_id.size()));
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
    return any_of(terms);
}

}  // namespace dixit
