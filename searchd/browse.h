// The browsing endpoints of the archive site: one quote, the last hours, new contexts, facet value lists.
#pragma once

#include "handlers.h"
#include "searcher.h"

#include <cstdint>
#include <string_view>

namespace dixit {

/// GET /quotes/{id}: the quote, or 404.
HttpResponse get_quote(std::string_view id, Searcher& searcher);

/// GET /latest?hours=24: quotes published in the last hours, newest published first; takes /search's
/// other parameters (filters, facets, page, per_page) too.
HttpResponse latest_quotes(const Params& params, Searcher& searcher, std::int64_t now);

/// GET /contexts/latest?hours=24&size=: contexts whose first quote was published in the last hours.
HttpResponse latest_contexts(const Params& params, Searcher& searcher, std::int64_t now);

/// GET /facets/{field}?prefix=&size=: a field's values with document counts over the whole index,
/// most frequent first; prefix matches the start of any word of the value, folded ("zel" → "Zelenskiy").
HttpResponse facet_values(std::string_view field_name, const Params& params, Searcher& searcher);

}  // namespace dixit
