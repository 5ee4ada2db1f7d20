// CSV (RFC 4180, with a header row) as a source of records, with a column-to-field mapping.
#pragma once

#include "input_stream.h"

#include <map>
#include <string>
#include <vector>

namespace dixit {

/// One CSV row: its fields and the line number where the row starts (rows may span lines).
struct CsvRow {
    std::vector<std::string> fields;
    std::uint64_t line = 0;
    std::string error;  ///< non-empty when the row is malformed (e.g. unterminated quote); fields then unusable
};

/// Streaming RFC 4180 reader: quoted fields with "" escapes and embedded newlines, CRLF or LF,
/// a configurable delimiter (',' by default, '\t' for .tsv). A row longer than max_row_bytes is an error row.
class CsvReader {
public:
    CsvReader(InputStream& in, char delimiter, std::size_t max_row_bytes);
    /// Reads the next row; false at the end of input.
    bool next(CsvRow& row);

private:
    bool fill();
    int peek(std::size_t ahead = 0);  // -1 at the end of input
    int get();

    InputStream& in_;
    char delimiter_;
    std::size_t max_row_bytes_;
    std::string buffer_;
    std::size_t pos_ = 0;
    std::uint64_t line_ = 1;
    bool eof_ = false;
    bool started_ = false;
};

/// Maps CSV columns to record fields: "text=quote,author.name=speaker,tags=keywords".
/// Targets: id, text, author.name, author.role, author.id, said_on, published_at, tags, entities,
/// countries, context.id, context.title, language, source.url, source.name, meta.<key>.
/// Multi-valued targets (tags, entities, countries) split a cell on list_separator (default ';').
struct CsvMapping {
    std::map<std::string, std::string> target_to_column;
    char list_separator = ';';
    /// Parses "target=column,..."; throws std::invalid_argument naming the bad pair or unknown target.
    static CsvMapping parse(const std::string& spec);
    /// True for a name parse() accepts as a target ("text", "author.name", "meta.page", ...).
    static bool is_target(const std::string& name);
};

}  // namespace dixit
