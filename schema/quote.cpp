// Validation and normalisation of the quote record (the rules of schema/quote.schema.json).
#include "quote.h"

#include "locales.h"
#include "text.h"
#include "tokenizer.h"

#include <algorithm>
#include <set>

namespace dixit {

ValidationError::ValidationError(std::string field, const std::string& message)
    : std::runtime_error(field + ": " + message), field_(std::move(field)) {}

namespace {

using nlohmann::json;

// Trims and collapses runs of white space: names and keywords are compared and shown that way.
std::string collapse_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending = false;
    for (char c : s) {
        if (is_ascii_space(c)) {
            pending = !out.empty();
            continue;
        }
        if (pending) out += ' ';
        pending = false;
        out += c;
    }
    return out;
}

const std::string& get_string(const json& j, const std::string& field) {
    if (!j.is_string()) throw ValidationError(field, std::string("must be a string, not ") + j.type_name());
    const auto& s = j.get_ref<const std::string&>();
    if (!is_valid_utf8(s)) throw ValidationError(field, "is not valid UTF-8");
    return s;
}

// A short single-line string (name, role, tag...): collapsed, non-empty, bounded.
std::string get_name(const json& j, const std::string& field, std::size_t max_chars = RecordLimits::max_name_chars) {
    std::string s = collapse_spaces(get_string(j, field));
    if (s.empty()) throw ValidationError(field, "must not be empty");
    if (utf8_length(s) > max_chars)
        throw ValidationError(field, "is longer than " + std::to_string(max_chars) + " characters");
    return s;
}

// Optional member: absent or null means not given.
const json* member(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

void check_keys(const json& obj, const std::string& where, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            throw ValidationError(where.empty() ? key : where + "." + key, "is not a field of the quote record");
    }
}

const json& get_object(const json& j, const std::string& field) {
    if (!j.is_object()) throw ValidationError(field, std::string("must be an object, not ") + j.type_name());
    return j;
}

// The tokenizer that folds keywords during validation (one per thread: ICU objects are not thread-safe).
Tokenizer& folder() {
    thread_local Tokenizer instance;
    return instance;
}

// A name that becomes a filter term must keep some letters or digits once folded; *key gets the fold.
std::string get_keyword(const json& j, const std::string& field, std::string* key = nullptr) {
    std::string value = get_name(j, field);
    std::string folded = folder().fold_keyword(value);
    if (folded.empty()) throw ValidationError(field, "has no letters or digits");
    if (key) *key = std::move(folded);
    return value;
}

// meta is stored as given, but it must dump as valid JSON text: UTF-8 strings and keys, bounded depth
// (nlohmann copies and dumps recursively). Walked with an explicit stack for the same reason.
void check_meta(const json& meta) {
    std::vector<std::pair<const json*, std::size_t>> stack{{&meta, 1}};
    while (!stack.empty()) {
        auto [node, depth] = stack.back();
        stack.pop_back();
        if (depth > 32) throw ValidationError("meta", "is nested deeper than 32 levels");
        if (node->is_string() && !is_valid_utf8(node->get_ref<const std::string&>()))
            throw ValidationError("meta", "contains a string that is not valid UTF-8");
        if (node->is_object()) {
            for (auto it = node->begin(); it != node->end(); ++it) {
                if (!is_valid_utf8(it.key())) throw ValidationError("meta", "contains a key that is not valid UTF-8");
                stack.push_back({&it.value(), depth + 1});
            }
        } else if (node->is_array()) {
            for (const auto& child : *node) stack.push_back({&child, depth + 1});
        }
    }
}

// An array of keywords, de-duplicated by their folded form (first spelling wins).
std::vector<std::string> get_keywords(const json& j, const std::string& field) {
    if (!j.is_array()) throw ValidationError(field, std::string("must be an array of strings, not ") + j.type_name());
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < j.size(); ++i) {
        std::string where = field + "[" + std::to_string(i) + "]";
        std::string key;
        std::string value = get_keyword(j[i], where, &key);
        if (seen.insert(std::move(key)).second) out.push_back(std::move(value));
    }
    if (out.size() > RecordLimits::max_values)
        throw ValidationError(field, "has " + std::to_string(out.size()) + " distinct values, at most " +
                                         std::to_string(RecordLimits::max_values) + " are allowed");
    return out;
}

std::vector<std::string> get_countries(const json& j) {
    if (!j.is_array()) throw ValidationError("countries", "must be an array of ISO 3166-1 alpha-2 codes");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        std::string where = "countries[" + std::to_string(i) + "]";
        const std::string given = get_string(j[i], where);
        const auto code = country_code(trim(given));
        if (!code) throw ValidationError(where, "'" + given + "' is not an ISO 3166-1 alpha-2 country code");
        if (std::find(out.begin(), out.end(), *code) == out.end()) out.push_back(*code);
    }
    if (out.size() > RecordLimits::max_values)
        throw ValidationError("countries", "at most " + std::to_string(RecordLimits::max_values) + " countries");
    return out;
}

// A probability: a JSON number from 0 to 1.
double get_probability(const json& j, const std::string& field) {
    if (!j.is_number()) throw ValidationError(field, std::string("must be a number from 0 to 1, not ") + j.type_name());
    const double v = j.get<double>();
    if (!(v >= 0 && v <= 1)) throw ValidationError(field, "must be from 0 to 1, not " + j.dump());
    return v;
}

Attribution get_attribution(const json& j) {
    check_keys(get_object(j, "attribution"), "attribution", {"confidence", "others"});
    Attribution a;
    if (const json* confidence = member(j, "confidence")) a.confidence = get_probability(*confidence, "attribution.confidence");
    if (const json* others = member(j, "others")) {
        if (!others->is_array()) throw ValidationError("attribution.others", std::string("must be an array, not ") + others->type_name());
        if (others->size() > RecordLimits::max_values)
            throw ValidationError("attribution.others", "has more than " + std::to_string(RecordLimits::max_values) + " entries");
        for (std::size_t i = 0; i < others->size(); ++i) {
            const std::string where = "attribution.others[" + std::to_string(i) + "]";
            check_keys(get_object((*others)[i], where), where, {"name", "confidence"});
            const json* name = member((*others)[i], "name");
            const json* confidence = member((*others)[i], "confidence");
            if (!name) throw ValidationError(where + ".name", "is required");
            if (!confidence) throw ValidationError(where + ".confidence", "is required");
            a.others.push_back({get_name(*name, where + ".name"), get_probability(*confidence, where + ".confidence")});
        }
        std::stable_sort(a.others.begin(), a.others.end(), [](const auto& x, const auto& y) { return x.confidence > y.confidence; });
    }
    return a;
}

}  // namespace

Quote quote_from_json(const json& record) {
    if (!record.is_object()) throw ValidationError("(record)", std::string("must be a JSON object, not ") + record.type_name());
    check_keys(record, "", {"id", "text", "author", "said_on", "published_at", "tags", "entities", "countries",
                            "context", "language", "source", "attribution", "meta"});
    Quote q;

    const json* id = member(record, "id");
    if (!id) throw ValidationError("id", "is required");
    q.id = std::string(trim(get_string(*id, "id")));
    if (q.id.empty()) throw ValidationError("id", "must not be empty");
    if (utf8_length(q.id) > RecordLimits::max_id_chars) throw ValidationError("id", "is longer than 200 characters");
    if (q.id.size() > RecordLimits::max_id_bytes)
        throw ValidationError("id", "is " + std::to_string(q.id.size()) + " bytes, over the " +
                                        std::to_string(RecordLimits::max_id_bytes) + "-byte limit");

    const json* text = member(record, "text");
    if (!text) throw ValidationError("text", "is required");
    const std::string& raw_text = get_string(*text, "text");
    if (raw_text.size() > RecordLimits::max_text_bytes)
        throw ValidationError("text", "is " + std::to_string(raw_text.size()) + " bytes, over the 32 KiB limit");
    q.text = std::string(trim(raw_text));
    if (q.text.empty()) throw ValidationError("text", "must not be empty");

    const json* author = member(record, "author");
    if (!author) throw ValidationError("author", "is required (an object with at least a name)");
    check_keys(get_object(*author, "author"), "author", {"name", "role", "id"});
    const json* name = member(*author, "name");
    if (!name) throw ValidationError("author.name", "is required");
    q.author.name = get_keyword(*name, "author.name");
    if (const json* role = member(*author, "role")) q.author.role = get_name(*role, "author.role");
    if (const json* aid = member(*author, "id")) {
        q.author.id = get_name(*aid, "author.id", 200);
        if (q.author.id.find('\t') != std::string::npos) throw ValidationError("author.id", "must not contain a tab");
    }

    if (const json* said = member(record, "said_on")) {
        std::string why;
        q.said_on = PartialDate::parse(trim(get_string(*said, "said_on")), &why);
        if (!q.said_on) throw ValidationError("said_on", "'" + get_string(*said, "said_on") + "': " + why);
    }
    if (const json* published = member(record, "published_at")) {
        std::string why;
        q.published_at = parse_rfc3339(trim(get_string(*published, "published_at")), &why);
        if (!q.published_at) throw ValidationError("published_at", "'" + get_string(*published, "published_at") + "': " + why);
    }
    if (const json* tags = member(record, "tags")) q.tags = get_keywords(*tags, "tags");
    if (const json* entities = member(record, "entities")) q.entities = get_keywords(*entities, "entities");
    if (const json* countries = member(record, "countries")) q.countries = get_countries(*countries);

    if (const json* context = member(record, "context")) {
        check_keys(get_object(*context, "context"), "context", {"id", "title"});
        const json* cid = member(*context, "id");
        if (!cid) throw ValidationError("context.id", "is required when context is given");
        Context c;
        c.id = get_keyword(*cid, "context.id");
        if (utf8_length(c.id) > 200) throw ValidationError("context.id", "is longer than 200 characters");
        if (c.id.find('\t') != std::string::npos) throw ValidationError("context.id", "must not contain a tab");
        if (const json* title = member(*context, "title")) c.title = get_name(*title, "context.title");
        q.context = std::move(c);
    }
    if (const json* language = member(record, "language")) {
        const std::string& tag = get_string(*language, "language");
        auto canonical = canonical_language_tag(trim(tag));
        if (!canonical) throw ValidationError("language", "'" + tag + "' is not a BCP 47 language tag (e.g. en, pt-BR, zh-Hant)");
        q.language = *canonical;
    }
    if (const json* source = member(record, "source")) {
        check_keys(get_object(*source, "source"), "source", {"url", "name"});
        Source s;
        if (const json* url = member(*source, "url")) s.url = get_name(*url, "source.url", 2000);
        if (const json* sname = member(*source, "name")) s.name = get_name(*sname, "source.name");
        if (!s.url.empty() || !s.name.empty()) q.source = std::move(s);
    }
    if (const json* attribution = member(record, "attribution")) q.attribution = get_attribution(*attribution);
    if (const json* meta = member(record, "meta")) {
        check_meta(get_object(*meta, "meta"));
        q.meta = *meta;
    }
    return q;
}

json quote_to_json(const Quote& q) {
    json j = json::object();
    j["id"] = q.id;
    j["text"] = q.text;
    json author = {{"name", q.author.name}};
    if (!q.author.role.empty()) author["role"] = q.author.role;
    if (!q.author.id.empty()) author["id"] = q.author.id;
    j["author"] = std::move(author);
    if (q.said_on) j["said_on"] = q.said_on->iso();
    if (q.published_at) j["published_at"] = format_rfc3339(*q.published_at);
    if (!q.tags.empty()) j["tags"] = q.tags;
    if (!q.entities.empty()) j["entities"] = q.entities;
    if (!q.countries.empty()) j["countries"] = q.countries;
    if (q.context) {
        json c = {{"id", q.context->id}};
        if (!q.context->title.empty()) c["title"] = q.context->title;
        j["context"] = std::move(c);
    }
    if (!q.language.empty()) j["language"] = q.language;
    if (q.source) {
        json s = json::object();
        if (!q.source->url.empty()) s["url"] = q.source->url;
        if (!q.source->name.empty()) s["name"] = q.source->name;
        j["source"] = std::move(s);
    }
    if (q.attribution) {
        json a = json::object();
        if (q.attribution->confidence) a["confidence"] = *q.attribution->confidence;
        json others = json::array();
        for (const auto& c : q.attribution->others) others.push_back({{"name", c.name}, {"confidence", c.confidence}});
        if (!others.empty()) a["others"] = std::move(others);
        j["attribution"] = std::move(a);
    }
    if (q.meta.is_object()) j["meta"] = q.meta;
    return j;
}

std::string confidence_bucket(double confidence) {
    if (confidence >= 0.9) return "0.9-1";
    if (confidence >= 0.75) return "0.75-0.9";
    if (confidence >= 0.5) return "0.5-0.75";
    if (confidence >= 0.25) return "0.25-0.5";
    return "0-0.25";
}

}  // namespace dixit
