// Searcher: opening the index, following generation switches and commits, and the shared service.
#include "searcher.h"

#include "api_error.h"

#include <index_dir.h>
#include <layout.h>
#include <document.h>
#include <speakers.h>
#include <text.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sys/stat.h>

namespace dixit {
namespace {

// The inode of DIR/XAPIANDB: a rebuild replaces the stub with rename(), so a new inode is a new generation.
ino_t stub_inode(const std::string& dir) {
    struct stat st {};
    if (::stat(stub_path(dir).c_str(), &st) != 0) return 0;
    return st.st_ino;
}

}  // namespace

SearchService::SearchService(Settings settings)
    : settings_(std::move(settings)), cache_(settings_.cache_bytes), columns_(settings_.db, settings_.columns),
      vocabulary_(settings_.db, settings_.suggestions) {}

std::string SearchService::revision_key() const {
    std::lock_guard lock(revision_mutex_);
    return revision_key_;
}

void SearchService::set_revision_key(const std::string& key) {
    std::lock_guard lock(revision_mutex_);
    revision_key_ = key;
}

Searcher::Searcher(SearchService& service) : service_(service), parser_(tokenizer_), highlighter_(tokenizer_) {
    open();
}

void Searcher::open() {
    const std::string& dir = settings().db;
    try {
        // reopen() never re-reads the stub, so a new generation needs a new Database.
        stub_inode_ = stub_inode(dir);
        db_ = Xapian::Database(dir);
    } catch (const Xapian::Error& e) {
        throw ApiError(ErrorCode::IndexUnavailable, "cannot open the index at " + dir + ": " + e.get_msg());
    }
    update_status();
}

void Searcher::update_status() {
    // The UUID, not the stub's inode: a new generation may get a recycled inode and start at revision 1.
    std::string key = db_.get_uuid() + ":" + std::to_string(db_.get_revision());
    if (key == revision_key_) return;
    try {
        check_layout(db_, "the index at " + settings().db);
        dead_.load(db_);  // only the entries of the commits since the last load
    } catch (...) {
        // The handle is on the new revision but the state is not: the next request must try again
        // rather than search with another revision's tombstones.
        revision_key_.clear();
        last_check_ = {};
        try {
            throw;
        } catch (const LayoutError& e) {
            throw ApiError(ErrorCode::IndexUnavailable, e.what());
        }
    }
    revision_key_ = std::move(key);
    service_.set_revision_key(revision_key_);
    if (settings().columns) service_.columns().notice();
    service_.metrics().set_index({documents(), db_.get_revision(), static_cast<double>(unix_now())});
}

// Whether to open the new generation whose stub has inode now. Its columns are built by the store's
// thread (about 2 s for 1M quotes) while this worker answers on the old one: without them a faceted or
// date-ordered search of 1M documents can take longer than its budget. A small index's columns take
// milliseconds: the first request waits up to 250 ms for them, so that a rebuild is seen at once.
bool Searcher::switch_ready(ino_t inode) {
    if (!settings().columns || revision_key_.empty()) return true;
    const auto now = std::chrono::steady_clock::now();
    if (pending_.inode != inode) {
        try {
            pending_ = {inode, Xapian::Database(settings().db).get_uuid(), now};
        } catch (const Xapian::Error&) {
            return true;  // open() reports it, or finds the next generation
        }
    }
    service_.columns().notice();  // again each time: the builder may have failed on a generation removed early
    const auto first_wait = pending_.since + std::chrono::milliseconds(250);
    if (service_.columns().await_generation(pending_.uuid, std::max(now, first_wait)) ||
        now - pending_.since >= settings().switch_wait) {
        pending_ = {};
        return true;
    }
    return false;
}

void Searcher::refresh(bool force) {
    auto now = std::chrono::steady_clock::now();
    const std::uint64_t writes = service_.writes();
    if (!force && now - last_check_ < settings().reopen_interval && writes == seen_writes_) return;
    last_check_ = now;
    seen_writes_ = writes;
    if (const ino_t inode = stub_inode(settings().db); inode != stub_inode_) {
        if (force || switch_ready(inode)) open();
        return;
    }
    try {
        db_.reopen();
    } catch (const Xapian::DatabaseError&) {
        open();  // the generation this handle was on is gone
        return;
    }
    update_status();
}

const std::vector<std::string>& Searcher::index_stem_languages() {
    if (languages_key_ == revision_key_) return stem_languages_;
    // Language filter terms are few ("Len", "Lpt br", "Lpt"); their primary subtags name the stemmers.
    std::set<std::string> names;
    const std::string prefix(field("lang").prefix);
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
        std::string tag = (*it).substr(prefix.size());
        std::string name = stemmer_language(tag.substr(0, tag.find(' ')));
        if (!name.empty()) names.insert(name);
    }
    stem_languages_.assign(names.begin(), names.end());
    languages_key_ = revision_key_;
    return stem_languages_;
}

// A term's live documents (its frequency counts dead versions too).
Xapian::doccount Searcher::live_postings(const std::string& term) const {
    if (dead_.empty()) return db_.get_termfreq(term);
    Xapian::doccount count = 0;
    for (auto post = db_.postlist_begin(term), end = db_.postlist_end(term); post != end; ++post) count += !dead_.contains(*post);
    return count;
}

// The live documents that have both terms.
Xapian::doccount Searcher::live_in_both(const std::string& a, const std::string& b) const {
    Xapian::doccount count = 0;
    auto pa = db_.postlist_begin(a), ea = db_.postlist_end(a);
    auto pb = db_.postlist_begin(b), eb = db_.postlist_end(b);
    while (pa != ea && pb != eb) {
        if (*pa < *pb) {
            pa.skip_to(*pb);
        } else if (*pb < *pa) {
            pb.skip_to(*pa);
        } else {
            count += !dead_.contains(*pa);
            ++pa;
            ++pb;
        }
    }
    return count;
}

// Authors by speaker: a name known under exactly one id joins that speaker ("#" + id), which counts its
// quotes with the id plus the name's quotes without one; any other name keeps the quotes under it
// that have no id (those with an id count under their speaker).
void Searcher::merge_speakers(std::vector<FieldValue>& values) {
    const std::string author(field("author").prefix), author_id(field("author_id").prefix);
    std::map<std::string, FieldValue> speakers;
    std::map<std::string, Xapian::doccount> best;  // speaker key → quotes under its listed name
    std::vector<FieldValue> names;
    for (auto& v : values) {
        const auto ids = speaker_ids(db_, v.name);
        Xapian::doccount with_id = 0;
        for (const auto& id : ids) {
            const Xapian::doccount both = live_in_both(author + v.name, author_id + id);
            with_id += both;
            if (ids.size() != 1) continue;
            FieldValue& s = speakers["#" + id];
            if (s.key.empty()) {
                s.key = "#" + id;
                s.count = live_postings(author_id + id);
            }
            if (both > best["#" + id] || s.name.empty()) {
                best["#" + id] = both;
                s.name = v.name;
            }
        }
        const Xapian::doccount without_id = v.count - std::min(v.count, with_id);
        if (ids.size() == 1) {
            speakers["#" + ids.front()].count += without_id;
        } else if (without_id) {
            v.count = without_id;
            names.push_back(std::move(v));
        }
    }
    // Speakers whose every name is ambiguous are listed by an id-only key under their first name.
    const std::string start(prefix::speaker_names);
    for (auto it = db_.synonym_keys_begin(start); it != db_.synonym_keys_end(start); ++it) {
        const std::string id = (*it).substr(start.size());
        if (speakers.count("#" + id)) continue;
        const Xapian::doccount count = live_postings(author_id + id);
        if (!count) continue;
        auto first = db_.synonyms_begin(*it);
        if (first == db_.synonyms_end(*it)) continue;
        speakers["#" + id] = FieldValue{"#" + id, *first, count};
    }
    values = std::move(names);
    for (auto& [key, s] : speakers)
        if (s.count) values.push_back(std::move(s));
}

const std::vector<Searcher::FieldValue>& Searcher::field_values(const FieldSpec& f) {
    FieldValues& cached = field_values_[std::string(f.name)];
    if (cached.revision_key == revision_key_) return cached.values;
    // A value's filter term's frequency is its exact document count: no match needs to run.
    cached.values.clear();
    const std::string prefix(f.prefix);
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
        const Xapian::doccount count = dead_.empty() ? it.get_termfreq() : live_postings(*it);
        if (count == 0) continue;
        std::string key = (*it).substr(prefix.size());
        cached.values.push_back({key, key, count});
    }
    if (f.name == "author" && has_speakers(db_)) merge_speakers(cached.values);
    std::sort(cached.values.begin(), cached.values.end(), [](const auto& a, const auto& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    cached.revision_key = revision_key_;
    return cached.values;
}

}  // namespace dixit
