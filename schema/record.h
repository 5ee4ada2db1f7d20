// The stored record: how a validated quote is kept as a document's data. A compact binary form, written
// once by the indexer and read back for every hit without parsing or validating JSON again.
#pragma once

#include "quote.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace dixit {

/// A stored record that cannot be read (corrupt data, or another layout's format).
class RecordError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The quote as document data. Layout: a version byte (1), then in order id, text, author name, role
/// and id, said_on (ISO text, empty when unknown), published_at (a presence byte, then 8 bytes
/// big-endian), tags, entities and countries (each a count, then the strings), context (presence byte,
/// id, title), language, source (presence byte, url, name), meta (CBOR, empty when absent). Strings and
/// counts are LEB128 lengths or numbers (schema/codec.h) followed by the bytes.
std::string encode_record(const Quote& quote);

/// The quote back from encode_record's bytes; throws RecordError when they are not such a record.
Quote decode_record(std::string_view bytes);

}  // namespace dixit
