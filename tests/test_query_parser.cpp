// The query language: q -> Xapian::Query tables, error positions, and parsed queries run on a real index.
#include <catch2/catch.hpp>

#include <api_error.h>
#include <document.h>
#include <fields.h>
#include <query_parser.h>

#include <fstream>
#include <set>

#include "temp_dir.h"

using namespace dixit;
using dixit::test::TempDir;
using nlohmann::json;

namespace {

QueryOptions english() {
    QueryOptions o;
    o.stem_languages = {"en"};
    return o;
}

QueryOptions verbatim() {
    QueryOptions o = english();
    o.verbatim = true;
    return o;
}

QueryOptions languages(std::vector<std::string> names) {
    QueryOptions o;
    o.stem_languages = std::move(names);
    return o;
}

QueryOptions grams() {
    QueryOptions o = english();
    o.common_grams = true;
    return o;
}

QueryOptions max_terms(std::size_t n) {
    QueryOptions o;
    o.limits.max_terms = n;
    return o;
}

QueryOptions max_depth(std::size_t n) {
    QueryOptions o;
    o.limits.max_query_depth = n;
    return o;
}

// `open` repeated n times, then `inner`: a query nested n groups deep (the ')' are left to close at the end).
std::string nested(std::size_t n, std::string_view open, std::string_view inner = "a") {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += open;
    return out + std::string(inner);
}

ParsedQuery parse(std::string_view q, const QueryOptions& options = english()) {
    static Tokenizer tokenizer;  // one per thread; Catch2 runs tests on one
    return QueryParser(tokenizer).parse(q, options);
}

// parse(q) must fail with bad_query at the 1-based code point position, saying message.
void check_bad_query(const std::string& q, const QueryOptions& options, std::size_t position, const std::string& message) {
    INFO("q = " << q);
    try {
        parse(q, options);
        FAIL("no error");
    } catch (const ApiError& e) {
        CHECK(e.code() == ErrorCode::BadQuery);
        CHECK(e.position() == position);
        CHECK_THAT(e.what(), Catch::Contains(message));
    }
}

struct DescriptionCase {
    const char* q;
    QueryOptions options;
    const char* expected;  // Xapian::Query::get_description()
    bool has_text;
};

}  // namespace

TEST_CASE("q parses to the Xapian query the language promises", "[query]") {
    // Stems: "troops" -> "troop" as a word, plus the words of the stem table (none here: no index).
    const DescriptionCase cases[] = {
        // Plain words: ANDed; exact term OR'ed (SYNONYM) with the stem terms of each stem language.
        {"troops", english(), "Query((troops SYNONYM troop))", true},
        {"Troops", english(), "Query((troops SYNONYM troop))", true},
        {"troops", verbatim(), "Query(troops)", true},
        {"troops", QueryOptions{}, "Query(troops)", true},
        {"putin troops", verbatim(), "Query((putin AND troops))", true},
        {"войска", languages({"en", "ru"}), "Query((войска SYNONYM войск))", true},
        {"Gespräch", verbatim(), "Query(gesprach)", true},
        {"2024", english(), "Query(2024)", true},  // digits: exact
        {"10,000", english(), "Query(10000)", true},
        {"it's", verbatim(), "Query(it)", true},  // possessive 's, as the indexer drops it
        // One run, several words: a phrase; a hyphenated run also matches its joined form.
        {"north-korean", english(), "Query((((north AND korean) FILTER PostingSource(PHRASE 2 (north korean))) OR northkorean))", true},
        {"Jong-un", verbatim(), "Query((((jong AND un) FILTER PostingSource(PHRASE 2 (jong un))) OR jongun))", true},
        {"U.S.-led", english(), "Query(((us AND led) FILTER PostingSource(PHRASE 2 (us led))))", true},
        {"l'homme", english(), "Query(((l AND homme) FILTER PostingSource(PHRASE 2 (l homme))))", true},
        {"foo:bar", verbatim(), "Query(((foo AND bar) FILTER PostingSource(PHRASE 2 (foo bar))))", true},  // not a field: text
        {"Tag:x", verbatim(), "Query(((tag AND x) FILTER PostingSource(PHRASE 2 (tag x))))", true},      // field names are lower-case
        {"Note: this", verbatim(), "Query((note AND this))", true},
        {"Putin said: we", verbatim(), "Query((putin AND said AND we))", true},  // a field name with no value is text
        // CJK runs: a phrase of their characters (the dictionary word is an extra, not in phrases).
        {"习近平", english(), "Query(((习 AND 近 AND 平) FILTER PostingSource(PHRASE 3 (习 近 平))))", true},
        {"中", english(), "Query(中)", true},
        // Phrases: exact terms, stopwords count; one term is that term; "" is nothing.
        {"\"North Korean troops\"", english(), "Query(((north AND korean AND troops) FILTER PostingSource(PHRASE 3 (north korean troops))))", true},
        {"“north korean”", english(), "Query(((north AND korean) FILTER PostingSource(PHRASE 2 (north korean))))", true},  // typographic quotes
        {"«north korean»", english(), "Query(((north AND korean) FILTER PostingSource(PHRASE 2 (north korean))))", true},
        {"\"troops\"", english(), "Query(troops)", true},
        {"\"\"", english(), "Query(<alldocuments>)", false},
        {"\"unclosed phrase", english(), "Query(((unclosed AND phrase) FILTER PostingSource(PHRASE 2 (unclosed phrase))))", true},
        {"\"小人穷斯滥也\"", english(), "Query(((小 AND 人 AND 穷 AND 斯 AND 滥 AND 也) FILTER PostingSource(PHRASE 6 (小 人 穷 斯 滥 也))))", true},
        // "phrase"~N and NEAR: any order within (terms + N) positions.
        {"\"north korean troops\"~2", english(), "Query(((north AND korean AND troops) FILTER PostingSource(NEAR 5 (north korean troops))))", true},
        // Common grams (an index that has them): a pair that starts with a common word is one term.
        {"\"of the war\"", grams(), "Query(((of AND the AND war) FILTER (XBof the AND XBthe war AND PostingSource(PHRASE 3 (of the war)))))", true},
        {"\"do you\"", grams(), "Query(((do AND you) FILTER XBdo you))", true},
        {"\"north korean troops\"", grams(), "Query(((north AND korean AND troops) FILTER PostingSource(PHRASE 3 (north korean troops))))", true},
        {"\"troops of north korea\"", grams(), "Query(((troops AND of AND north AND korea) FILTER (XBof north AND PostingSource(PHRASE 4 (troops of north korea)))))", true},
        {"\"war of\"", grams(), "Query(((war AND of) FILTER PostingSource(PHRASE 2 (war of))))", true},  // no gram: checked
        {"\"it is not\"", grams(), "Query(((it AND is AND not) FILTER (XBit is AND XBis not AND PostingSource(PHRASE 3 (it is not)))))", true},
        {"\"north korean troops\"~2", grams(), "Query(((north AND korean AND troops) FILTER PostingSource(NEAR 5 (north korean troops))))", true},
        {"the-end", grams(), "Query((((the AND end) FILTER XBthe end) OR theend))", true},
        {"putin NEAR/3 troops", english(), "Query(((putin AND troops) FILTER PostingSource(NEAR 5 (putin troops))))", true},
        {"putin NEAR troops", english(), "Query(((putin AND troops) FILTER PostingSource(NEAR 12 (putin troops))))", true},
        {"a NEAR/2 b NEAR/1 c", verbatim(), "Query(((a AND b AND c) FILTER PostingSource(NEAR 5 (a b c))))", true},  // the largest N
        {"NEAR putin troops NEAR", verbatim(), "Query((putin AND troops))", true},   // stray NEARs
        {"\"putin\" NEAR/0 troops", verbatim(), "Query(((putin AND troops) FILTER PostingSource(NEAR 2 (putin troops))))", true},
        // OR binds tighter than the implicit AND; brackets group.
        {"a b OR c", verbatim(), "Query((a AND (b OR c)))", true},
        {"(putin OR zelensky) troops", verbatim(), "Query(((putin OR zelensky) AND troops))", true},
        {"a OR b OR c", verbatim(), "Query((a OR b OR c))", true},
        {"a or b", verbatim(), "Query((a AND or AND b))", true},  // lower-case or is a word
        {"a AND b", verbatim(), "Query((a AND b))", true},
        {"OR a OR", verbatim(), "Query(a)", true},
        {"a OR OR b", verbatim(), "Query((a OR b))", true},
        {"(a OR b", verbatim(), "Query((a OR b))", true},    // missing ')' closes at the end
        {"a) b", verbatim(), "Query((a AND b))", true},       // stray ')' dropped
        {"()", verbatim(), "Query(<alldocuments>)", false},
        // Exclusions.
        {"putin -troops", verbatim(), "Query((putin AND_NOT troops))", true},
        {"putin -\"north korean\" -(a OR b)", verbatim(),
         "Query((putin AND_NOT ((north AND korean) FILTER PostingSource(PHRASE 2 (north korean))) AND_NOT (a OR b)))", true},
        {"-troops", verbatim(), "Query((<alldocuments> AND_NOT troops))", false},
        {"-troops", english(), "Query((<alldocuments> AND_NOT (troops SYNONYM troop)))", false},
        {"a OR -b", verbatim(), "Query((a AND_NOT b))", true},  // an OR next to an exclusion is dropped
        {"a - b", verbatim(), "Query((a AND b))", true},        // a lone '-' is dropped
        {"jong-un", verbatim(), "Query((((jong AND un) FILTER PostingSource(PHRASE 2 (jong un))) OR jongun))", true},
        {"-* b", verbatim(), "Query(b)", true},
        {"-OR", verbatim(), "Query((<alldocuments> AND_NOT or))", false},
        {"-a NEAR/1 b c", verbatim(), "Query((c AND_NOT ((a AND b) FILTER PostingSource(NEAR 3 (a b)))))", true},
        // Prefixes.
        {"negotiat*", english(), "Query(WILDCARD SYNONYM negotiat)", true},
        {"Négo* talks", verbatim(), "Query((WILDCARD SYNONYM nego AND talks))", true},
        {"*", english(), "Query(<alldocuments>)", false},
        // Field filters: boolean terms, never weighted.
        {"tag:ukraine", english(), "Query(0 * Kukraine)", false},
        {"tag:\"North Korean troops\"", english(), "Query(0 * Knorth korean troops)", false},
        {"putin tag:ukraine", verbatim(), "Query((putin FILTER Kukraine))", true},
        {"putin tag:a country:ua", verbatim(), "Query((putin FILTER Ka FILTER XCua))", true},
        {"putin OR tag:ukraine", verbatim(), "Query((putin OR 0 * Kukraine))", true},
        {"(tag:a OR tag:b) putin", verbatim(), "Query((putin FILTER (Ka OR Kb)))", true},
        {"-tag:ukraine putin", verbatim(), "Query((putin AND_NOT Kukraine))", true},
        {"tag:a -tag:b", verbatim(), "Query((0 * Ka AND_NOT Kb))", false},
        {"author:\"Andrii Sybiha\" entity:NATO", english(), "Query(0 * (Aandrii sybiha AND XEnato))", false},
        {"context:north-korean-troops-in-russia", english(), "Query(0 * XKnorth korean troops in russia)", false},
        {"lang:EN-gb", english(), "Query(0 * Len gb)", false},
        {"lang:pt", english(), "Query(0 * Lpt)", false},
        {"country:kp", english(), "Query(0 * XCkp)", false},
        {"country:\"North Korea\"", english(), "Query(0 * XCkp)", false},
        {"country:ukraine", english(), "Query(0 * XCua)", false},
        {"country:UK", english(), "Query(0 * XCgb)", false},
        {"country:usa", english(), "Query(0 * XCus)", false},
        {"country:\"Côte d’Ivoire\"", english(), "Query(0 * XCci)", false},
        {"country:\"ivory coast\"", english(), "Query(0 * XCci)", false},
        {"country:Turkey", english(), "Query(0 * XCtr)", false},
        {"country:\"Bosnia and Herzegovina\"", english(), "Query(0 * XCba)", false},
        {"country:Burma", english(), "Query(0 * XCmm)", false},
        {"country:kosovo", english(), "Query(0 * XCxk)", false},
        // said: the quote's period lies within the range.
        {"said:2024", english(), "Query(0 * (VALUE_GE 7 20240101 AND VALUE_LE 8 20241231))", false},
        {"said:2024-01..2025-03", english(), "Query(0 * (VALUE_GE 7 20240101 AND VALUE_LE 8 20250331))", false},
        {"said:..2025-03", english(), "Query(VALUE_LE 8 20250331)", false},  // scaling a value query is a no-op
        {"said:2024-06..", english(), "Query(VALUE_GE 7 20240601)", false},
        {"said:2024-02-29", english(), "Query(0 * (VALUE_GE 7 20240229 AND VALUE_LE 8 20240229))", false},
        {"putin said:2024", verbatim(), "Query((putin FILTER (VALUE_GE 7 20240101 AND VALUE_LE 8 20241231)))", true},
        // Nothing at all.
        {"", english(), "Query(<alldocuments>)", false},
        {"  !!! ", english(), "Query(<alldocuments>)", false},
    };
    for (const auto& c : cases) {
        INFO("q = " << c.q);
        ParsedQuery parsed = parse(c.q, c.options);
        CHECK(parsed.query.get_description() == c.expected);
        CHECK(parsed.has_text == c.has_text);
    }
}

TEST_CASE("the highlight spec holds the positive parts of q", "[query]") {
    ParsedQuery p = parse("Troops jong-un \"North Korean\" negotiat* 习近平 -excluded -\"not this\" tag:x putin NEAR/2 kim");
    using words = std::vector<std::string>;
    CHECK(p.highlight.words == words{"troops", "putin", "kim"});
    CHECK(p.highlight.prefixes == words{"negotiat"});
    CHECK(p.highlight.phrases == std::vector<words>{{"jong", "un"}, {"north", "korean"}, {"习", "近", "平"}});
    CHECK_FALSE(p.highlight.verbatim);
    CHECK(parse("troops", verbatim()).highlight.verbatim);
    CHECK(parse("\"korean troops\"~3").highlight.words == words{"korean", "troops"});  // any order: words
    CHECK(parse("-(a b) tag:x").highlight.words.empty());
}

TEST_CASE("what q cannot mean is a bad_query error at its character", "[query]") {
    struct ErrorCase {
        const char* q;
        QueryOptions options;
        std::size_t position;  // 1-based code point
        const char* message;   // a part of the message
    };
    QueryOptions short_q;
    short_q.limits.max_query_chars = 10;
    const ErrorCase cases[] = {
        {"a*", {}, 1, "at least 2 letters"},
        {"é b*", {}, 3, "at least 2 letters"},
        {"north-kor*", {}, 1, "one word"},
        {"tag:\"\"", {}, 1, "needs a value"},
        {"tag:!!!", {}, 5, "no letters or digits"},
        {"said:2024-13", {}, 6, "not a date"},
        {"said:2024..2024-02-30", {}, 12, "not a date"},
        {"said:2025..2024", {}, 6, "ends before it starts"},
        {"said:..", {}, 6, "at least one date"},
        {"lang:en_US_!", {}, 6, "not a language tag"},
        {"country:Narnia", {}, 9, "unknown country"},
        {"country:congo", {}, 9, "unknown country"},  // two Congos: ambiguous
        {"a NEAR/x b", {}, 8, "NEAR/"},
        {"a NEAR/ b", {}, 3, "NEAR/"},
        {"a NEAR/5000 b", {}, 8, "from 0 to 1000"},
        {"\"a b\"~x", {}, 7, "~"},
        {"\"a b\"~", {}, 6, "~"},
        {"\"north korean\" NEAR/3 troops", {}, 1, "NEAR joins single words"},
        {"putin NEAR tag:x", {}, 12, "NEAR joins single words"},
        {"putin NEAR (a b)", {}, 12, "NEAR joins single words"},
        {"putin NEAR jong-un", {}, 12, "NEAR joins single words"},
        {"a b c d", max_terms(3), 7, "too many terms (4, max 3)"},
        {"\"a b\" c tag:x", max_terms(3), 9, "too many terms (4, max 3)"},
        {"ab \xff", {}, 4, "not valid UTF-8"},
        {"\xc3\xa9\xc3", {}, 2, "not valid UTF-8"},
        {"ééééééééééé", short_q, 11, "11 characters long, max 10"},
    };
    for (const auto& c : cases) check_bad_query(c.q, c.options, c.position, c.message);
    CHECK_NOTHROW(parse("ééééééééé", short_q));                                        // 10 code points, 20 bytes
    CHECK_NOTHROW(parse("a b c", max_terms(3)));
}

TEST_CASE("groups nested deeper than max_query_depth are a bad_query error at the first group too deep", "[query]") {
    struct DepthCase {
        std::string q;
        QueryOptions options;
        std::size_t position;  // 1-based code point of the '(' over the limit
    };
    const std::string phrase_group = "\"a b\" (";
    const DepthCase cases[] = {
        {nested(33, "("), {}, 33},                                      // the default limit is 32
        {nested(3, "("), max_depth(2), 3},
        {nested(3, "-("), max_depth(2), 6},                             // exclusions of groups
        {nested(3, "tag:("), max_depth(2), 15},                         // field:( is a word and a group
        {nested(3, "x OR ("), max_depth(2), 18},
        {nested(3, phrase_group), max_depth(2), 21},                    // phrases inside groups
        {"(a) (b) ((c) ((d (e))))", max_depth(2), 15},                  // depth, not the number of groups
        {nested(3, "-(", "-(\"a b\" NEAR c)"), max_depth(3), 8},  // before the NEAR error
    };
    for (const auto& c : cases)
        check_bad_query(c.q, c.options, c.position,
                        "nested more than " + std::to_string(c.options.limits.max_query_depth) + " deep");
    CHECK_NOTHROW(parse(nested(32, "(")));
    CHECK_NOTHROW(parse(nested(32, "-(")));
    CHECK_NOTHROW(parse("(a) (b) ((c) (d))", max_depth(2)));
    CHECK_NOTHROW(parse("-a -b -c -d", max_depth(1)));  // an exclusion without a group nests nothing

    // A long q is bounded by the depth, not by the stack: 100,000 characters, 50,000 groups deep.
    QueryOptions long_q;
    long_q.limits.max_query_chars = 1'000'000;
    for (std::string_view open : {"(", "-("}) {
        std::string q = nested(100'000 / open.size(), open, "");
        INFO("q = " << q.substr(0, 20) << "... (" << q.size() << " characters)");
        try {
            parse(q, long_q);
            FAIL("no error");
        } catch (const ApiError& e) {
            CHECK(e.code() == ErrorCode::BadQuery);
            CHECK(e.position() == 33 * open.size());
        }
    }
}

// ---- parsed queries run on an index built by the indexer's DocumentBuilder -------------------------------

namespace {

// A record of data/real/*.jsonl (interchange shape) as a quote record of our schema.
Quote real_quote(const std::string& file, const std::string& id) {
    std::ifstream in(std::string(DIXIT_DATA_DIR) + "/real/" + file);
    for (std::string line; std::getline(in, line);) {
        json r = json::parse(line);
        if (r["id"] != id) continue;
        json record = {{"id", r["id"]}, {"text", r["text"]}, {"author", {{"name", r["author"]}}},
                       {"tags", r["tags"]}, {"countries", r["countries"]}, {"language", r["language"]},
                       {"published_at", "2025-01-01T00:00:00Z"}};
        if (r["date"].is_string()) record["said_on"] = r["date"];
        return quote_from_json(record);
    }
    throw std::runtime_error("no record " + id + " in " + file);
}

Quote hand_quote(const char* id, const char* text, const char* said_on, json tags, json countries) {
    return quote_from_json({{"id", id}, {"text", text}, {"author", {{"name", "Andrii Sybiha"}}}, {"said_on", said_on},
                            {"tags", tags}, {"countries", countries}, {"language", "en"},
                            {"context", {{"id", "north-korean-troops-in-russia"}, {"title", "North Korean troops"}}},
                            {"published_at", "2025-01-01T00:00:00Z"}});
}

// Real quotes: Camus (en), a Song poem, and Debian fortunes in Chinese, Russian, German and Portuguese.
constexpr const char* camus = "quotable:WQbJJwEFP1l9";  // "...there was within me an invincible summer."
constexpr const char* poem = "chinese-poetry:song-shi:fd773e04-0c69-4875-99b0-12872cd7f683";  // 黄梅西去一舍許，...
constexpr const char* zh_fortune = "debian:fortunes-zh:chinese:3937";       // 君子固穷，小人穷斯滥也。
constexpr const char* ru_fortune = "debian:fortunes-ru:ru/2001.05:101";     // Афоризмы строчит, как пироги печёт!
constexpr const char* de_fortune = "debian:fortunes-de:de/zitate:11492";    // Das ist die Kunst des Gesprächs
constexpr const char* pt_fortune = "debian:fortunes-br:brasil:1637";        // Casar é trocar a admiração de vários

class QueryIndex {
public:
    // On disk: the InMemory backend has no synonym table, which holds the stem table.
    QueryIndex() : db_(dir_ / "db", Xapian::DB_CREATE) {
        add(hand_quote("europe", "We call on Europe to realise that North Korean troops are now waging an aggressive war in Europe.",
                       "2024-11", {"North Korean troops"}, {"UA", "KP"}));
        add(hand_quote("border", "Not a single troop will cross the border, the minister said.", "2025-03-02", {"Border"},
                       {"RU"}));
        add(hand_quote("kim", "Kim Jong-un inspected the Korean People's Army.", "2023", json::array(), {"KP"}));
        add(real_quote("quotable.jsonl", camus));
        add(real_quote("chinese-poetry-sample.jsonl", poem));
        for (const char* id : {zh_fortune, ru_fortune, de_fortune, pt_fortune})
            add(real_quote("fortunes-multilingual.jsonl", id));
        db_.commit();
    }

    /// Ids of the quotes q finds.
    std::set<std::string> find(std::string_view q, const QueryOptions& options = english()) const {
        std::set<std::string> ids;
        for (auto [id, weight] : run(q, options)) ids.insert(id);
        return ids;
    }

    /// Ids of the quotes q finds, best first, with their weights.
    std::vector<std::pair<std::string, double>> run(std::string_view q, const QueryOptions& options = english()) const {
        Xapian::Enquire enquire(db_);
        QueryOptions with_stems = options;
        with_stems.stem_table = &db_;
        enquire.set_query(parse(q, with_stems).query);
        std::vector<std::pair<std::string, double>> out;
        Xapian::MSet mset = enquire.get_mset(0, 100);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            out.emplace_back(quote_from_document(it.get_document()).id, it.get_weight());
        }
        return out;
    }

private:
    void add(const Quote& q) {
        db_.add_document(builder_.build(q, db_.get_lastdocid() + 1));
        add_synonyms(db_, builder_.take_new_synonyms());
    }
    TempDir dir_;
    DocumentBuilder builder_;
    Xapian::WritableDatabase db_;
};

using Ids = std::set<std::string>;

}  // namespace

TEST_CASE("words match their stems, phrases match exactly", "[query]") {
    QueryIndex index;
    CHECK(index.find("troops") == Ids{"europe", "border"});  // "troop" in border
    CHECK(index.find("troop") == Ids{"europe", "border"});
    CHECK(index.find("troops", verbatim()) == Ids{"europe"});
    CHECK(index.find("\"north korean troops\"") == Ids{"europe"});
    CHECK(index.find("\"korean north troops\"").empty());
    CHECK(index.find("\"troops korean\"~1") == Ids{"europe"});  // any order within 2 + 1
    CHECK(index.find("\"North Korean troop\"").empty());        // phrases are not stemmed
    CHECK(index.find("europe NEAR/5 troops") == Ids{"europe"}); // Europe(4th word) .. troops(10th): 5 between
    CHECK(index.find("europe NEAR/4 troops").empty());
    CHECK(index.find("jong-un") == Ids{"kim"});
    CHECK(index.find("jongun") == Ids{"kim"});
    CHECK(index.find("\"kim jong-un inspected\"") == Ids{"kim"});
    CHECK(index.find("people's army") == Ids{"kim"});
    CHECK(index.find("insp* korean") == Ids{"kim"});
    CHECK(index.find("invincible summer") == Ids{camus});
    CHECK(index.find("\"there was within me an invincible summer\"") == Ids{camus});
    CHECK(index.find("(summer OR minister) -troops") == Ids{camus});  // border says troop: excluded by stem too
    CHECK(index.find("(winter OR minister) border") == Ids{"border"});
}

TEST_CASE("phrases through common grams find what phrases of words find", "[query]") {
    QueryIndex index;
    const char* phrases[] = {
        "\"north korean troops\"", "\"korean north troops\"", "\"there was within me an invincible summer\"",
        "\"within me\"", "\"me an\"", "\"was me\"", "\"kim jong-un inspected\"", "\"cross the border\"",
        "\"the border the\"", "\"the border, the minister\"", "\"the minister said\"", "\"in europe\"",
        "\"on europe to\"", "\"to realise that\"", "\"that to\"", "jong-un", "\"das ist die kunst\"",
        "\"ist das\"", "\"a single troop\"", "\"not a\"", "\"a not\"", "\"war in europe\"", "\"in in\"",
    };
    for (const char* q : phrases) {
        INFO(q);
        CHECK(index.find(q, grams()) == index.find(q, english()));
    }
    CHECK(index.find("\"cross the border\"", grams()) == Ids{"border"});
    CHECK(index.find("\"there was within me an invincible summer\"", grams()) == Ids{camus});
    CHECK(index.find("\"the border will\"", grams()).empty());
}

TEST_CASE("text copied from a quote finds it in any script", "[query]") {
    QueryIndex index;
    CHECK(index.find("黄梅西去一舍許") == Ids{poem});  // a CJK run, no spaces
    CHECK(index.find("\"奔走龍天瞻四祖\"") == Ids{poem});
    CHECK(index.find("\"許，奔走\"") == Ids{poem});   // across the comma, as the index sees it
    CHECK(index.find("梅黄").empty());
    CHECK(index.find("\"君子固穷，小人穷斯滥也。\"") == Ids{zh_fortune});
    CHECK(index.find("小人穷") == Ids{zh_fortune});
    CHECK(index.find("\"пироги печёт\"") == Ids{ru_fortune});
    CHECK(index.find("пироги печет") == Ids{ru_fortune});  // ё typed as е
    CHECK(index.find("\"печёт пироги\"").empty());
    CHECK(index.find("пирог", languages({"ru"})) == Ids{ru_fortune});
    CHECK(index.find("\"Kunst des Gesprächs\"") == Ids{de_fortune});
    CHECK(index.find("gesprachs") == Ids{de_fortune});
    CHECK(index.find("\"a admiração de vários homens\"") == Ids{pt_fortune});
    CHECK(index.find("admiracao varios") == Ids{pt_fortune});
}

TEST_CASE("filters, exclusions and said ranges restrict without weighing", "[query]") {
    QueryIndex index;
    CHECK(index.find("tag:\"north korean troops\"") == Ids{"europe"});
    CHECK(index.find("country:\"North Korea\"") == Ids{"europe", "kim"});
    CHECK(index.find("country:kp -jong-un") == Ids{"europe"});
    CHECK(index.find("troops -tag:border") == Ids{"europe"});
    CHECK(index.find("author:\"andrii sybiha\" context:north-korean-troops-in-russia lang:en").size() == 3);
    CHECK(index.find("lang:zh") == Ids{poem, zh_fortune});
    CHECK(index.find("said:2024") == Ids{"europe"});
    CHECK(index.find("said:2024-01..2025-03") == Ids{"europe", "border"});
    CHECK(index.find("said:2023..2024") == Ids{"europe", "kim"});
    CHECK(index.find("said:..2024-10") == Ids{"kim"});
    CHECK(index.find("said:2024-11-15..").size() == 1);  // border; the whole of 2024-11 does not lie within
    CHECK(index.find("said:2024-11-15..") == Ids{"border"});
    CHECK(index.find("said:2025-03").size() == 1);
    CHECK(index.find("-said:..2030").size() == 6);       // the undated real quotes

    // Filters add no weight: the same words rank the same with or without them; a filter alone weighs 0.
    auto plain = index.run("korean troops");
    auto filtered = index.run("korean troops tag:\"north korean troops\" country:ua");
    REQUIRE(plain.size() == 1);
    REQUIRE(filtered.size() == 1);
    CHECK(filtered[0].second == Approx(plain[0].second));
    for (auto [id, weight] : index.run("country:kp said:2023..2025")) CHECK(weight == 0.0);
    auto either = index.run("jong OR tag:border");  // border is found by its tag only
    REQUIRE(either.size() == 2);
    CHECK(either[0].first == "kim");
    CHECK(either[0].second > 0.0);
    CHECK(either[1].second == 0.0);
}
