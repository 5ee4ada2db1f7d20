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

}  // namespace

void record_changes(Xapian::WritableDatabase& db, std::vector<Xapian::docid>& touched) {
    const Xapian::rev next = db.get_revision() + 1;
    db.set_metadata(key_of(next), encode_docids(touched));
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
        if (value.empty() || !decode_docids(value, out)) return std::nullopt;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace dixit
