// Fuzz targets formats and input_stream: dump files through the indexer's readers.
#include "targets.h"

#include <csv.h>
#include <formats.h>
#include <input_stream.h>
#include <quote.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace dixit::fuzz {
namespace {

// The bytes of one input as an InputStream, without a file: what RecordSource reads after decompression.
class MemoryStream : public InputStream {
public:
    MemoryStream(std::string_view data, std::string path) : data_(data), path_(std::move(path)) {}
    std::size_t read(char* buffer, std::size_t n) override {
        // Short reads of varying size, so that lines and CSV rows straddle the readers' refills.
        n = std::min({n, data_.size() - pos_, std::size_t{1} + (pos_ * 7919) % 4096});
        std::memcpy(buffer, data_.data() + pos_, n);
        pos_ += n;
        return n;
    }
    std::uint64_t raw_bytes_read() const override { return pos_; }
    std::optional<std::uint64_t> raw_size() const override { return data_.size(); }
    const std::string& path() const override { return path_; }

private:
    std::string_view data_;
    std::size_t pos_ = 0;
    std::string path_;
};

}  // namespace

void formats(std::string_view data) {
    if (data.empty()) return;
    // First byte: bits 0-2 the format and file name, bit 3 a short line limit, bit 4 a CSV mapping.
    const auto flags = static_cast<unsigned char>(data[0]);
    data.remove_prefix(1);
    static const std::pair<InputFormat, const char*> kinds[] = {
        {InputFormat::Auto, "in.jsonl"}, {InputFormat::Dixit, "in.jsonl"},   {InputFormat::Flat, "in.jsonl"},
        {InputFormat::Quotebank, "in.json"}, {InputFormat::Auto, "in.csv"},  {InputFormat::Auto, "in.tsv.gz"},
        {InputFormat::Csv, "in.txt"},     {InputFormat::Auto, "-"},
    };
    const auto& [format, name] = kinds[flags & 7];
    SourceOptions options;
    options.format = format;
    options.max_line_bytes = (flags & 8) ? 64 : 1 << 16;
    if (flags & 16) {
        options.csv_mapping = CsvMapping::parse("id=id,text=quote,author.name=speaker,tags=tags,said_on=date,meta.page=page");
        options.csv_mapping.list_separator = (flags & 32) ? '|' : ';';
    }
    if (flags & 64) options.csv_delimiter = ';';
    std::unique_ptr<RecordSource> source;
    try {
        source = RecordSource::open(std::make_unique<MemoryStream>(data, name), options);
        SourceRecord r;
        while (source->next(r)) {
            if (!r.error.empty()) continue;  // a reject, reported with its line
            if (!r.record.is_object()) throw std::logic_error("a record without an error is not a JSON object");
            try {
                (void)quote_from_json(r.record);  // what ingest does with it
            } catch (const ValidationError&) {
            }
            // The rejects file writes the raw line as JSON: it must dump (with replacement) without throwing.
            (void)nlohmann::json(r.raw).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
    } catch (const InputError&) {  // an unreadable input as a whole (a CSV header the mapping does not fit)
    }
}

void input_stream(std::string_view data) {
    // InputStream opens files only: the bytes go to a file of this process (the sniffing reads a fd).
    // One file per process, removed at exit.
    struct TempFile {
        std::string path;
        TempFile() {
            const char* tmp = std::getenv("TMPDIR");
            path = std::string(tmp && *tmp ? tmp : "/tmp") + "/dixit-fuzz-input-" + std::to_string(::getpid());
        }
        ~TempFile() { std::remove(path.c_str()); }
    };
    static const TempFile file;
    const std::string& path = file.path;
    if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
        if (!data.empty()) std::fwrite(data.data(), 1, data.size(), f);
        std::fclose(f);
    } else {
        throw std::runtime_error("cannot write " + path);
    }
    try {
        auto in = InputStream::open(path);
        LineReader lines(*in, 100);
        Line line;
        std::uint64_t number = 0;
        while (lines.next(line)) {
            if (line.number != ++number) throw std::logic_error("line numbers skip");
            if (line.text.size() > 100 || (!line.too_long && line.text.size() != line.length))
                throw std::logic_error("a line is longer than the limit or its length is wrong");
        }
        auto again = InputStream::open(path);
        CsvReader csv(*again, ',', 100);
        CsvRow row;
        while (csv.next(row)) {
        }
    } catch (const InputError&) {  // corrupt compressed data
    }
}

}  // namespace dixit::fuzz
