// GET /quotes/{id}/variants (see variants.h).
#include "variants.h"

#include "api_error.h"
#include "deadline.h"
#include "highlight.h"
#include "search.h"

#include <document.h>
#include <fields.h>
#include <shingles.h>
#include <tombstones.h>

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

HttpResponse quote_variants(std::string_view id, Searcher& searcher) {
    const Deadline deadline(searcher.settings().search.max_search);
    return searcher.run([&] {
        Xapian::Database& db = searcher.db();
        const Xapian::docid live = live_docid(db, id_term(id), searcher.tombstones());
        if (!live) throw ApiError(ErrorCode::NotFound, "no quote with id '" + std::string(id) + "'");
        const Xapian::Document doc = db.get_document(live);
        const Quote quote = quote_from_document(doc);
        const std::string key = doc.get_value(slot::variant);

        nlohmann::json variants = nlohmann::json::array();
        Xapian::doccount group_size = key.empty() ? 1 : 0;
        if (!key.empty()) {
            Tokenizer& tokenizer = searcher.tokenizer();
            std::vector<Token> own, theirs;
            tokenizer.tokenize(quote.text, own);
            const std::vector<std::uint32_t> own_shingles = shingles(own);

            Xapian::Enquire enquire(db);
            enquire.set_query(within(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot::variant, key, key), deadline,
                                     searcher.tombstones()));
            enquire.set_sort_by_value(slot::oldest_key, false);
            Xapian::MSet members = enquire.get_mset(0, max_listed_variants, db.get_doccount());
            deadline.check();
            group_size = members.get_matches_estimated();
            for (auto it = members.begin(); it != members.end(); ++it) {
                if (*it == live) continue;
                const Quote other = quote_from_document(it.get_document());
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
        return HttpResponse{200, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
    });
}

}  // namespace dixit
