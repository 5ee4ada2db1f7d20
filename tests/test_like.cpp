// like=TEXT: a half-remembered quote finds the original, with filters, facets and sorts; bad input.
#include <catch2/catch.hpp>

#include "search_fixture.h"

#include <index_writer.h>
#include <like.h>

using dixit::test::SearchFixture;
using nlohmann::json;

namespace dixit {
namespace {

// Quotes that share many words, so that ranking by order and share matters; several scripts.
std::string archive() {
    std::string out;
    auto add = [&](const std::string& id, const std::string& text, const std::string& lang, const std::string& tag,
                   const std::string& date) {
        out += json({{"id", id}, {"text", text}, {"author", {{"name", "Speaker " + id}}}, {"language", lang},
                     {"tags", {tag}}, {"said_on", date}})
                   .dump() +
               "\n";
    };
    add("orig", "We have thousands of private insurance plans and the administrative costs are eating up the money "
                "that should go to doctors and nurses", "en", "health", "2020-02-01");
    add("near", "We have thousands of private insurance companies and their costs go to shareholders not to doctors",
        "en", "health", "2020-03-01");
    add("order", "Doctors and nurses should go to the money that the administrative costs are eating, says the plan",
        "en", "budget", "2020-01-15");
    add("other", "The administrative state is eating the budget of every ministry", "en", "budget", "2020-04-01");
    for (int i = 0; i < 40; ++i)
        add("filler" + std::to_string(i), "The money should go to the people and the costs are the people's business number " +
                                              std::to_string(i), "en", "filler", "2019-01-01");
    add("de", "Die Regierung hat beschlossen, die Steuern für kleine Unternehmen im nächsten Jahr deutlich zu senken",
        "de", "steuern", "2021-05-05");
    add("ru", "Правительство приняло решение снизить налоги для малого бизнеса в следующем году", "ru", "налоги",
        "2021-06-06");
    add("zh", "学而时习之不亦说乎有朋自远方来不亦乐乎", "zh", "论语", "2021-07-07");
    return out;
}

const char* const original = "We have thousands of private insurance plans and the administrative costs are eating up "
                             "the money that should go to doctors and nurses";

std::string url(const std::string& text) {
    std::string out;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : text) {
        if (std::isalnum(c)) out += static_cast<char>(c);
        else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
    }
    return out;
}

std::vector<std::string> ids(const json& body) {
    std::vector<std::string> out;
    for (const auto& h : body["hits"]) out.push_back(h["id"]);
    return out;
}

}  // namespace

TEST_CASE("like= ranks the original first however it is misremembered", "[like]") {
    SearchFixture f(archive());
    struct Case {
        const char* what;
        std::string text;
        const char* first;
    };
    const Case cases[] = {
        {"the whole text", original, "orig"},
        {"a fragment", "administrative costs are eating up the money that should go", "orig"},
        {"a dropped word", "We have thousands of private insurance plans and the administrative costs are eating the money "
                           "that should go to doctors and nurses", "orig"},
        {"two words swapped", "We have thousands of insurance private plans and the costs administrative are eating up the "
                              "money that should go to doctors and nurses", "orig"},
        {"a typo", "We have thousands of private insurence plans and the administrative costs are eating up the money", "orig"},
        {"another inflection", "we had thousand of private insurance plan and the administrative cost is eating up the money",
         "orig"},
        {"a wrong word", "We have thousands of private insurance plans and the bureaucratic costs are eating up the money "
                         "that should go to doctors and nurses", "orig"},
        {"German, inflected", "die Regierung beschließt die Steuer für kleine Unternehmen zu senken", "de"},
        {"Russian, a word dropped", "Правительство решение снизить налоги для малого бизнеса", "ru"},
        {"Chinese, a fragment with a wrong character", "有朋自近方来不亦乐乎", "zh"},
    };
    for (const auto& c : cases) {
        INFO(c.what << ": " << c.text);
        json body = f.get_json("/search?like=" + url(c.text) + "&per_page=3");
        REQUIRE(!body["hits"].empty());
        CHECK(body["hits"][0]["id"] == c.first);
        CHECK(body["sort"] == "relevance");
        for (const auto& h : body["hits"]) {
            CHECK(h["similarity"].get<double>() >= 0);
            CHECK(h["similarity"].get<double>() <= 1);
        }
    }
}

TEST_CASE("like= similarity is the share of the text's words held in order", "[like]") {
    SearchFixture f(archive());
    auto first = [&](const std::string& text) { return f.get_json("/search?like=" + url(text) + "&per_page=1")["hits"][0]; };
    CHECK(first(original)["similarity"].get<double>() == Approx(1.0));
    CHECK(first("administrative costs are eating up the money")["similarity"].get<double>() == Approx(1.0));
    // 8 words, one swapped pair: 7 of them in order.
    json swapped = first("administrative costs are eating up money the that");
    CHECK(swapped["id"] == "orig");
    CHECK(swapped["similarity"].get<double>() == Approx(7.0 / 8));
    // A word no quote holds counts against it: 5 of 6.
    CHECK(first("administrative costs are eating up zzxqv")["similarity"].get<double>() == Approx(5.0 / 6));
    // The shared words are marked.
    std::string html = first("private insurance plans")["highlight"];
    CHECK(html.find("<mark>private insurance plans</mark>") != std::string::npos);
}

TEST_CASE("like= takes filters, facets, date orders and pages", "[like]") {
    SearchFixture f(archive());
    const std::string like = "/search?like=" + url("the administrative costs are eating the money of doctors");
    json all = f.get_json(like + "&facets=tag&exact_total=true");
    const auto total = all["total"].get<std::uint64_t>();
    REQUIRE(total >= 3);
    std::uint64_t sum = 0;
    for (const auto& v : all["facets"]["tag"]) {
        json filtered = f.get_json(like + "&tag=" + url(v["value"]));
        INFO(v.dump());
        CHECK(filtered["total"] == v["count"]);  // a facet's count is its filter's total
        for (const auto& h : filtered["hits"]) CHECK(h["tags"][0] == v["value"]);
        sum += v["count"].get<std::uint64_t>();
    }
    CHECK(sum == total);  // one tag a quote

    json newest = f.get_json(like + "&sort=newest&per_page=50");
    CHECK(newest["sort"] == "newest");
    std::string last = "9999";
    for (const auto& h : newest["hits"]) {
        CHECK(h.contains("similarity"));
        CHECK(h["said_on"].get<std::string>() <= last);
        last = h["said_on"];
    }
    CHECK(newest["hits"].size() == total);

    json dated = f.get_json(like + "&from=2020-02&to=2020-12");
    for (const auto& h : dated["hits"]) CHECK(h["said_on"].get<std::string>() >= "2020-02");

    // Pages of relevance order follow on from each other without repeats.
    json p1 = f.get_json(like + "&per_page=2&page=1"), p2 = f.get_json(like + "&per_page=2&page=2");
    auto a = ids(p1), b = ids(p2);
    for (const auto& id : b) CHECK(std::find(a.begin(), a.end(), id) == a.end());
    CHECK(a[0] == "orig");

    // A stricter share finds fewer; POST takes the same names.
    json strict = f.get_json(like + "&min_share=0.9");
    CHECK(strict["total"].get<std::uint64_t>() < total);
    HttpResponse post = handle({"POST", "/search", json({{"like", original}, {"per_page", 1}}).dump(), "application/json"},
                               *f.searcher);
    REQUIRE(post.status == 200);
    CHECK(json::parse(post.body)["hits"][0]["id"] == "orig");
}

TEST_CASE("like= bad input: 400 naming the parameter, nothing found for text with no words", "[like]") {
    SearchFixture f(archive());
    struct Bad {
        std::string target;
        const char* says;
    };
    const Bad bad[] = {
        {"/search?like=money&q=money", "like"},
        {"/search?like=", "empty"},
        {"/search?like=%20%20", "empty"},
        {"/search?like=" + std::string(1001, 'a'), "max 1000"},
        {"/search?q=money&min_share=0.5", "min_share"},
        {"/search?like=money&min_share=2", "0 to 1"},
        {"/search?like=money&min_share=x", "0 to 1"},
        {"/search?like=%FF%FE", "UTF-8"},
    };
    for (const auto& b : bad) {
        HttpResponse r = f.get(b.target);
        INFO(b.target.substr(0, 60) << " -> " << r.body);
        CHECK(r.status == 400);
        CHECK(json::parse(r.body)["error"]["code"] == "bad_parameter");
        CHECK(r.body.find(b.says) != std::string::npos);
    }
    for (const char* nothing : {"%21%3F%2E%2E%2E", "%F0%9F%98%80%F0%9F%98%82", "zzxqv%20qqqzz"}) {
        json body = f.get_json(std::string("/search?like=") + nothing);
        CHECK(body["total"] == 0);
        CHECK(body["hits"].empty());
    }
}

TEST_CASE("like= never matches a replaced version", "[like]") {
    SearchFixture f(archive());
    // The indexer's add: a new version of "other" with other words.
    add_quotes(f.db, {f.tmp.write("v2.jsonl", json({{"id", "other"}, {"text", "An entirely different sentence now"},
                                                    {"author", {{"name", "X"}}}, {"language", "en"}})
                                                  .dump() + "\n")},
               test::quiet_rebuild().write);
    f.searcher->refresh(true);
    json body = f.get_json("/search?like=" + url("The administrative state is eating the budget of every ministry"));
    for (const auto& h : body["hits"]) CHECK(h["id"] != "other");
    CHECK(f.get_json("/search?like=" + url("an entirely different sentence"))["hits"][0]["id"] == "other");
}

}  // namespace dixit

namespace dixit {

TEST_CASE("like= pages past the second ranking's window follow on without repeats or gaps", "[like]") {
    std::string jsonl;
    for (int i = 0; i < 320; ++i)  // 213 with the nurses, past the window of 200
        jsonl += json({{"id", "q" + std::to_string(i)},
                       {"text", "The money should go to the people " + std::string(i % 3 ? "and the nurses " : "") + "number " +
                                    std::to_string(i)},
                       {"author", {{"name", "A"}}}, {"language", "en"}})
                     .dump() +
                 "\n";
    SearchFixture f(jsonl);
    const std::string like = "/search?like=the+money+should+go+to+the+people+and+the+nurses&per_page=100";
    std::set<std::string> seen;
    std::uint64_t total = 0;
    for (int page = 1; page <= 3; ++page) {
        json body = f.get_json(like + "&page=" + std::to_string(page));
        total = body["total"];
        for (const auto& h : body["hits"]) {
            CHECK(seen.insert(h["id"].get<std::string>()).second);  // no repeats
            CHECK(h["similarity"].get<double>() > 0);
        }
    }
    CHECK(total == 213);  // those with "and the nurses": the rarest words of the text are required
    CHECK(seen.size() == 213);  // no gaps
}

}  // namespace dixit
