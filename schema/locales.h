// Countries and languages: ISO 3166-1 alpha-2 codes and their English names, BCP 47 language tags (from ICU).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dixit {

/// Canonical BCP 47 tag ("EN-us" -> "en-US"), or nullopt if malformed.
std::optional<std::string> canonical_language_tag(std::string_view tag);

/// True for an assigned ISO 3166-1 alpha-2 code (upper case), as ICU knows them, plus XK (Kosovo).
bool is_country_code(std::string_view code);

/// The code in upper case when it is an assigned ISO 3166-1 alpha-2 code in any case ("ua" -> "UA"), or nullopt.
std::optional<std::string> country_code(std::string_view code);

/// The English name of a country code ("UA" -> "Ukraine"), or the code itself when unknown.
std::string country_name(std::string_view code);

/// The ISO 3166-1 alpha-2 code of an English country name, ignoring case, accents and punctuation
/// ("ukraine", "North Korea", "Cote d'Ivoire", "UK", "Czech Republic" -> "UA", "KP", "CI", "GB", "CZ"),
/// from ICU's names (long, short and variant); nullopt when unknown or ambiguous ("Congo").
std::optional<std::string> country_code_from_name(std::string_view name);

}  // namespace dixit
