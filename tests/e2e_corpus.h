// The source data files read back independently of the indexer, for the counts a facet must show.
#pragma once

#include <tokenizer.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dixit::e2e {

/// One source record with the fields the facet tests count, normalised as the record contract says:
/// names with white space collapsed, keywords de-duplicated ignoring case and accents (first spelling
/// kept), countries upper case. Only the shape conversion is redone here (from indexer/formats.cpp).
struct SourceRecord {
    std::string id;
    std::string text;  ///< as in the file (not trimmed)
    std::string language;
    std::string author;
    std::string author_id;  ///< Quotebank: the single qid of the speaker, if it has one
    std::vector<std::string> tags;
    std::vector<std::string> countries;
};

namespace detail {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Trimmed, runs of white space as one space: how names and keywords are stored. Written again on purpose
// (schema/quote.cpp has the same rule): the expected counts must not come from the code under test.
inline std::string collapse_spaces(const std::string& s) {
    std::string out;
    bool pending = false;
    for (char c : s) {
        if (is_space(c)) {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out += c;
    }
    return out;
}

inline std::string string_or_empty(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The flat format's author rule: a value with no letter, digit or non-ASCII byte (fortune "ASCII art")
// is no name, and a quote without a name is kept as "Unattributed".
inline std::string flat_author(const nlohmann::json& r) {
    const std::string author = string_or_empty(r, "author");
    const bool has_name = std::any_of(author.begin(), author.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
    return has_name ? author : "Unattributed";
}

}  // namespace detail

/// Reads a JSONL file in any of the shapes of data/ (Dixit records, the flat shape of data/real, Quotebank).
inline std::vector<SourceRecord> read_records(const std::string& path, Tokenizer& tokenizer) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<SourceRecord> out;
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        const nlohmann::json r = nlohmann::json::parse(line);
        SourceRecord s;
        if (r.contains("quoteID")) {  // Quotebank: speaker "None" is unattributed, no tags or countries
            s.id = r["quoteID"];
            s.text = r["quotation"];
            const std::string speaker = detail::string_or_empty(r, "speaker");
            s.author = speaker.empty() || speaker == "None" ? "Unattributed" : speaker;
            if (r.contains("qids") && r["qids"].is_array() && r["qids"].size() == 1) s.author_id = r["qids"][0];
            s.language = "en";
        } else {
            s.id = r["id"];
            s.text = r["text"];
            s.language = detail::string_or_empty(r, "language");
            s.author = r["author"].is_object() ? r["author"]["name"].get<std::string>() : detail::flat_author(r);
            std::set<std::string> seen;
            if (r.contains("tags") && r["tags"].is_array()) {
                for (const auto& t : r["tags"]) {
                    std::string tag = detail::collapse_spaces(t.get<std::string>());
                    if (seen.insert(tokenizer.fold_keyword(tag)).second) s.tags.push_back(tag);
                }
            }
            if (r.contains("countries") && r["countries"].is_array()) {
                for (const auto& c : r["countries"]) {
                    std::string code = detail::collapse_spaces(c.get<std::string>());
                    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char ch) { return std::toupper(ch); });
                    if (std::find(s.countries.begin(), s.countries.end(), code) == s.countries.end())
                        s.countries.push_back(code);
                }
            }
        }
        s.author = detail::collapse_spaces(s.author);
        out.push_back(std::move(s));
    }
    return out;
}

/// The values of one facet field (tag, author, country) of a record.
inline std::vector<std::string> field_values(const SourceRecord& r, const std::string& field) {
    if (field == "tag") return r.tags;
    if (field == "country") return r.countries;
    if (field == "author") return {r.author};
    throw std::invalid_argument("no such facet field in the test: " + field);
}

/// Value -> number of the records keep() selects that have it: a facet's expected counts, uncut.
using ValueCounts = std::map<std::string, std::uint64_t>;

/// Counts the values of field over the records that keep() selects.
inline ValueCounts count_values(const std::vector<SourceRecord>& records, const std::string& field,
                                const std::function<bool(const SourceRecord&)>& keep) {
    ValueCounts counts;
    for (const auto& r : records)
        if (keep(r))
            for (const auto& v : field_values(r, field)) ++counts[v];
    return counts;
}

/// The folded keys of field that several spellings share in the records ("Wisdom"/"wisdom", "Molière"/"Moliere").
inline std::set<std::string> shared_keys(const std::vector<SourceRecord>& records, const std::string& field,
                                         Tokenizer& tokenizer) {
    std::map<std::string, std::set<std::string>> spellings;
    for (const auto& r : records)
        for (const auto& v : field_values(r, field)) spellings[tokenizer.fold_keyword(v)].insert(v);
    std::set<std::string> out;
    for (const auto& [key, values] : spellings)
        if (values.size() > 1) out.insert(key);
    // A speaker quoted under several names is one author ("Barack Obama", "President Barack Obama": Q76).
    if (field == "author") {
        std::map<std::string, std::set<std::string>> names;
        for (const auto& r : records)
            if (!r.author_id.empty()) names[r.author_id].insert(tokenizer.fold_keyword(r.author));
        for (const auto& [id, keys] : names)
            if (keys.size() > 1) out.insert(keys.begin(), keys.end());
    }
    return out;
}

/// A facet list of a /search response, in the order returned.
using RankedCounts = std::vector<std::pair<std::string, std::uint64_t>>;

/// The facet list of field in a /search response.
inline RankedCounts response_facet(const nlohmann::json& body, const std::string& field) {
    RankedCounts out;
    for (const auto& v : body.at("facets").at(field)) out.emplace_back(v.at("value"), v.at("count"));
    return out;
}

/// "" when returned (asked with facet_size) is a correct facet for expected; otherwise the first problem.
/// Correct: counts never increase down the list; each value has its expected count; every value counted
/// more than the last entry is listed (all of them when the list is shorter than facet_size). The order
/// among equal counts, and so which of them a cut keeps, is not checked: the API does not promise one.
/// Values accepted by skip() are not compared (spellings that fold alike; see the test).
inline std::string facet_mismatch(const ValueCounts& expected, const RankedCounts& returned, std::size_t facet_size,
                                  const std::function<bool(const std::string&)>& skip) {
    auto entry = [](const std::string& value, std::uint64_t count) { return "'" + value + "': " + std::to_string(count); };
    if (returned.size() > facet_size) return std::to_string(returned.size()) + " values, over facet_size";
    for (std::size_t i = 0; i < returned.size(); ++i) {
        const auto& [value, count] = returned[i];
        if (i > 0 && count > returned[i - 1].second)
            return "not by count: " + entry(value, count) + " after " + entry(returned[i - 1].first, returned[i - 1].second);
        if (skip(value)) continue;
        auto it = expected.find(value);
        if (it == expected.end()) return "returned " + entry(value, count) + ", not a value of the records";
        if (it->second != count) return "returned " + entry(value, count) + ", expected " + std::to_string(it->second);
    }
    const std::uint64_t floor = returned.size() == facet_size && !returned.empty() ? returned.back().second : 0;
    for (const auto& [value, count] : expected) {
        if (count <= floor || skip(value)) continue;
        const bool listed = std::any_of(returned.begin(), returned.end(), [&](const auto& r) { return r.first == value; });
        if (!listed) return "missing " + entry(value, count) + " (" + std::to_string(returned.size()) + " values returned)";
    }
    return {};
}

/// "" when two facets have the same values and counts; otherwise the first few differences.
inline std::string count_differences(const ValueCounts& a, const std::string& a_name, const ValueCounts& b,
                                     const std::string& b_name) {
    std::string out;
    std::size_t total = 0;
    auto report = [&](const std::string& value) {
        auto in = [&](const ValueCounts& m) {
            auto it = m.find(value);
            return it == m.end() ? std::string("absent") : std::to_string(it->second);
        };
        if (++total <= 8) out += "'" + value + "': " + in(a) + " " + a_name + ", " + in(b) + " " + b_name + "; ";
    };
    for (const auto& [value, count] : a)
        if (auto it = b.find(value); it == b.end() || it->second != count) report(value);
    for (const auto& [value, count] : b)
        if (!a.count(value)) report(value);
    if (total > 8) out += "... " + std::to_string(total) + " values differ";
    return out;
}

}  // namespace dixit::e2e
