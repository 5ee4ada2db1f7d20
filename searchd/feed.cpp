// GET /search.atom (see feed.h).
#include "feed.h"

#include "highlight.h"
#include "search.h"

#include <codec.h>
#include <dates.h>

#include <algorithm>

namespace dixit {
namespace {

// At most max characters of text (UTF-8), cut at a space when one is near, with "…" when cut.
std::string shortened(std::string_view text, std::size_t max) {
    std::size_t chars = 0, at = 0;
    while (at < text.size() && chars < max) {
        const auto c = static_cast<unsigned char>(text[at]);
        at += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        ++chars;
    }
    if (at >= text.size()) return std::string(text);
    const std::size_t space = text.rfind(' ', at);
    if (space != std::string_view::npos && space > at / 2) at = space;
    return std::string(text.substr(0, std::min(at, text.size()))) + "…";
}

// What the feed follows, in words: "Dixit: q=…, tag=…".
std::string feed_title(const Params& params) {
    std::string what;
    for (const auto& [name, value] : params) {
        if (name == "page" || name == "per_page" || name == "sort" || name == "facets" || name == "facet_size") continue;
        if (!what.empty()) what += ", ";
        what += name == "q" || name == "like" ? "“" + value + "”" : name + ": " + value;
    }
    return what.empty() ? "Dixit: the latest quotes" : "Dixit: " + what;
}

void element(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += '>';
    out += xml_escape(text);
    out += "</";
    out += name;
    out += ">\n";
}

}  // namespace

std::string xml_escape(std::string_view text) {
    std::string allowed;  // without the C0 controls XML 1.0 forbids (tab, newline and carriage return stay)
    allowed.reserve(text.size());
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') allowed += c;
    return html_escape(allowed);  // &amp; &lt; &gt; &quot; &#39;: all five are XML's too
}

HttpResponse search_feed(const Params& params, std::string_view query, Searcher& searcher, std::int64_t now) {
    SearchRequest r = search_request_from_params(params, searcher.settings().search, now);
    const bool sorted = std::any_of(params.begin(), params.end(), [](const auto& p) { return p.first == "sort"; });
    if (!sorted) r.sort = SortOrder::Published;
    searcher.refresh();
    const SearchResponse found = search(r, searcher);

    std::int64_t updated = 0;
    for (const Hit& h : found.hits) updated = std::max(updated, h.quote.published_at.value_or(0));
    if (updated == 0) updated = now;
    const std::string query_string(query);
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    element(out, "id", "urn:dixit:search:" + percent_encode(query_string));
    element(out, "title", feed_title(params));
    element(out, "updated", format_rfc3339(updated));
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" +
           xml_escape("/search.atom" + (query_string.empty() ? "" : "?" + query_string)) + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape("/" + (query_string.empty() ? "" : "?" + query_string)) + "\"/>\n";
    out += "<author><name>Dixit</name></author>\n<generator>Dixit</generator>\n";
    for (const Hit& h : found.hits) {
        const Quote& q = h.quote;
        out += "<entry>\n";
        element(out, "id", "urn:dixit:quote:" + percent_encode(q.id));
        element(out, "title", q.author.name + ": " + shortened(q.text, 100));
        const std::string published = format_rfc3339(q.published_at.value_or(updated));
        element(out, "published", published);
        element(out, "updated", published);
        out += "<author>\n";
        element(out, "name", q.author.name);
        out += "</author>\n";
        std::string summary = q.author.name;
        if (!q.author.role.empty()) summary += ", " + q.author.role;
        if (q.said_on) summary += ", " + q.said_on->iso();
        if (q.context && !q.context->title.empty()) summary += " (" + q.context->title + ")";
        element(out, "summary", summary);
        out += "<content type=\"text\">" + xml_escape(q.text) + "</content>\n";
        out += "<link rel=\"alternate\" type=\"application/json\" href=\"" + xml_escape("/quotes/" + percent_encode(q.id)) + "\"/>\n";
        if (q.source && !q.source->url.empty())
            out += "<link rel=\"via\" href=\"" + xml_escape(q.source->url) + "\"/>\n";
        for (const auto& tag : q.tags) out += "<category term=\"" + xml_escape(tag) + "\"/>\n";
        out += "</entry>\n";
    }
    out += "</feed>\n";
    return HttpResponse{200, "application/atom+xml; charset=utf-8", std::move(out)};
}

}  // namespace dixit
