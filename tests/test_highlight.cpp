// Tests of the highlighter: tables of {text, language, what to mark} -> expected HTML and snippets,
// then every real quote checked for well-formed output.
#include "highlight.h"

#include <text.h>
#include <tokenizer.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

using dixit::Highlighter;
using dixit::HighlightSpec;
using dixit::SnippetOptions;
using dixit::Tokenizer;

namespace {

struct HtmlCase {
    const char* name;
    std::string text;
    const char* language;
    HighlightSpec spec;
    std::string expected;
};

struct SnippetCase {
    const char* name;
    std::string text;
    const char* language;
    HighlightSpec spec;
    SnippetOptions options;
    std::string expected;
};

// What to mark (positional: GCC 12 warns about designated initializers that leave members out).
HighlightSpec spec(std::vector<std::string> words, std::vector<std::string> prefixes = {},
                   std::vector<std::vector<std::string>> phrases = {}, bool verbatim = false) {
    return {std::move(words), std::move(prefixes), std::move(phrases), verbatim};
}

// The longest marked run of an HTML fragment, in characters of its HTML.
std::size_t longest_mark(const std::string& html) {
    std::size_t longest = 0;
    for (std::size_t open = html.find("<mark>"); open != std::string::npos; open = html.find("<mark>", open + 1)) {
        std::size_t close = html.find("</mark>", open);
        longest = std::max<std::size_t>(longest, dixit::utf8_length(std::string_view(html).substr(open, close - open)));
    }
    return longest;
}

// Real quotes from data/real (the loader keeps id -> text).
std::string real_text(const std::string& file, const std::string& id) {
    std::ifstream in(std::string(DIXIT_DATA_DIR) + "/real/" + file);
    REQUIRE(in);
    for (std::string line; std::getline(in, line);) {
        auto record = nlohmann::json::parse(line);
        if (record["id"] == id) return record["text"].get<std::string>();
    }
    FAIL("no record " << id << " in " << file);
    return {};
}

// The text an HTML fragment shows: tags dropped, our five entities decoded.
std::string shown_text(const std::string& html) {
    std::string out;
    for (std::size_t i = 0; i < html.size();) {
        if (html.compare(i, 6, "<mark>") == 0) i += 6;
        else if (html.compare(i, 7, "</mark>") == 0) i += 7;
        else if (html.compare(i, 5, "&amp;") == 0) out += '&', i += 5;
        else if (html.compare(i, 4, "&lt;") == 0) out += '<', i += 4;
        else if (html.compare(i, 4, "&gt;") == 0) out += '>', i += 4;
        else if (html.compare(i, 6, "&quot;") == 0) out += '"', i += 6;
        else if (html.compare(i, 5, "&#39;") == 0) out += '\'', i += 5;
        else out += html[i++];
    }
    return out;
}

// True when marks open and close alternately (never nested) and no raw < > & " ' is left outside them.
bool well_formed(const std::string& html) {
    bool open = false;
    for (std::size_t i = 0; i < html.size(); ++i) {
        if (html.compare(i, 6, "<mark>") == 0) {
            if (open) return false;
            open = true;
            i += 5;
        } else if (html.compare(i, 7, "</mark>") == 0) {
            if (!open) return false;
            open = false;
            i += 6;
        } else if (html[i] == '<' || html[i] == '>' || html[i] == '"' || html[i] == '\'') {
            return false;
        }
    }
    return !open;
}

}  // namespace

TEST_CASE("html_escape escapes the five HTML characters and nothing else", "[highlight]") {
    CHECK(dixit::html_escape("a & b < c > d \"e\" 'f'") == "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
    CHECK(dixit::html_escape("État, 国家, Мир") == "État, 国家, Мир");
    CHECK(dixit::html_escape("") == "");
    CHECK(dixit::html_escape(std::string("a\xff" "b\xE2\x82")) == "a\uFFFD" "b\uFFFD");  // ill-formed -> U+FFFD
}

TEST_CASE("highlight marks what the index matched", "[highlight]") {
    const std::string camus = "In the depth of winter, I finally learned that there was within me an invincible summer.";
    const std::vector<HtmlCase> cases = {
        {"single word", camus, "en", spec({"winter"}),
         "In the depth of <mark>winter</mark>, I finally learned that there was within me an invincible summer."},
        {"nothing matched", camus, "en", spec({"autumn"}), camus},
        {"stem match both ways (English)", "Troops moved in; one troop stayed.", "en", spec({"troops"}),
         "<mark>Troops</mark> moved in; one <mark>troop</mark> stayed."},
        {"stem match, singular query", "Troops moved in; one troop stayed.", "en-GB", spec({"troop"}),
         "<mark>Troops</mark> moved in; one <mark>troop</mark> stayed."},
        {"no stemmer for Polish: exact only", "Troops moved in; one troop stayed.", "pl", spec({"troops"}),
         "<mark>Troops</mark> moved in; one troop stayed."},
        {"no language: exact only", "Troops moved in; one troop stayed.", "", spec({"troops"}),
         "<mark>Troops</mark> moved in; one troop stayed."},
        {"verbatim: exact only", "Troops moved in; one troop stayed.", "en", spec({"troops"}, {}, {}, true),
         "<mark>Troops</mark> moved in; one troop stayed."},
        {"phrase with punctuation inside is one mark", "Peace, bread and land! Bread first.", "en",
         spec({}, {}, {{"peace", "bread"}}), "<mark>Peace, bread</mark> and land! Bread first."},
        {"phrase terms are exact, never stemmed", "The troop moved. The troops moved.", "en",
         spec({}, {}, {{"troops", "moved"}}), "The troop moved. The <mark>troops moved</mark>."},
        {"adjacent words merge across white space", "North Korean troops", "en", spec({"north", "korean"}),
         "<mark>North Korean</mark> troops"},
        {"words apart by punctuation stay apart", "North, Korean troops", "en", spec({"north", "korean"}),
         "<mark>North</mark>, <mark>Korean</mark> troops"},
        {"a word inside a phrase: one mark, not nested", "North Korean troops", "en",
         spec({"korean", "troops"}, {}, {{"north", "korean"}}), "<mark>North Korean troops</mark>"},
        {"prefix", camus, "en", spec({}, {"invinc", "sum"}),
         "In the depth of winter, I finally learned that there was within me an <mark>invincible summer</mark>."},
        {"hyphenated word by its joined term", "Kim Jong-un said so", "en", spec({"jongun"}),
         "Kim <mark>Jong-un</mark> said so"},
        {"HTML in the text is escaped", "He wrote <script>alert(\"x\")</script> & left", "en", spec({"alert"}),
         "He wrote &lt;script&gt;<mark>alert</mark>(&quot;x&quot;)&lt;/script&gt; &amp; left"},
        {"HTML tag names marked inside escapes", "<script>alert('x')</script>", "en", spec({"script"}),
         "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt;"},
        {"accents: folded query matches", "L'État, c'est moi.", "fr", spec({"etat"}),
         "L&#39;<mark>État</mark>, c&#39;est moi."},
        {"Russian stems", "Мир во всём мире", "ru", spec({"мира"}), "<mark>Мир</mark> во всём <mark>мире</mark>"},
        {"Chinese phrase of ideographs", "学而时习之，不亦说乎？", "zh", spec({}, {}, {{"时", "习"}}),
         "学而<mark>时习</mark>之，不亦说乎？"},
        {"Chinese phrase across punctuation", "学而时习之，不亦说乎？", "zh", spec({}, {}, {{"之", "不"}}),
         "学而时习<mark>之，不</mark>亦说乎？"},
        {"invalid byte replaced, marks still right", std::string("bad \xff troops"), "en", spec({"troops"}),
         "bad \uFFFD <mark>troops</mark>"},
        {"truncated sequence at the end", std::string("troops \xE2\x82"), "en", spec({"troops"}),
         "<mark>troops</mark> \uFFFD"},
        {"invalid byte splits a word", std::string("tro\xff" "ops"), "en", spec({"troops"}, {"tro"}),
         "<mark>tro</mark>\uFFFDops"},
    };
    Tokenizer tokenizer;
    Highlighter highlighter(tokenizer);
    for (const HtmlCase& c : cases) {
        INFO(c.name);
        auto result = highlighter.highlight(c.text, c.language, c.spec);
        CHECK(result.html == c.expected);
        CHECK(result.snippet.empty());  // all shorter than min_text_chars
    }
}

TEST_CASE("snippets: around the best match, cut at words, ellipses where cut", "[highlight]") {
    // Carl Sagan, 533 characters, from Debian's fortunes (cookie).
    const std::string sagan = real_text("fortunes-multilingual.jsonl", "debian:fortunes:cookie:82");
    REQUIRE(sagan.size() == 533);
    // A Russian fortune, 364 characters.
    const std::string russian = real_text("fortunes-multilingual.jsonl", "debian:fortunes-ru:ru/education:263");
    const std::vector<SnippetCase> cases = {
        {"short text: no snippet", "Troops moved in; one troop stayed.", "en", spec({"troops"}), {}, ""},
        {"short window over a whole text: the html", "Troops moved in; one troop stayed.", "en",
         spec({"troops"}), {.min_text_chars = 10, .snippet_chars = 200},
         "<mark>Troops</mark> moved in; one <mark>troop</mark> stayed."},
        {"centred on the phrase", sagan, "en", spec({}, {}, {{"skeptical", "scrutiny"}}), {},
         "…to new ideas, no matter how bizarre\nor counterintuitive they may be, and the most ruthless "
         "<mark>skeptical scrutiny</mark>\nof all ideas, old and new.  This is how deep truths are winnowed "
         "from deep\nnonsense.  Of…"},
        {"nothing matched: the start", sagan, "en", spec({"baloney"}), {},
         "At the heart of science is an essential tension between two seemingly\ncontradictory attitudes -- an "
         "openness to new ideas, no matter how bizarre\nor counterintuitive they may be, and the most ruthless…"},
        {"a phrase beats more distinct words", sagan, "en",
         spec({"collective", "enterprise", "creative"}, {}, {{"essential", "tension"}}), {},
         "At the heart of science is an <mark>essential tension</mark> between two seemingly\ncontradictory "
         "attitudes -- an openness to new ideas, no matter how bizarre\nor counterintuitive they may be, and the "
         "most ruthless…"},
        {"most distinct words, kept inside the text", sagan, "en",
         spec({"collective", "enterprise", "creative", "ideas"}), {},
         "…in trying to understand the\nworld, but there is a built-in error-correcting mechanism:  The <mark>collective\n"
         "enterprise</mark> of <mark>creative</mark> thinking and skeptical thinking together keeps the\nfield on "
         "track."},
        {"a window shorter than the phrase never cuts the mark", sagan, "en",
         spec({}, {}, {{"skeptical", "scrutiny"}}), {.min_text_chars = 300, .snippet_chars = 5},
         "…<mark>skeptical scrutiny</mark>…"},
        {"Russian: whole words, valid UTF-8", russian, "ru", spec({"истина"}), {},
         "Общество заставляют двигаться вперед не те, кто колеблется между\n<mark>истиной</mark> и ложью, эти "
         "плясуны на канате, а люди принципиальные. Логика\nзолотой середины может поэтому в лучшем случае "
         "поддерживать…"},
    };
    Tokenizer tokenizer;
    Highlighter highlighter(tokenizer);
    for (const SnippetCase& c : cases) {
        INFO(c.name);
        auto result = highlighter.highlight(c.text, c.language, c.spec, c.options);
        CHECK(result.snippet == c.expected);
        CHECK(dixit::is_valid_utf8(result.snippet));
    }
}

TEST_CASE("every real quote highlights to well-formed HTML that shows its text", "[highlight]") {
    Tokenizer tokenizer;
    Highlighter highlighter(tokenizer);
    std::vector<dixit::Token> tokens;
    std::size_t quotes = 0, marked = 0, snippets = 0;
    for (const char* file : {"fortunes-multilingual.jsonl", "chinese-poetry-sample.jsonl", "quotable.jsonl"}) {
        std::ifstream in(std::string(DIXIT_DATA_DIR) + "/real/" + file);
        REQUIRE(in);
        for (std::string line; std::getline(in, line);) {
            auto record = nlohmann::json::parse(line);
            std::string text = record["text"].get<std::string>();
            std::string language = record["language"].is_string() ? record["language"].get<std::string>() : "";
            // Query parts taken from the quote itself: a word, a prefix and a two-word phrase.
            tokens.clear();
            tokenizer.tokenize(text, tokens);
            HighlightSpec spec;
            if (tokens.size() >= 4) {
                spec.words = {tokens[tokens.size() / 2].term};
                spec.prefixes = {tokens[1].term.substr(0, 2)};
                if (tokens[2].position + 1 == tokens[3].position) spec.phrases = {{tokens[2].term, tokens[3].term}};
            }
            INFO(record["id"].get<std::string>());
            auto result = highlighter.highlight(text, language, spec);
            ++quotes;
            CHECK(well_formed(result.html));
            CHECK(shown_text(result.html) == text);
            if (result.html.find("<mark>") != std::string::npos) ++marked;
            if (dixit::utf8_length(text) >= SnippetOptions{}.min_text_chars) {
                ++snippets;
                CHECK(well_formed(result.snippet));
                CHECK(dixit::is_valid_utf8(result.snippet));
                std::string shown = shown_text(result.snippet);
                if (shown.starts_with("…")) shown.erase(0, std::string_view("…").size());
                if (shown.ends_with("…")) shown.resize(shown.size() - std::string_view("…").size());
                CHECK(text.find(shown) != std::string::npos);
                // About snippet_chars, and a mark that overhangs the window is kept whole (a phrase across ASCII art).
                CHECK(dixit::utf8_length(shown) <= SnippetOptions{}.snippet_chars + longest_mark(result.snippet) + 40);
            } else {
                CHECK(result.snippet.empty());
            }
        }
    }
    CHECK(quotes > 7000);
    CHECK(marked > quotes * 9 / 10);
    CHECK(snippets > 50);
}
