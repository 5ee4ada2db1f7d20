// Speaker identity: the names each author id is quoted under, kept in the index's synonym table, so that
// any name of a speaker finds all of the speaker's quotes and the author facet counts each speaker once.
#pragma once

#include "quote.h"
#include "tokenizer.h"

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace dixit {

/// The author facet's stored value (its slot): "name" or, with an id, "name\tid".
std::string author_slot_value(const Author& author);

/// The facet key of a stored author value: "#" + the folded id when it has one, else the folded name (a
/// folded name never starts with "#").
std::string author_key(Tokenizer& tokenizer, std::string_view stored);

/// The two synonym-table entries that tie a folded name to a folded id (none when either folds to nothing).
struct SpeakerEntry {
    std::string key;
    std::string value;
};
std::vector<SpeakerEntry> speaker_entries(Tokenizer& tokenizer, const Author& author);

/// True when the index knows any speaker ids (its synonym table has speaker entries).
bool has_speakers(const Xapian::Database& db);

/// The folded ids quoted under a folded name; the folded names quoted under a folded id.
std::vector<std::string> speaker_ids(const Xapian::Database& db, std::string_view folded_name);
std::vector<std::string> speaker_names(const Xapian::Database& db, std::string_view folded_id);

/// The author key an author value resolves to in db: an id-less name known under exactly one id is that
/// speaker's ("#" + id); any other key stays as it is.
std::string resolve_author_key(const Xapian::Database& db, std::string key);

/// The filter of one field value. author: the quotes under that name and every quote of the speakers known
/// under it; author_id: the speaker's quotes, and id-less quotes under a name only that speaker is known by.
/// Any other field: its filter term. db may be null (no expansion).
Xapian::Query field_filter(Tokenizer& tokenizer, const Xapian::Database* db, std::string_view field_name,
                           std::string_view value);

}  // namespace dixit
