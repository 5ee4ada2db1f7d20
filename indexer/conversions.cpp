// The conversions of the other input shapes to the Dixit record: the flat interchange shape and
// Quotebank's quotation-centric dump.
#include "conversions.h"

#include <quote.h>

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace dixit {

using nlohmann::json;

namespace {

const std::string& string_field(const json& object, const char* key) {
    const json& value = object.at(key);
    if (!value.is_string()) throw std::invalid_argument(std::string("field '") + key + "' must be a string");
    return value.get_ref<const std::string&>();
}

bool present(const json& object, const char* key) {
    return object.contains(key) && !object[key].is_null();
}

bool is_quotebank_timestamp(const std::string& s) {
    if (s.size() != 19) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool ok = (i == 4 || i == 7)     ? c == '-'
                        : (i == 10)            ? (c == ' ' || c == 'T')
                        : (i == 13 || i == 16) ? c == ':'
                                               : std::isdigit(static_cast<unsigned char>(c)) != 0;
        if (!ok) return false;
    }
    return true;
}

// Quotebank's speaker probabilities, [[name, probability], ...] most probable first (the probability a
// string such as "0.6514", or a number) -> the record's attribution: the speaker's probability, and the
// other named candidates ("None", no speaker, is not one). Throws std::invalid_argument naming the entry.
json quotebank_attribution(const json& probas, const std::string& speaker) {
    if (!probas.is_array()) throw std::invalid_argument("field 'probas' must be an array of [speaker, probability]");
    json out = json::object();
    json others = json::array();
    for (std::size_t i = 0; i < probas.size(); ++i) {
        const json& entry = probas[i];
        const std::string where = "field 'probas' entry " + std::to_string(i + 1);
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string())
            throw std::invalid_argument(where + " must be [speaker, probability]");
        double p = -1;
        if (entry[1].is_number()) {
            p = entry[1].get<double>();
        } else if (entry[1].is_string()) {
            const std::string& text = entry[1].get_ref<const std::string&>();
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
            if (ec != std::errc() || end != text.data() + text.size()) p = -1;
        }
        if (!(p >= 0 && p <= 1)) throw std::invalid_argument(where + ": the probability must be a number from 0 to 1");
        const std::string& name = entry[0].get_ref<const std::string&>();
        if (name == "None" || name.empty()) continue;
        if (name == speaker && !out.contains("confidence")) {
            out["confidence"] = p;
        } else if (others.size() < RecordLimits::max_values) {
            others.push_back({{"name", name}, {"confidence", p}});
        }
    }
    if (!others.empty()) out["others"] = std::move(others);
    return out;
}

}  // namespace

// Flat: the interchange shape of ../shared/data. Null values are dropped; keys the Dixit record
// has no place for are kept in meta so that nothing in the input is lost.
json flat_to_dixit(const json& flat) {
    if (!flat.is_object()) throw std::invalid_argument("record is not a JSON object");
    json out = json::object();
    json meta = json::object();
    if (present(flat, "meta")) {
        if (!flat["meta"].is_object()) throw std::invalid_argument("field 'meta' must be an object");
        meta = flat["meta"];
    }
    for (const auto& [key, value] : flat.items()) {
        if (value.is_null() || key == "meta") continue;
        if (key == "id" || key == "text" || key == "tags" || key == "countries" || key == "language") {
            out[key] = value;
        } else if (key == "author") {
            // Fortune files put whatever follows "--" here, ASCII art included: not a name, so unattributed.
            const std::string& author = string_field(flat, "author");
            bool has_name = std::any_of(author.begin(), author.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
            });
            if (has_name) out["author"]["name"] = author;
            else meta["author_as_given"] = author;
        } else if (key == "author_role") {
            out["author"]["role"] = string_field(flat, "author_role");
        } else if (key == "date") {
            out["said_on"] = string_field(flat, "date");
        } else if (key == "source") {
            out["source"]["name"] = string_field(flat, "source");
        } else {
            meta.emplace(key, value);  // an explicit meta entry of the same name wins
        }
    }
    // As for Quotebank's "None": an unattributed quote is kept, under one explicit author name.
    if (!out.contains("author") || !out["author"].contains("name")) {
        out["author"]["name"] = "Unattributed";
        meta["unattributed"] = true;
    }
    if (!meta.empty()) out["meta"] = std::move(meta);
    return out;
}

// Quotebank quotation-centric dump (see data/real/README.md) -> Dixit record.
json quotebank_to_dixit(const json& quotebank) {
    if (!quotebank.is_object()) throw std::invalid_argument("record is not a JSON object");
    for (const char* required : {"quoteID", "quotation"}) {
        if (!present(quotebank, required)) throw std::invalid_argument(std::string("missing field '") + required + "'");
    }
    json out = json::object();
    json meta = json::object();
    out["id"] = string_field(quotebank, "quoteID");
    out["text"] = string_field(quotebank, "quotation");

    const std::string speaker = present(quotebank, "speaker") ? string_field(quotebank, "speaker") : "";
    if (speaker.empty() || speaker == "None") {
        out["author"]["name"] = "Unattributed";
        meta["unattributed"] = true;
    } else {
        out["author"]["name"] = speaker;
    }
    if (present(quotebank, "qids")) {
        const json& qids = quotebank["qids"];
        if (!qids.is_array()) throw std::invalid_argument("field 'qids' must be an array");
        // Several qids mean the name is ambiguous (namesakes), so none of them is the author's id.
        if (qids.size() == 1 && qids[0].is_string()) out["author"]["id"] = qids[0];
        meta["qids"] = qids;
    }
    if (present(quotebank, "date")) {
        const std::string& date = string_field(quotebank, "date");
        if (is_quotebank_timestamp(date)) {
            out["said_on"] = date.substr(0, 10);
            out["published_at"] = date.substr(0, 10) + "T" + date.substr(11) + "Z";
        } else {
            out["said_on"] = date;  // left for validation to judge
        }
    }
    out["source"]["name"] = "Quotebank";
    if (present(quotebank, "urls")) {
        const json& urls = quotebank["urls"];
        if (urls.is_array() && !urls.empty() && urls[0].is_string()) out["source"]["url"] = urls[0];
        meta["urls"] = urls;
    }
    out["language"] = "en";
    if (present(quotebank, "probas")) {
        json attribution = quotebank_attribution(quotebank["probas"], speaker);  // "None" is never a candidate
        if (!attribution.empty()) out["attribution"] = std::move(attribution);
    }

    static const std::array<std::pair<const char*, const char*>, 2> renamed = {{
        {"numOccurrences", "num_occurrences"}, {"phase", "phase"}}};
    for (const auto& [key, value] : quotebank.items()) {
        if (value.is_null()) continue;
        if (key == "quoteID" || key == "quotation" || key == "speaker" || key == "qids" || key == "date" ||
            key == "urls" || key == "probas") {
            continue;
        }
        // A copy of the binding: clang 14 cannot capture structured bindings in a lambda.
        const std::string& name = key;
        const auto it = std::find_if(renamed.begin(), renamed.end(), [&](const auto& r) { return name == r.first; });
        meta[it != renamed.end() ? it->second : key] = value;
    }
    if (!meta.empty()) out["meta"] = std::move(meta);
    return out;
}

}  // namespace dixit
