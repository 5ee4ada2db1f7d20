// Input formats: each turns one input record (a line or CSV row) into a Dixit JSON record.
#pragma once

#include "csv.h"
#include "input_stream.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace dixit {

/// The formats dixit-indexer reads.
enum class InputFormat {
    Auto,       ///< sniffed from the first record (see detect_format)
    Dixit,      ///< JSONL of the Dixit record (schema/quote.schema.json)
    Flat,       ///< JSONL "interchange" shape of ../shared/data: author/author_role/date/source as strings;
                ///< a null author, or one without a letter or digit (fortune ASCII art), becomes "Unattributed"
                ///< with meta.unattributed = true (as Quotebank's "None")
    Quotebank,  ///< Quotebank's quotation-centric dump (quoteID, quotation, speaker, qids, date, ...)
    Csv,        ///< CSV with a header row and a CsvMapping
};

/// Parses "auto" | "dixit" | "flat" | "quotebank" | "csv"; throws std::invalid_argument.
InputFormat parse_format(const std::string& name);
/// The name of a format, as parse_format takes it.
const char* format_name(InputFormat format);

/// Options for reading records.
struct SourceOptions {
    InputFormat format = InputFormat::Auto;
    CsvMapping csv_mapping;           ///< empty: columns named like the targets map to themselves
    char csv_delimiter = 0;           ///< 0: '\t' for *.tsv[.gz|.bz2|.zst], ',' otherwise
    std::size_t max_line_bytes = 1 << 20;  ///< a longer line (or CSV row) is rejected, not read whole
};

/// One record read from an input: either a Dixit JSON record or the reason it could not be read.
struct SourceRecord {
    std::string file;                 ///< path as given ("-" for stdin)
    std::uint64_t line = 0;           ///< 1-based line where the record starts
    nlohmann::json record;            ///< Dixit-shaped JSON object when error is empty
    std::string error;                ///< why the record could not be read ("invalid JSON: parse error at byte 17: ...")
    std::string raw;                  ///< the raw line/row (first 64 KiB), for the rejects file
};

/// Reads records from one input in one format. Conversion problems become SourceRecord.error;
/// only an unreadable or corrupt file throws InputError.
class RecordSource {
public:
    virtual ~RecordSource() = default;
    /// Opens path ("-" = stdin) and, for Auto, detects the format from the first non-empty line
    /// (".csv"/".tsv" name -> Csv; "quoteID" key -> Quotebank; "author" a string -> Flat; else Dixit).
    static std::unique_ptr<RecordSource> open(const std::string& path, const SourceOptions& options);
    /// The same on a stream already open (the CSV decision reads in->path()): for tests and fuzzing.
    static std::unique_ptr<RecordSource> open(std::unique_ptr<InputStream> in, const SourceOptions& options);
    /// Reads the next record; false at the end of input.
    virtual bool next(SourceRecord& out) = 0;
    /// The format being read (after detection).
    virtual InputFormat format() const = 0;
    /// Compressed bytes consumed and the file's size if known, for progress.
    virtual std::uint64_t raw_bytes_read() const = 0;
    virtual std::optional<std::uint64_t> raw_size() const = 0;
};

}  // namespace dixit
