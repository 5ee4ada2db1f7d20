// FacetCounter: a MatchSpy over a field's value slots, counting by folded key into a hash map.
#include "facets.h"

#include "speakers.h"

#include <algorithm>

namespace dixit {

std::string facet_key(Tokenizer& tokenizer, const FieldSpec& field, std::string_view stored) {
    if (field.name == "author") return author_key(tokenizer, stored);  // "name" or "name\tid"
    if (field.name == "context") stored = stored.substr(0, stored.find('\t'));  // slot value "id\ttitle"
    // The filter term's key (filter_term(): prefix + fold_keyword, capped) without the prefix.
    return tokenizer.fold_keyword(stored);
}

void FacetKeys::use(const Xapian::Database& db) {
    std::string state = db.get_uuid() + ":" + std::to_string(db.get_revision());
    if (state != state_) {
        state_ = std::move(state);
        resolved_.clear();
        db_ = has_speakers(db) ? &db : nullptr;
    } else if (db_) {
        db_ = &db;
    }
}

std::string shown_spelling(const FieldSpec& field, const std::vector<Spelling>& spellings) {
    auto better = [](std::string_view a, Xapian::doccount ca, std::string_view b, Xapian::doccount cb) {
        return ca != cb ? ca > cb : a < b;
    };
    const Spelling* best = nullptr;
    const Spelling* best_with_id = nullptr;
    for (const auto& s : spellings) {
        if (!best || better(*s.stored, s.count, *best->stored, best->count)) best = &s;
        if (field.name == "author" && s.stored->find('\t') != std::string::npos &&
            (!best_with_id || better(*s.stored, s.count, *best_with_id->stored, best_with_id->count)))
            best_with_id = &s;
    }
    if (!best) return {};
    if (!best_with_id) return *best->stored;
    // A speaker: count its names over all its spellings, with or without the id.
    std::unordered_map<std::string_view, Xapian::doccount> names;
    for (const auto& s : spellings) names[std::string_view(*s.stored).substr(0, s.stored->rfind('\t'))] += s.count;
    std::string_view name;
    Xapian::doccount count = 0;
    for (const auto& [n, c] : names)
        if (name.empty() || better(n, c, name, count)) name = n, count = c;
    const std::string& with_id = *best_with_id->stored;
    return std::string(name) + with_id.substr(with_id.rfind('\t'));
}

const std::string& FacetKeys::key(const FieldSpec& field, const std::string& stored) {
    auto& cache = by_field_[std::string(field.name)];
    auto it = cache.find(stored);
    if (it == cache.end()) {
        if (size_ >= max_remembered) {
            for (auto& [name, values] : by_field_) values.clear();
            resolved_.clear();
            size_ = 0;
        }
        ++size_;
        it = cache.emplace(stored, facet_key(tokenizer_, field, stored)).first;
    }
    const std::string& key = it->second;
    if (!db_ || field.name != "author" || key.empty() || key[0] == '#') return key;
    auto r = resolved_.find(key);
    if (r == resolved_.end()) r = resolved_.emplace(key, resolve_author_key(*db_, key)).first;
    return r->second;
}

FacetCounter::FacetCounter(const Xapian::Database& db, const FieldSpec& field, FacetKeys& keys) : field_(&field) {
    std::vector<Xapian::valueno> slots;
    if (is_facet(field)) {
        for (unsigned i = 0; i < field.slot_count; ++i) {
            Xapian::valueno s = field.first_slot + i;
            // Values fill slots from the first one, so the first slot no document uses ends the field's slots.
            if (i > 0 && db.get_value_freq(s) == 0) break;
            slots.push_back(s);
        }
    }
    spy_ = std::make_unique<Spy>(std::move(slots), field, keys);
}

void FacetCounter::Spy::operator()(const Xapian::Document& doc, double) {
    seen_.clear();
    for (Xapian::valueno s : slots_) {
        std::string value = doc.get_value(s);
        if (value.empty()) break;  // a document's values end at its first empty slot
        auto it = spellings.find(value);
        if (it == spellings.end()) {
            auto key = counts.try_emplace(keys_.key(field_, value), 0).first;
            it = spellings.emplace(std::move(value), StoredValue{&key->second, &key->first}).first;
        }
        StoredValue& spelling = it->second;
        ++spelling.seen;
        // Two spellings of one key in a document count it once, as its filter term matches it once.
        if (std::find(seen_.begin(), seen_.end(), spelling.count) != seen_.end()) continue;
        seen_.push_back(spelling.count);
        ++*spelling.count;
    }
}

void FacetCounter::Spy::clear() {
    spellings.clear();
    counts.clear();
}

void FacetCounter::attach(Xapian::Enquire& enquire) {
    spy_->clear();
    enquire.add_matchspy(spy_.get());
}

std::vector<FacetCount> FacetCounter::counts(std::size_t limit,
                                             const std::function<std::string(const std::string&)>& shown) const {
    // Each key's spellings among the counted documents, for shown_spelling() unless shown() names one.
    std::unordered_map<const std::string*, std::vector<Spelling>> spellings;
    for (const auto& [stored, s] : spy_->spellings) spellings[s.key].push_back({&stored, s.seen});
    std::vector<FacetCount> out;
    out.reserve(spy_->counts.size());
    for (const auto& [key, count] : spy_->counts) {
        std::string value = shown ? shown(key) : std::string();
        if (value.empty()) value = shown_spelling(*field_, spellings.at(&key));
        out.push_back({std::move(value), count});
    }
    auto by_count = [](const FacetCount& a, const FacetCount& b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    };
    if (limit && limit < out.size()) {
        std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(limit), out.end(), by_count);
        out.resize(limit);
    } else {
        std::sort(out.begin(), out.end(), by_count);
    }
    return out;
}

std::size_t FacetCounter::distinct() const { return spy_->counts.size(); }

}  // namespace dixit
