// dixit-fuzz-seeds DATA_DIR OUT_DIR: the fuzz targets' seed corpora, made from the first lines of each
// bundled file in data/ and a list of queries and targets (a few hundred small files; nothing downloaded).
#include <conversions.h>
#include <cursor.h>
#include <date_keys.h>
#include <document.h>
#include <formats.h>
#include <quote.h>
#include <record.h>
#include <token_sequence.h>
#include <tokenizer.h>

#include <bzlib.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dixit;

namespace {

constexpr std::size_t kLines = 8;  // lines taken from each bundled file

std::vector<std::string> first_lines(const fs::path& file, std::size_t n) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; out.size() < n && std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    if (out.empty()) throw std::runtime_error("no lines in " + file.string());
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

std::string gzip(const std::string& in) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, in.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string bzip2(const std::string& in) {
    std::string out(in.size() + in.size() / 100 + 700, '\0');
    auto size = static_cast<unsigned>(out.size());
    BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(in.data()), static_cast<unsigned>(in.size()), 9, 0, 0);
    out.resize(size);
    return out;
}

std::string zstd(const std::string& in) {
    std::string out(ZSTD_compressBound(in.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
    return out;
}

class Seeds {
public:
    explicit Seeds(fs::path out) : out_(std::move(out)) {}
    void add(const std::string& target, const std::string& bytes) {
        const fs::path dir = out_ / target;
        fs::create_directories(dir);
        std::ofstream(dir / ("seed-" + std::to_string(++count_[target])), std::ios::binary) << bytes;
    }
    void report() const {
        for (const auto& [target, n] : count_) std::cout << "dixit-fuzz-seeds: " << target << ": " << n << " seeds\n";
    }

private:
    fs::path out_;
    std::map<std::string, int> count_;
};

const char* const kQueries[] = {
    "troops", "north korean troops", "\"north korean troops\"", "\"north korean\"~3", "putin NEAR/5 troops",
    "putin NEAR troops", "ukraine OR russia", "war -peace", "-(-(-war))", "troop*", "ko*", "tag:\"North Korean troops\"",
    "author:sybiha", "country:UA", "country:\"North Korea\"", "entity:NATO", "context:kursk", "lang:en", "lang:pt-BR",
    "said:2024", "said:2024-11..2025-02", "said:..2024-11-05", "(war OR peace) AND NOT talks", "tag:(border OR war)",
    "\"the war\"", "\"in is the\"", "Kim Jong-un", "jongun", "君子固穷", "\"小人穷斯滥也\"", "Gespräch", "Türkiye",
    "don't", "Russia's", "l'homme", "10,000", "\"a b\"~0", "((((a))))", "\"unterminated", "a OR", "NEAR/x", "tag:",
    "said:20x4", "*", "\"\"", "a -", "(a b", "a) b", "OR OR", "said:2024..2023",
};

const char* const kTargets[] = {
    "/search?q=troops", "/search?q=north+korean+troops&tag=North+Korean+troops&country=UA&country=KP",
    "/search?tag=North+Korean+troops&sort=newest&per_page=2", "/search?q=%22north%20korean%22&facets=tag,country,year",
    "/search?from=2024&to=2024-12&sort=oldest&page=2&per_page=5", "/search?published_since=24h&sort=published",
    "/search?q=war&facets=tag&facet_size=5&histogram=month&verbatim&exact_total=1", "/search?lang=pt&q=casar",
    "/search?country=ukraine&entity=NATO&context=kursk&author=Mark+Rutte", "/search?cursor=TjBhYmM&sort=newest",
    "/search?page=0", "/search?per_page=1000", "/search?tga=x", "/search?q=%ZZ", "/search?q=%C3%28", "/quotes/abc%2Fdef",
    "/facets/tag?prefix=nor&size=5", "/latest?hours=24", "/contexts/latest?size=3", "/health", "/tag/North%20Korean%20troops",
    "/?q=troops&country=UA&country=KP&from=2024&to=2024&sort=oldest", "/search?&&=&q=&from=2024-02-30",
};

const char* const kBodies[] = {
    R"({"q":"troops","tag":["North Korean troops","Border"],"per_page":5,"verbatim":true})",
    R"({"q":"war","facets":"tag,country","sort":"oldest","from":"2024","exact_total":false,"cursor":null})",
    R"({"q":1.5})", R"({"tag":[["nested"]]})", R"([1,2])",
};

}  // namespace

int main(int argc, char** argv) try {
    if (argc != 3) {
        std::cerr << "usage: dixit-fuzz-seeds DATA_DIR OUT_DIR\n";
        return 2;
    }
    const fs::path data = argv[1];
    const fs::path out = argv[2];
    fs::remove_all(out);
    Seeds seeds(out);
    Tokenizer tokenizer;

    // The bundled files: Dixit JSONL, flat JSONL (three files) and Quotebank.
    const std::vector<std::string> dixit_lines = first_lines(data / "seed.jsonl", 24);
    std::vector<std::pair<std::string, std::vector<std::string>>> files = {
        {"dixit", dixit_lines},
        {"flat", first_lines(data / "real/quotable.jsonl", kLines)},
        {"flat", first_lines(data / "real/fortunes-multilingual.jsonl", kLines)},
        {"flat", first_lines(data / "real/chinese-poetry-sample.jsonl", kLines)},
        {"quotebank", first_lines(data / "real/quotebank-sample.json", kLines)},
    };

    // Dixit records, as the indexer makes them from each format, validated.
    std::vector<json> records;
    for (const auto& [format, lines] : files) {
        for (const auto& line : lines) {
            json v = json::parse(line);
            if (format == "flat") v = flat_to_dixit(v);
            if (format == "quotebank") v = quotebank_to_dixit(v);
            records.push_back(v);
        }
    }
    std::vector<Quote> quotes;
    for (const json& r : records) {
        seeds.add("quote", r.dump());
        try {
            quotes.push_back(quote_from_json(r));
        } catch (const ValidationError&) {  // a reject of the sample data is a seed too, but no quote
            continue;
        }
        if (!quotes.back().published_at) quotes.back().published_at = 1740000000;
    }

    // formats: first byte = format (see target_input.cpp): 1 dixit, 2 flat, 3 quotebank, 0 auto.
    for (const auto& [format, lines] : files) {
        const char flag = format == "dixit" ? 1 : format == "flat" ? 2 : 3;
        seeds.add("formats", std::string(1, flag) + joined(lines));
        seeds.add("formats", std::string(1, 0) + joined(lines));
        seeds.add("formats", std::string(1, 0) + lines.front() + "\n\n{broken\n" + lines.back() + "\r\n");
    }
    if (quotes.size() < 12) throw std::runtime_error("fewer than 12 valid quotes in the sample data");
    std::string csv = "id,quote,speaker,tags,date,page\n";
    for (std::size_t i = 0; i < 8; ++i) {
        const Quote& q = quotes[i];
        std::string text = q.text;
        for (std::size_t p = 0; (p = text.find('"', p)) != std::string::npos; p += 2) text.insert(p, "\"");
        std::string tags;
        for (const auto& t : q.tags) tags += (tags.empty() ? "" : ";") + t;
        csv += q.id + ",\"" + text + "\"," + q.author.name + "," + tags + "," + (q.said_on ? q.said_on->iso() : "") + "," +
               std::to_string(i) + "\r\n";
    }
    seeds.add("formats", std::string(1, 4 | 16) + csv);  // in.csv with the mapping
    seeds.add("formats", std::string(1, 6 | 16) + csv);  // --format csv
    seeds.add("formats", std::string(1, 4) + "id,text,author,tags\n1,\"a \"\"quoted\"\"\nline\",Ann,x;y\n2,b,Bo,\n");

    // input_stream: each file's first lines plain and compressed three ways.
    for (const auto& [format, lines] : files) {
        const std::string text = joined(lines);
        seeds.add("input_stream", text);
        seeds.add("input_stream", gzip(text));
        seeds.add("input_stream", bzip2(text));
        seeds.add("input_stream", zstd(text));
    }
    seeds.add("input_stream", gzip(csv));

    // record, token_sequence, cursor: what the indexer stores and searchd pages by.
    for (const Quote& q : quotes) {
        seeds.add("record", encode_record(q));
        std::vector<Token> tokens;
        tokenizer.tokenize(q.text, tokens);
        seeds.add("token_sequence", encode_token_sequence(tokens));
    }
    for (std::size_t i = 0; i < 12; ++i) {
        seeds.add("cursor", std::string(1, 1) + encode_cursor(sort_key(quotes[i], DateOrder::Newest, i + 1), SortOrder::Newest));
        seeds.add("cursor", std::string(1, 0) + encode_cursor(sort_key(quotes[i], DateOrder::Oldest, i + 1), SortOrder::Oldest));
    }

    // query_parser: first byte = options (see target_query.cpp), then q.
    for (const char* q : kQueries) {
        seeds.add("query_parser", std::string(1, 4 | 2) + q);
        seeds.add("query_parser", std::string(1, 1) + q);
    }
    for (std::size_t i = 0; i < 6; ++i) seeds.add("query_parser", std::string(1, 4) + quotes[i].text.substr(0, 80));

    // http_target: targets, POST bodies, and a cursor as a parameter.
    for (const char* t : kTargets) seeds.add("http_target", t), seeds.add("handle", t);
    for (const char* b : kBodies) seeds.add("http_target", b), seeds.add("handle", b);
    for (const char* q : kQueries) seeds.add("handle", std::string("/search?facets=tag,year&q=") + q);
    seeds.add("http_target", "/search?sort=newest&cursor=" +
                                 encode_cursor(sort_key(quotes[0], DateOrder::Newest, 1), SortOrder::Newest));
    seeds.report();
    return 0;
} catch (const std::exception& e) {
    std::cerr << "dixit-fuzz-seeds: " << e.what() << '\n';
    return 1;
}
