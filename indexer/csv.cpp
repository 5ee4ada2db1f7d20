#include "csv.h"

#include <text.h>

#include <array>
#include <stdexcept>

namespace dixit {
namespace {

constexpr std::array<const char*, 15> kTargets = {
    "id",         "text",     "author.name", "author.role", "author.id",  "said_on",       "published_at", "tags",
    "entities",   "countries", "context.id", "context.title", "language", "source.url", "source.name",
};

}  // namespace

CsvReader::CsvReader(InputStream& in, char delimiter, std::size_t max_row_bytes)
    : in_(in), delimiter_(delimiter), max_row_bytes_(max_row_bytes) {}

bool CsvReader::fill() { return refill_window(in_, buffer_, pos_, eof_); }

int CsvReader::peek(std::size_t ahead) {
    while (buffer_.size() - pos_ <= ahead) {
        if (!fill()) return -1;
    }
    return static_cast<unsigned char>(buffer_[pos_ + ahead]);
}

int CsvReader::get() {
    const int c = peek();
    if (c >= 0) ++pos_;
    return c;
}

// Deviations from RFC 4180, all lenient: blank lines are skipped; a quote inside an unquoted field,
// or text after a closing quote, is kept as a literal character (as Python's csv module does).
//
// A row over max_row_bytes becomes an error row, and reading resumes after the end of that row
// found by the same quote-aware scan (its fields are just not kept). Skipping to the next raw
// newline instead would turn the rest of a long multi-line quoted field into bogus rows that may
// even look valid; the cost is that a stray opening quote swallows the rest of the file into
// one error row, which the unterminated-quote error then reports with the line where it opened.
bool CsvReader::next(CsvRow& row) {
    row.fields.clear();
    row.error.clear();
    if (!started_) {
        started_ = true;
        if (peek(0) == 0xEF && peek(1) == 0xBB && peek(2) == 0xBF) pos_ += 3;  // UTF-8 BOM from spreadsheets
    }
    for (;;) {
        const int c = peek();
        if (c < 0) return false;
        if (c == '\n') {
            ++pos_;
            ++line_;
        } else if (c == '\r' && peek(1) == '\n') {
            pos_ += 2;
            ++line_;
        } else {
            break;
        }
    }
    row.line = line_;

    enum class State { FieldStart, Unquoted, Quoted, AfterQuote } state = State::FieldStart;
    std::string field;
    std::size_t bytes = 0;
    bool oversized = false;
    std::uint64_t quote_line = 0;
    auto end_field = [&] {
        if (!oversized) row.fields.push_back(std::move(field));
        field.clear();
        state = State::FieldStart;
    };
    auto finish = [&] {
        if (oversized) {
            row.fields.clear();
            row.error = "row is over the " + std::to_string(max_row_bytes_) + "-byte limit";
        }
        return true;
    };

    for (;;) {
        const int c = get();
        if (c < 0) {
            if (state == State::Quoted) {
                row.fields.clear();
                row.error = "unterminated quoted field (opened on line " + std::to_string(quote_line) + ")";
                return true;
            }
            end_field();
            return finish();
        }
        if (!oversized && ++bytes > max_row_bytes_) {
            oversized = true;
            row.fields.clear();
            field.clear();
        }
        const char ch = static_cast<char>(c);
        if (state == State::Quoted) {
            if (ch == '"') {
                if (peek() == '"') {
                    ++pos_;
                    if (!oversized) field += '"';
                } else {
                    state = State::AfterQuote;
                }
            } else {
                if (ch == '\n') ++line_;
                if (!oversized) field += ch;
            }
            continue;
        }
        if (state == State::FieldStart && ch == '"') {
            state = State::Quoted;
            quote_line = line_;
            continue;
        }
        if (ch == delimiter_) {
            end_field();
        } else if (ch == '\n') {
            ++line_;
            end_field();
            return finish();
        } else if (ch == '\r' && peek() == '\n') {
            // the '\n' ends the row on the next turn
        } else {
            if (!oversized) field += ch;
            if (state == State::FieldStart) state = State::Unquoted;
        }
    }
}

bool CsvMapping::is_target(const std::string& name) {
    if (name.rfind("meta.", 0) == 0) return name.size() > 5;
    for (const char* t : kTargets) {
        if (name == t) return true;
    }
    return false;
}

CsvMapping CsvMapping::parse(const std::string& spec) {
    CsvMapping mapping;
    std::size_t start = 0;
    while (start <= spec.size()) {
        std::size_t comma = spec.find(',', start);
        if (comma == std::string::npos) comma = spec.size();
        const std::string pair(trim(std::string_view(spec).substr(start, comma - start)));
        start = comma + 1;
        if (pair.empty()) continue;  // allows "" and a trailing comma
        const auto eq = pair.find('=');
        if (eq == std::string::npos) {
            throw std::invalid_argument("bad CSV mapping pair '" + pair + "' (expected target=column)");
        }
        const std::string target(trim(std::string_view(pair).substr(0, eq)));
        const std::string column(trim(std::string_view(pair).substr(eq + 1)));
        if (target.empty() || column.empty()) {
            throw std::invalid_argument("bad CSV mapping pair '" + pair + "' (expected target=column)");
        }
        if (!is_target(target)) {
            std::string known;
            for (const char* t : kTargets) known += std::string(known.empty() ? "" : ", ") + t;
            throw std::invalid_argument("unknown CSV mapping target '" + target + "' (known: " + known +
                                        ", meta.<key>)");
        }
        if (!mapping.target_to_column.emplace(target, column).second) {
            throw std::invalid_argument("CSV mapping target '" + target + "' is given twice");
        }
    }
    return mapping;
}

}  // namespace dixit
