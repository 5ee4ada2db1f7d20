// The dead-document list in the index metadata (see tombstones.h).
#include "tombstones.h"

#include "codec.h"

#include <cstdio>

namespace dixit {
namespace {

constexpr const char* prefix = "dixit:dead:";

std::string key_of(Xapian::rev revision) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%012llu", prefix, static_cast<unsigned long long>(revision));
    return buf;
}

}  // namespace

void Tombstones::load(const Xapian::Database& db) {
    const std::string uuid = db.get_uuid();
    if (uuid != uuid_ || uuid.empty()) {
        bits_.clear();
        count_ = 0;
        last_key_.clear();
        uuid_ = uuid;
    }
    auto it = db.metadata_keys_begin(prefix);
    const auto end = db.metadata_keys_end(prefix);
    if (!last_key_.empty()) {
        it.skip_to(last_key_);
        if (it != end && *it == last_key_) ++it;
    }
    std::vector<Xapian::docid> ids;
    for (; it != end; ++it) {
        const std::string key = *it;
        ids.clear();
        if (!decode_docids(db.get_metadata(key), ids))
            throw Xapian::DatabaseCorruptError("index metadata '" + key + "' is not a list of documents");
        for (Xapian::docid d : ids) set(d);
        last_key_ = key;
    }
}

bool Tombstones::set(Xapian::docid did) {
    if (contains(did)) return false;
    if (did >= bits_.size() * 64) bits_.resize(did / 64 + 1 + bits_.size() / 8, 0);  // grows by an eighth at least
    bits_[did >> 6] |= std::uint64_t{1} << (did & 63);
    ++count_;
    return true;
}

void Tombstones::add(Xapian::docid did) {
    if (set(did)) pending_.push_back(did);
}

void Tombstones::write_pending(Xapian::WritableDatabase& db) {
    if (pending_.empty()) return;
    last_key_ = key_of(db.get_revision() + 1);
    db.set_metadata(last_key_, encode_docids(pending_));
    pending_.clear();
}

Xapian::docid newest_docid(const Xapian::Database& db, const std::string& term) {
    Xapian::docid last = 0;
    for (auto it = db.postlist_begin(term), end = db.postlist_end(term); it != end; ++it) last = *it;
    return last;
}

Xapian::docid live_docid(const Xapian::Database& db, const std::string& id_term, const Tombstones& dead) {
    const Xapian::docid newest = newest_docid(db, id_term);
    return newest && !dead.contains(newest) ? newest : 0;
}

}  // namespace dixit
