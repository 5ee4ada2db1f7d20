// ISO 3166-1 country codes and BCP 47 language tags, checked against ICU's data.
#include "locales.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ures.h>

#include <algorithm>
#include <cctype>
#include <map>
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

// A country name as a look-up key: case folded, accents gone, "&" as "and", dots and apostrophes dropped
// ("U.S.", "Côte d’Ivoire"), any other run of punctuation or space as one space.
std::string country_key(std::string_view name) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) return {};
    icu::UnicodeString folded, decomposed;
    casefold->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size()))),
                        folded, status);
    nfd->normalize(folded, decomposed, status);
    if (U_FAILURE(status)) return {};
    icu::UnicodeString key;
    bool space = false;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        if (u_charType(c) == U_NON_SPACING_MARK || c == '.' || c == '\'' || c == 0x2019) continue;
        if (c == '&') {
            key.append(u" and ");
            space = false;
            continue;
        }
        if (!u_isalnum(c)) {
            space = true;
            continue;
        }
        if (space && key.length() > 0 && key[key.length() - 1] != ' ') key.append(u' ');
        space = false;
        key.append(c);
    }
    std::string out;
    key.trim().toUTF8String(out);
    // " and " may have doubled a space: collapse.
    for (std::size_t at; (at = out.find("  ")) != std::string::npos;) out.erase(at, 1);
    return out;
}

// Every English name ICU has for each code, keyed by country_key(); names that two codes share are dropped.
const std::map<std::string, std::string, std::less<>>& country_names() {
    static const std::map<std::string, std::string, std::less<>> names = [] {
        std::map<std::string, std::string, std::less<>> exact;    // ICU's names as they are
        std::map<std::string, std::string, std::less<>> derived;  // parts of them ("Myanmar (Burma)" -> "burma")
        std::set<std::string> ambiguous_exact, ambiguous_derived;
        auto add = [&](std::map<std::string, std::string, std::less<>>& to, const std::string& name, const std::string& code) {
            std::string key = country_key(name);
            if (key.empty()) return;
            auto [it, inserted] = to.emplace(key, code);
            if (!inserted && it->second != code) (&to == &exact ? ambiguous_exact : ambiguous_derived).insert(key);
        };
        auto add_derived = [&](const std::string& name, const std::string& code) {
            std::size_t open = name.find(" (");
            if (open != std::string::npos && name.back() == ')') {
                add(derived, name.substr(0, open), code);
                add(derived, name.substr(open + 2, name.size() - open - 3), code);
            }
            std::size_t dash = name.find(" - ");  // "Congo - Kinshasa"
            if (dash != std::string::npos) add(derived, name.substr(dash + 3), code);
            if (name.rfind("St. ", 0) == 0) add(derived, "Saint " + name.substr(4), code);
        };
        for (const std::string& code : country_codes()) {
            std::string name = country_name(code);
            add(exact, name, code);
            add_derived(name, code);
        }
        // Short and variant names ("UK", "Czech Republic", "Ivory Coast") live in ICU's region data.
        UErrorCode status = U_ZERO_ERROR;
        UResourceBundle* region = ures_open(U_ICUDATA_NAME "-region", "en", &status);
        for (const char* table : {"Countries%short", "Countries%variant"}) {
            UErrorCode table_status = status;
            UResourceBundle* names_table = ures_getByKey(region, table, nullptr, &table_status);
            while (U_SUCCESS(table_status) && ures_hasNext(names_table)) {
                int32_t length = 0;
                const char* code = nullptr;
                const UChar* value = ures_getNextString(names_table, &length, &code, &table_status);
                if (U_FAILURE(table_status) || !code || !is_country_code(code)) continue;
                std::string name;
                icu::UnicodeString(value, length).toUTF8String(name);
                add(exact, name, code);
                add_derived(name, code);
            }
            ures_close(names_table);
        }
        ures_close(region);
        // Common English names ICU does not list.
        for (auto [name, code] : {std::pair{"USA", "US"}, {"America", "US"}, {"Britain", "GB"}, {"Great Britain", "GB"},
                                  {"Holland", "NL"}, {"Russian Federation", "RU"}, {"DRC", "CD"}, {"DR Congo", "CD"},
                                  {"Vatican", "VA"}, {"Burma", "MM"}, {"Kosovo", "XK"}})
            add(exact, name, code);
        for (const auto& key : ambiguous_exact) exact.erase(key);
        for (const auto& [key, code] : derived)  // an exact name wins over a part
            if (!ambiguous_derived.count(key) && !ambiguous_exact.count(key)) exact.emplace(key, code);
        return exact;
    }();
    return names;
}

}  // namespace

std::optional<std::string> country_code_from_name(std::string_view name) {
    const auto& names = country_names();
    auto it = names.find(country_key(name));
    if (it == names.end()) return std::nullopt;
    return it->second;
}

bool is_country_code(std::string_view code) {
    return code.size() == 2 && country_codes().count(code) > 0;
}

std::optional<std::string> country_code(std::string_view code) {
    std::string upper(code);
    for (char& c : upper)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!is_country_code(upper)) return std::nullopt;
    return upper;
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
