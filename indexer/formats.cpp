// Record sources: reading one input (JSONL or CSV, any compression), detecting its format, and turning
// each line or row into a Dixit record or a rejection (the conversions: conversions.cpp).
#include "formats.h"

#include "conversions.h"

#include <quote.h>
#include <text.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <deque>
#include <stdexcept>
#include <utility>
#include <vector>

namespace dixit {
namespace {

using nlohmann::json;

constexpr std::size_t kRawMax = 64 * 1024;
// Lines Auto looks at for one that parses, so a single bad first line does not decide the format.
constexpr std::size_t kDetectLines = 16;

bool ends_with(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

std::string without_compression_suffix(const std::string& path) {
    for (const char* suffix : {".gz", ".bz2", ".zst"}) {
        if (ends_with(path, suffix)) return path.substr(0, path.size() - std::char_traits<char>::length(suffix));
    }
    return path;
}

bool is_blank(const std::string& s) {
    return trim(s).empty();
}

std::string too_long_message(std::uint64_t length, std::size_t limit) {
    return "line is " + std::to_string(length) + " bytes, over the " + std::to_string(limit) + "-byte limit";
}

// Deepest nesting of arrays/objects in JSON text (strings skipped). Copying and dumping a json value
// recurse, so a line of a few KB of "[[[[..." would overflow the stack later: such lines are rejected.
std::size_t nesting_depth(const std::string& text) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

constexpr std::size_t max_nesting = 64;

// Parses one JSON line into an object; on failure returns nullopt and says why in `error`.
std::optional<json> parse_object(const std::string& text, std::string& error) {
    if (nesting_depth(text) > max_nesting) {
        error = "JSON nested deeper than " + std::to_string(max_nesting) + " levels";
        return std::nullopt;
    }
    json value;
    try {
        value = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (what.find("ill-formed UTF-8") != std::string::npos) {
            error = "invalid UTF-8 at byte " + std::to_string(e.byte);
            return std::nullopt;
        }
        // Keep nlohmann's reason, without its "[json.exception...] ... line 1, column N: " preamble.
        const auto column = what.find(", column ");
        const auto colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
        if (colon != std::string::npos) what = what.substr(colon + 2);
        // "last read" echoes input bytes, which may not be UTF-8; the rejects file must stay writable as JSON.
        if (std::any_of(what.begin(), what.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
            what = what.substr(0, what.find("; last read:"));
        }
        error = "invalid JSON: parse error at byte " + std::to_string(e.byte) + ": " + what;
        return std::nullopt;
    } catch (const json::exception&) {
        // The parser's other failure (out_of_range 406): a number too large for a double, such as 1e999.
        error = "invalid JSON: a number is too large";
        return std::nullopt;
    }
    if (!value.is_object()) {
        error = std::string("not a JSON object (got ") + value.type_name() + ")";
        return std::nullopt;
    }
    return value;
}

InputFormat detect(const json& object) {
    if (object.contains("quoteID")) return InputFormat::Quotebank;
    if (object.contains("author") && object["author"].is_string()) return InputFormat::Flat;
    return InputFormat::Dixit;
}


void set_target(json& record, const std::string& target, json value) {
    const auto dot = target.find('.');
    if (dot == std::string::npos) {
        record[target] = std::move(value);
    } else {
        record[target.substr(0, dot)][target.substr(dot + 1)] = std::move(value);
    }
}

// One CSV row back as CSV text, for the rejects file (the reader does not keep the raw bytes).
std::string csv_text(const std::vector<std::string>& fields, char delimiter) {
    std::string out;
    for (std::size_t i = 0; i < fields.size() && out.size() < kRawMax; ++i) {
        if (i > 0) out += delimiter;
        const std::string& f = fields[i];
        if (f.find_first_of(std::string("\"\r\n") + delimiter) == std::string::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        out += '"';
    }
    return out.substr(0, kRawMax);
}

class JsonLinesSource : public RecordSource {
public:
    JsonLinesSource(std::unique_ptr<InputStream> in, const SourceOptions& options)
        : in_(std::move(in)), reader_(*in_, options.max_line_bytes), format_(options.format),
          max_line_bytes_(options.max_line_bytes) {
        if (format_ == InputFormat::Auto) detect_format();
    }

    bool next(SourceRecord& out) override {
        Line line;
        for (;;) {
            if (!pending_.empty()) {
                line = std::move(pending_.front());
                pending_.pop_front();
            } else if (!reader_.next(line)) {
                return false;
            }
            if (line.too_long || !is_blank(line.text)) break;
        }
        out.file = in_->path();
        out.line = line.number;
        out.record = json();
        out.error.clear();
        out.raw = line.text.substr(0, kRawMax);
        if (line.too_long) {
            out.error = too_long_message(line.length, max_line_bytes_);
            return true;
        }
        auto object = parse_object(line.text, out.error);
        if (!object) return true;
        try {
            switch (format_) {
                case InputFormat::Flat: out.record = flat_to_dixit(*object); break;
                case InputFormat::Quotebank: out.record = quotebank_to_dixit(*object); break;
                default: out.record = std::move(*object); break;
            }
        } catch (const std::exception& e) {  // invalid_argument from conversion, type_error from at()
            out.record = json();
            out.error = e.what();
        }
        return true;
    }

    InputFormat format() const override { return format_; }
    std::uint64_t raw_bytes_read() const override { return in_->raw_bytes_read(); }
    std::optional<std::uint64_t> raw_size() const override { return in_->raw_size(); }

private:
    // Buffers lines until one parses as an object; they are all returned by next() afterwards.
    void detect_format() {
        format_ = InputFormat::Dixit;
        Line line;
        std::size_t looked = 0;
        while (looked < kDetectLines && reader_.next(line)) {
            pending_.push_back(line);
            if (line.too_long || is_blank(line.text)) continue;
            ++looked;
            std::string error;
            if (auto object = parse_object(line.text, error)) {
                format_ = detect(*object);
                return;
            }
        }
    }

    std::unique_ptr<InputStream> in_;
    LineReader reader_;
    InputFormat format_;
    std::size_t max_line_bytes_;
    std::deque<Line> pending_;
};

class CsvSource : public RecordSource {
public:
    CsvSource(std::unique_ptr<InputStream> in, const SourceOptions& options, char delimiter)
        : in_(std::move(in)), reader_(*in_, delimiter, options.max_line_bytes), delimiter_(delimiter),
          list_separator_(options.csv_mapping.list_separator) {
        CsvRow header;
        if (!reader_.next(header)) return;  // empty file: no records
        if (!header.error.empty()) throw InputError(in_->path() + ": CSV header: " + header.error);
        columns_ = header.fields.size();
        auto column_of = [&](const std::string& name) -> std::optional<std::size_t> {
            for (std::size_t i = 0; i < header.fields.size(); ++i) {
                if (trim(header.fields[i]) == name) return i;
            }
            return std::nullopt;
        };
        if (options.csv_mapping.target_to_column.empty()) {
            for (std::size_t i = 0; i < header.fields.size(); ++i) {
                std::string target(trim(header.fields[i]));
                if (target == "author") target = "author.name";
                const bool taken = std::any_of(targets_.begin(), targets_.end(),
                                               [&](const auto& t) { return t.first == target; });
                if (CsvMapping::is_target(target) && !taken) targets_.emplace_back(target, i);
            }
            if (targets_.empty()) {
                throw InputError(in_->path() +
                                 ": no CSV column is named like a record field (text, author, id, ...); "
                                 "give a column mapping");
            }
        } else {
            for (const auto& [target, column] : options.csv_mapping.target_to_column) {
                const auto index = column_of(column);
                if (!index) {
                    throw InputError(in_->path() + ": mapping names column '" + column +
                                     "' which the header does not have");
                }
                targets_.emplace_back(target, *index);
            }
        }
    }

    bool next(SourceRecord& out) override {
        CsvRow row;
        if (!reader_.next(row)) return false;
        out.file = in_->path();
        out.line = row.line;
        out.record = json();
        out.error = row.error;
        out.raw = csv_text(row.fields, delimiter_);
        if (!out.error.empty()) return true;
        if (row.fields.size() != columns_) {
            out.error = "row has " + std::to_string(row.fields.size()) + " fields, expected " +
                        std::to_string(columns_) + " as in the header";
            return true;
        }
        json record = json::object();
        for (const auto& [target, index] : targets_) {
            const std::string& cell = row.fields[index];
            if (cell.empty()) continue;
            if (target == "tags" || target == "entities" || target == "countries") {
                json list = json::array();
                std::size_t start = 0;
                while (start <= cell.size()) {
                    std::size_t end = cell.find(list_separator_, start);
                    if (end == std::string::npos) end = cell.size();
                    std::string item(trim(std::string_view(cell).substr(start, end - start)));
                    if (!item.empty()) list.push_back(std::move(item));
                    start = end + 1;
                }
                if (!list.empty()) set_target(record, target, std::move(list));
            } else {
                set_target(record, target, cell);
            }
        }
        out.record = std::move(record);
        return true;
    }

    InputFormat format() const override { return InputFormat::Csv; }
    std::uint64_t raw_bytes_read() const override { return in_->raw_bytes_read(); }
    std::optional<std::uint64_t> raw_size() const override { return in_->raw_size(); }

private:
    std::unique_ptr<InputStream> in_;
    CsvReader reader_;
    char delimiter_;
    char list_separator_;
    std::size_t columns_ = 0;
    std::vector<std::pair<std::string, std::size_t>> targets_;
};

constexpr std::array<std::pair<InputFormat, const char*>, 5> kFormatNames = {{
    {InputFormat::Auto, "auto"},
    {InputFormat::Dixit, "dixit"},
    {InputFormat::Flat, "flat"},
    {InputFormat::Quotebank, "quotebank"},
    {InputFormat::Csv, "csv"},
}};

}  // namespace

InputFormat parse_format(const std::string& name) {
    for (const auto& [format, format_str] : kFormatNames) {
        if (name == format_str) return format;
    }
    throw std::invalid_argument("unknown input format '" + name + "' (auto, dixit, flat, quotebank, csv)");
}

const char* format_name(InputFormat format) {
    for (const auto& [f, name] : kFormatNames) {
        if (f == format) return name;
    }
    return "unknown";
}

std::unique_ptr<RecordSource> RecordSource::open(const std::string& path, const SourceOptions& options) {
    return open(InputStream::open(path), options);
}

std::unique_ptr<RecordSource> RecordSource::open(std::unique_ptr<InputStream> in, const SourceOptions& options) {
    const std::string base = without_compression_suffix(in->path());
    const bool tsv = ends_with(base, ".tsv");
    const bool csv_name = tsv || ends_with(base, ".csv");
    if (options.format == InputFormat::Csv || (options.format == InputFormat::Auto && csv_name)) {
        const char delimiter = options.csv_delimiter != 0 ? options.csv_delimiter : (tsv ? '\t' : ',');
        return std::make_unique<CsvSource>(std::move(in), options, delimiter);
    }
    return std::make_unique<JsonLinesSource>(std::move(in), options);
}

}  // namespace dixit
