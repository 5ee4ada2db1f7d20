// The fuzz targets' entry points: what each libFuzzer binary calls per input, and what the unit tests
// replay on the regression corpus (tests/fuzz-regressions/<target>/).
#pragma once

#include <string_view>

namespace dixit::fuzz {

/// One entry point: feeds the bytes to the code under test. It catches only the exceptions that the
/// code documents for bad input; anything else escapes (libFuzzer reports it as a crash, Catch2 as a failure).
using Target = void (*)(std::string_view data);

/// q through QueryParser::parse (first byte: options), then the query run on a small in-memory index.
void query_parser(std::string_view data);
/// One JSON line: nlohmann's parse, then quote_from_json, then the record's round trip.
void quote(std::string_view data);
/// An input file's bytes through RecordSource (first byte: format and options), every record validated.
void formats(std::string_view data);
/// A file's bytes through InputStream::open (gzip/bzip2/zstd sniffing), LineReader and CsvReader.
void input_stream(std::string_view data);
/// Bytes as a stored record: decode_record, and an accepted one must survive encode/decode.
void record(std::string_view data);
/// Bytes as a slot::tokens value: decode_token_sequence, then phrase and NEAR checks on it.
void token_sequence(std::string_view data);
/// Bytes as a cursor (first byte: order): decode_cursor, and an accepted one must round-trip.
void cursor(std::string_view data);
/// A request target (or, starting with '{', a POST body): parse_target and the /search parameters.
void http_target(std::string_view data);
/// The same as a whole request through searchd's handle() on an index of data/seed.jsonl: never a 500.
void handle(std::string_view data);

/// A target by its name ("query_parser", ...); nullptr when there is no such target.
Target target_by_name(std::string_view name);

}  // namespace dixit::fuzz
