// Tests of CsvReader, CsvMapping and RecordSource: every input format on the real data files.
#include "conversions.h"
#include "formats.h"

#include <quote.h>

#include <catch2/catch.hpp>

#include "test_support.h"

#include <bzlib.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dixit;

using dixit::test::read_file;
using dixit::test::MemoryStream;
using dixit::test::TempDir;

namespace {

const fs::path kReal = fs::path(DIXIT_DATA_DIR) / "real";



std::vector<SourceRecord> read_all(const std::string& path, const SourceOptions& options, InputFormat* detected = nullptr) {
    auto source = RecordSource::open(path, options);
    if (detected) *detected = source->format();
    std::vector<SourceRecord> records;
    SourceRecord record;
    while (source->next(record)) records.push_back(record);
    return records;
}

std::string csv_field(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

TEST_CASE("format names round-trip", "[formats]") {
    for (auto format : {InputFormat::Auto, InputFormat::Dixit, InputFormat::Flat, InputFormat::Quotebank, InputFormat::Csv}) {
        CHECK(parse_format(format_name(format)) == format);
    }
    CHECK_THROWS_AS(parse_format("xml"), std::invalid_argument);
}

TEST_CASE("CsvReader follows RFC 4180 and reports bad rows", "[formats]") {
    struct Row {
        std::vector<std::string> fields;
        std::uint64_t line;
        std::string error;
    };
    struct Case {
        const char* name;
        std::string input;
        char delimiter;
        std::vector<Row> rows;
    };
    const std::vector<Case> cases = {
        {"simple", "a,b\n1,2\n", ',', {{{"a", "b"}, 1, ""}, {{"1", "2"}, 2, ""}}},
        {"no final newline", "a,b\n1,2", ',', {{{"a", "b"}, 1, ""}, {{"1", "2"}, 2, ""}}},
        {"CRLF", "a,b\r\n1,2\r\n", ',', {{{"a", "b"}, 1, ""}, {{"1", "2"}, 2, ""}}},
        {"empty fields", ",\n,,x\n", ',', {{{"", ""}, 1, ""}, {{"", "", "x"}, 2, ""}}},
        {"quoted delimiter", "\"a,b\",c\n", ',', {{{"a,b", "c"}, 1, ""}}},
        {"doubled quotes", "\"say \"\"hi\"\"\",\"\"\n", ',', {{{"say \"hi\"", ""}, 1, ""}}},
        {"embedded newlines", "\"one\ntwo\r\nthree\",x\nnext,y\n", ',',
         {{{"one\ntwo\r\nthree", "x"}, 1, ""}, {{"next", "y"}, 4, ""}}},
        {"blank lines skipped", "a\n\n\r\nb\n", ',', {{{"a"}, 1, ""}, {{"b"}, 4, ""}}},
        {"lenient stray quotes", "ab\"c,\"d\"e\n", ',', {{{"ab\"c", "de"}, 1, ""}}},
        {"tab delimiter", "a\tb,c\n", '\t', {{{"a", "b,c"}, 1, ""}}},
        {"UTF-8 BOM", "\xEF\xBB\xBFid,text\n", ',', {{{"id", "text"}, 1, ""}}},
        {"unterminated quote", "a,b\nx,\"open\nmore\n", ',',
         {{{"a", "b"}, 1, ""}, {{}, 2, "unterminated quoted field (opened on line 2)"}}},
        {"over the limit, then resync after the quoted row end", "ok\n\"" + std::string(40, 'x') + "\n,\nyy\",z\nlast\n", ',',
         {{{"ok"}, 1, ""}, {{}, 2, "row is over the 32-byte limit"}, {{"last"}, 5, ""}}},
    };
    for (const auto& c : cases) {
        for (std::size_t chunk : {1, 4, 1 << 18}) {
            INFO(c.name << ", chunk " << chunk);
            MemoryStream in(c.input, chunk);
            CsvReader reader(in, c.delimiter, 32);
            std::vector<CsvRow> rows;
            CsvRow row;
            while (reader.next(row)) rows.push_back(row);
            REQUIRE(rows.size() == c.rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i) {
                CHECK(rows[i].fields == c.rows[i].fields);
                CHECK(rows[i].line == c.rows[i].line);
                CHECK(rows[i].error == c.rows[i].error);
            }
        }
    }
}

TEST_CASE("CsvMapping parses target=column pairs", "[formats]") {
    const auto mapping = CsvMapping::parse(" text = quote, author.name=speaker,tags=keywords,meta.page=Page,");
    CHECK(mapping.target_to_column == std::map<std::string, std::string>{
                                          {"text", "quote"}, {"author.name", "speaker"}, {"tags", "keywords"}, {"meta.page", "Page"}});
    CHECK(CsvMapping::parse("").target_to_column.empty());
    CHECK_THROWS_WITH(CsvMapping::parse("text=quote,writer=speaker"), Catch::Contains("'writer'"));
    CHECK_THROWS_AS(CsvMapping::parse("text=quote,writer=speaker"), std::invalid_argument);
    CHECK_THROWS_WITH(CsvMapping::parse("text"), Catch::Contains("'text'"));
    CHECK_THROWS_AS(CsvMapping::parse("text=,id=x"), std::invalid_argument);
    CHECK_THROWS_AS(CsvMapping::parse("meta.=x"), std::invalid_argument);
    CHECK_THROWS_AS(CsvMapping::parse("text=a,text=b"), std::invalid_argument);
}

TEST_CASE("the real data files convert completely, detected and explicit", "[formats]") {
    struct Case {
        const char* file;
        InputFormat format;
        std::size_t count;
    };
    const Case cases[] = {
        {"quotable.jsonl", InputFormat::Flat, 2127},
        {"fortunes-multilingual.jsonl", InputFormat::Flat, 3280},
        {"chinese-poetry-sample.jsonl", InputFormat::Flat, 2000},
        {"quotebank-sample.json", InputFormat::Quotebank, 300},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        const std::string path = (kReal / c.file).string();
        InputFormat detected = InputFormat::Auto;
        const auto records = read_all(path, {}, &detected);
        CHECK(detected == c.format);
        REQUIRE(records.size() == c.count);
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& r = records[i];
            INFO("line " << r.line << ": " << r.error);
            REQUIRE(r.error.empty());
            CHECK(r.line == i + 1);
            CHECK(r.file == path);
            CHECK(r.record.at("id").is_string());
            CHECK(r.record.at("text").is_string());
            CHECK(r.record.at("language").is_string());
        }
        SourceOptions explicit_format;
        explicit_format.format = c.format;
        const auto again = read_all(path, explicit_format);
        REQUIRE(again.size() == records.size());
        CHECK(again.back().record == records.back().record);
    }
}

TEST_CASE("real records convert field by field", "[formats]") {
    const auto quotebank = read_all((kReal / "quotebank-sample.json").string(), {});
    CHECK(quotebank.front().record == json::parse(R"({
        "id": "2020-01-13-029309",
        "text": "I think that he will be accountable to the American people for that. Over 70 percent of the American people think that the president should have those witnesses testify,",
        "author": {"name": "Mitch McConnell", "id": "Q355522"},
        "said_on": "2020-01-13", "published_at": "2020-01-13T15:57:07Z",
        "language": "en", "source": {"name": "Quotebank"},
        "meta": {"qids": ["Q355522"], "num_occurrences": 2}})"));
    CHECK(quotebank.front().raw.rfind("{\"quoteID\": \"2020-01-13-029309\"", 0) == 0);

    const auto quotable = read_all((kReal / "quotable.jsonl").string(), {});
    CHECK(quotable.front().record == json::parse(R"({
        "id": "quotable:WQbJJwEFP1l9",
        "text": "In the depth of winter, I finally learned that there was within me an invincible summer.",
        "author": {"name": "Albert Camus", "role": "French author"},
        "tags": ["Famous Quotes", "Inspirational"], "countries": [], "language": "en",
        "source": {"name": "quotable"},
        "meta": {"author_link": "https://en.wikipedia.org/wiki/Albert_Camus"}})"));

    const auto fortunes = read_all((kReal / "fortunes-multilingual.jsonl").string(), {});
    const json& lichtenberg = fortunes.front().record;
    CHECK(lichtenberg["author"] == json{{"name", "Georg Christoph Lichtenberg"}});
    CHECK(lichtenberg["language"] == "de");
    CHECK(lichtenberg["text"].get<std::string>().find("es muß anders werden") != std::string::npos);

    const auto poems = read_all((kReal / "chinese-poetry-sample.jsonl").string(), {});
    const json& analects = poems.at(545).record;  // line 546: author null
    CHECK(analects["id"] == "chinese-poetry:lunyu:乡党篇:23");
    CHECK(analects["author"] == json{{"name", "Unattributed"}});
    CHECK(analects["meta"] == json{{"title", "论语·乡党篇"}, {"script", "zh-Hans"}, {"unattributed", true}});
    CHECK(analects["countries"] == json{"CN"});
}

TEST_CASE("Quotebank conversion covers the full-dump fields", "[formats]") {
    const json full = json::parse(R"({"quoteID": "2015-08-31-000271", "quotation": "... a quote ...",
        "speaker": "None", "qids": [], "date": "2015-08-31 21:04:41", "numOccurrences": 1,
        "probas": [["None", "0.7"], ["Prince Jackson", "0.3"]],
        "urls": ["http://example.com/a", "http://example.com/b"], "phase": "E", "extra": {"k": 1}, "gone": null})");
    const json out = quotebank_to_dixit(full);
    CHECK(out["author"] == json{{"name", "Unattributed"}});
    CHECK(out["source"] == json{{"name", "Quotebank"}, {"url", "http://example.com/a"}});
    CHECK(out["meta"] == json::parse(R"({"unattributed": true, "qids": [], "num_occurrences": 1,
        "urls": ["http://example.com/a", "http://example.com/b"], "phase": "E", "extra": {"k": 1}})"));
    // probas become the attribution: an unattributed quote has no confidence, only its candidates.
    CHECK(out["attribution"] == json::parse(R"({"others": [{"name": "Prince Jackson", "confidence": 0.3}]})"));
    const json named = quotebank_to_dixit(json::parse(R"({"quoteID": "q", "quotation": "t", "speaker": "Bernie Sanders",
        "probas": [["Bernie Sanders", "0.6514"], ["None", "0.2"], ["Joe Biden", 0.1486]]})"));
    CHECK(named["attribution"] == json::parse(R"({"confidence": 0.6514, "others": [{"name": "Joe Biden", "confidence": 0.1486}]})"));
    CHECK(quote_from_json(named).attribution->confidence == Approx(0.6514));
    for (const char* bad : {R"("0.5")", R"([["A"]])", R"([["A", "high"]])", R"([["A", "1.5"]])", R"([[1, "0.5"]])"}) {
        INFO(bad);
        CHECK_THROWS_WITH(quotebank_to_dixit(json{{"quoteID", "q"}, {"quotation", "t"}, {"speaker", "A"}, {"probas", json::parse(bad)}}),
                          Catch::Contains("probas"));
    }

    const json namesakes = quotebank_to_dixit(json{{"quoteID", "q"}, {"quotation", "t"}, {"speaker", "John Smith"}, {"qids", {"Q1", "Q2"}}});
    CHECK(namesakes["author"] == json{{"name", "John Smith"}});
    CHECK(namesakes["meta"]["qids"] == json{"Q1", "Q2"});
    CHECK(namesakes["source"] == json{{"name", "Quotebank"}});

    CHECK_THROWS_WITH(quotebank_to_dixit(json{{"quotation", "t"}}), Catch::Contains("quoteID"));
    CHECK_THROWS_WITH(quotebank_to_dixit(json{{"quoteID", "q"}}), Catch::Contains("quotation"));
    CHECK_THROWS_AS(quotebank_to_dixit(json{{"quoteID", 5}, {"quotation", "t"}}), std::invalid_argument);
}

TEST_CASE("Flat conversion drops nulls and keeps unknown keys in meta", "[formats]") {
    const json out = flat_to_dixit(json::parse(R"({"id": "x", "text": "t", "author": "A", "author_role": null,
        "date": "1999-05", "source": null, "page": 12, "meta": {"title": "T"}})"));
    CHECK(out == json::parse(R"({"id": "x", "text": "t", "author": {"name": "A"}, "said_on": "1999-05",
        "meta": {"title": "T", "page": 12}})"));
    CHECK_THROWS_WITH(flat_to_dixit(json{{"author", 3}}), Catch::Contains("author"));
    CHECK_THROWS_WITH(flat_to_dixit(json{{"meta", "m"}}), Catch::Contains("meta"));
}

TEST_CASE("bad lines become record errors and reading goes on", "[formats]") {
    TempDir dir;
    const std::string big(2000, 'x');
    const std::string input = std::string("{\"id\": \"1\", \"text\": \"a\"}\n") +  // 1
                              "   \n" +                                          // 2: skipped
                              "{\"id\": \"2\", \"text\": x}\n" +                 // 3
                              "[1, 2]\n" +                                       // 4
                              "{\"id\": \"3\", \"text\": \"h\xff\"}\n" +         // 5
                              "{\"t\": \"" + big + "\"}\r\n" +                   // 6
                              "\n" +                                             // 7: skipped
                              "{\"id\": \"5\", \"n\": 1e999}\n" +                // 8: a number past double
                              "{\"id\": \"4\", \"text\": \"b\"}";                // 9
    SourceOptions options;
    options.max_line_bytes = 1000;
    InputFormat detected;
    const auto records = read_all(dir.write("mixed.jsonl", input), options, &detected);
    CHECK(detected == InputFormat::Dixit);
    REQUIRE(records.size() == 7);
    CHECK(records[0].error.empty());
    CHECK(records[0].record["id"] == "1");
    CHECK(records[1].line == 3);
    CHECK_THAT(records[1].error, Catch::StartsWith("invalid JSON: parse error at byte 21: ") && Catch::Contains("invalid literal"));
    CHECK(records[1].raw == "{\"id\": \"2\", \"text\": x}");
    CHECK(records[2].error == "not a JSON object (got array)");
    CHECK(records[3].error == "invalid UTF-8 at byte 23");
    CHECK(records[4].line == 6);
    CHECK(records[4].error == "line is 2009 bytes, over the 1000-byte limit");
    CHECK(records[4].raw.size() == 1000);
    CHECK(records[5].line == 8);
    CHECK(records[5].error == "invalid JSON: a number is too large");
    CHECK(records[6].line == 9);
    CHECK(records[6].record["id"] == "4");
}

TEST_CASE("Auto detection skips a broken first line and returns it", "[formats]") {
    TempDir dir;
    const std::string quotebank = read_file(kReal / "quotebank-sample.json");
    InputFormat detected;
    const auto records = read_all(dir.write("qb.jsonl", "\n{broken\n" + quotebank), {}, &detected);
    CHECK(detected == InputFormat::Quotebank);
    REQUIRE(records.size() == 301);
    CHECK(records[0].line == 2);
    CHECK_FALSE(records[0].error.empty());
    CHECK(records[1].record["id"] == "2020-01-13-029309");
    CHECK(records[1].line == 3);
}

TEST_CASE("Auto detection works through compression", "[formats]") {
    TempDir dir;
    const std::string data = read_file(kReal / "quotebank-sample.json");
    std::string compressed(data.size() + 1000, '\0');
    auto len = static_cast<unsigned>(compressed.size());
    REQUIRE(BZ2_bzBuffToBuffCompress(compressed.data(), &len, const_cast<char*>(data.data()),
                                     static_cast<unsigned>(data.size()), 9, 0, 30) == BZ_OK);
    compressed.resize(len);
    InputFormat detected;
    const auto records = read_all(dir.write("quotes-2020.json.bz2", compressed), {}, &detected);
    CHECK(detected == InputFormat::Quotebank);
    CHECK(records.size() == 300);

    const auto csv = read_all(dir.write("q.TSV", "id\ttext\tauthor\n1\tHello, world\tMe\n"), {}, &detected);
    CHECK(detected == InputFormat::Csv);
    REQUIRE(csv.size() == 1);
    CHECK(csv[0].record == json::parse(R"({"id": "1", "text": "Hello, world", "author": {"name": "Me"}})"));
}

TEST_CASE("CSV written from real quotable records reads back with a mapping", "[formats]") {
    TempDir dir;
    const auto flat = read_all((kReal / "quotable.jsonl").string(), {});
    std::string csv = "key,quote,speaker,about,keywords,unused\r\n";
    std::vector<json> expected;
    for (std::size_t i = 0; i < flat.size(); i += 7) {
        const json& r = flat[i].record;
        std::string tags;
        for (const auto& t : r["tags"]) tags += (tags.empty() ? "" : " ; ") + t.get<std::string>();
        csv += csv_field(r["id"]) + "," + csv_field(r["text"]) + "," + csv_field(r["author"]["name"]) + "," +
               csv_field(r["author"]["role"]) + "," + tags + ",\r\n";
        json e = {{"id", r["id"]}, {"text", r["text"]}, {"author", r["author"]}};
        if (!r["tags"].empty()) e["tags"] = r["tags"];
        expected.push_back(e);
    }
    csv += "only,three,fields\r\n";
    const std::string path = dir.write("quotable.csv", csv);

    SourceOptions options;
    // "unused" is empty in every row, and empty cells are omitted: no meta.
    options.csv_mapping = CsvMapping::parse("id=key,text=quote,author.name=speaker,author.role=about,tags=keywords,meta.from=unused");
    auto records = read_all(path, options);
    REQUIRE(records.size() == expected.size() + 1);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(records[i].error);
        CHECK(records[i].record == expected[i]);
        CHECK(records[i].line == i + 2);
    }
    CHECK(records.back().error == "row has 3 fields, expected 6 as in the header");
    CHECK(records.back().raw == "only,three,fields");

    options.csv_mapping = CsvMapping::parse("text=quote,author.name=speaker_name");
    CHECK_THROWS_WITH(RecordSource::open(path, options),
                      path + ": mapping names column 'speaker_name' which the header does not have");
    options.csv_mapping = {};
    CHECK_THROWS_AS(RecordSource::open(path, options), InputError);  // no column named like a field
}

TEST_CASE("flat records without an author are kept as unattributed", "[formats]") {
    // Three Analects passages in chinese-poetry-sample.jsonl have "author": null.
    json out = dixit::flat_to_dixit(json::parse(R"({"id": "x", "text": "寝不尸，居不客。", "author": null, "tags": ["论语"]})"));
    CHECK(out["author"] == json{{"name", "Unattributed"}});
    CHECK(out["meta"]["unattributed"] == true);
    json named = dixit::flat_to_dixit(json::parse(R"({"id": "y", "text": "t", "author": "Confucius"})"));
    CHECK_FALSE(named.contains("meta"));
}

TEST_CASE("deeply nested JSON is rejected as a record, never a stack overflow", "[formats]") {
    TempDir dir;
    std::string deep = R"({"id":"d","text":"t","author":{"name":"A"},"meta":{"x":)" + std::string(200000, '[') +
                       std::string(200000, ']') + "}}\n";
    auto file = dir.write("deep.jsonl", deep + R"({"id":"ok","text":"t","author":{"name":"A"}})" "\n");
    auto source = RecordSource::open(file, {});
    SourceRecord r;
    REQUIRE(source->next(r));
    CHECK_THAT(r.error, Catch::Contains("nested deeper"));
    REQUIRE(source->next(r));
    CHECK(r.error.empty());
    CHECK(r.record["id"] == "ok");
}
