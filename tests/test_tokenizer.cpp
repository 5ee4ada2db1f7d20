// Tests of the ICU tokenizer: tables of input -> terms, like xapian-core's tests/api_termgen.cc.
#include "tokenizer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using dixit::Token;
using dixit::TokenKind;
using dixit::Tokenizer;

namespace {

// One table row: an input and its tokens as "term[position]", with "/i" after an Ideograph, "/w" after a
// CjkWord and "/j" after a Joined term; tokens in the order the tokenizer emits them.
struct TermCase {
    const char* input;
    const char* expected;
};

std::string describe(const std::vector<Token>& tokens) {
    std::string s;
    for (const Token& t : tokens) {
        if (!s.empty()) s += ' ';
        s += t.term + '[' + std::to_string(t.position) + ']';
        if (t.kind == TokenKind::Ideograph) s += "/i";
        else if (t.kind == TokenKind::CjkWord) s += "/w";
        else if (t.kind == TokenKind::Joined) s += "/j";
    }
    return s;
}

// The tokens as "term<source span>", to check the byte offsets used for highlighting.
std::string describe_spans(std::string_view text, const std::vector<Token>& tokens) {
    std::string s;
    for (const Token& t : tokens) {
        if (!s.empty()) s += ' ';
        s += t.term + '<' + std::string(text.substr(t.begin, t.end - t.begin)) + '>';
    }
    return s;
}

std::string terms_of(Tokenizer& tokenizer, std::string_view text) {
    std::vector<Token> out;
    tokenizer.tokenize(text, out);
    return describe(out);
}

void check_table(Tokenizer& tokenizer, const std::vector<TermCase>& table) {
    for (const TermCase& row : table) {
        INFO("input: " << row.input);
        CHECK(terms_of(tokenizer, row.input) == row.expected);
    }
}

}  // namespace

TEST_CASE("tokenizer: English, apostrophes and punctuation", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        {"", ""},
        {"  ,.;!? -- ... ", ""},
        {"Hello, World!", "hello[0] world[1]"},
        // debian:fortunes:politics:244
        {"If you don't strike oil in twenty minutes, stop boring.",
         "if[0] you[1] dont[2] strike[3] oil[4] in[5] twenty[6] minutes[7] stop[8] boring[9]"},
        // debian:fortunes:kids:45
        {"How sharper than a serpent's tooth is a sister's \"See?\"",
         "how[0] sharper[1] than[2] a[3] serpent[4] tooth[5] is[6] a[7] sister[8] see[9]"},
        // quotable:DBkTDkczWkg
        {"You can't shake hands with a clenched fist.",
         "you[0] cant[1] shake[2] hands[3] with[4] a[5] clenched[6] fist[7]"},
        // Possessive 's and a trailing apostrophe go; other apostrophes inside a word go.
        {"Russia's troops' O'Neill rock'n'roll", "russia[0] troops[1] oneill[2] rocknroll[3]"},
        {"it's let's", "it[0] let[1]"},
        // Apostrophe look-alikes are apostrophes (ICU splits at ` and ´; the tokenizer joins them again).
        {"don’t donʼt don＇t don`t don´t DON'T", "dont[0] dont[1] dont[2] dont[3] dont[4] dont[5]"},
        {"'quoted' ‘single’ \"double\" «guillemets»", "quoted[0] single[1] double[2] guillemets[3]"},
        // Acronyms lose their dots; a domain keeps them.
        {"U.S.A. e.g. example.com", "usa[0] eg[1] example.com[2]"},
        // ICU 72 counts @ as a letter: handles lose it, a lone @ is no word, an address stays whole.
        {"@dixit @ user@example.com", "dixit[0] user@example.com[1]"},
        {"snake_case #hashtag", "snake_case[0] hashtag[1]"},
        // Stopwords are kept: phrases need them.
        {"To be, or not to be", "to[0] be[1] or[2] not[3] to[4] be[5]"},
    });
}

TEST_CASE("tokenizer: French and Italian elision", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        {"l'homme", "l[0] homme[1]"},
        {"L’Humanité d'aujourd'hui", "l[0] humanite[1] d[2] aujourdhui[3]"},
        {"jusqu'à qu'il lorsqu'on c'est n'est s'il", "jusqu[0] a[1] qu[2] il[3] lorsqu[4] on[5] c[6] est[7] n[8] est[9] s[10] il[11]"},
        {"dell'anno all'inizio un'altra", "dell[0] anno[1] all[2] inizio[3] un[4] altra[5]"},
        // A lone s after the apostrophe is a possessive, not an elision: "all's" is "all".
        {"All's well", "all[0] well[1]"},
        // debian:fortunes-it:it/italia:626 (a trailing apostrophe stands for an accent)
        {"Se mi piace la tv?  Si', perche' si spegne facilmente.",
         "se[0] mi[1] piace[2] la[3] tv[4] si[5] perche[6] si[7] spegne[8] facilmente[9]"},
    });
}

TEST_CASE("tokenizer: hyphenated words", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        {"Kim Jong-un", "kim[0] jong[1] un[2] jongun[1]/j"},
        {"co-founder", "co[0] founder[1] cofounder[0]/j"},
        {"Russia-Ukraine war", "russia[0] ukraine[1] russiaukraine[0]/j war[2]"},
        {"Jong\u2010un Jong\u2011un", "jong[0] un[1] jongun[0]/j jong[2] un[3] jongun[2]/j"},
        {"mother-in-law", "mother[0] in[1] law[2] motherinlaw[0]/j"},
        {"COVID-19", "covid[0] 19[1] covid19[0]/j"},
        // Spaces, dashes and double hyphens do not join.
        {"Russia - Ukraine", "russia[0] ukraine[1]"},
        {"Russia\u2013Ukraine Russia--Ukraine", "russia[0] ukraine[1] russia[2] ukraine[3]"},
        {"-5 well-", "5[0] well[1]"},
        // The joined term starts after an elided article.
        {"l'arc-en-ciel", "l[0] arc[1] en[2] ciel[3] arcenciel[1]/j"},
        // quotable:51iIZed76Z
        {"Talent is God-given; be humble. Fame is man-given; be thankful. Conceit is self-given; be careful.",
         "talent[0] is[1] god[2] given[3] godgiven[2]/j be[4] humble[5] fame[6] is[7] man[8] given[9] mangiven[8]/j "
         "be[10] thankful[11] conceit[12] is[13] self[14] given[15] selfgiven[14]/j be[16] careful[17]"},
        // debian:fortunes-ru:ru/art:209
        {"Бывают люди, которым знание латыни не мешает все-таки быть ослами.",
         "бывают[0] люди[1] которым[2] знание[3] латыни[4] не[5] мешает[6] все[7] таки[8] всетаки[7]/j "
         "быть[9] ослами[10]"},
    });
}

TEST_CASE("tokenizer: numbers", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        {"10,000 troops in 2025", "10000[0] troops[1] in[2] 2025[3]"},
        {"1,234,567.89 3.5 0.25", "1234567.89[0] 3.5[1] 0.25[2]"},
        // Only a thousands grouping loses its commas.
        {"1,2,3 3,5 10,00 1234,567", "1,2,3[0] 3,5[1] 10,00[2] 1234,567[3]"},
        {"１２３ １０，０００", "123[0] 10000[1]"},  // full-width digits and comma
        {"١٢٣ ۱۹۷۹ २०२५", "123[0] 1979[1] 2025[2]"},  // other decimal digits become ASCII
        {"1'000 3rd v1.2 50% $5 +1", "1000[0] 3rd[1] v1.2[2] 50[3] 5[4] 1[5]"},
    });
}

TEST_CASE("tokenizer: European languages and diacritics", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        // debian:fortunes-de:de/zitate:11492
        {"Das ist die Kunst des Gesprächs: Alles zu berühren und sich in nichts\nzu vertiefen.",
         "das[0] ist[1] die[2] kunst[3] des[4] gesprachs[5] alles[6] zu[7] beruhren[8] und[9] sich[10] in[11] "
         "nichts[12] zu[13] vertiefen[14]"},
        // debian:fortunes-de:de/zitate:6729 (first line)
        {"Ich kann freilich nicht sagen, ob es besser werden wird, wenn es\nanders wird; aber soviel kann ich "
         "sagen: es muß anders werden",
         "ich[0] kann[1] freilich[2] nicht[3] sagen[4] ob[5] es[6] besser[7] werden[8] wird[9] wenn[10] es[11] "
         "anders[12] wird[13] aber[14] soviel[15] kann[16] ich[17] sagen[18] es[19] muss[20] anders[21] werden[22]"},
        {"Straße STRASSE Maße", "strasse[0] strasse[1] masse[2]"},
        // debian:fortunes-cs:cs/klasik-cz:2682
        {"Poznání bez řádu je šílenství.", "poznani[0] bez[1] radu[2] je[3] silenstvi[4]"},
        // debian:fortunes-cs:cs/klasik-cz:2683
        {"Život je neustálým přizpůsobováním vnitřních situací vnějším.",
         "zivot[0] je[1] neustalym[2] prizpusobovanim[3] vnitrnich[4] situaci[5] vnejsim[6]"},
        // debian:fortunes-ru:ru/2001.05:101 (ё folds to е)
        {"Афоризмы строчит, как пироги печёт! Сапожник...",
         "афоризмы[0] строчит[1] как[2] пироги[3] печет[4] сапожник[5]"},
        // ё and Ё fold to е; й, ї, ў are letters of their own and stay.
        {"Ёжик ёлка йод Київ їжак ўсё", "ежик[0] елка[1] йод[2] київ[3] їжак[4] ўсе[5]"},
        // Turkish dotted and dotless i meet in plain i.
        {"İstanbul Istanbul ıstanbul ISTANBUL Türkiye", "istanbul[0] istanbul[1] istanbul[2] istanbul[3] turkiye[4]"},
        {"č ć ñ ø å æ œ ł", "c[0] c[1] n[2] ø[3] a[4] æ[5] œ[6] ł[7]"},
        {"Crème brûlée naïve café résumé", "creme[0] brulee[1] naive[2] cafe[3] resume[4]"},
        {"Tiếng Việt", "tieng[0] viet[1]"},
        // Decomposed input folds like precomposed input.
        {"cafe\u0301 Gespra\u0308chs", "cafe[0] gesprachs[1]"},
        // Greek loses tonos and dialytika; final sigma is sigma.
        {"Καλημέρα κόσμε Ἀθῆναι προϊόν", "καλημερα[0] κοσμε[1] αθηναι[2] προιον[3]"},
        // Compatibility characters: ligatures, full-width letters.
        {"ﬁnance ＡＢＣ", "finance[0] abc[1]"},
        // A soft hyphen is invisible; so is a zero-width joiner.
        {"co\u00ADoperate", "cooperate[0]"},
    });
}

TEST_CASE("tokenizer: Arabic, Hebrew, Indic, Korean", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        // "The book is on the table": unvocalised, as news text is written.
        {"الكتاب على الطاولة", "الكتاب[0] على[1] الطاولة[2]"},
        // Harakat go, so vocalised and unvocalised text meet ("hello world", "the Quran").
        {"مَرْحَبًا بِالعَالَم", "مرحبا[0] بالعالم[1]"},
        {"القُرْآن القرآن", "القران[0] القران[1]"},
        // Tatweel (kashida) only stretches a word.
        {"كتـــاب", "كتاب[0]"},
        // Hebrew points go: "shalom olam".
        {"שָׁלוֹם עוֹלָם", "שלום[0] עולם[1]"},
        // Devanagari keeps its vowel signs and virama.
        {"नमस्ते दुनिया", "नमस्ते[0] दुनिया[1]"},
        // Hangul: ordinary words, split at spaces.
        {"안녕하세요 세계", "안녕하세요[0] 세계[1]"},
    });
}

TEST_CASE("tokenizer: Thai, Lao, Khmer, Myanmar dictionary words", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        // "I love the Thai language": ICU's dictionary finds the four words; marks (ั ่) stay.
        {"ฉันรักภาษาไทย", "ฉัน[0] รัก[1] ภาษา[2] ไทย[3]"},
        {"สวัสดีครับ", "สวัสดี[0] ครับ[1]"},
        {"ภาษาไทยง่ายนิดเดียว", "ภาษา[0] ไทย[1] ง่าย[2] นิด[3] เดียว[4]"},
        // "Lao language": two dictionary words.
        {"ພາສາລາວ", "ພາສາ[0] ລາວ[1]"},
        // ICU's Khmer and Myanmar dictionaries keep "Khmer language"/"Myanmar language" as one word each.
        {"ភាសាខ្មែរ", "ភាសាខ្មែរ[0]"},
        {"မြန်မာဘာသာ", "မြန်မာဘာသာ[0]"},
    });
}

TEST_CASE("tokenizer: Chinese and Japanese", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        // debian:fortunes-zh:chinese:3937. ICU: 君子 / 固 / 穷 / 小人 / 穷 / 斯 / 滥 / 也.
        {"君子固穷，小人穷斯滥也。",
         "君[0]/i 子[1]/i 君子[0]/w 固[2]/i 穷[3]/i 小[4]/i 人[5]/i 小人[4]/w 穷[6]/i 斯[7]/i 滥[8]/i 也[9]/i"},
        // chinese-poetry:song-shi:4455c569-d446-4a85-ae69-47f69068ea30 (first line, traditional characters)
        {"地勝江山國，風清令尹家。",
         "地[0]/i 勝[1]/i 江[2]/i 山[3]/i 江山[2]/w 國[4]/i 風[5]/i 清[6]/i 令[7]/i 尹[8]/i 家[9]/i"},
        {"北京大学生", "北[0]/i 京[1]/i 北京[0]/w 大[2]/i 学[3]/i 生[4]/i 大学生[2]/w"},
        // "I like cats." ICU: 猫 / が / 好き / です.
        {"猫が好きです。", "猫[0]/i が[1]/i 好[2]/i き[3]/i 好き[2]/w で[4]/i す[5]/i です[4]/w"},
        // "I went to Tokyo Tower." ICU 72 keeps 東京タワー as one dictionary word but splits ました as
        // ま / した: harmless, because phrases are built from the per-character Ideograph terms.
        {"東京タワーに行きました",
         "東[0]/i 京[1]/i タ[2]/i ワ[3]/i ー[4]/i 東京タワー[0]/w に[5]/i 行[6]/i き[7]/i 行き[6]/w ま[8]/i "
         "し[9]/i た[10]/i した[9]/w"},
        // Half-width katakana folds to full width; ｶﾞ (two code points) is one character ガ. ICU keeps an
        // unknown katakana run of 3+ characters as one word but splits ｶﾞｷﾞ (and ガギ) into single characters.
        {"ｶﾀｶﾅ ｶﾞｷﾞｸﾞ ｶﾞｷﾞ",
         "カ[0]/i タ[1]/i カ[2]/i ナ[3]/i カタカナ[0]/w ガ[4]/i ギ[5]/i グ[6]/i ガギグ[4]/w ガ[7]/i ギ[8]/i"},
        // Dakuten are kept: か and が are different characters.
        {"か が が", "か[0]/i が[1]/i が[2]/i"},
        {"人々", "人[0]/i 々[1]/i 人々[0]/w"},
        // Digits and Latin words inside CJK text are ordinary words.
        {"2025年 iPhone发布", "2025[0] 年[1]/i iphone[2] 发[3]/i 布[4]/i 发布[3]/w"},
    });
}

TEST_CASE("tokenizer: emoji and symbols are not words", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        {"😀 👍🏽 🇩🇪 👨‍👩‍👧 ★ © ½ ²", ""},
        {"I ❤️ NY x😀y", "i[0] ny[1] x[2] y[3]"},
        {"1️⃣ is one", "1[0] is[1] one[2]"},  // a keycap's enclosing mark goes
    });
}

TEST_CASE("tokenizer: invalid UTF-8 bytes separate words", "[tokenizer]") {
    Tokenizer tokenizer;
    check_table(tokenizer, {
        {"ab\xff" "cd", "ab[0] cd[1]"},
        {"caf\xc3\xa9\xc3x", "cafe[0] x[1]"},            // a truncated sequence
        {"abc\xed\xa0\x80" "def", "abc[0] def[1]"},       // an encoded surrogate
        {"\xc0\xaf" "x \xe2\x80", "x[0]"},                // an overlong form, a truncated end
        {"\x80\x80\x80", ""},
    });
    // The offsets still refer to the original bytes.
    std::string text = "ab\xff\xfe" "c\xc3\xa9";
    std::vector<Token> out;
    tokenizer.tokenize(text, out);
    REQUIRE(out.size() == 2);
    CHECK(out[1].term == "ce");
    CHECK(out[1].begin == 4);
    CHECK(out[1].end == text.size());
    // fold() turns a bad byte into a separator too, and never throws.
    CHECK(tokenizer.fold("ab\xff" "cd") == "ab cd");
    CHECK(tokenizer.fold_keyword("\xff" "Kim\xfe\xfd" "Jong") == "kim jong");
}

TEST_CASE("tokenizer: byte offsets point at the original text", "[tokenizer]") {
    Tokenizer tokenizer;
    struct SpanCase {
        const char* input;
        const char* expected;
    };
    const std::vector<SpanCase> table = {
        {"Hello, World!", "hello<Hello> world<World>"},
        {"l'homme L’Humanité", "l<l> homme<homme> l<L> humanite<Humanité>"},
        {"Kim Jong-un", "kim<Kim> jong<Jong> un<un> jongun<Jong-un>"},
        {"don`t Russia's", "dont<don`t> russia<Russia's>"},
        {"@dixit", "dixit<dixit>"},
        {"Gesprächs İstanbul", "gesprachs<Gesprächs> istanbul<İstanbul>"},
        {"１０，０００", "10000<１０，０００>"},
        {"北京大学", "北<北> 京<京> 北京<北京> 大<大> 学<学> 大学<大学>"},
        {"ｶﾞｷﾞｸﾞ", "ガ<ｶﾞ> ギ<ｷﾞ> グ<ｸﾞ> ガギグ<ｶﾞｷﾞｸﾞ>"},
    };
    for (const SpanCase& row : table) {
        INFO("input: " << row.input);
        std::vector<Token> out;
        tokenizer.tokenize(row.input, out);
        CHECK(describe_spans(row.input, out) == row.expected);
    }
}

TEST_CASE("tokenizer: positions continue from first_position", "[tokenizer]") {
    Tokenizer tokenizer;
    std::vector<Token> out;
    std::uint32_t next = tokenizer.tokenize("Kim Jong-un", out, 10);
    CHECK(next == 13);
    next = tokenizer.tokenize("北京 ok", out, next + 100);  // a gap between fields stops phrases spanning them
    CHECK(next == 116);
    CHECK(describe(out) == "kim[10] jong[11] un[12] jongun[11]/j 北[113]/i 京[114]/i 北京[113]/w ok[115]");
    CHECK(tokenizer.tokenize("", out, 7) == 7);
    CHECK(tokenizer.tokenize(" !? ", out, 7) == 7);
    CHECK(out.size() == 8);
    // The same tokenizer gives the same tokens when used again.
    std::vector<Token> again;
    tokenizer.tokenize("Kim Jong-un", again, 10);
    CHECK(std::vector<Token>(out.begin(), out.begin() + 4) == again);
}

TEST_CASE("tokenizer: fold and fold_keyword", "[tokenizer]") {
    Tokenizer tokenizer;
    const std::vector<std::pair<const char*, const char*>> folds = {
        {"", ""},
        {"Hello World", "hello world"},
        {"Gesprächs İstanbul ıstanbul Straße Ёлка", "gesprachs istanbul istanbul strasse елка"},
        {"Russia's troops' don’t O'Neill", "russia troops dont oneill"},
        {"l'homme", "l homme"},
        {"Kim Jong-un", "kim jong-un"},
        {"ＡＢＣ １２３", "abc 123"},
        {"ｶﾞｷﾞ 北京", "ガギ 北京"},
        {"مَرْحَبًا", "مرحبا"},
    };
    for (const auto& [input, expected] : folds) {
        INFO("fold: " << input);
        CHECK(tokenizer.fold(input) == expected);
    }
    const std::vector<std::pair<const char*, const char*>> keywords = {
        {"North Korean  Troops", "north korean troops"},
        {"Kim Jong-un", "kim jong un"},
        {"  Peace, Love & Understanding!  ", "peace love understanding"},
        {"O'Neill", "oneill"},
        {"Gabriel García Márquez", "gabriel garcia marquez"},
        {"《增广贤文》", "增广贤文"},
        {"Лев Толстой", "лев толстой"},
        {"---", ""},
        {"", ""},
    };
    for (const auto& [input, expected] : keywords) {
        INFO("fold_keyword: " << input);
        CHECK(tokenizer.fold_keyword(input) == expected);
    }
    CHECK(tokenizer.fold_keyword(std::string(300, 'a') + " b").size() <= dixit::max_term_bytes);
}

TEST_CASE("tokenizer: long terms are capped with a hash", "[tokenizer]") {
    using dixit::cap_term;
    CHECK(cap_term("short") == "short");
    std::string exact(dixit::max_term_bytes, 'x');
    CHECK(cap_term(exact) == exact);

    std::string long_term(300, 'a');
    std::string capped = cap_term(long_term);
    CHECK(capped.size() == dixit::max_term_bytes);
    CHECK(capped.substr(0, 103) == std::string(103, 'a'));
    CHECK(capped[103] == '~');
    CHECK(capped.find_first_not_of("0123456789abcdef", 104) == std::string::npos);
    CHECK(cap_term(long_term) == capped);  // deterministic
    CHECK(cap_term(std::string(300, 'a') + "b") != capped);  // the hash covers the whole term
    CHECK(cap_term(std::string(299, 'a') + "b").substr(0, 103) == capped.substr(0, 103));

    // A cut never splits a code point: 2-byte letters, 103 bytes of room -> 51 letters.
    std::string cyrillic;
    for (int i = 0; i < 100; ++i) cyrillic += "ж";
    std::string capped_cyrillic = cap_term(cyrillic);
    CHECK(capped_cyrillic.size() == 102 + 17);
    CHECK(capped_cyrillic.substr(0, 102) == cyrillic.substr(0, 102));
    CHECK(capped_cyrillic[102] == '~');
    CHECK(cap_term(long_term, 10).size() <= 10);

    // The tokenizer caps what it emits.
    Tokenizer tokenizer;
    std::vector<Token> out;
    tokenizer.tokenize("x " + long_term + " y", out);
    REQUIRE(out.size() == 3);
    CHECK(out[1].term == capped);
    CHECK(out[1].begin == 2);
    CHECK(out[1].end == 302);
    CHECK(out[2].term == "y");
    out.clear();
    tokenizer.tokenize(cyrillic + "-" + cyrillic, out);
    REQUIRE(out.size() == 3);
    CHECK(out[2].kind == TokenKind::Joined);
    CHECK(out[2].term.size() <= dixit::max_term_bytes);
}

TEST_CASE("tokenizer: invariants over the real quote data", "[tokenizer]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(DIXIT_DATA_DIR) / "real";
    REQUIRE(fs::is_directory(dir));
    Tokenizer tokenizer;
    std::size_t records = 0, tokens = 0, cjk = 0, joined = 0;
    for (const char* name : {"quotable.jsonl", "fortunes-multilingual.jsonl", "chinese-poetry-sample.jsonl",
                             "quotebank-sample.json"}) {
        std::ifstream in(dir / name);
        REQUIRE(in);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            auto record = nlohmann::json::parse(line);
            const std::string text = record.contains("text") ? record["text"].get<std::string>()
                                                             : record["quotation"].get<std::string>();
            ++records;
            std::vector<Token> out;
            const std::uint32_t next = tokenizer.tokenize(text, out, 1);
            std::uint32_t last_position = 0;
            bool failed = false;
            for (const Token& t : out) {
                const std::string_view span = std::string_view(text).substr(t.begin, t.end - t.begin);
                bool ok = !t.term.empty() && t.term.size() <= dixit::max_term_bytes && t.begin < t.end &&
                          t.end <= text.size() && t.position >= 1 && t.position < next &&
                          tokenizer.fold(t.term) == t.term;  // folding is idempotent
                if (t.kind == TokenKind::Word || t.kind == TokenKind::Ideograph) {
                    ok = ok && t.position >= last_position;
                    last_position = t.position;
                }
                // A plain word's term is the fold of its span, and a query of the term finds the same term.
                if (t.kind == TokenKind::Word && span.find_first_of("'`.,@\xc2\xca\xe2\xef") == std::string::npos) {
                    ok = ok && tokenizer.fold(span) == t.term;
                    std::vector<Token> query;
                    tokenizer.tokenize(t.term, query);
                    ok = ok && query.size() == 1 && query[0].term == t.term;
                }
                cjk += t.kind == TokenKind::Ideograph;
                joined += t.kind == TokenKind::Joined;
                if (!ok && !failed) {
                    failed = true;
                    INFO("record " << record.value("id", record.value("quoteID", "")) << " token " << t.term
                                   << " [" << t.begin << ',' << t.end << ") span '" << span << "'");
                    CHECK(ok);
                }
            }
            tokens += out.size();
            CHECK(next == (out.empty() ? 1 : last_position + 1));
        }
    }
    CHECK(records > 7000);
    CHECK(tokens > 200000);
    CHECK(cjk > 50000);
    CHECK(joined > 100);
}

TEST_CASE("tokenizer: random fragments and bytes keep the invariants", "[tokenizer]") {
    // Pieces chosen to meet every rule at once: apostrophes, hyphens, marks, CJK, bad bytes.
    const std::vector<std::string> pieces = {
        "a", "Z", "s", "l", "'", "’", "`", "´", "ʼ", "-", "\u2010", " ", ".", ",", "1", "000", "é", "e\u0301",
        "ı", "İ", "ß", "ё", "й", "北", "京", "ｶ", "ﾞ", "か", "\u3099", "ー", "々", "ย", "\u0e48", "ـ", "\u064e",
        "ب", "😀", "\u200d", "\u00ad", "@", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80", "Ａ", "１", "\u20e3"};
    std::mt19937 random(20250101);
    Tokenizer tokenizer;
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int count = static_cast<int>(random() % 24);
        for (int i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
        INFO("text: " << text);
        std::vector<Token> out;
        std::uint32_t next = 0;
        REQUIRE_NOTHROW(next = tokenizer.tokenize(text, out));
        std::uint32_t last_position = 0;
        for (const Token& t : out) {
            INFO("term: " << t.term);
            REQUIRE(!t.term.empty());
            REQUIRE(t.term.size() <= dixit::max_term_bytes);
            REQUIRE(t.begin < t.end);
            REQUIRE(t.end <= text.size());
            REQUIRE(t.position < next);
            REQUIRE(tokenizer.fold(t.term) == t.term);  // a query of the term folds to the term
            if (t.kind == TokenKind::Word || t.kind == TokenKind::Ideograph) {
                REQUIRE(t.position >= last_position);
                last_position = t.position;
            }
        }
        REQUIRE_NOTHROW(tokenizer.fold(text));
        const std::string key = tokenizer.fold_keyword(text);
        REQUIRE(key.size() <= dixit::max_term_bytes);
        REQUIRE((key.empty() || (key.front() != ' ' && key.back() != ' ')));
    }
}
