// The search: query + filters, disjunctive facet counts, date orders with cursors, highlighted hits
// (the response as JSON: search_json.cpp).
#include "search.h"

#include "api_error.h"
#include "cursor.h"
#include "deadline.h"
#include "docset.h"
#include "like.h"

#include <date_keys.h>
#include <document.h>
#include <facets.h>
#include <fields.h>
#include <locales.h>
#include <speakers.h>

#include <algorithm>
#include <unordered_map>

namespace dixit {
namespace {

// OR of one field's selected values: a boolean query (no weight). An author's name or id also finds the
// speaker's quotes under its other names (schema/speakers.h).
Xapian::Query field_query(Searcher& searcher, const FieldFilter& f) {
    std::vector<Xapian::Query> terms;
    for (const auto& v : f.values) terms.push_back(field_filter(searcher.tokenizer(), &searcher.db(), f.field, v));
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The filters of a request, all of them or all but one field's (for that field's disjunctive counts).
// Without ranges, only the filter terms (the column path applies the date bounds itself).
Xapian::Query filter_query(Searcher& searcher, const SearchRequest& r, std::string_view except_field = {},
                           bool ranges = true) {
    std::vector<Xapian::Query> parts;
    for (const auto& f : r.filters)
        if (f.field != except_field) parts.push_back(field_query(searcher, f));
    if (!ranges) return parts.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    // said_on within [from, to]: the quote's whole period must lie inside (a quote dated only "2024"
    // is not in "2024-06"; ARCHITECTURE.md explains the choice).
    if (r.from) parts.emplace_back(Xapian::Query::OP_VALUE_GE, slot::said_start, r.from->first_day_key());
    if (r.to) parts.emplace_back(Xapian::Query::OP_VALUE_LE, slot::said_end, r.to->last_day_key());
    if (r.published_since)
        parts.emplace_back(Xapian::Query::OP_VALUE_GE, slot::published_at, published_value(*r.published_since));
    if (r.min_confidence)
        parts.emplace_back(Xapian::Query::OP_VALUE_GE, slot::confidence, Xapian::sortable_serialise(*r.min_confidence));
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// The text query restricted by filters; filters never add weight.
Xapian::Query restrict(const Xapian::Query& text, const Xapian::Query& filters) {
    if (filters.empty()) return text;
    return Xapian::Query(Xapian::Query::OP_FILTER, text, filters);
}

void set_order(Xapian::Enquire& enquire, SortOrder order) {
    switch (order) {
        case SortOrder::Newest: enquire.set_sort_by_value(slot::newest_key, true); break;
        case SortOrder::Oldest: enquire.set_sort_by_value(slot::oldest_key, false); break;
        case SortOrder::Published: enquire.set_sort_by_value_then_relevance(slot::published_at, true); break;
        default: enquire.set_sort_by_relevance_then_value(slot::newest_key, true); break;
    }
}

std::vector<FacetValue> labelled(const std::string& field_name, const std::vector<FacetCount>& counts) {
    std::vector<FacetValue> out;
    out.reserve(counts.size());
    for (const auto& c : counts) {
        FacetValue v{c.value, {}, c.count, {}};
        if (field_name == "country") {
            v.label = country_name(c.value);
        } else if (field_name == "author") {
            auto tab = c.value.rfind('\t');  // slot value "name\tid" (schema/speakers.h)
            if (tab != std::string::npos) {
                v.value = c.value.substr(0, tab);
                v.id = c.value.substr(tab + 1);
            }
        } else if (field_name == "context") {
            auto tab = c.value.find('\t');  // slot value "id\ttitle"
            if (tab != std::string::npos) {
                v.value = c.value.substr(0, tab);
                v.label = c.value.substr(tab + 1);
            }
        }
        out.push_back(std::move(v));
    }
    return out;
}

// A facet counter and the field it counts (on the main match, or on a match without its own filter).
struct FacetPass {
    std::string field;
    std::unique_ptr<FacetCounter> counter;
};

bool has_filter(const SearchRequest& r, std::string_view field_name) {
    return std::any_of(r.filters.begin(), r.filters.end(), [&](const FieldFilter& f) { return f.field == field_name; });
}

DateBounds date_bounds(const SearchRequest& r) {
    DateBounds b;
    if (r.from) b.said_from = static_cast<std::uint32_t>(std::stoul(r.from->first_day_key()));
    if (r.to) b.said_to = static_cast<std::uint32_t>(std::stoul(r.to->last_day_key()));
    if (r.published_since) b.published_since = *r.published_since;
    if (r.min_confidence) b.min_confidence = *r.min_confidence;
    return b;
}

// One search under way: the request, the worker, the parsed query and the time budget.
struct Run {
    const SearchRequest& r;
    Searcher& searcher;
    const ParsedQuery& parsed;
    const Deadline& deadline;
    const LikeText* like = nullptr;           ///< like=: the text, and its matches (the query's leaf)
    const LikeMatches* like_matches = nullptr;
};

// The documents of like's matches that pass the filter terms.
DocList like_docs(const Run& run, std::string_view except_field) {
    const Xapian::Query filters = filter_query(run.searcher, run.r, except_field, false);
    if (filters.empty()) return run.like_matches->docs;
    auto passed = evaluate(run.searcher.db(), filters, run.deadline, &run.searcher.tombstones());
    if (!passed) return {};  // filters are terms: always evaluated
    DocList out;
    std::set_intersection(run.like_matches->docs.begin(), run.like_matches->docs.end(), passed->begin(), passed->end(),
                          std::back_inserter(out));
    return out;
}

// The documents matching the request (but for one field's filters when except_field is set), from
// posting lists and the columns; nullopt when the query needs Xapian's matcher (phrases, NEAR, ...).
std::optional<DocList> match_docs(const Run& run, const Columns& columns, std::string_view except_field = {}) {
    if (run.like_matches) {
        DocList docs = like_docs(run, except_field);
        apply_bounds(docs, columns, date_bounds(run.r));
        return docs;
    }
    auto docs = evaluate(run.searcher.db(),
                         restrict(run.parsed.query, filter_query(run.searcher, run.r, except_field, false)),
                         run.deadline, &run.searcher.tombstones());
    if (docs) apply_bounds(*docs, columns, date_bounds(run.r));
    return docs;
}

void add_hit(SearchResponse& out, Searcher& searcher, const ParsedQuery& parsed, const Xapian::Document& doc,
             double score) {
    Hit hit;
    hit.did = doc.get_docid();
    hit.quote = quote_from_document(doc);
    hit.highlight = searcher.highlighter().highlight(hit.quote.text, hit.quote.language, parsed.highlight);
    hit.score = score;
    out.hits.push_back(std::move(hit));
}

void sort_histogram(std::vector<FacetValue>& histogram) {
    std::sort(histogram.begin(), histogram.end(), [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
}

std::shared_ptr<const WordOrder> held_words(Searcher& searcher) {
    if (!searcher.settings().columns) return nullptr;
    auto columns = searcher.service().columns().held_for(searcher.db());
    return columns ? columns->words : nullptr;
}

// like= in relevance order: the first matches by share, ranked again by score_like(); pages past that
// window follow the share (Elasticsearch's rescore window). query: the like leaf with the filters.
constexpr Xapian::doccount like_window = 200;

void like_page(const Run& run, const Xapian::Query& query, Xapian::doccount first, SearchResponse& out) {
    Searcher& searcher = run.searcher;
    Xapian::Database& db = searcher.db();
    Xapian::Enquire enquire(db);
    set_order(enquire, SortOrder::Relevance);
    if (run.r.collapse_variants) enquire.set_collapse_key(slot::variant);
    enquire.set_query(within(query, run.deadline, searcher.tombstones()));
    Xapian::MSet mset = enquire.get_mset(0, std::max(like_window, first + run.r.per_page));
    run.deadline.check();
    // The same window whatever the page, so that pages follow on from each other.
    std::vector<Xapian::docid> docs;
    for (auto it = mset.begin(); it != mset.end() && docs.size() < like_window; ++it) docs.push_back(*it);
    std::vector<LikeScore> scores = score_like(db, *run.like, docs, held_words(searcher), run.deadline);
    std::stable_sort(scores.begin(), scores.end(), [](const LikeScore& a, const LikeScore& b) { return a.score > b.score; });
    for (std::size_t i = first; i < mset.size() && out.hits.size() < run.r.per_page; ++i) {
        if (i < scores.size()) {
            add_hit(out, searcher, run.parsed, db.get_document(scores[i].did), scores[i].score);
            out.hits.back().similarity = scores[i].similarity;
        } else {  // past the window: in the order of the share, scored alone
            const Xapian::Document doc = mset[static_cast<Xapian::doccount>(i)].get_document();
            const LikeScore s = score_like(db, *run.like, {doc.get_docid()}, held_words(searcher), run.deadline)[0];
            add_hit(out, searcher, run.parsed, doc, s.score);
            out.hits.back().similarity = s.similarity;
        }
    }
}

// like= in date order: the similarity of each hit of the page.
void add_similarity(const Run& run, SearchResponse& out) {
    std::vector<Xapian::docid> docs;
    for (const Hit& h : out.hits) docs.push_back(h.did);
    std::vector<LikeScore> scores = score_like(run.searcher.db(), *run.like, docs, held_words(run.searcher), run.deadline);
    for (std::size_t i = 0; i < scores.size(); ++i) out.hits[i].similarity = scores[i].similarity;
}

// collapse=variants: each hit's variants, the other live quotes of its group: from the columns when
// held, else counted in one pass over the group slot's value stream.
void count_variants(const Run& run, const Columns* columns, SearchResponse& out) {
    const Tombstones& dead = run.searcher.tombstones();
    if (columns) {
        for (Hit& h : out.hits) h.variants = live_variants(*columns, h.did, dead);
        return;
    }
    Xapian::Database& db = run.searcher.db();
    std::vector<std::string> keys;                              // each hit's group key, "" for none
    std::unordered_map<std::string, Xapian::doccount> size_of;  // group key → live members
    for (const Hit& h : out.hits) {
        keys.push_back(db.get_document(h.did).get_value(slot::variant));
        if (!keys.back().empty()) size_of.emplace(keys.back(), 0);
    }
    std::size_t steps = 0;
    if (!size_of.empty())
        for (auto it = db.valuestream_begin(slot::variant); it != db.valuestream_end(slot::variant); ++it) {
            run.deadline.check_at(++steps);
            auto found = size_of.find(*it);
            if (found != size_of.end() && !dead.contains(it.get_docid())) ++found->second;
        }
    for (std::size_t i = 0; i < out.hits.size(); ++i) {
        auto found = keys[i].empty() ? size_of.end() : size_of.find(keys[i]);
        out.hits[i].variants = found == size_of.end() || found->second == 0 ? 0 : found->second - 1;
    }
}

// The column path: the match set from posting lists gives the exact total; facets and the histogram
// are array walks over the columns; date orders pick their page from the packed keys; relevance order
// asks Xapian for the page only (no exhaustive match). The deadline is checked between the passes.
void column_search(const Run& run, const Xapian::Query& query, const Columns& columns, const DocList& matched,
                   SearchResponse& out) {
    const SearchRequest& r = run.r;
    Searcher& searcher = run.searcher;
    const ParsedQuery& parsed = run.parsed;
    Xapian::Database& db = searcher.db();
    out.total = matched.size();
    out.total_is_estimate = false;
    if (r.collapse_variants) out.groups = count_groups(columns, matched);
    for (const auto& name : r.facets) {
        run.deadline.check();
        const FacetColumn& column = columns.facet(name);
        std::vector<FacetCount> counts;
        if (has_filter(r, name))  // disjunctive: every filter but the field's own
            counts = count_facet(column, *match_docs(run, columns, name), r.facet_size);
        else
            counts = count_facet(column, matched, r.facet_size);
        out.facets.emplace_back(name, labelled(name, counts));
    }
    if (!r.histogram.empty()) {
        run.deadline.check();
        out.histogram = labelled(r.histogram, count_facet(columns.facet(r.histogram), matched, 0));
        sort_histogram(out.histogram);
    }
    run.deadline.check();
    const Xapian::doccount first = r.cursor.empty() ? (r.page - 1) * r.per_page : 0;
    if (out.sort == SortOrder::Newest || out.sort == SortOrder::Oldest) {
        const bool newest = out.sort == SortOrder::Newest;
        const std::string after = r.cursor.empty() ? std::string() : decode_cursor(r.cursor, out.sort);
        DocList page = r.collapse_variants ? date_page(columns, group_leaders(columns, matched, newest), newest, after,
                                                       first + r.per_page + 1)
                                           : date_page(columns, matched, newest, after, first + r.per_page + 1);
        std::string last_key;
        for (std::size_t i = first; i < page.size(); ++i) {
            if (out.hits.size() == r.per_page) {
                out.next_cursor = encode_cursor(last_key, out.sort);
                break;
            }
            Xapian::Document doc = db.get_document(page[i]);
            add_hit(out, searcher, parsed, doc, 0);  // no relevance is computed in date order
            last_key = doc.get_value(newest ? slot::newest_key : slot::oldest_key);
        }
        if (run.like) add_similarity(run, out);
    } else if (run.like) {
        like_page(run, query, first, out);
    } else {
        Xapian::Enquire enquire(db);
        set_order(enquire, out.sort);
        if (r.collapse_variants) enquire.set_collapse_key(slot::variant);  // the page's hits: exact without checking all
        enquire.set_query(within(query, run.deadline, searcher.tombstones()));
        Xapian::MSet mset = enquire.get_mset(first, r.per_page);
        run.deadline.check();
        for (auto it = mset.begin(); it != mset.end(); ++it) add_hit(out, searcher, parsed, it.get_document(), it.get_weight());
    }
    if (r.collapse_variants) count_variants(run, &columns, out);
}

}  // namespace

SearchResponse search(const SearchRequest& r, Searcher& searcher) {
    const Deadline deadline(searcher.settings().search.max_search);  // a run again after an index change shares it
    return searcher.run([&] {
        Xapian::Database& db = searcher.db();
        const Xapian::doccount doccount = db.get_doccount();

        QueryOptions options;
        options.verbatim = r.verbatim;
        options.common_grams = true;  // every index of this layout has them (checked when the index is opened)
        options.stem_table = &db;
        if (searcher.settings().columns)
            options.word_order = [&searcher]() -> std::shared_ptr<const WordOrder> {
                // Never waits: without them the checks read the slot, about twice as slow in all.
                auto columns = searcher.service().columns().held_for(searcher.db());
                return columns ? columns->words : nullptr;
            };
        options.limits = searcher.settings().search.query;
        for (const auto& f : r.filters) {
            if (f.field != "lang") continue;
            for (const auto& v : f.values) {
                std::string name = stemmer_language(v);
                if (!name.empty()) options.stem_languages.push_back(name);
            }
        }
        if (!has_filter(r, "lang")) options.stem_languages = searcher.index_stem_languages();
        SearchResponse out;
        ParsedQuery parsed;
        LikeText like_text;
        std::shared_ptr<const LikeMatches> like_matches;
        if (!r.like.empty()) {
            std::shared_ptr<const Vocabulary> vocabulary;
            if (searcher.settings().suggestions) {
                vocabulary = searcher.service().vocabulary().get(db);
                out.provisional = !vocabulary;  // misspelt words find nothing until it is read: not cached
            }
            like_text = prepare_like(r.like, {searcher.tokenizer(), db, options.stem_languages, vocabulary.get(), r.verbatim});
            like_matches = std::make_shared<const LikeMatches>(
                match_like(db, like_text, r.min_share, searcher.tombstones(), deadline));
            parsed.query = like_query(like_matches);
            parsed.has_text = true;  // even with no word (punctuation): nothing matches, in relevance order
            parsed.highlight = like_text.highlight;
        } else {
            parsed = searcher.parser().parse(r.q, options);
        }
        Run run{r, searcher, parsed, deadline};
        if (like_matches) {
            run.like = &like_text;
            run.like_matches = like_matches.get();
        }

        if (searcher.settings().suggestions && parsed.has_text && r.like.empty()) {
            if (auto vocabulary = searcher.service().vocabulary().get(db))
                out.suggestion = suggest(r.q, *vocabulary, db, searcher.tokenizer(), options.stem_languages).q;
            else
                out.provisional = true;  // just after start: answered without a suggestion, and not cached
        }
        out.sort = r.sort;
        if (out.sort == SortOrder::Auto || (out.sort == SortOrder::Relevance && !parsed.has_text))
            out.sort = parsed.has_text ? SortOrder::Relevance : SortOrder::Newest;
        const bool date_order = out.sort == SortOrder::Newest || out.sort == SortOrder::Oldest;
        if (!r.cursor.empty() && !date_order)
            throw ApiError(ErrorCode::BadParameter, "parameter 'cursor': paging by cursor needs sort=newest or oldest");

        const Xapian::Query all_filters = filter_query(searcher, r);
        const Xapian::Query query = restrict(parsed.query, all_filters);
        const bool exhaustive = !r.facets.empty() || !r.histogram.empty() || r.exact_total;
        // collapse=variants takes the columns whenever held: they count the groups without a full match.
        if (searcher.settings().columns && (exhaustive || date_order || r.collapse_variants)) {
            if (auto columns = searcher.columns()) {
                if (auto matched = match_docs(run, *columns)) {
                    column_search(run, query, *columns, *matched, out);
                    return out;
                }
            }
        }

        searcher.facet_keys().use(db);
        // Facets of fields without a selection, and the histogram, are counted on the main match;
        // a field with a selection is counted on a match of every filter but its own (disjunctive).
        std::vector<FacetPass> main_facets, own_facets;
        for (const auto& name : r.facets) {
            FacetPass pass{name, std::make_unique<FacetCounter>(db, field(name), searcher.facet_keys())};
            (has_filter(r, name) ? own_facets : main_facets).push_back(std::move(pass));
        }
        std::unique_ptr<FacetCounter> histogram;
        if (!r.histogram.empty()) histogram = std::make_unique<FacetCounter>(db, field(r.histogram), searcher.facet_keys());
        // Counting one match past the limit makes every total up to the limit exact (lower bound = upper bound).
        const Xapian::doccount exact_up_to = searcher.settings().search.exact_total_up_to;
        // Groups are counted over every match.
        const Xapian::doccount check_at_least =
            exhaustive || r.collapse_variants ? doccount
                                              : std::min<Xapian::doccount>(doccount, exact_up_to == 0 ? 0 : exact_up_to + 1);

        Xapian::Enquire enquire(db);
        set_order(enquire, out.sort);
        if (r.collapse_variants) enquire.set_collapse_key(slot::variant);
        std::string cursor_key;
        if (!r.cursor.empty()) {
            cursor_key = decode_cursor(r.cursor, out.sort);
            Xapian::Query after = out.sort == SortOrder::Newest
                                      ? Xapian::Query(Xapian::Query::OP_VALUE_LE, slot::newest_key, cursor_key)
                                      : Xapian::Query(Xapian::Query::OP_VALUE_GE, slot::oldest_key, cursor_key);
            enquire.set_query(within(Xapian::Query(Xapian::Query::OP_FILTER, query, after), deadline, searcher.tombstones()));
        } else {
            enquire.set_query(within(query, deadline, searcher.tombstones()));
        }

        // With a cursor the page's match is narrowed, and a collapsed match counts neither quotes nor groups
        // exactly (Xapian drops what cannot reach the page before collapsing it): totals, facets and groups
        // then come from an uncollapsed match of their own.
        const bool separate_count = !r.cursor.empty() || r.collapse_variants;
        Xapian::Enquire counting(db);
        Xapian::Enquire& count_on = separate_count ? counting : enquire;
        if (separate_count) counting.set_query(within(query, deadline, searcher.tombstones()));
        for (auto& pass : main_facets) pass.counter->attach(count_on);
        if (histogram) histogram->attach(count_on);
        Xapian::ValueCountMatchSpy groups(slot::variant);
        if (r.collapse_variants) counting.add_matchspy(&groups);

        const Xapian::doccount first = r.cursor.empty() ? (r.page - 1) * r.per_page : 0;
        // One more than a page tells whether there is a next page; a cursor page also skips its own key.
        const Xapian::doccount wanted = r.per_page + 1 + (r.cursor.empty() ? 0 : 1);
        Xapian::MSet mset = enquire.get_mset(first, wanted, separate_count ? 0 : check_at_least);
        Xapian::MSet counted = mset;
        if (separate_count) counted = counting.get_mset(0, 0, check_at_least);
        deadline.check();  // a match the deadline ended has partial counts: never answered
        out.total = counted.get_matches_estimated();
        out.total_is_estimate = counted.get_matches_lower_bound() != counted.get_matches_upper_bound();
        if (r.collapse_variants) {  // total counts quotes, as facets do; groups: the keys met, plus each quote without
            Xapian::doccount keyed = 0, keys = 0;
            for (auto it = groups.values_begin(); it != groups.values_end(); ++it, ++keys) keyed += it.get_termfreq();
            out.groups = keys + (out.total - keyed);
        }

        for (auto& pass : own_facets) {
            Xapian::Enquire own(db);
            own.set_query(within(restrict(parsed.query, filter_query(searcher, r, pass.field)), deadline, searcher.tombstones()));
            pass.counter->attach(own);
            own.get_mset(0, 0, doccount);
            deadline.check();
        }
        // Each key is shown as the index's most frequent spelling when the columns know it (as on the
        // column path), else as the most frequent among the counted documents.
        const auto held = searcher.settings().columns ? searcher.service().columns().held_for(db) : nullptr;
        auto shown_in = [&held](const std::string& name) -> std::function<std::string(const std::string&)> {
            if (!held) return {};
            const FacetColumn& column = held->facet(name);
            return [&column](const std::string& key) { return column.shown(key); };
        };
        for (const auto& name : r.facets) {
            for (auto* passes : {&main_facets, &own_facets})
                for (const auto& pass : *passes)
                    if (pass.field == name)
                        out.facets.emplace_back(name, labelled(name, pass.counter->counts(r.facet_size, shown_in(name))));
        }
        if (histogram) {
            out.histogram = labelled(r.histogram, histogram->counts(0, shown_in(r.histogram)));
            sort_histogram(out.histogram);
        }

        if (run.like && !date_order) {
            like_page(run, query, first, out);
            if (r.collapse_variants) count_variants(run, held.get(), out);
            return out;
        }
        const Xapian::valueno key_slot = out.sort == SortOrder::Oldest ? slot::oldest_key : slot::newest_key;
        std::string last_key;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            if (!cursor_key.empty() && doc.get_value(key_slot) == cursor_key) continue;
            if (out.hits.size() == r.per_page) {  // there is a next page
                if (date_order) out.next_cursor = encode_cursor(last_key, out.sort);
                break;
            }
            add_hit(out, searcher, parsed, doc, date_order ? 0 : it.get_weight());
            if (date_order) last_key = doc.get_value(key_slot);
        }
        if (run.like) add_similarity(run, out);
        if (r.collapse_variants) count_variants(run, held.get(), out);  // a phrase: the columns may be held
        return out;
    });
}

}  // namespace dixit
