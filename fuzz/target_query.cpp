// Fuzz target query_parser: q through the query parser, then the query run on a small index.
#include "targets.h"

#include <api_error.h>
#include <document.h>
#include <query_parser.h>
#include <quote.h>

#include <xapian.h>

namespace dixit::fuzz {
namespace {

// A few quotes with what the parser's output looks at: stemmed words, a hyphenated name, common words
// for grams, CJK, tags, countries, a context, dates of each precision.
Xapian::Database small_index() {
    static const char* const records[] = {
        R"({"id":"a","text":"We call on Europe to realise that North Korean troops are now in the war.","author":{"name":"Andrii Sybiha"},"said_on":"2024-11","tags":["North Korean troops"],"countries":["UA","KP"],"language":"en","context":{"id":"kursk","title":"Kursk"},"published_at":"2025-01-01T00:00:00Z"})",
        R"({"id":"b","text":"Kim Jong-un inspected the Korean People's Army; not a single troop will cross the border.","author":{"name":"Pat Ryder"},"said_on":"2023","tags":["Border"],"countries":["RU"],"language":"en","published_at":"2025-01-02T00:00:00Z"})",
        R"({"id":"c","text":"君子固穷，小人穷斯滥也。","author":{"name":"孔子"},"language":"zh","published_at":"2025-01-03T00:00:00Z"})",
        R"({"id":"d","text":"Das ist die Kunst des Gesprächs, in the end of the day.","author":{"name":"Goethe"},"said_on":"2025-02-18","language":"de","entities":["NATO"],"published_at":"2025-01-04T00:00:00Z"})",
    };
    Xapian::WritableDatabase db = Xapian::InMemory::open();
    DocumentBuilder builder;
    for (const char* r : records) db.add_document(builder.build(quote_from_json(nlohmann::json::parse(r)), db.get_lastdocid() + 1));
    db.commit();
    return db;
}

}  // namespace

void query_parser(std::string_view data) {
    static Tokenizer tokenizer;
    static const Xapian::Database db = small_index();
    if (data.empty()) return;
    const auto flags = static_cast<unsigned char>(data[0]);
    data.remove_prefix(1);
    QueryOptions options;
    options.verbatim = (flags & 1) != 0;
    options.common_grams = (flags & 2) != 0;
    if (flags & 4) options.stem_languages = {"en"};
    if (flags & 8) options.stem_languages.push_back("de");
    if (flags & 16) options.limits.max_terms = 4;
    if (flags & 32) options.limits.max_query_depth = 3;
    ParsedQuery parsed;
    try {
        parsed = QueryParser(tokenizer).parse(data, options);
    } catch (const ApiError& e) {  // the documented error: bad_query with a position
        if (e.code() != ErrorCode::BadQuery) throw;
        return;
    }
    (void)parsed.query.get_description();
    Xapian::Enquire enquire(db);
    enquire.set_query(parsed.query);
    Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) (void)it.get_document().get_data();
}

}  // namespace dixit::fuzz
