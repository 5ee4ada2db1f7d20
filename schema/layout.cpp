// The layout mark (see layout.h).
#include "layout.h"

namespace dixit {

void mark_layout(Xapian::WritableDatabase& db) { db.set_metadata(std::string(layout_key), std::string(layout_version)); }

void check_layout(const Xapian::Database& db, const std::string& what) {
    std::string found = db.get_metadata(std::string(layout_key));
    if (found == layout_version || found == layout_still_read || (found.empty() && db.get_doccount() == 0)) return;
    throw LayoutError(what + " was written in index layout " + (found.empty() ? std::string("1") : found) +
                      " and this Dixit reads layouts " + std::string(layout_still_read) + " and " + std::string(layout_version) +
                      ": rebuild it with `dixit-indexer rebuild --db DIR FILES...` (searches and updates are refused until then)");
}

}  // namespace dixit
