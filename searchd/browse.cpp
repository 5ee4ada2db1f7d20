// Browse endpoints: direct look-ups by term, small matches by published_at, and term-frequency facet lists.
#include "browse.h"

#include "api_error.h"
#include "deadline.h"
#include "search.h"

#include <date_keys.h>
#include <document.h>
#include <facets.h>
#include <fields.h>
#include <locales.h>
#include <text.h>

#include <algorithm>
#include <charconv>

namespace dixit {
namespace {

unsigned number_param(const Params& params, std::string_view name, unsigned fallback, unsigned min, unsigned max) {
    for (const auto& [key, value] : params) {
        if (key != name) continue;
        const auto n = parse_whole<unsigned>(value);
        if (!n || *n < min || *n > max)
            throw ApiError(ErrorCode::BadParameter, "parameter '" + std::string(name) + "': expected a whole number in " +
                                                        std::to_string(min) + ".." + std::to_string(max) + ", got '" +
                                                        value + "'");
        fallback = *n;
    }
    return fallback;
}

void reject_unknown(const Params& params, std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : params)
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw ApiError(ErrorCode::BadParameter, "parameter '" + key + "': unknown parameter");
}

// How a facet list entry is shown: its key's most frequent spelling in the index (the columns', as in
// /search's facets), else the stored value of the first live document listed under its name.
std::string display_value(Searcher& searcher, const FieldSpec& f, const Searcher::FieldValue& entry) {
    Xapian::Database& db = searcher.db();
    if (searcher.settings().columns && is_facet(f))
        if (auto held = searcher.service().columns().held_for(db)) {
            std::string shown = held->facet(f.name).shown(entry.key);
            if (!shown.empty()) return shown;
        }
    Tokenizer& tokenizer = searcher.tokenizer();
    if (f.name == "author" && !entry.key.empty() && entry.key[0] == '#') {
        // A speaker: a quote with its id under the listed name (its id as written), else any with its id.
        const std::string term = std::string(field("author_id").prefix) + entry.key.substr(1);
        std::string any;
        unsigned looked = 0;
        for (auto post = db.postlist_begin(term); post != db.postlist_end(term) && looked < 1000; ++post) {
            if (searcher.tombstones().contains(*post)) continue;
            ++looked;
            std::string value = db.get_document(*post).get_value(f.first_slot);
            if (tokenizer.fold_keyword(value.substr(0, value.rfind('\t'))) == entry.name) return value;
            if (any.empty()) any = std::move(value);
        }
        if (!any.empty()) return any;
    }
    const std::string term = std::string(f.prefix) + entry.name;
    auto post = db.postlist_begin(term);
    while (post != db.postlist_end(term) && searcher.tombstones().contains(*post)) ++post;
    if (post == db.postlist_end(term)) return entry.name;
    Xapian::Document doc = db.get_document(*post);
    for (unsigned i = 0; i < f.slot_count; ++i) {
        std::string value = doc.get_value(f.first_slot + i);
        if (value.empty()) break;
        if (f.name == "context" || f.name == "author") return value;  // single-valued: "id\ttitle", "name\tid"
        if (facet_key(tokenizer, f, value) == entry.name) return value;
    }
    return entry.name;
}

}  // namespace

HttpResponse get_quote(std::string_view id, Searcher& searcher) {
    return searcher.run([&] {
        Xapian::Database& db = searcher.db();
        const Xapian::docid live = live_docid(db, id_term(id), searcher.tombstones());
        if (!live) throw ApiError(ErrorCode::NotFound, "no quote with id '" + std::string(id) + "'");
        return json_response(quote_json(quote_from_document(db.get_document(live))));
    });
}

HttpResponse latest_quotes(const Params& params, Searcher& searcher, std::int64_t now) {
    const SearchLimits& limits = searcher.settings().search;
    unsigned hours = number_param(params, "hours", 24, 1, limits.max_latest_hours);
    Params rest;
    bool sorted = false;
    for (const auto& p : params) {
        if (p.first == "hours") continue;
        if (p.first == "published_since")
            throw ApiError(ErrorCode::BadParameter, "parameter 'published_since': /latest takes hours instead");
        sorted = sorted || p.first == "sort";
        rest.push_back(p);
    }
    SearchRequest request = search_request_from_params(rest, limits, now);
    request.published_since = now - static_cast<std::int64_t>(hours) * 3600;
    if (!sorted) request.sort = SortOrder::Published;
    request.exact_total = true;  // the window is small; "N quotes in the last 24 hours" must be exact
    nlohmann::json body = to_json(search(request, searcher));
    body["hours"] = hours;
    return json_response(body);
}

HttpResponse latest_contexts(const Params& params, Searcher& searcher, std::int64_t now) {
    reject_unknown(params, {"hours", "size"});
    const SearchLimits& limits = searcher.settings().search;
    unsigned hours = number_param(params, "hours", 24, 1, limits.max_latest_hours);
    unsigned size = number_param(params, "size", 50, 1, limits.max_facet_size);
    const std::int64_t since = now - static_cast<std::int64_t>(hours) * 3600;
    const std::string since_key = published_value(since);
    const Deadline deadline(limits.max_search);
    return searcher.run([&] {
        Xapian::Database& db = searcher.db();
        const FieldSpec& context = field("context");
        Xapian::Query recent(Xapian::Query::OP_VALUE_GE, slot::published_at, since_key);
        // Contexts of the quotes in the window, with their counts there...
        Xapian::Enquire window(db);
        window.set_query(within(recent, deadline, searcher.tombstones()));
        Xapian::ValueCountMatchSpy spy(context.first_slot);
        window.add_matchspy(&spy);
        window.get_mset(0, 0, db.get_doccount());
        deadline.check();  // the counts of a match the deadline ended are partial
        nlohmann::json out = nlohmann::json::array();
        for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
            deadline.check();
            std::string value = *it;  // "id\ttitle"
            std::string id = value.substr(0, value.find('\t'));
            Xapian::Query of_context(filter_term(searcher.tokenizer(), "context", id));
            // ...that have no quote published before it: first seen in the window.
            Xapian::Enquire before(db);
            before.set_query(within(Xapian::Query(Xapian::Query::OP_AND_NOT, of_context, recent), deadline, searcher.tombstones()));
            if (!before.get_mset(0, 1).empty()) continue;
            deadline.check();  // an empty answer may be the deadline's
            Xapian::Enquire first(db);
            first.set_query(within(of_context, deadline, searcher.tombstones()));
            first.set_sort_by_value(slot::published_at, false);
            Xapian::MSet m = first.get_mset(0, 1);
            deadline.check();
            Quote q = quote_from_document(m.begin().get_document());
            out.push_back({{"id", id},
                           {"title", value.find('\t') == std::string::npos ? "" : value.substr(value.find('\t') + 1)},
                           {"first_published_at", format_rfc3339(q.published_at.value_or(0))},
                           {"quotes", it.get_termfreq()}});
        }
        std::sort(out.begin(), out.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
            return a["first_published_at"].get<std::string>() > b["first_published_at"].get<std::string>();
        });
        if (out.size() > size) out.erase(out.begin() + size, out.end());
        return json_response({{"hours", hours}, {"contexts", out}});
    });
}

HttpResponse facet_values(std::string_view field_name, const Params& params, Searcher& searcher) {
    const FieldSpec* listed = find_field(field_name);
    if (!listed || !is_browsable(*listed))
        throw ApiError(ErrorCode::NotFound, "no facet list for '" + std::string(field_name) + "' (" +
                                                field_names(is_browsable) + ")");
    reject_unknown(params, {"prefix", "size"});
    const FieldSpec& f = *listed;
    unsigned size = number_param(params, "size", 20, 1, searcher.settings().search.max_facet_size);
    std::string prefix;
    for (const auto& [key, value] : params)
        if (key == "prefix") prefix = searcher.tokenizer().fold_keyword(value);
    return searcher.run([&] {
        const auto& values = searcher.field_values(f);
        nlohmann::json list = nlohmann::json::array();
        std::size_t matched = 0;
        for (const auto& entry : values) {
            // A prefix matches the start of the value or of any word in it ("zel" finds "volodymyr zelenskiy").
            const std::string& name = entry.name;
            bool match = prefix.empty() || name.compare(0, prefix.size(), prefix) == 0 ||
                         name.find(" " + prefix) != std::string::npos;
            if (!match) continue;
            if (++matched > size) continue;  // keep counting: "matched" tells how many there are in all
            std::string shown = display_value(searcher, f, entry);
            nlohmann::json item = {{"value", shown}, {"count", entry.count}};
            if (f.name == "country") item["label"] = country_name(shown);
            if (f.name == "context") {
                auto tab = shown.find('\t');
                item["value"] = shown.substr(0, tab);
                if (tab != std::string::npos) item["label"] = shown.substr(tab + 1);
            }
            if (f.name == "author") {
                auto tab = shown.rfind('\t');
                item["value"] = shown.substr(0, tab);
                if (tab != std::string::npos && entry.key[0] == '#') item["id"] = shown.substr(tab + 1);
            }
            list.push_back(std::move(item));
        }
        return json_response({{"field", f.name}, {"prefix", prefix}, {"matched", matched}, {"values", list}});
    });
}

}  // namespace dixit
