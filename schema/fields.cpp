// Look-ups in the field table, the normalisation of filter values, and the table as JSON.
#include "fields.h"

#include "locales.h"
#include "text.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace dixit {

const FieldSpec* find_field(std::string_view name) {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

const FieldSpec& field(std::string_view name) {
    if (const FieldSpec* f = find_field(name)) return *f;
    throw std::out_of_range("unknown field '" + std::string(name) + "'");
}

std::string id_term(std::string_view id) {
    // Ids are exact keys: no folding and no cutting (a cut and hashed term could be two ids' term);
    // validation keeps them to RecordLimits::max_id_bytes, so the term fits Xapian's limit.
    return "Q" + std::string(id);
}

std::optional<std::string> filter_value(const FieldSpec& f, std::string_view value) {
    if (f.name == "country") {
        if (auto code = country_code(value)) return code;
        return country_code_from_name(value);
    }
    if (f.name == "lang") return canonical_language_tag(value);
    return std::string(value);
}

std::string fields_json() {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : fields) {
        out.push_back({{"name", f.name},
                       {"label", f.label},
                       {"facet", is_facet(f)},
                       {"query", has_use(f, use::query)},
                       {"filter", has_use(f, use::url_filter)},
                       {"index_page", f.index_page}});
    }
    return json_text(out);
}

}  // namespace dixit
