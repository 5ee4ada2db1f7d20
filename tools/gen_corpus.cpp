// dixit-gen-corpus: writes a synthetic corpus of Dixit JSONL quote records, for benchmarks and load tests.
//
// The output is byte-identical for the same arguments and data on any machine: the generator has its own PRNG
// (xoshiro256** seeded by splitmix64) and samples with integers only (no <random> distributions, no floating
// point), and it sorts every vocabulary before use. Texts are drawn word by word from per-language frequency
// tables learned from DIR/real/*.jsonl, so common words are common; authors, tags, entities, contexts and
// countries follow Zipf-like skews, as in a real quote archive. Every string written is made of words, names and
// codes that hold no quote, backslash or control character, so nothing needs JSON escaping.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace {

constexpr std::string_view usage =
    "usage: dixit-gen-corpus --count N [--seed S] [--first-id K] [--data DIR] [--out FILE]\n"
    "Writes N synthetic quote records (Dixit JSONL) to FILE or stdout. Word frequencies are learned from\n"
    "DIR/real/*.jsonl (DIR defaults to ./data). The same arguments and data give byte-identical output.\n"
    "Ids are gen:K ... gen:K+N-1 (K = --first-id, default 1): a second corpus with another K adds new quotes.\n";

/// xoshiro256** seeded through splitmix64; below() is unbiased and portable (rejection, then modulo).
class Rng {
public:
    explicit Rng(std::uint64_t seed) { for (auto& word : s_) word = splitmix64(seed); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
        s_[2] ^= s_[0]; s_[3] ^= s_[1]; s_[1] ^= s_[2]; s_[0] ^= s_[3]; s_[2] ^= t; s_[3] = rotl(s_[3], 45);
        return result;
    }
    std::uint64_t below(std::uint64_t n) {  // uniform in [0, n)
        const std::uint64_t threshold = (0 - n) % n;
        for (;;) if (const auto x = next(); x >= threshold) return x % n;
    }
    bool percent(unsigned p) { return below(100) < p; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

/// A stable hash of an index, for per-item attributes (an author's role) that do not depend on the seed.
std::uint64_t mix(std::uint64_t x) { return Rng::splitmix64(x); }

/// A discrete distribution over 0..n-1 with integer weights, sampled by binary search on the running sums.
class Weighted {
public:
    Weighted() = default;
    explicit Weighted(const std::vector<std::uint64_t>& weights) {
        std::uint64_t sum = 0;
        for (auto w : weights) cumulative_.push_back(sum += w);
    }
    std::size_t operator()(Rng& rng) const {
        const auto r = rng.below(cumulative_.back());
        return std::upper_bound(cumulative_.begin(), cumulative_.end(), r) - cumulative_.begin();
    }

private:
    std::vector<std::uint64_t> cumulative_;
};

/// Zipf with exponent 1 and offset q: weight(k) ~ 1/(k+q); a larger q flattens the head.
Weighted zipf(std::size_t n, std::uint64_t q) {
    std::vector<std::uint64_t> w(n);
    for (std::size_t k = 0; k < n; ++k) w[k] = (std::uint64_t{1} << 40) / (k + q);
    return Weighted(w);
}

// ---- Embedded lists ('|'-separated): every facet value is composed from these, deterministically. ----
std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> out;
    for (auto at = s.find('|'); at != std::string_view::npos; at = s.find('|')) {
        out.push_back(s.substr(0, at));
        s.remove_prefix(at + 1);
    }
    out.push_back(s);
    return out;
}
// Authors and people mentioned: first x last name pairs (80 x 250 = 20,000 distinct names).
const auto first_names = split(
    "Anna|Maria|John|David|Elena|Olga|Pierre|Sofia|Ahmed|Fatima|Wei|Li|Hiroshi|Yuki|Carlos|Lucia|Jan|Petr|"
    "Katarzyna|Marek|Giulia|Marco|Ines|Joao|Ana|Michael|Sarah|James|Emily|Robert|Laura|Thomas|Julia|Daniel|Eva|"
    "Andrei|Irina|Sergei|Natalia|Lars|Ingrid|Mehmet|Ayse|Raj|Priya|Kwame|Amina|Diego|Camila|Hans|Ursula|Stefan|"
    "Claire|Luca|Chiara|Pablo|Carmen|Tomasz|Agnieszka|Jakub|Tereza|Min-jun|Ji-woo|Oleksandr|Oksana|Nikos|Eleni|"
    "Mark|Helen|Peter|Grace|Omar|Leila|Viktor|Zsofia|Martin|Ivana|George|Alice|Samuel");
const auto last_names = split(
    "Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Garcia|Rodriguez|Wilson|Martinez|Anderson|Taylor|Thomas|"
    "Moore|Martin|Jackson|Thompson|White|Lopez|Lee|Harris|Clark|Lewis|Walker|Hall|Allen|Young|King|Wright|"
    "Scott|Green|Baker|Adams|Nelson|Hill|Campbell|Mitchell|Roberts|Carter|Muller|Schmidt|Schneider|Fischer|"
    "Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Ivanov|Smirnov|Kuznetsov|Popov|Sokolov|Lebedev|Kozlov|Novikov|"
    "Morozov|Volkov|Novak|Svoboda|Novotny|Dvorak|Cerny|Prochazka|Kucera|Vesely|Horak|Nemec|Kowalski|Nowak|"
    "Wisniewski|Wojcik|Kaminski|Lewandowski|Zielinski|Szymanski|Wozniak|Dabrowski|Rossi|Russo|Ferrari|Esposito|"
    "Bianchi|Romano|Colombo|Ricci|Marino|Greco|Fernandez|Gonzalez|Sanchez|Perez|Gomez|Diaz|Moreno|Alvarez|"
    "Romero|Navarro|Silva|Santos|Oliveira|Souza|Pereira|Costa|Almeida|Ferreira|Carvalho|Ribeiro|Dubois|Laurent|"
    "Bernard|Moreau|Lefebvre|Girard|Bonnet|Fontaine|Rousseau|Blanc|Wang|Zhang|Liu|Chen|Yang|Huang|Zhao|Wu|Zhou|"
    "Xu|Sato|Suzuki|Takahashi|Tanaka|Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Kato|Kim|Park|Choi|Jung|Kang|Cho|"
    "Yoon|Jang|Lim|Han|Singh|Kumar|Sharma|Patel|Gupta|Khan|Ali|Hussain|Ahmed|Rahman|Yilmaz|Kaya|Demir|Sahin|"
    "Celik|Papadopoulos|Nagy|Horvath|Kovacs|Toth|Szabo|Andersen|Nielsen|Hansen|Pedersen|Larsen|Johansson|"
    "Karlsson|Nilsson|Eriksson|Lindqvist|Virtanen|Korhonen|Jansen|de Vries|van Dijk|Bakker|Visser|Peeters|"
    "Janssens|Murphy|Kelly|O'Brien|Byrne|Walsh|Okafor|Mensah|Mwangi|Otieno|Diallo|Traore|Kone|Haddad|Nasser|"
    "Aziz|Shevchenko|Bondarenko|Kovalenko|Tkachenko|Kravchenko|Petrenko|Melnyk|Oliynyk|Georgiev|Dimitrov|"
    "Petrov|Horvat|Kovac|Babic|Popescu|Ionescu|Stan|Tamm|Saar|Berzins|Kazlauskas|Jovanovic|Nikolic|Markovic|"
    "Cohen|Levi|Mizrahi|Nguyen|Tran|Le|Pham|Santoso|Reyes|Cruz|Bautista|Mendoza|Castro|Vargas|Rojas|Herrera|"
    "Medina|Aguilar|Ortiz|Ramos|Kowalczyk");
// ~60 ISO 3166-1 alpha-2 codes with English names, most quoted first (the Zipf rank).
const auto countries = split(
    "US:the United States|GB:the United Kingdom|DE:Germany|FR:France|RU:Russia|CN:China|UA:Ukraine|IT:Italy|"
    "ES:Spain|IN:India|JP:Japan|BR:Brazil|CA:Canada|AU:Australia|PL:Poland|TR:Turkey|IL:Israel|IR:Iran|"
    "KR:South Korea|KP:North Korea|MX:Mexico|CZ:Czechia|NL:the Netherlands|BE:Belgium|SE:Sweden|CH:Switzerland|"
    "AT:Austria|PT:Portugal|GR:Greece|SA:Saudi Arabia|EG:Egypt|ZA:South Africa|NG:Nigeria|AR:Argentina|"
    "SY:Syria|IQ:Iraq|AF:Afghanistan|PK:Pakistan|IE:Ireland|NO:Norway|DK:Denmark|FI:Finland|HU:Hungary|"
    "RO:Romania|BG:Bulgaria|SK:Slovakia|EE:Estonia|LV:Latvia|LT:Lithuania|BY:Belarus|RS:Serbia|HR:Croatia|"
    "VE:Venezuela|CO:Colombia|CL:Chile|ID:Indonesia|VN:Vietnam|TW:Taiwan|KE:Kenya|NZ:New Zealand");
// Roles at the time; "%" takes the name of a country.
const auto roles = split(
    "President of %|Prime Minister of %|Minister of Foreign Affairs of %|Minister of Finance of %|"
    "Minister of Defence of %|Member of Parliament of %|Ambassador of % to the United Nations|"
    "Central bank governor of %|Opposition leader in %|Mayor|Senator|Governor|Spokesperson|"
    "Chief executive officer|Economist|Professor of political science|Senior fellow|Historian|Novelist|Poet|"
    "Film director|Actor|Singer|Football coach|Tennis player|Olympic champion|Climate scientist|Epidemiologist|"
    "Physician|Trade union leader|Human rights activist|Journalist|Editor-in-chief|Bishop|Judge|Lawyer|"
    "Military analyst|Retired general|Entrepreneur|Investor");
// Tags: topics, then topics with a suffix (80 x 25 = 2,000 tags); the plain topics are the most used.
const auto topics = split(
    "Politics|Economy|Elections|Climate change|Health|Education|Immigration|Trade|Technology|Sport|Football|"
    "Culture|Religion|Human rights|Defence|Energy|Foreign policy|Taxes|Inflation|Unemployment|Housing|"
    "Transport|Agriculture|Environment|Science|Space|Artificial intelligence|Social media|Privacy|"
    "Cybersecurity|Terrorism|Crime|Justice|Corruption|Media|Literature|Music|Cinema|Art|Philosophy|Love|"
    "Friendship|Family|Happiness|Wisdom|Success|Life|Death|Faith|Freedom|War|Peace|Diplomacy|Nuclear power|"
    "Oil and gas|Banking|Stock markets|Pensions|Public health|Vaccines|Pandemic|Refugees|Gender equality|"
    "Racism|Labour|Strikes|Protests|Brexit|European Union|NATO|Russia-Ukraine war|Middle East|Africa|"
    "Latin America|Asia|Cities|Tourism|Food|Fashion|Humour");
const auto tag_suffixes = split(
    "debate|policy|reform|crisis|funding|law|scandal|summit|strategy|research|statistics|in Europe|in Asia|"
    "in Africa|in the Americas|and youth|and women|and business|and the media|history|ethics|campaign|"
    "regulation|innovation");
// Places for organisations and event titles.
const auto cities = split(
    "London|Paris|Berlin|Moscow|Beijing|Kyiv|Rome|Madrid|Washington|New York|Tokyo|Brasilia|Ottawa|Canberra|"
    "Warsaw|Ankara|Jerusalem|Tehran|Seoul|Mexico City|Prague|Amsterdam|Brussels|Stockholm|Geneva|Vienna|Lisbon|"
    "Athens|Riyadh|Cairo|Johannesburg|Lagos|Buenos Aires|Damascus|Baghdad|Kabul|Islamabad|Dublin|Oslo|"
    "Copenhagen|Helsinki|Budapest|Bucharest|Sofia|Bratislava|Tallinn|Riga|Vilnius|Minsk|Belgrade|Zagreb|"
    "Caracas|Bogota|Santiago|Jakarta|Hanoi|Taipei|Nairobi|Wellington|Davos");
// Entities: famous ones first (the most mentioned), then people and organisations ("%" takes a city).
const auto org_forms = split(
    "University of %|% City Council|Bank of %|% Football Club|% Airport|Port of %|% Chamber of Commerce|"
    "% Symphony Orchestra|% Police Department|% Stock Exchange|Museum of %|% General Hospital|% Metro|"
    "% Marathon|% Film Festival|% Institute of Technology|% Herald|% Energy|% Motors|% Airlines|% Group|"
    "% Foundation|% Tribunal|% Zoo|% Cathedral|% Opera|% Book Fair|% Tech Week|% Security Conference|"
    "% Peace Institute|% Water Authority|% School of Economics|% Teachers' Union|% Bar Association|"
    "% Trade Fair|% Public Library|% Observatory|% Biennale|% Derby|% Housing Association|% Climate Forum|"
    "% Press Club");
const auto famous_entities = split(
    "European Union|United Nations|NATO|World Health Organization|International Monetary Fund|World Bank|"
    "Federal Reserve|European Central Bank|OPEC|G20|Olympic Games|FIFA|Google|Apple|Facebook|Twitter|Amazon|"
    "Microsoft|Tesla|COVID-19|Brexit|Paris Agreement|European Parliament|UN Security Council");
// Contexts (events): "<kind> in <city>, <month> <year>".
const auto event_kinds = split(
    "Summit|Election campaign|Trade talks|Climate conference|Press conference|Parliamentary debate|"
    "Budget debate|Protests|Peace talks|Trial|Referendum|General strike|Party congress|Economic forum|"
    "Film festival|Book fair|Cup final|Flood|Earthquake|State visit|Security conference|Energy crisis|"
    "Banking crisis|Cabinet reshuffle|Scandal");
// Sources; their addresses are under the reserved .example domain.
const auto outlets = split(
    "Daily Ledger|Morning Courier|Evening Standard Bearer|Capital Chronicle|Northern Gazette|"
    "Continental Review|Global Wire|Harbour Times|Metro Observer|Republic Post|Weekly Dispatch|Quote Archive|"
    "Civic Journal|Frontline Report|Public Radio Desk");
const auto month_names = split(
    "January|February|March|April|May|June|July|August|September|October|November|December");
/// A language of the mix: its share in percent and its home country (often the first country of its quotes).
struct LanguageShare { std::string_view language; std::uint64_t percent; std::string_view home; };
const std::vector<LanguageShare> language_mix = {
    {"en", 70, ""}, {"de", 5, "DE"}, {"ru", 5, "RU"}, {"es", 4, "ES"}, {"zh", 4, "CN"}, {"it", 3, "IT"},
    {"pt", 3, "BR"}, {"pl", 2, "PL"}, {"cs", 2, "CZ"}, {"bg", 1, "BG"}, {"sk", 1, "SK"}};

std::string fill(std::string_view form, std::string_view value) {
    std::string out(form);
    if (auto at = out.find('%'); at != std::string::npos) out.replace(at, 1, value);
    return out;
}
std::string slug(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

// ---- UTF-8, simple case mapping and a simple word splitter. ----
char32_t decode(std::string_view s, std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) { ++i; return 0xFFFD; }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    return cp;
}
void encode(std::string& out, char32_t cp) {
    const int extra = cp < 0x80 ? 0 : cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    constexpr std::array<unsigned, 4> lead = {0x00, 0xC0, 0xE0, 0xF0};
    out += static_cast<char>(lead[extra] | (cp >> (6 * extra)));
    for (int k = extra - 1; k >= 0; --k) out += static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F));
}
bool in(char32_t c, char32_t first, char32_t last) { return c >= first && c <= last; }
bool is_cjk(char32_t c) { return in(c, 0x3400, 0x9FFF) || in(c, 0xF900, 0xFAFF) || in(c, 0x20000, 0x2FFFF); }
bool is_letter(char32_t c) {  // letters and digits; not punctuation, symbols, private use or replacement characters
    if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0;
    return c >= 0xC0 && c != 0xD7 && c != 0xF7 && !in(c, 0x2000, 0x2BFF) && !in(c, 0x3000, 0x303F) &&
           !in(c, 0xE000, 0xF8FF) && !in(c, 0xFE10, 0xFE6F) && !in(c, 0xFF00, 0xFF65) && c != 0xFFFD;
}
/// Case mapping for ASCII, Latin-1, Latin Extended-A and Cyrillic: enough for the data's European languages.
char32_t change_case(char32_t c, bool up) {
    auto shift = [&](bool is_lower, char32_t by) { return up == is_lower ? (up ? c - by : c + by) : c; };
    if (c < 0x80) return std::isalpha(static_cast<int>(c)) ? shift(c >= 'a', 32) : c;
    if (in(c, 0xC0, 0xFE) && c != 0xD7 && c != 0xF7 && c != 0xDF) return shift(c >= 0xE0, 32);
    if (in(c, 0x400, 0x40F) || in(c, 0x450, 0x45F)) return shift(c >= 0x450, 80);
    if (in(c, 0x410, 0x44F)) return shift(c >= 0x430, 32);
    if (in(c, 0x100, 0x17E) && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x178)
        return shift((c & 1) == (c < 0x138 || in(c, 0x14A, 0x177)), 1);  // pairs: upper even, lower odd, or the reverse
    return c;
}
std::string lower_case(std::string_view word) {
    std::string out;
    for (std::size_t i = 0; i < word.size();) encode(out, change_case(decode(word, i), false));
    return out;
}
void put_capitalised(std::string& out, std::string_view word) {
    std::size_t i = 0;
    encode(out, change_case(decode(word, i), true));
    out.append(word.substr(i));
}

/// Counts the words of a text: runs of letters (with inner ' and -), or single ideographs in Chinese.
void count_words(std::string_view text, bool cjk, std::unordered_map<std::string, std::uint64_t>& counts) {
    std::string word;
    auto flush = [&] {  // keep words and short numbers, not codes like "53AM" (mail headers in the fortunes)
        const auto digits = std::count_if(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!word.empty() && (digits == 0 || (digits == std::ssize(word) && word.size() <= 4))) ++counts[word];
        word.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        const char32_t c = decode(text, i);
        if (cjk) { flush(); if (is_cjk(c)) encode(word, c); continue; }
        std::size_t j = i;
        const bool joins = (c == '\'' || c == 0x2019 || c == '-') && !word.empty() && j < text.size() &&
                           is_letter(decode(text, j));
        if (is_letter(c) && !is_cjk(c)) encode(word, c);
        else if (joins) word += c == '-' ? '-' : '\'';
        else flush();
    }
    flush();
}

/// A language's words, most frequent first, with their frequency distribution.
struct Vocabulary {
    std::vector<std::string> words;
    Weighted frequency;
    bool cjk = false;
};

/// Learns one Vocabulary per language from DIR/real/*.jsonl: words are keyed case-insensitively and written
/// in their most frequent spelling (so German nouns and "I" keep their capitals).
std::map<std::string, Vocabulary> learn_vocabularies(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "real"))
        if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::map<std::string, std::unordered_map<std::string, std::uint64_t>> counts;
    for (const auto& file : files) {
        std::ifstream in(file);
        for (std::string line; std::getline(in, line);) {
            const auto record = nlohmann::json::parse(line, nullptr, false);
            if (!record.is_object() || !record.contains("text") || !record["text"].is_string()) continue;
            const auto tag = record.contains("language") && record["language"].is_string()
                                 ? record["language"].get<std::string>() : std::string("en");
            const auto lang = lower_case(tag.substr(0, tag.find('-')));
            count_words(record["text"].get_ref<const std::string&>(), lang == "zh", counts[lang]);
        }
    }
    std::map<std::string, Vocabulary> vocabularies;
    for (const auto& [lang, surface_counts] : counts) {
        std::vector<std::pair<std::string, std::uint64_t>> surfaces(surface_counts.begin(), surface_counts.end());
        std::sort(surfaces.begin(), surfaces.end());  // fixes the order that unordered_map leaves open
        struct Entry { std::uint64_t total = 0, best = 0; std::string spelling; };
        std::map<std::string, Entry> by_key;
        for (const auto& [surface, n] : surfaces) {
            auto& e = by_key[lower_case(surface)];
            e.total += n;
            if (n > e.best) { e.best = n; e.spelling = surface; }
        }
        std::vector<const Entry*> order;
        for (const auto& [key, e] : by_key) order.push_back(&e);
        std::stable_sort(order.begin(), order.end(), [](auto a, auto b) { return a->total > b->total; });
        Vocabulary v;
        std::vector<std::uint64_t> weights;
        for (const Entry* e : order) { v.words.push_back(e->spelling); weights.push_back(e->total); }
        if (v.words.empty()) continue;
        v.frequency = Weighted(weights);
        v.cjk = lang == "zh";
        vocabularies.emplace(lang, std::move(v));
    }
    return vocabularies;
}

// ---- Dates: days since 1970-01-01 <-> civil date (H. Hinnant's algorithms, integers only). ----
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400), mp = (m + 9) % 12;
    const unsigned doy = (153 * mp + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
std::array<int, 3> civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(yoe + era * 400 + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}
void put_2(std::string& out, std::uint64_t v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}
/// A day as "YYYY-MM-DD" cut to its first `parts` parts (1 year, 2 month, 3 day), with `separator` between them.
std::string date_text(std::int64_t day, int parts, char separator = '-') {
    const auto [y, m, d] = civil_from_days(day);
    std::string out = std::to_string(y);
    if (parts >= 2) { out += separator; put_2(out, static_cast<std::uint64_t>(m)); }
    if (parts >= 3) { out += separator; put_2(out, static_cast<std::uint64_t>(d)); }
    return out;
}
const std::int64_t first_day = days_from_civil(2008, 1, 1), last_day = days_from_civil(2026, 6, 30);
const std::int64_t last_published_day = days_from_civil(2026, 9, 30);

// ---- The facet universes. ----
std::string_view country_code(std::size_t k) { return countries[k].substr(0, 2); }
std::string_view country_name(std::size_t k) { return countries[k].substr(3); }
std::string person(std::uint64_t k) {  // 7919 is prime to 20,000: a bijection of 0..19999 onto the name pairs
    const auto idx = (k * 7919) % (first_names.size() * last_names.size());
    return std::string(first_names[idx % first_names.size()]) + ' ' + std::string(last_names[idx / first_names.size()]);
}
std::string tag_name(std::size_t k) {
    const auto base = std::string(topics[k % topics.size()]);
    const auto variant = k / topics.size();
    return variant == 0 ? base : base + ' ' + std::string(tag_suffixes[(variant - 1) % tag_suffixes.size()]);
}
std::string entity_name(std::size_t k) {
    if (k < famous_entities.size()) return std::string(famous_entities[k]);
    const auto j = k / 2;
    if (k % 2 == 0) return person((j * 4001 + 13) % 20000);
    return fill(org_forms[j % org_forms.size()], cities[(j / org_forms.size()) % cities.size()]);
}
std::int64_t context_day(std::size_t k) {
    const auto span = static_cast<std::uint64_t>(last_day - first_day + 1);
    return first_day + static_cast<std::int64_t>(mix(k ^ 0xC0FFEE) % span);
}

/// Everything a record is drawn from: the languages and the facet universes with their skews.
struct Universe {
    std::map<std::string, Vocabulary> vocabularies;
    std::vector<const Vocabulary*> languages;
    std::vector<std::string> language_names;
    std::vector<std::size_t> home_country;  ///< index into countries, or countries.size() for none
    Weighted language_pick, authors = zipf(20000, 10), tags = zipf(2000, 3), entities = zipf(5000, 5);
    Weighted contexts = zipf(5000, 10), country_pick = zipf(countries.size(), 1);
    Weighted tag_count{{10, 25, 30, 20, 10, 5}}, entity_count{{25, 30, 25, 12, 8}}, country_count{{30, 40, 20, 10}};
};

// ---- Writing a record. ----
void put_field(std::string& out, std::string_view key, std::string_view value) {
    out += ",\""; out += key; out += "\":\""; out += value; out += '"';
}
void put_array(std::string& out, std::string_view key, const std::vector<std::string>& values) {
    out += ",\""; out += key; out += "\":[";
    for (std::size_t i = 0; i < values.size(); ++i) { out += i ? ",\"" : "\""; out += values[i]; out += '"'; }
    out += ']';
}

/// Draws `count` distinct values from a distribution (skipping those in `taken`) and names them.
template <class Name>
std::vector<std::string> draw_distinct(Rng& rng, const Weighted& dist, std::size_t count, Name name,
                                       std::vector<std::size_t> taken = {}) {
    std::vector<std::string> out;
    while (out.size() < count) {
        const auto k = dist(rng);
        if (std::find(taken.begin(), taken.end(), k) != taken.end()) continue;
        taken.push_back(k);
        out.push_back(name(k));
    }
    return out;
}

/// Appends the text: sentences of words drawn by frequency, with a small long tail of new word forms.
void put_text(std::string& out, Rng& rng, const Vocabulary& v) {
    // Lengths: short (5-55 words), medium (20-120) and a few long (90-200); about 49 words on average.
    const auto kind = rng.below(100);
    std::uint64_t words = kind < 61 ? 5 + rng.below(26) + rng.below(26)
                        : kind < 95 ? 20 + rng.below(51) + rng.below(51) : 90 + rng.below(111);
    if (v.cjk) words = words * 3 / 2;  // characters, not words
    std::uint64_t in_sentence = 0;
    std::string scratch;
    for (std::uint64_t i = 0; i < words; ++i) {
        std::string_view word = v.words[v.frequency(rng)];
        if (!v.cjk && rng.below(50) == 0) {  // Heaps' law: glue halves of two words into a new form
            const std::string& a = v.words[rng.below(v.words.size())];
            const std::string& b = v.words[rng.below(v.words.size())];
            std::size_t cut_a = std::max<std::size_t>(a.size() / 2, 1), cut_b = b.size() / 2;
            while (cut_a < a.size() && (a[cut_a] & 0xC0) == 0x80) ++cut_a;
            while (cut_b > 0 && (b[cut_b] & 0xC0) == 0x80) --cut_b;
            scratch = lower_case(a.substr(0, cut_a) + b.substr(cut_b));
            while (!scratch.empty() && (scratch.back() == '-' || scratch.back() == '\'')) scratch.pop_back();
            scratch.erase(0, scratch.find_first_not_of("-'"));
            if (!scratch.empty()) word = scratch;
        }
        if (v.cjk) out += word;
        else {
            if (i) out += ' ';
            if (in_sentence == 0) put_capitalised(out, word);
            else out += word;
        }
        ++in_sentence;
        if (i + 1 == words || (in_sentence >= 4 && rng.below(14) == 0)) {
            const auto p = rng.below(100);
            out += v.cjk ? (p < 85 ? "。" : p < 95 ? "？" : "！") : (p < 85 ? "." : p < 95 ? "?" : "!");
            in_sentence = 0;
        } else if (in_sentence >= 3 && rng.below(12) == 0) {
            out += v.cjk ? "，" : ",";
        }
    }
}

void put_record(std::string& out, std::uint64_t n, Rng& rng, const Universe& u) {
    const auto lang = u.language_pick(rng);
    out += "{\"id\":\"gen:" + std::to_string(n) + "\",\"text\":\"";
    put_text(out, rng, *u.languages[lang]);
    out += '"';

    // The author; role (85%) and external id (50%) are fixed per author.
    const auto a = u.authors(rng), h = mix(a);
    out += ",\"author\":{\"name\":\"" + person(a) + '"';
    const auto role = fill(roles[(h >> 8) % roles.size()], country_name((h >> 24) % countries.size()));
    if (h % 100 < 85) put_field(out, "role", role);
    if ((h >> 40) % 2 == 0) put_field(out, "id", "gen:author:" + std::to_string(a));
    out += '}';

    // Said near its context's date if it has one, else any day of 2008-2026 leaning towards recent years.
    const bool has_context = rng.percent(60);
    const auto context = has_context ? u.contexts(rng) : 0;
    const auto span = static_cast<std::uint64_t>(last_day - first_day + 1);
    auto offset = rng.below(span);
    if (rng.percent(50)) offset = std::max(offset, rng.below(span));
    std::int64_t day = first_day + static_cast<std::int64_t>(offset);
    if (has_context) day = std::min(last_day, context_day(context) + static_cast<std::int64_t>(rng.below(21)));
    const auto precision = rng.below(100);  // 80% day, 12% month, 5% year, 3% unknown
    if (precision < 97) put_field(out, "said_on", date_text(day, precision < 80 ? 3 : precision < 92 ? 2 : 1));
    // Published the same day or soon after, sometimes years later (archive backfill).
    const auto delay_kind = rng.below(100);
    const auto delay = delay_kind < 80 ? rng.below(3) : delay_kind < 95 ? rng.below(60) : rng.below(1100);
    const auto second = rng.below(86400);
    auto published = date_text(std::min(last_published_day, day + static_cast<std::int64_t>(delay)), 3) + 'T';
    put_2(published, second / 3600); published += ':';
    put_2(published, second / 60 % 60); published += ':';
    put_2(published, second % 60); published += 'Z';
    put_field(out, "published_at", published);

    put_array(out, "tags", draw_distinct(rng, u.tags, u.tag_count(rng), tag_name));
    auto n_countries = u.country_count(rng);
    std::vector<std::size_t> home;
    if (n_countries > 0 && u.home_country[lang] < countries.size() && rng.percent(60)) {
        home.push_back(u.home_country[lang]);
        --n_countries;
    }
    auto codes = draw_distinct(rng, u.country_pick, n_countries,
                               [](std::size_t k) { return std::string(country_code(k)); }, home);
    if (!home.empty()) codes.insert(codes.begin(), std::string(country_code(home[0])));
    put_array(out, "countries", codes);
    put_array(out, "entities", draw_distinct(rng, u.entities, u.entity_count(rng), entity_name));
    if (has_context) {
        const auto ch = mix(context + 0x5EED);
        const std::string kind(event_kinds[ch % event_kinds.size()]), city(cities[(ch >> 16) % cities.size()]);
        const auto month = civil_from_days(context_day(context))[1];
        const auto year = date_text(context_day(context), 1);
        out += ",\"context\":{\"id\":\"ctx-" + std::to_string(context) + '-' + slug(kind + ' ' + city) + '-' + year;
        out += '"';
        put_field(out, "title", kind + " in " + city + ", " + std::string(month_names[month - 1]) + ' ' + year);
        out += '}';
    }
    put_field(out, "language", u.language_names[lang]);
    const auto outlet = outlets[rng.below(outlets.size())];
    out += ",\"source\":{\"name\":\"" + std::string(outlet) + '"';
    put_field(out, "url", "https://" + slug(outlet) + ".example/" + date_text(day, 3, '/') + "/gen-" +
                              std::to_string(n));
    out += "}}\n";
}

/// Writes all of `text` or throws.
/// Parses a whole decimal number, or throws std::invalid_argument naming the option.
std::uint64_t parse_number(std::string_view option, const std::string& text) {
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        throw std::invalid_argument(std::string(option) + " needs a whole number, not '" + text + "'");
    return value;
}

void write_all(std::FILE* file, const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size()) throw std::runtime_error("write failed");
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t count = 0, seed = 1, first_id = 1;
    bool have_count = false;
    std::string data_dir = "data", out_path;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view arg = argv[i];
            if (arg == "--help" || arg == "-h") { std::cout << usage; return 0; }
            if (i + 1 >= argc) throw std::invalid_argument("missing value after " + std::string(arg));
            const std::string value = argv[++i];
            if (arg == "--count") { count = parse_number(arg, value); have_count = true; }
            else if (arg == "--seed") seed = parse_number(arg, value);
            else if (arg == "--first-id") first_id = parse_number(arg, value);
            else if (arg == "--data") data_dir = value;
            else if (arg == "--out") out_path = value;
            else throw std::invalid_argument("unknown option " + std::string(arg));
        }
        if (!have_count) throw std::invalid_argument("--count is required");
    } catch (const std::exception& e) {
        std::cerr << "dixit-gen-corpus: " << e.what() << "\n" << usage;
        return 2;
    }
    try {
        Universe u;
        u.vocabularies = learn_vocabularies(data_dir);
        std::vector<std::uint64_t> weights;
        for (const auto& [name, percent, home] : language_mix) {
            const auto it = u.vocabularies.find(std::string(name));
            if (it == u.vocabularies.end()) continue;  // only languages present in the data
            u.languages.push_back(&it->second);
            u.language_names.emplace_back(name);
            std::size_t k = 0;
            while (k < countries.size() && country_code(k) != home) ++k;
            u.home_country.push_back(k);
            weights.push_back(percent);
        }
        if (weights.empty()) throw std::runtime_error("no texts in a known language in " + data_dir + "/real/*.jsonl");
        u.language_pick = Weighted(weights);

        std::FILE* file = out_path.empty() ? stdout : std::fopen(out_path.c_str(), "wb");
        if (!file) throw std::runtime_error("cannot open " + out_path);
        Rng rng(seed);
        std::string buffer;
        buffer.reserve(2 << 20);
        for (std::uint64_t n = first_id; n < first_id + count; ++n) {
            put_record(buffer, n, rng, u);
            if (buffer.size() >= (1 << 20)) { write_all(file, buffer); buffer.clear(); }
        }
        write_all(file, buffer);
        if (std::fflush(file) != 0 || (file != stdout && std::fclose(file) != 0))
            throw std::runtime_error("write failed");
    } catch (const std::exception& e) {
        std::cerr << "dixit-gen-corpus: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
