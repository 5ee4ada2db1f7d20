// The /search response as JSON, the API form of a quote, and the sort orders' names.
#include "search.h"

#include <locales.h>

#include <array>

namespace dixit {
namespace {

constexpr std::array<std::pair<SortOrder, std::string_view>, 4> sort_names{{
    {SortOrder::Relevance, "relevance"},
    {SortOrder::Newest, "newest"},
    {SortOrder::Oldest, "oldest"},
    {SortOrder::Published, "published"},
}};

}  // namespace

std::string_view sort_name(SortOrder order) {
    for (const auto& [o, name] : sort_names)
        if (o == order) return name;
    return "relevance";  // Auto is relevance once resolved
}

std::optional<SortOrder> sort_order_named(std::string_view name) {
    for (const auto& [o, n] : sort_names)
        if (n == name) return o;
    return std::nullopt;
}

std::string sort_order_names() {
    std::string out;
    for (std::size_t i = 0; i < sort_names.size(); ++i)
        out.append(i == 0 ? "" : i + 1 == sort_names.size() ? " or " : ", ").append(sort_names[i].second);
    return out;
}

nlohmann::json quote_json(const Quote& q) {
    nlohmann::json j = quote_to_json(q);
    if (q.said_on) j["said_on_precision"] = q.said_on->precision_name();
    if (!q.countries.empty()) {
        nlohmann::json names = nlohmann::json::array();
        for (const auto& c : q.countries) names.push_back(country_name(c));
        j["country_names"] = names;
    }
    return j;
}

nlohmann::json to_json(const SearchResponse& r) {
    nlohmann::json hits = nlohmann::json::array();
    for (const auto& h : r.hits) {
        nlohmann::json j = quote_json(h.quote);
        j["highlight"] = h.highlight.html;
        if (!h.highlight.snippet.empty()) j["snippet"] = h.highlight.snippet;
        j["score"] = h.score;
        if (h.similarity) j["similarity"] = *h.similarity;
        if (h.variants) j["variants"] = *h.variants;
        hits.push_back(std::move(j));
    }
    auto values = [](const std::vector<FacetValue>& list) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : list) {
            nlohmann::json item = {{"value", v.value}, {"count", v.count}};
            if (!v.label.empty()) item["label"] = v.label;
            if (!v.id.empty()) item["id"] = v.id;
            out.push_back(std::move(item));
        }
        return out;
    };
    nlohmann::json out = {{"total", r.total}, {"total_is_estimate", r.total_is_estimate},
                          {"sort", sort_name(r.sort)}, {"hits", std::move(hits)}};
    if (r.groups) out["groups"] = *r.groups;
    if (!r.facets.empty()) {
        nlohmann::json facets = nlohmann::json::object();
        for (const auto& [name, list] : r.facets) facets[name] = values(list);
        out["facets"] = std::move(facets);
    }
    if (!r.histogram.empty()) out["histogram"] = values(r.histogram);
    out["next_cursor"] = r.next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.next_cursor);
    if (!r.suggestion.empty()) out["suggestion"] = r.suggestion;
    return out;
}

}  // namespace dixit
