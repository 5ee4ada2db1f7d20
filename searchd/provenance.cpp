// GET /provenance (see provenance.h).
#include "provenance.h"

#include "api_error.h"
#include "deadline.h"
#include "highlight.h"
#include "search.h"
#include "variants.h"

#include <document.h>
#include <fields.h>
#include <shingles.h>
#include <speakers.h>
#include <tombstones.h>

#include <algorithm>
#include <map>

namespace dixit {
namespace {

// A quote's date for the timeline and first_said: said_on, else the day it was published.
std::string said_date(const Quote& q) {
    if (q.said_on) return q.said_on->iso();
    if (q.published_at) return format_rfc3339(*q.published_at).substr(0, 10);
    return {};
}

// Its month ("YYYY-MM"), empty when only the year is known.
std::string said_month(const Quote& q) {
    if (q.said_on) return q.said_on->month ? q.said_on->iso().substr(0, 7) : std::string();
    if (q.published_at) return format_rfc3339(*q.published_at).substr(0, 7);
    return {};
}

struct Speaker {
    std::string key;                        // the author key (schema/speakers.h)
    std::vector<std::pair<std::string, unsigned>> names;  // spelling → quotes, in the order first met
    std::string id;
    unsigned count = 0;
    Quote first;  // the earliest of the speaker's quotes
};

// The quotes a text is taken for: like='s first hits of enough similarity, and those the text is a
// variant of by the join rule (a long text: like= weighs at most 64 of its words, so its similarity stays low).
std::vector<std::string> taken_for(const std::string& text, Searcher& searcher, nlohmann::json& matched) {
    SearchRequest r;
    r.like = text;
    r.sort = SortOrder::Relevance;
    r.per_page = provenance_candidates;
    const SearchResponse found = search(r, searcher);
    Tokenizer& tokenizer = searcher.tokenizer();
    std::vector<Token> tokens;
    tokenizer.tokenize(text, tokens);
    const std::vector<std::uint32_t> own = shingles(tokens);
    std::vector<std::string> ids;
    double best = 0;
    for (const Hit& h : found.hits) best = std::max(best, h.similarity.value_or(0));
    for (const Hit& h : found.hits) {
        const double similarity = h.similarity.value_or(0);
        bool taken = similarity >= provenance_min_similarity && similarity >= best - provenance_margin;
        if (!taken && !own.empty()) {
            tokens.clear();
            tokenizer.tokenize(h.quote.text, tokens);
            taken = overlap(own, shingles(tokens)).variants();
        }
        if (!taken) continue;
        ids.push_back(h.quote.id);
        matched.push_back({{"id", h.quote.id}, {"similarity", similarity}});
    }
    return ids;
}

}  // namespace

HttpResponse provenance(const Params& params, Searcher& searcher) {
    std::string text, id;
    bool have_text = false, have_id = false;
    for (const auto& [name, value] : params) {
        if (name == "text") {
            check_remembered_text(name, value, searcher.settings().search);
            text = value;
            have_text = true;
        } else if (name == "id") {
            if (value.empty()) throw ApiError(ErrorCode::BadParameter, "parameter 'id': empty value");
            id = value;
            have_id = true;
        } else {
            throw ApiError(ErrorCode::BadParameter, "parameter '" + name + "': /provenance takes text or id");
        }
    }
    if (have_text == have_id)
        throw ApiError(ErrorCode::BadParameter, "/provenance takes one of text (a remembered text) or id (a quote's id)");

    nlohmann::json matched = nlohmann::json::array();
    std::vector<std::string> ids;
    if (have_text) {
        ids = taken_for(text, searcher, matched);
    } else {
        ids.push_back(id);
        matched.push_back({{"id", id}, {"similarity", 1.0}});
    }
    const Deadline deadline(searcher.settings().search.max_search);
    return searcher.run([&] {
        Xapian::Database& db = searcher.db();
        std::vector<Xapian::docid> seeds;
        for (const auto& i : ids)
            if (Xapian::docid live = live_docid(db, id_term(i), searcher.tombstones())) seeds.push_back(live);
        if (have_id && seeds.empty()) throw ApiError(ErrorCode::NotFound, "no quote with id '" + id + "'");

        const GroupMembers members = seeds.empty() ? GroupMembers{} : group_members(searcher, seeds, max_provenance_quotes, deadline);
        std::vector<Speaker> speakers;
        std::map<std::string, std::size_t> speaker_of;  // author key → index
        std::map<std::string, unsigned> months;
        unsigned undated = 0;
        nlohmann::json first = nullptr;
        for (Xapian::docid d : members.docs) {
            deadline.check();
            Quote q = quote_from_document(db.get_document(d));
            if (first.is_null()) {
                first = quote_json(q);
                first["highlight"] = html_escape(q.text);
            }
            const std::string month = said_month(q);
            if (month.empty())
                ++undated;
            else
                ++months[month];
            // One speaker as the author facet counts one (schema/speakers.h): an id, and the id-less quotes
            // under a name only that id is known by.
            const std::string key = resolve_author_key(db, author_key(searcher.tokenizer(), author_slot_value(q.author)));
            auto [at, added] = speaker_of.try_emplace(key, speakers.size());
            if (added) {
                speakers.emplace_back();
                speakers.back().key = key;
                speakers.back().first = q;  // members come oldest first
            }
            Speaker& s = speakers[at->second];
            if (s.id.empty()) s.id = q.author.id;
            ++s.count;
            auto name = std::find_if(s.names.begin(), s.names.end(), [&](const auto& n) { return n.first == q.author.name; });
            if (name == s.names.end())
                s.names.emplace_back(q.author.name, 1);
            else
                ++name->second;
        }

        nlohmann::json speaker_list = nlohmann::json::array();
        // A speaker is shown as the author facet shows it (the index's most frequent spelling) when the
        // columns are held, else as its most frequent spelling here, the earliest among equals.
        const auto columns = searcher.settings().columns ? searcher.service().columns().held_for(db) : nullptr;
        for (const Speaker& s : speakers) {
            std::string name = s.names.front().first;
            unsigned most = 0;
            for (const auto& [spelling, count] : s.names)
                if (count > most) name = spelling, most = count;
            if (columns) {
                const std::string shown = columns->facet("author").shown(s.key);
                if (!shown.empty()) name = shown.substr(0, shown.find('\t'));
            }
            nlohmann::json j = {{"name", name}, {"count", s.count}, {"first_id", s.first.id}};
            if (!s.id.empty()) j["id"] = s.id;
            const std::string date = said_date(s.first);
            j["first_said"] = date.empty() ? nlohmann::json(nullptr) : nlohmann::json(date);
            speaker_list.push_back(std::move(j));
        }
        nlohmann::json timeline = nlohmann::json::array();
        for (const auto& [month, count] : months) timeline.push_back({{"month", month}, {"count", count}});
        nlohmann::json body = {{"matched", matched},
                               {"first", first},
                               {"speakers", std::move(speaker_list)},
                               {"attributions", speakers.size()},
                               {"disputed", speakers.size() > 1},
                               {"timeline", std::move(timeline)},
                               {"undated", undated},
                               {"quotes", members.total},
                               {"examined", members.docs.size()}};
        return json_response(body);
    });
}

}  // namespace dixit
