// index_stats: one match-all pass with every facet's spies attached.
#include "stats.h"

#include "index_dir.h"

#include <facets.h>
#include <fields.h>
#include <tombstones.h>

#include <xapian.h>

#include <filesystem>

namespace dixit {

nlohmann::json index_stats(const std::string& dir, std::size_t top_values) {
    IndexDir index(dir);
    std::string generation = index.live_generation();
    if (generation.empty()) throw Xapian::DatabaseOpeningError("no Dixit index in " + dir + " (no " + std::string(entry::stub) + " stub)");
    Xapian::Database db(generation);  // the stub read once: a rebuild switching now cannot mix two generations

    Tokenizer tokenizer;
    FacetKeys keys(tokenizer);  // values counted by key, speakers once (as searchd's facets)
    keys.use(db);
    std::vector<std::pair<const FieldSpec*, std::unique_ptr<FacetCounter>>> counters;
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query::MatchAll);
    for (const auto& f : fields) {
        if (!is_facet(f)) continue;
        counters.emplace_back(&f, std::make_unique<FacetCounter>(db, f, keys));
        counters.back().second->attach(enquire);
    }
    Tombstones dead;
    dead.load(db);
    LiveDecider live(dead);
    enquire.get_mset(0, 0, db.get_doccount(), nullptr, &live);

    nlohmann::json facets = nlohmann::json::object();
    for (const auto& [f, counter] : counters) {
        nlohmann::json top = nlohmann::json::array();
        for (const auto& c : counter->counts(top_values)) {
            nlohmann::json item = {{"value", c.value}, {"count", c.count}};
            auto tab = c.value.rfind('\t');  // author "name\tid", context "id\ttitle"
            if (tab != std::string::npos && f->name == "author")
                item = {{"value", c.value.substr(0, tab)}, {"id", c.value.substr(tab + 1)}, {"count", c.count}};
            top.push_back(std::move(item));
        }
        facets[std::string(f->name)] = {{"distinct", counter->distinct()}, {"top", std::move(top)}};
    }
    nlohmann::json said = {{"dated", db.get_value_freq(slot::said_on)}};
    if (db.get_value_freq(slot::said_on) > 0) {
        said["earliest"] = db.get_value_lower_bound(slot::said_on);
        said["latest"] = db.get_value_upper_bound(slot::said_on);
    }
    return {
        {"path", dir},
        {"generation", std::filesystem::path(generation).filename().string()},
        {"documents", live_count(db, dead)},
        {"superseded", dead.size()},  // dead versions still on disk until the next rebuild
        {"revision", db.get_revision()},
        {"uuid", db.get_uuid()},
        {"size_bytes", IndexDir::size_on_disk(generation)},
        {"average_length", db.get_avlength()},
        {"said_on", said},
        {"facets", facets},
    };
}

}  // namespace dixit
