// Look-ups in the field table and the unique id term.
#include "fields.h"

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

}  // namespace dixit
