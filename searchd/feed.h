// GET /search.atom: any search as an Atom 1.0 feed (RFC 4287), for feed readers.
#pragma once

#include "handlers.h"
#include "searcher.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace dixit {

/// The text with XML's five special characters escaped (html_escape) and the characters XML 1.0 forbids
/// (C0 controls other than tab, newline and carriage return) dropped: safe in an element or an attribute.
std::string xml_escape(std::string_view text);

/// GET /search.atom?...: /search's parameters and validation (a bad one is the same 400), newest published
/// first unless `sort` says otherwise; `per_page` entries (default 20). The feed's id is
/// "urn:dixit:search:" + the percent-encoded query, each entry's "urn:dixit:quote:" + the percent-encoded
/// quote id, so a reader keeps them across re-indexing. query: the target's query string, as received
/// (the feed's self link and the page's). now: for published_since.
HttpResponse search_feed(const Params& params, std::string_view query, Searcher& searcher, std::int64_t now);

}  // namespace dixit
