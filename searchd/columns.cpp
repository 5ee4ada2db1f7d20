// Per-document columns: built from the value streams, patched from the change log, shared by workers.
#include "columns.h"

#include "store_reader.h"

#include <changes.h>
#include <date_keys.h>
#include <document.h>
#include <facets.h>
#include <shingles.h>
#include <speakers.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace dixit {
namespace {


// The tokenizer and facet keys of this thread (the column builder's, or a caller's that waits for its columns).
Tokenizer& column_tokenizer() {
    thread_local Tokenizer tokenizer;
    return tokenizer;
}

FacetKeys& column_keys() {
    thread_local FacetKeys keys(column_tokenizer());
    return keys;
}

// The key ordinal of a stored value; a key seen for the first time is shown as this spelling.
std::uint32_t intern(FacetColumn& col, const FieldSpec& f, const std::string& stored) {
    if (auto it = col.ordinal.find(stored); it != col.ordinal.end()) return it->second;
    auto [key, added] = col.by_key.try_emplace(column_keys().key(f, stored), static_cast<std::uint32_t>(col.values.size()));
    if (added) col.values.push_back(stored);
    col.ordinal.emplace(stored, key->second);
    return key->second;
}

// Appends ord to a document's row ords[from ..) unless the row has it (two spellings of one key).
void push_once(std::vector<std::uint32_t>& ords, std::size_t from, std::uint32_t ord) {
    if (std::find(ords.begin() + static_cast<std::ptrdiff_t>(from), ords.end(), ord) == ords.end()) ords.push_back(ord);
}

std::uint32_t day_key(const std::string& v, std::uint32_t missing) {
    if (v.size() != 8) return missing;
    std::uint32_t out = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return missing;
        out = out * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return out;
}

std::int64_t published_or_min(const std::string& v) {
    return published_from_value(v).value_or(std::numeric_limits<std::int64_t>::min());
}

// The per-document values of one document, read from its slots, for patching.
struct DocumentValues {
    std::unordered_map<std::string, std::vector<std::string>> facets;
    std::string oldest, newest, said_start, said_end, published, variant, confidence;
};

DocumentValues read_document(const Xapian::Database& db, Xapian::docid id) {
    DocumentValues out;
    Xapian::Document doc;
    try {
        doc = db.get_document(id);
    } catch (const Xapian::DocNotFoundError&) {
        return out;  // deleted: it matches nothing, its values do not matter
    }
    for (const auto& f : fields) {
        if (!is_facet(f)) continue;
        auto& values = out.facets[std::string(f.name)];
        for (Xapian::valueno s = f.first_slot; s < f.first_slot + f.slot_count; ++s) {
            std::string v = doc.get_value(s);
            if (v.empty()) break;  // a field's values fill its slots from the first one
            values.push_back(std::move(v));
        }
    }
    out.oldest = doc.get_value(slot::oldest_key);
    out.newest = doc.get_value(slot::newest_key);
    out.said_start = doc.get_value(slot::said_start);
    out.said_end = doc.get_value(slot::said_end);
    out.published = doc.get_value(slot::published_at);
    out.variant = doc.get_value(slot::variant);
    out.confidence = doc.get_value(slot::confidence);
    return out;
}

void read_facet(const Xapian::Database& db, const FieldSpec& f, Xapian::docid last, FacetColumn& col) {
    // First by stored value (spelling), counting the documents of each; then each spelling is mapped to
    // its key, shown as its most frequent spelling.
    std::unordered_map<std::string, std::uint32_t> spelling_of;
    std::vector<const std::string*> spellings;
    std::vector<std::uint32_t> documents;  // spelling → documents with it
    std::vector<std::uint32_t> count(last + 2, 0);
    std::vector<std::pair<Xapian::docid, std::uint32_t>> pairs;  // in slot order, so a document's values keep theirs
    for (Xapian::valueno s = f.first_slot; s < f.first_slot + f.slot_count; ++s) {
        for (auto it = db.valuestream_begin(s); it != db.valuestream_end(s); ++it) {
            Xapian::docid d = it.get_docid();
            if (d > last) continue;
            auto [sp, added] = spelling_of.try_emplace(*it, static_cast<std::uint32_t>(spellings.size()));
            if (added) {
                spellings.push_back(&sp->first);
                documents.push_back(0);
            }
            ++documents[sp->second];
            pairs.emplace_back(d, sp->second);
            ++count[d];
        }
    }
    std::vector<std::uint32_t> key_of(spellings.size());
    std::vector<std::vector<Spelling>> of_key;  // key ordinal → its spellings
    for (std::uint32_t sp = 0; sp < spellings.size(); ++sp) {
        const std::string& stored = *spellings[sp];
        auto [key, added] = col.by_key.try_emplace(column_keys().key(f, stored), static_cast<std::uint32_t>(of_key.size()));
        if (added) of_key.emplace_back();
        of_key[key->second].push_back({spellings[sp], documents[sp]});
        key_of[sp] = key->second;
        col.ordinal.emplace(stored, key->second);
    }
    col.values.reserve(of_key.size());
    for (const auto& s : of_key) col.values.push_back(shown_spelling(f, s));

    std::vector<std::uint32_t> row_start(last + 2, 0);
    for (Xapian::docid d = 0; d <= last; ++d) row_start[d + 1] = row_start[d] + count[d];
    std::vector<std::uint32_t> rows(pairs.size());
    std::vector<std::uint32_t> fill(row_start.begin(), row_start.end() - 1);
    for (auto [d, sp] : pairs) rows[fill[d]++] = key_of[sp];
    col.start.assign(last + 2, 0);
    col.ords.reserve(rows.size());
    for (Xapian::docid d = 0; d <= last; ++d) {
        col.start[d] = static_cast<std::uint32_t>(col.ords.size());
        const std::size_t from = col.ords.size();
        for (std::uint32_t i = row_start[d]; i < row_start[d + 1]; ++i) push_once(col.ords, from, rows[i]);
    }
    col.start[last + 1] = static_cast<std::uint32_t>(col.ords.size());
}

template <class T, class F>
void read_slot(const Xapian::Database& db, Xapian::valueno s, std::vector<T>& out, F convert) {
    for (auto it = db.valuestream_begin(s); it != db.valuestream_end(s); ++it)
        if (it.get_docid() < out.size()) out[it.get_docid()] = convert(*it);
}

void size_dates(Columns& c) {
    const std::size_t n = c.last + 1;
    c.oldest.resize(n, 0);
    c.newest.resize(n, 0);
    c.said_start.resize(n, 0);
    c.said_end.resize(n, std::numeric_limits<std::uint32_t>::max());
    c.published.resize(n, std::numeric_limits<std::int64_t>::min());
    c.sequence.resize(n, 0);
    c.confidence.resize(n, std::numeric_limits<double>::quiet_NaN());
}

double confidence_value(const std::string& v) {
    return v.empty() ? std::numeric_limits<double>::quiet_NaN() : Xapian::sortable_unserialise(v);
}

// The ordinal + 1 of group g among keys (ascending), 0 when g is 0 (no group).
std::uint32_t ordinal_of(const std::vector<std::uint64_t>& keys, std::uint64_t g) {
    if (!g) return 0;
    return static_cast<std::uint32_t>(std::lower_bound(keys.begin(), keys.end(), g) - keys.begin() + 1);
}

// Lays out each group's members from col.keys and col.of, in one counting pass.
void lay_out_members(VariantColumn& col) {
    col.start.assign(col.keys.size() + 1, 0);
    for (std::uint32_t o : col.of)
        if (o) ++col.start[o];
    for (std::size_t g = 0; g < col.keys.size(); ++g) col.start[g + 1] += col.start[g];
    col.members.assign(col.start.back(), 0);
    std::vector<std::uint32_t> fill(col.start.begin(), col.start.end() - 1);
    for (std::size_t d = 0; d < col.of.size(); ++d)
        if (col.of[d]) col.members[fill[col.of[d] - 1]++] = static_cast<Xapian::docid>(d);
}

// Every document's group, read from slot::variant.
void read_variants(const Xapian::Database& db, Xapian::docid last, VariantColumn& col) {
    std::vector<std::uint64_t> group_of(last + 1, 0);
    read_slot(db, slot::variant, group_of, [](const std::string& v) { return variant_group(v); });
    col.keys.clear();
    for (std::uint64_t g : group_of)
        if (g) col.keys.push_back(g);
    std::sort(col.keys.begin(), col.keys.end());
    col.keys.erase(std::unique(col.keys.begin(), col.keys.end()), col.keys.end());
    col.of.assign(last + 1, 0);
    for (std::size_t d = 0; d <= last; ++d) col.of[d] = ordinal_of(col.keys, group_of[d]);
    lay_out_members(col);
}

// base's groups with the touched documents' groups (changed, read anew) in place of theirs: new groups
// are merged into the keys, the other documents' ordinals moved to match.
VariantColumn patch_variants(const VariantColumn& base, Xapian::docid last, const std::vector<Xapian::docid>& touched,
                             const std::vector<DocumentValues>& changed) {
    std::vector<std::uint64_t> groups(changed.size()), added;
    for (std::size_t i = 0; i < changed.size(); ++i) {
        groups[i] = variant_group(changed[i].variant);
        if (groups[i] && !std::binary_search(base.keys.begin(), base.keys.end(), groups[i])) added.push_back(groups[i]);
    }
    std::sort(added.begin(), added.end());
    added.erase(std::unique(added.begin(), added.end()), added.end());
    VariantColumn col;
    col.keys.reserve(base.keys.size() + added.size());
    std::merge(base.keys.begin(), base.keys.end(), added.begin(), added.end(), std::back_inserter(col.keys));
    std::vector<std::uint32_t> moved(base.keys.size() + 1, 0);  // old ordinal + 1 → new
    for (std::size_t o = 0, n = 0; o < base.keys.size(); ++o) {
        while (col.keys[n] != base.keys[o]) ++n;
        moved[o + 1] = static_cast<std::uint32_t>(n + 1);
    }
    col.of.assign(last + 1, 0);
    for (std::size_t d = 0; d < base.of.size() && d <= last; ++d) col.of[d] = moved[base.of[d]];
    for (std::size_t i = 0; i < touched.size(); ++i)
        if (touched[i] <= last) col.of[touched[i]] = ordinal_of(col.keys, groups[i]);
    lay_out_members(col);
    return col;
}

// A commit can tie an id-less name to a speaker (the name's first quote with an id): the untouched id-less
// quotes under that name then move to the speaker's key, as a build would put them. A name that gains a
// second speaker would move them back, which the column cannot tell apart from the speaker's own quotes:
// false then, and the columns are built afresh.
bool respeak_authors(Columns& c, const Columns& base, const std::vector<DocumentValues>& changed, const Xapian::Database& db) {
    auto at = c.facets.find("author");
    auto was = base.facets.find("author");
    if (at == c.facets.end() || was == base.facets.end()) return true;
    FacetColumn& col = at->second;
    Tokenizer& tokenizer = column_tokenizer();
    bool tied = false;
    for (const auto& v : changed) {
        auto values = v.facets.find("author");
        if (values == v.facets.end()) continue;
        for (const auto& stored : values->second) {
            if (stored.find('\t') == std::string::npos || was->second.ordinal.count(stored)) continue;
            tied = true;  // a name and id not seen together before
            if (speaker_ids(db, tokenizer.fold_keyword(stored.substr(0, stored.rfind('\t')))).size() > 1) return false;
        }
    }
    if (!tied) return true;
    std::vector<std::uint32_t> remap(col.values.size());
    std::iota(remap.begin(), remap.end(), 0u);
    bool moved = false;
    const std::vector<std::pair<std::string, std::uint32_t>> keys(col.by_key.begin(), col.by_key.end());
    for (const auto& [key, ord] : keys) {
        if (key.empty() || key[0] == '#') continue;
        const std::string speaker = resolve_author_key(db, key);
        if (speaker == key) continue;
        auto [target, added] = col.by_key.try_emplace(speaker, static_cast<std::uint32_t>(col.values.size()));
        if (added) {
            col.values.push_back(col.values[ord]);
            remap.push_back(target->second);
        }
        remap[ord] = target->second;
        moved = true;
    }
    if (!moved) return true;
    for (auto& o : col.ords) o = remap[o];  // authors are single-valued: no row can hold a key twice
    for (auto& [stored, o] : col.ordinal) o = remap[o];
    return true;
}

}  // namespace


const FacetColumn& Columns::facet(std::string_view field_name) const { return facets.at(std::string(field_name)); }

// Runs read until the writer has not overwritten what it read (DatabaseModifiedError), reopening db in
// between: each try starts its part afresh.
template <class F>
void until_read(Xapian::Database& db, F read) {
    for (int attempt = 1;; ++attempt) {
        try {
            read();
            return;
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 50) throw;
            db.reopen();
        }
    }
}

std::shared_ptr<const Columns> build_columns(Xapian::Database& db) {
    column_keys().use(db);
    auto c = std::make_shared<Columns>();
    c->uuid = db.get_uuid();
    c->revision = db.get_revision();
    c->last = db.get_lastdocid();
    // Each part is read at the revision db is on when it starts; documents changed after c->revision are
    // re-read below, so parts read at later revisions agree.
    for (const auto& f : fields)
        if (is_facet(f)) {
            FacetColumn& col = c->facets[std::string(f.name)];
            until_read(db, [&] {
                col = FacetColumn{};
                read_facet(db, f, c->last, col);
            });
        }
    size_dates(*c);
    until_read(db, [&] { read_slot(db, slot::oldest_key, c->oldest, pack_sort_key); });
    until_read(db, [&] { read_slot(db, slot::oldest_key, c->sequence, sort_key_sequence); });
    until_read(db, [&] { read_slot(db, slot::newest_key, c->newest, pack_sort_key); });
    until_read(db, [&] { read_slot(db, slot::said_start, c->said_start, [](const std::string& v) { return day_key(v, 0); }); });
    until_read(db, [&] {
        read_slot(db, slot::said_end, c->said_end,
                  [](const std::string& v) { return day_key(v, std::numeric_limits<std::uint32_t>::max()); });
    });
    until_read(db, [&] { read_slot(db, slot::published_at, c->published, published_or_min); });
    until_read(db, [&] { read_slot(db, slot::confidence, c->confidence, confidence_value); });
    until_read(db, [&] { c->words = WordOrder::read(db); });
    until_read(db, [&] { read_variants(db, c->last, c->variants); });
    if (db.get_revision() == c->revision) return c;
    std::shared_ptr<const Columns> out;
    until_read(db, [&] { out = patch_columns(*c, db); });
    if (!out) throw Xapian::DatabaseModifiedError("the index changed faster than its columns could be read");
    return out;
}

std::shared_ptr<const Columns> patch_columns(const Columns& base, const Xapian::Database& db) {
    if (db.get_uuid() != base.uuid || db.get_revision() < base.revision) return nullptr;
    auto touched = read_changes(db, base.revision, db.get_revision());
    if (!touched) return nullptr;
    column_keys().use(db);
    auto c = std::make_shared<Columns>();
    c->uuid = base.uuid;
    c->revision = db.get_revision();
    c->last = std::max(base.last, db.get_lastdocid());
    std::vector<DocumentValues> changed;
    changed.reserve(touched->size());
    for (Xapian::docid d : *touched) changed.push_back(read_document(db, d));

    for (const auto& [name, old] : base.facets) {
        FacetColumn& col = c->facets[name];
        const FieldSpec& f = field(name);
        col.values = old.values;
        col.ordinal = old.ordinal;
        col.by_key = old.by_key;
        col.start.assign(c->last + 2, 0);
        col.ords.reserve(old.ords.size() + touched->size());
        std::size_t next = 0;  // the next touched document
        for (Xapian::docid d = 0; d <= c->last; ++d) {
            col.start[d] = static_cast<std::uint32_t>(col.ords.size());
            if (next < touched->size() && (*touched)[next] == d) {
                const std::size_t from = col.ords.size();
                for (const auto& v : changed[next].facets[name]) push_once(col.ords, from, intern(col, f, v));
                ++next;
            } else if (d <= base.last) {
                col.ords.insert(col.ords.end(), old.ords.begin() + old.start[d], old.ords.begin() + old.start[d + 1]);
            }
        }
        col.start[c->last + 1] = static_cast<std::uint32_t>(col.ords.size());
    }
    if (!respeak_authors(*c, base, changed, db)) return nullptr;
    c->oldest = base.oldest;
    c->newest = base.newest;
    c->said_start = base.said_start;
    c->said_end = base.said_end;
    c->published = base.published;
    c->sequence = base.sequence;
    c->confidence = base.confidence;
    c->words = base.words->patched(db, *touched);
    c->variants = patch_variants(base.variants, c->last, *touched, changed);
    size_dates(*c);
    for (std::size_t i = 0; i < touched->size(); ++i) {
        const Xapian::docid d = (*touched)[i];
        if (d > c->last) continue;
        const DocumentValues& v = changed[i];
        c->oldest[d] = pack_sort_key(v.oldest);
        c->newest[d] = pack_sort_key(v.newest);
        c->said_start[d] = day_key(v.said_start, 0);
        c->said_end[d] = day_key(v.said_end, std::numeric_limits<std::uint32_t>::max());
        c->published[d] = published_or_min(v.published);
        c->sequence[d] = sort_key_sequence(v.oldest);
        c->confidence[d] = confidence_value(v.confidence);
    }
    return c;
}

ColumnStore::ColumnStore(std::string dir, bool enabled)
    : dir_(std::move(dir)), builder_(dir_, {mutex_, wake_, wanted_, stop_}, [this](Xapian::Database& db) { make(db); }, enabled) {}

ColumnStore::~ColumnStore() = default;

std::shared_ptr<const Columns> ColumnStore::held(const std::string& uuid, Xapian::rev revision) {
    std::lock_guard lock(mutex_);
    for (const auto& c : held_)
        if (c->uuid == uuid && c->revision == revision) return c;
    return nullptr;
}

void ColumnStore::publish(std::shared_ptr<const Columns> made) {
    std::lock_guard lock(mutex_);
    for (const auto& c : held_)
        if (c->uuid == made->uuid && c->revision == made->revision) return;
    held_.push_back(std::move(made));
    if (held_.size() > kept) held_.erase(held_.begin());
    published_.notify_all();
}

std::shared_ptr<const Columns> ColumnStore::make(Xapian::Database& db) {
    std::lock_guard build(build_mutex_);
    if (auto c = held(db.get_uuid(), db.get_revision())) return c;
    std::shared_ptr<const Columns> base;
    {
        std::lock_guard lock(mutex_);
        const std::string uuid = db.get_uuid();
        for (const auto& c : held_)
            if (c->uuid == uuid && c->revision < db.get_revision() && (!base || c->revision > base->revision)) base = c;
    }
    std::shared_ptr<const Columns> made;
    if (base) until_read(db, [&] { made = patch_columns(*base, db); });
    if (!made) made = build_columns(db);
    publish(made);
    return made;
}

std::shared_ptr<const Columns> ColumnStore::get(const Xapian::Database& db, bool wait) {
    if (auto c = held(db.get_uuid(), db.get_revision())) return c;
    if (wait) {
        Xapian::Database own(db);  // the caller's state; reopened by make() only if the writer moves on
        auto made = make(own);
        return made->revision == db.get_revision() ? made : held(db.get_uuid(), db.get_revision());
    }
    // Ask the builder. A state of the same generation is held, so it patches (tens of ms at 1M, for the
    // documents a commit touched): worth a short wait. A first build takes longer: Xapian answers meanwhile.
    const std::string uuid = db.get_uuid();
    const Xapian::rev revision = db.get_revision();
    std::unique_lock lock(mutex_);
    wanted_ = true;
    wake_.notify_all();
    const bool patchable = std::any_of(held_.begin(), held_.end(), [&](const auto& c) { return c->uuid == uuid && c->revision < revision; });
    if (!patchable) return nullptr;
    std::shared_ptr<const Columns> found;
    published_.wait_for(lock, patch_wait, [&] {
        for (const auto& c : held_)
            if (c->uuid == uuid && c->revision == revision) found = c;
        return found != nullptr || stop_;
    });
    return found;
}

void ColumnStore::notice() {
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
    }
    wake_.notify_all();
}

bool ColumnStore::await_generation(const std::string& uuid, std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    return published_.wait_until(lock, until, [&] {
        return stop_ || std::any_of(held_.begin(), held_.end(), [&](const auto& c) { return c->uuid == uuid; });
    }) && !stop_;
}



}  // namespace dixit
