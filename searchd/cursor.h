// Date-order cursors (next_cursor, cursor=): the last hit's unique sort key, tagged with its order.
#pragma once

#include "search.h"

#include <string>

namespace dixit {

/// The cursor of a page whose last hit has this sort key (schema/date_keys.h sort_key()) in this order.
std::string encode_cursor(const std::string& last_key, SortOrder order);

/// The sort key a cursor of encode_cursor() holds; throws ApiError(BadParameter) when the text is not a
/// cursor of this server or belongs to the other date order.
std::string decode_cursor(const std::string& cursor, SortOrder order);

}  // namespace dixit
