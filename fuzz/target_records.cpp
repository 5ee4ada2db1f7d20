// Fuzz targets quote, record and token_sequence: the record's validation and the two stored codecs.
#include "targets.h"

#include <quote.h>
#include <record.h>
#include <token_sequence.h>

#include <stdexcept>

namespace dixit::fuzz {
namespace {

// The API writes records with invalid UTF-8 replaced (handlers.cpp); a fuzzed record may hold any bytes.
std::string api_form(const Quote& q) {
    return quote_to_json(q).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A record the decoder accepted must come back the same from its own encoding.
void check_round_trip(const Quote& q) {
    const Quote again = decode_record(encode_record(q));
    if (api_form(again) != api_form(q)) throw std::logic_error("record does not survive encode_record/decode_record");
}

}  // namespace

void quote(std::string_view data) {
    // As the indexer and POST /search parse a line: no exceptions, a discarded value on bad JSON.
    nlohmann::json value = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
    if (value.is_discarded()) return;
    Quote q;
    try {
        q = quote_from_json(value);
    } catch (const ValidationError&) {  // the documented error, naming the field
        return;
    }
    check_round_trip(q);
    // A validated quote is valid UTF-8 throughout: its JSON form dumps without replacement.
    (void)quote_to_json(q).dump();
}

void record(std::string_view data) {
    Quote q;
    try {
        q = decode_record(data);
    } catch (const RecordError&) {  // the documented error for bytes that are not a record
        return;
    }
    check_round_trip(q);
}

void token_sequence(std::string_view data) {
    static const std::vector<std::vector<std::string>> phrases = {
        {"the", "war"}, {"north", "korean", "troops"}, {"a", "a", "a"}, {"君", "子"}, {"jongun"}, {}};
    // The decoder reuses a buffer that held another document's order, as PositionFilter does.
    static const std::string previous = [] {
        Tokenizer tokenizer;
        std::vector<Token> tokens;
        tokenizer.tokenize("Kim Jong-un said the war in the north, 君子固穷, would end", tokens);
        return encode_token_sequence(tokens);
    }();
    TokenSequence seq;
    decode_token_sequence(previous, seq);
    try {
        decode_token_sequence(data, seq);
    } catch (const Xapian::SerialisationError&) {  // the documented error for malformed bytes
        return;
    }
    for (const auto& terms : phrases) {
        (void)has_phrase(seq, terms);
        for (std::uint32_t window : {0u, 1u, 2u, 10u, 0xffffffffu}) (void)has_near(seq, terms, window);
    }
    // The reusing decoder must give what a fresh one gives.
    const TokenSequence fresh = decode_token_sequence(data);
    if (fresh.at != seq.at || fresh.extras != seq.extras || fresh.seed != seq.seed || fresh.width != seq.width)
        throw std::logic_error("decode_token_sequence into a used buffer differs from a fresh decode");
}

}  // namespace dixit::fuzz
