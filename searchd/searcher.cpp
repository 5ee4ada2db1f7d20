// Searcher: opening the index, following generation switches and commits, and the shared service.
#include "searcher.h"

#include "api_error.h"

#include <layout.h>
#include <document.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <sys/stat.h>

namespace dixit {
namespace {

double unix_now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// The inode of DIR/XAPIANDB: a rebuild replaces the stub with rename(), so a new inode is a new generation.
ino_t stub_inode(const std::string& dir) {
    struct stat st {};
    if (::stat((dir + "/XAPIANDB").c_str(), &st) != 0) return 0;
    return st.st_ino;
}

}  // namespace

SearchService::SearchService(Settings settings)
    : settings_(std::move(settings)), cache_(settings_.cache_bytes), columns_(settings_.db, settings_.columns) {}

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
    service_.metrics().set_index({documents(), db_.get_revision(), unix_now()});
}

void Searcher::refresh(bool force) {
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_check_ < settings().reopen_interval) return;
    last_check_ = now;
    if (stub_inode(settings().db) != stub_inode_) {
        open();
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

const std::vector<std::pair<std::string, Xapian::doccount>>& Searcher::field_values(const FieldSpec& f) {
    FieldValues& cached = field_values_[std::string(f.name)];
    if (cached.revision_key == revision_key_) return cached.values;
    // A value's filter term's frequency is its exact document count: no match needs to run.
    cached.values.clear();
    const std::string prefix(f.prefix);
    for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
        Xapian::doccount count = it.get_termfreq();
        if (!dead_.empty()) {  // the term frequency counts dead versions too: count the live postings
            count = 0;
            for (auto post = db_.postlist_begin(*it), end = db_.postlist_end(*it); post != end; ++post)
                count += !dead_.contains(*post);
            if (count == 0) continue;
        }
        cached.values.emplace_back((*it).substr(prefix.size()), count);
    }
    std::stable_sort(cached.values.begin(), cached.values.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    cached.revision_key = revision_key_;
    return cached.values;
}

}  // namespace dixit
