// ISO 3166-1 country codes and BCP 47 language tags, checked against ICU's data.
#include "quote.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace dixit {
namespace {

const std::set<std::string, std::less<>>& country_codes() {
    static const std::set<std::string, std::less<>> codes = [] {
        std::set<std::string, std::less<>> out;
        for (const char* const* c = icu::Locale::getISOCountries(); *c; ++c) out.insert(*c);
        out.insert("XK");  // Kosovo: user-assigned in ISO 3166 but in common use (EU, IMF, Wikidata)
        return out;
    }();
    return codes;
}

template <class Pred>
bool all_of_class(std::string_view s, Pred pred) {
    return std::all_of(s.begin(), s.end(), [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}
int alnum(int c) { return std::isalnum(c); }
int alpha(int c) { return std::isalpha(c); }
int digit(int c) { return std::isdigit(c); }

}  // namespace

bool is_country_code(std::string_view code) {
    return code.size() == 2 && country_codes().count(code) > 0;
}

std::string country_name(std::string_view code) {
    if (!is_country_code(code)) return std::string(code);
    if (code == "XK") return "Kosovo";
    icu::UnicodeString name;
    icu::Locale("", std::string(code).c_str()).getDisplayCountry(icu::Locale::getEnglish(), name);
    std::string out;
    name.toUTF8String(out);
    return out.empty() ? std::string(code) : out;
}

std::optional<std::string> canonical_language_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 64) return std::nullopt;
    std::string out;
    std::size_t index = 0, start = 0;
    while (start <= tag.size()) {
        std::size_t end = tag.find_first_of("-_", start);
        if (end == std::string_view::npos) end = tag.size();
        std::string sub(tag.substr(start, end - start));
        if (sub.empty() || sub.size() > 8 || !all_of_class(sub, alnum)) return std::nullopt;
        std::transform(sub.begin(), sub.end(), sub.begin(), [](unsigned char c) { return std::tolower(c); });
        if (index == 0) {
            // Primary language: 2-3 letters (ISO 639), or 5-8 for registered ones.
            if (!all_of_class(sub, alpha) || sub.size() < 2 || sub.size() == 4) return std::nullopt;
        } else if (sub.size() == 4 && all_of_class(sub, alpha)) {
            sub[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sub[0])));  // script: Hant
        } else if ((sub.size() == 2 && all_of_class(sub, alpha)) ||
                   (sub.size() == 3 && all_of_class(sub, digit))) {
            std::transform(sub.begin(), sub.end(), sub.begin(), [](unsigned char c) { return std::toupper(c); });
        }
        if (!out.empty()) out += '-';
        out += sub;
        ++index;
        start = end + 1;
    }
    return out;
}

}  // namespace dixit
