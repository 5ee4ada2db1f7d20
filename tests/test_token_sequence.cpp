// The stored word order: phrases and NEAR decided from slot::tokens as Xapian's OP_PHRASE/OP_NEAR would.
#include <catch2/catch.hpp>

#include <document.h>
#include <fields.h>
#include <token_sequence.h>

#include <nlohmann/json.hpp>

#include <set>

using namespace dixit;

namespace {

Xapian::Document doc_of(DocumentBuilder& builder, const std::string& text, const std::string& language = "en") {
    nlohmann::json j = {{"id", "t"}, {"text", text}, {"author", {{"name", "A"}}}, {"language", language},
                        {"published_at", "2020-01-01T00:00:00Z"}};
    return builder.build(quote_from_json(j), 1);
}

}  // namespace

TEST_CASE("phrases and NEAR on the stored word order", "[tokens]") {
    DocumentBuilder builder;
    struct Case {
        const char* text;
        std::vector<std::string> terms;  // folded, as the query parser gives them
        bool near;                       // NEAR (window) instead of an exact phrase
        unsigned window;
        bool expected;
    };
    const Case cases[] = {
        {"Kim Jong-un inspected the army", {"kim", "jong", "un"}, false, 0, true},
        {"Kim Jong-un inspected the army", {"kim", "jongun"}, false, 0, true},              // the joined form
        {"Kim Jong-un inspected the army", {"jongun", "inspected"}, false, 0, false},       // at jong's place
        {"Kim Jong-un inspected the army", {"jong", "un", "inspected"}, false, 0, true},
        {"Kim Jong-un inspected the army", {"the", "army"}, false, 0, true},
        {"Kim Jong-un inspected the army", {"army", "the"}, false, 0, false},
        {"to be or not to be", {"to", "be", "to"}, false, 0, false},
        {"to be or not to be", {"not", "to", "be"}, false, 0, true},
        {"to be or not to be", {"to", "be"}, false, 0, true},
        {"君子固穷，小人穷斯滥也。", {"小", "人", "穷"}, false, 0, true},  // across punctuation, by ideograph
        {"君子固穷，小人穷斯滥也。", {"穷", "小"}, false, 0, true},       // punctuation takes no position
        {"君子固穷，小人穷斯滥也。", {"君", "穷"}, false, 0, false},
        {"Putin said the troops would stay", {"troops", "putin"}, true, 4, true},   // 3 positions apart: NEAR/2
        {"Putin said the troops would stay", {"troops", "putin"}, true, 3, false},
        {"Putin said the troops would stay", {"putin", "stay"}, true, 6, true},
        {"Putin said the troops would stay", {"putin", "putin"}, true, 10, false},  // once only
        {"Putin met Putin", {"putin", "putin"}, true, 3, true},
        {"Putin met Putin", {"putin"}, true, 1, true},
        {"Putin met Putin", {"putin"}, true, 0, false},  // a window of 0 holds nothing (read past the hits once)
        {"Putin met Putin", {"putin", "met"}, true, 0, false},
    };
    for (const auto& c : cases) {
        INFO(c.text << " / " << c.terms.size() << " terms, near " << c.near << " " << c.window);
        Xapian::Document doc = doc_of(builder, c.text);
        TokenSequence seq = decode_token_sequence(doc.get_value(slot::tokens));
        CHECK((c.near ? has_near(seq, c.terms, c.window) : has_phrase(seq, c.terms)) == c.expected);
    }
}

TEST_CASE("a text with many distinct terms gets wider codes, and no two of its terms share one", "[tokens]") {
    DocumentBuilder builder;
    std::string text;
    for (int i = 0; i < 400; ++i) text += "w" + std::to_string(i) + " ";
    text += "last words here";
    Xapian::Document doc = doc_of(builder, text);
    std::string value = doc.get_value(slot::tokens);
    CHECK(value[0] == 2);
    TokenSequence seq = decode_token_sequence(value);
    CHECK(seq.at.size() == 403);
    std::set<std::uint32_t> codes(seq.at.begin(), seq.at.end());
    CHECK(codes.size() == 403);
    CHECK(has_phrase(seq, {"w398", "w399", "last"}));
    CHECK_FALSE(has_phrase(seq, {"w399", "w398"}));

    // Short texts: one byte a position, still one code per distinct term.
    for (const char* short_text : {"a b c d e f g h i j k l m n o p q r s t u v w x", "to be or not to be", "君子固穷，小人穷斯滥也。"}) {
        Xapian::Document d = doc_of(builder, short_text);
        std::string v = d.get_value(slot::tokens);
        CHECK(v[0] == 1);
        TokenSequence s = decode_token_sequence(v);
        std::set<std::string> terms;
        std::set<std::uint32_t> seen;
        for (auto it = d.termlist_begin(); it != d.termlist_end(); ++it)
            if ((*it)[0] < 'A' || (*it)[0] > 'Z') terms.insert(*it);
        for (const auto& t : terms) seen.insert(s.code(t));
        CHECK(seen.size() == terms.size());
    }
}

TEST_CASE("a malformed token sequence is an error, not a crash", "[tokens]") {
    for (std::string bad : {std::string("\x05", 1), std::string("\x01\x05\x00", 3), std::string("\x01\xff\xff\xff\xff\xff", 6),
                            std::string("\x01\x01\x00\x02", 4)}) {
        CHECK_THROWS_AS(decode_token_sequence(bad), Xapian::SerialisationError);
    }
    CHECK(decode_token_sequence("").at.empty());
}

TEST_CASE("random bytes decode to a sequence or a SerialisationError, and checks on them stay in bounds", "[tokens]") {
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<unsigned>(state >> 33);
    };
    int decoded = 0, refused = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string bytes(next() % 24, '\0');
        for (char& c : bytes) c = static_cast<char>(next() & 0xff);
        if (!bytes.empty() && round % 2) bytes[0] = static_cast<char>(1 + next() % 4);  // a valid width
        try {
            TokenSequence seq = decode_token_sequence(bytes);
            has_phrase(seq, {"a", "b"});
            has_near(seq, {"a", "b", "a"}, 3);
            ++decoded;
        } catch (const Xapian::SerialisationError&) {
            ++refused;
        }
    }
    CHECK(decoded > 100);  // both outcomes are met, so both paths ran
    CHECK(refused > 100);
}
