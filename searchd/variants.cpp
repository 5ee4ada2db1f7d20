// GET /quotes/{id}/variants (see variants.h).
#include "variants.h"

#include "api_error.h"
#include "deadline.h"
#include "docset.h"
#include "highlight.h"
#include "search.h"

#include <document.h>
#include <fields.h>
#include <shingles.h>
#include <tombstones.h>

#include <algorithm>

namespace dixit {
namespace {

// The variant's text with the words the quote lacks marked, as /search marks matched words.
std::string marked(std::string_view text, const WordDiff& diff) {
    std::string html;
    std::size_t at = 0;
    for (const auto& [begin, end] : diff.added_spans) {
        if (begin < at || end > text.size()) continue;
        html += html_escape(text.substr(at, begin - at));
        html += "<mark>" + html_escape(text.substr(begin, end - begin)) + "</mark>";
        at = end;
    }
    return html + html_escape(text.substr(at));
}

}  // namespace

GroupMembers group_members(Searcher& searcher, const std::vector<Xapian::docid>& seeds, Xapian::doccount max,
                           const Deadline& deadline) {
    GroupMembers out;
    Xapian::Database& db = searcher.db();
    const Tombstones& dead = searcher.tombstones();
    if (auto columns = searcher.settings().columns ? searcher.columns() : nullptr) {
        DocList docs;
        for (Xapian::docid seed : seeds) {
            const std::uint32_t g = columns->variants.group(seed);
            if (!g) {
                docs.push_back(seed);
                continue;
            }
            for (auto [it, end] = columns->variants.of_group(g - 1); it != end; ++it)
                if (!dead.contains(*it)) docs.push_back(*it);
        }
        std::sort(docs.begin(), docs.end());
        docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
        out.total = static_cast<Xapian::doccount>(docs.size());
        out.docs = date_page(*columns, docs, false, {}, max);
        return out;
    }
    // Without the columns (just after start): each group by the range of its key over the slot's values,
    // a quote in no group by its id.
    std::vector<Xapian::Query> parts;
    for (Xapian::docid seed : seeds) {
        const Xapian::Document doc = db.get_document(seed);
        const std::string key = doc.get_value(slot::variant);
        if (key.empty())
            parts.emplace_back(id_term(quote_from_document(doc).id));
        else
            parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, slot::variant, key, key);
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(within(Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()), deadline, dead));
    enquire.set_sort_by_value(slot::oldest_key, false);
    const Xapian::MSet mset = enquire.get_mset(0, max, db.get_doccount());
    deadline.check();
    out.total = mset.get_matches_estimated();
    for (auto it = mset.begin(); it != mset.end(); ++it) out.docs.push_back(*it);
    return out;
}

HttpResponse quote_variants(std::string_view id, Searcher& searcher) {
    const Deadline deadline(searcher.settings().search.max_search);
    return searcher.run([&] {
        Xapian::Database& db = searcher.db();
        const Xapian::docid live = live_docid(db, id_term(id), searcher.tombstones());
        if (!live) throw ApiError(ErrorCode::NotFound, "no quote with id '" + std::string(id) + "'");
        const Xapian::Document doc = db.get_document(live);
        const Quote quote = quote_from_document(doc);

        nlohmann::json variants = nlohmann::json::array();
        Xapian::doccount group_size = 1;
        if (!doc.get_value(slot::variant).empty()) {
            Tokenizer& tokenizer = searcher.tokenizer();
            std::vector<Token> own, theirs;
            tokenizer.tokenize(quote.text, own);
            const std::vector<std::uint32_t> own_shingles = shingles(own);

            const GroupMembers members = group_members(searcher, {live}, max_listed_variants, deadline);
            group_size = members.total;
            for (Xapian::docid member : members.docs) {
                if (member == live) continue;
                deadline.check();
                const Quote other = quote_from_document(db.get_document(member));
                theirs.clear();
                tokenizer.tokenize(other.text, theirs);
                const Overlap o = overlap(own_shingles, shingles(theirs));
                if (o.jaccard < variant_min_jaccard) continue;  // chained in through another member
                const WordDiff diff = word_diff(quote.text, own, other.text, theirs);
                nlohmann::json hit = quote_json(other);
                hit["highlight"] = marked(other.text, diff);
                hit["similarity"] = o.jaccard;
                hit["added"] = diff.added;
                hit["removed"] = diff.removed;
                variants.push_back(std::move(hit));
            }
        }
        nlohmann::json body = {{"id", quote.id}, {"group_size", group_size}, {"total", variants.size()},
                               {"variants", std::move(variants)}};
        return json_response(body);
    });
}

}  // namespace dixit
