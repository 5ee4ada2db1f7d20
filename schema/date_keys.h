// The date value slots' codecs, each encoder beside its decoder: the unique sort keys (slots oldest_key and
// newest_key), their packed 64-bit form (searchd's columns, cursors), and published_at (slot published_at).
#pragma once

#include "quote.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dixit {

/// Which date order a sort key is for.
enum class DateOrder { Oldest, Newest };

/// The unique date sort key of a quote (value slots oldest_key / newest_key). Sorting by it ascending
/// (Oldest) or descending (Newest) puts dated quotes first in said_on order, a period before the dates
/// inside it ("2025" < "2025-03" < "2025-03-01" ascending), and undated quotes after them in both orders;
/// ties go by published_at, then by the ingest sequence number: the order in which the indexer took the
/// quotes (a rebuild numbers its input from 1, `add` goes on from next_sequence_key), so that of two
/// quotes of the same moment the later one comes first when newest first. Bytes: the dated/undated byte,
/// said_on's ISO text and a NUL (dated only), published_at and the sequence as 8 big-endian bytes each.
/// Being unique, the key is also the paging cursor.
std::string sort_key(const Quote& quote, DateOrder order, std::uint64_t sequence);

/// True when key has a sort key's shape: the group byte ('0' or '1') and at least published_at and the
/// sequence (what a cursor must hold before it is used as one).
bool is_sort_key(std::string_view key);

/// The sequence number at the end of a sort key (0 when the key is too short to hold one).
std::uint64_t sort_key_sequence(std::string_view key);

/// A document's place in a date order, packed into 64 bits that sort as the sort-key slots do except
/// between keys that agree on the period and the second of publication: those compare by their sequence
/// numbers (Columns::sequence).
/// Bits: 63 the dated/undated group, 62-49 year, 48-45 month (0 = none), 44-40 day (0 = none),
/// 39-0 published_at seconds offset by 2^39.
std::uint64_t pack_sort_key(std::string_view key);

/// published_at (Unix seconds) as slot::published_at holds it: sortable_serialise, so value ranges and
/// sorting by the slot follow time.
std::string published_value(std::int64_t unix_seconds);

/// The Unix seconds of a slot::published_at value; nullopt for an empty value (a quote without one).
std::optional<std::int64_t> published_from_value(std::string_view value);

}  // namespace dixit
