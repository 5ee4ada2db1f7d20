// The per-revision change log in the index metadata (see changes.h).
#include "changes.h"

#include "codec.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace dixit {
namespace {

std::string key_of(Xapian::rev revision) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "dixit:changes:%012llu", static_cast<unsigned long long>(revision));
    return buf;
}

// Docids as ascending deltas in LEB128 varints: a batch of appended documents costs a byte each.
std::string encode(std::vector<Xapian::docid>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::string out = "v1:";
    Xapian::docid previous = 0;
    for (Xapian::docid id : ids) {
        append_varint(out, id - previous);
        previous = id;
    }
    return out;
}

bool decode(const std::string& value, std::vector<Xapian::docid>& out) {
    if (value.compare(0, 3, "v1:") != 0) return false;
    Xapian::docid previous = 0;
    for (std::size_t i = 3; i < value.size();) {
        std::uint32_t delta = 0;
        if (!read_varint(value, i, delta)) return false;
        previous += delta;
        out.push_back(previous);
    }
    return true;
}

}  // namespace

void record_changes(Xapian::WritableDatabase& db, std::vector<Xapian::docid>& touched) {
    const Xapian::rev next = db.get_revision() + 1;
    db.set_metadata(key_of(next), encode(touched));
    touched.clear();
    if (next <= change_log_revisions) return;
    // Entries are written one per commit, so at most a few fall out of the window each time.
    const std::string oldest_kept = key_of(next - change_log_revisions);
    std::vector<std::string> stale;
    for (auto it = db.metadata_keys_begin("dixit:changes:"); it != db.metadata_keys_end("dixit:changes:"); ++it) {
        if (*it >= oldest_kept) break;
        stale.push_back(*it);
    }
    for (const auto& k : stale) db.set_metadata(k, {});
}

std::optional<std::vector<Xapian::docid>> read_changes(const Xapian::Database& db, Xapian::rev from, Xapian::rev to) {
    std::vector<Xapian::docid> out;
    for (Xapian::rev r = from + 1; r <= to; ++r) {
        std::string value = db.get_metadata(key_of(r));
        if (value.empty() || !decode(value, out)) return std::nullopt;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace dixit
