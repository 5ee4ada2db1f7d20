// RecordFeed: inputs -> validated quotes, with rejects reported where and why.
#include "ingest.h"

#include <text.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace dixit {
namespace {

std::string thousands(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

std::string IngestSummary::to_text() const {
    char rate[64], secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", seconds);
    std::snprintf(rate, sizeof rate, "%.0f", seconds > 0 ? taken() / seconds : 0.0);
    return "read " + thousands(read) + (read == 1 ? " record: " : " records: ") + thousands(added) + " added, " + thousands(replaced) +
           " replaced, " + (unchanged ? thousands(unchanged) + " unchanged, " : "") + thousands(rejected) + " rejected" + (variants ? ", " + thousands(variants) + (variants == 1 ? " variant" : " variants") + " of earlier quotes" : "") + (dropped ? ", " + thousands(dropped) + (dropped == 1 ? " dead version" : " dead versions") + " dropped" : "") +
           " in " + secs + " s (" + rate + " records/s)";
}

std::string IngestSummary::to_json() const {
    nlohmann::json j = {{"read", read}, {"added", added}, {"replaced", replaced}, {"rejected", rejected},
                        {"seconds", seconds}, {"rate", seconds > 0 ? taken() / seconds : 0.0}};
    if (unchanged > 0) j["unchanged"] = unchanged;
    if (merge_seconds > 0) j["merge_seconds"] = merge_seconds;
    if (dropped > 0) j["dropped"] = dropped;
    if (variants > 0) j["variants"] = variants;
    return j.dump();
}

RecordFeed::RecordFeed(std::vector<std::string> files, const IngestOptions& options, IngestSummary& summary,
                       std::uint64_t first_sequence)
    : files_(std::move(files)), options_(options), summary_(summary), now_(options.now ? options.now : unix_now()),
      next_sequence_(first_sequence),
      start_(std::chrono::steady_clock::now()), last_progress_(start_) {
    if (!options_.rejects_path.empty()) {
        rejects_.open(options_.rejects_path, std::ios::trunc);
        if (!rejects_) throw_rejects_error();
    }
    for (const auto& f : files_) {
        std::error_code ec;
        auto size = f == "-" ? 0 : std::filesystem::file_size(f, ec);
        if (!ec) bytes_total_ += size;  // unknown sizes (stdin, pipes, missing files) just add nothing
    }
}

RecordFeed::~RecordFeed() {
    if (options_.progress) show_progress(true);
}

void RecordFeed::reject(const SourceRecord& record, const std::string& field, const std::string& reason) {
    ++summary_.rejected;
    std::string where = record.file + ":" + std::to_string(record.line);
    if (!options_.quiet)
        std::cerr << (options_.progress ? "\r\033[K" : "") << "rejected " << where << ": "
                  << (field.empty() ? "" : field + ": ") << reason << "\n";
    if (rejects_.is_open()) {
        nlohmann::json j = {{"file", record.file}, {"line", record.line}, {"field", field}, {"error", reason},
                            {"raw", record.raw}};
        // Flushed line by line, so that a full disk is reported at the reject it loses, not never.
        rejects_ << json_text(j) << "\n" << std::flush;
        if (!rejects_) throw_rejects_error();
    }
}

void RecordFeed::throw_rejects_error() const {
    const std::string why = errno ? std::string(": ") + std::strerror(errno) : "";
    throw InputError("cannot write rejects file " + options_.rejects_path + why);
}

bool RecordFeed::next(IngestedQuote& out) {
    for (;;) {
        if (!source_) {
            if (file_index_ >= files_.size()) {
                if (rejects_.is_open()) {
                    rejects_.close();
                    if (!rejects_) throw_rejects_error();
                }
                return false;
            }
            source_ = RecordSource::open(files_[file_index_], options_.source);
        }
        if (!source_->next(record_)) {
            bytes_done_ += source_->raw_size().value_or(0);
            source_.reset();
            ++file_index_;
            continue;
        }
        ++summary_.read;
        if (options_.progress) show_progress(false);
        if (!record_.error.empty()) {
            reject(record_, "", record_.error);
            continue;
        }
        try {
            out.quote = quote_from_json(record_.record);
        } catch (const ValidationError& e) {
            std::string message = e.what();
            reject(record_, e.field(), message.substr(std::min(message.size(), e.field().size() + 2)));
            continue;
        }
        out.published_defaulted = !out.quote.published_at;
        if (out.published_defaulted) out.quote.published_at = now_;
        out.sequence = next_sequence_++;
        return true;
    }
}

void RecordFeed::show_progress(bool final) {
    auto now = std::chrono::steady_clock::now();
    if (!final && now - last_progress_ < std::chrono::milliseconds(500)) return;
    last_progress_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? summary_.read / secs : 0;
    std::ostringstream line;
    line << "\r\033[K" << thousands(summary_.read) << " records, " << static_cast<long>(rate) << "/s";
    if (summary_.rejected) line << ", " << thousands(summary_.rejected) << " rejected";
    std::uint64_t done = bytes_done_ + (source_ ? source_->raw_bytes_read() : 0);
    if (bytes_total_ > 0 && done > 0 && !final) {
        double fraction = std::min(1.0, static_cast<double>(done) / bytes_total_);
        line << ", " << static_cast<int>(fraction * 100) << "%, ETA " << static_cast<long>(secs / fraction - secs) << " s";
    }
    std::cerr << line.str() << (final ? "\n" : "") << std::flush;
}

}  // namespace dixit
